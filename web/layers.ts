/**
 * Which layer wins for each key, in the core's order (config/settings.ts): the schema's default <
 * environment (the Environment step's answers, the profile they choose included) < functionConfig (what
 * Configure holds) < pod template annotations < workload annotations. The page shows this table per workload.
 */
export const LAYERS = ['default', 'environment', 'functionConfig', 'pod template', 'workload'] as const;
export type Layer = (typeof LAYERS)[number];

export interface Winner {
  key: string;
  layer: Layer;
  value: string;
  /** Every layer that says something, lowest first. */
  said: { layer: Layer; value: string }[];
}

/** `values`: per layer, key -> value as written (strings; absent = the layer says nothing). */
export function layerWinners(
  keys: readonly string[],
  values: Readonly<Record<Layer, Readonly<Record<string, string>>>>,
): Winner[] {
  return keys.flatMap((key) => {
    const said = LAYERS.filter((layer) => values[layer][key] !== undefined).map((layer) => ({
      layer,
      value: values[layer][key],
    }));
    const top = said[said.length - 1];
    return top ? [{ key, layer: top.layer, value: top.value, said }] : [];
  });
}
