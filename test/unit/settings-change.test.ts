/**
 * Reduced cases of the settings-change property (test/system/settings-change.test.ts): a workload injected
 * with settings A, then run with settings B, is what B alone makes of the author's text.
 */
import { describe, expect, it } from 'vitest';
import { itemsOf, resourceList, run } from '../support/helpers';

const deployment = (settings: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    sidecar.speedscale.com/inject: "true"
${settings}spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: web:1
        env:
        - name: A
          value: "1"
`;

/** The item B makes of A's output (the author's annotation lines swapped), and the one B makes of M. */
function update(a: string, b: string): { updated: string; fresh: string } {
  const [injected] = itemsOf(run(resourceList([deployment(a)])).stdout);
  const indent = (text: string) => text.replace(/^(?=.)/gm, '  ');
  expect(injected).toContain(indent(a));
  const swapped = injected.replace(indent(a), indent(b));
  const [updated] = itemsOf(run(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${swapped}`).stdout);
  const [fresh] = itemsOf(run(resourceList([deployment(b)])).stdout);
  return { updated, fresh };
}

const names = (item: string) => [...item.matchAll(/- name: (\S+)/g)].map((m) => m[1]);

describe('settings changed between runs', () => {
  it("a new env var goes where a fresh injection puts it, not after the earlier run's", () => {
    const forward = '    sidecar.speedscale.com/proxy-type: forward\n';
    const java = `${forward}    sidecar.speedscale.com/tls-java-tool-options-value: -Dx=y\n`;
    const { updated, fresh } = update(forward, java);
    expect(names(fresh).slice(1, 4)).toEqual(['A', 'JAVA_TOOL_OPTIONS', 'HTTP_PROXY']);
    expect(updated).toBe(fresh);
  });
});
