/** Helpers for container env lists: values are always strings in Kubernetes. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { fieldPath: string } };
}

export const env = (name: string, value: string | number | boolean): EnvVar => ({ name, value: String(value) });
export const fieldRef = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
