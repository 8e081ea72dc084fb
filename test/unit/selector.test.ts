/**
 * Removal and the workload's own selector (fn/inject/selector.ts): a selector that came to count on the label
 * the injection put on the pod template (copied there with the template's labels) would stop matching the
 * template once the label goes, which the API server refuses; such a removal is refused, the workload left as
 * it was.
 */
import { describe, expect, it } from 'vitest';
import { itemsOf, resourceList, resultsOf, run } from '../support/helpers';

const INJECTED = 'sidecar.speedscale.com/injected';

function workload(kind: string, apiVersion: string, selector: string): string {
  return (
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\n  annotations:\n` +
    `    sidecar.speedscale.com/inject: "true"\nspec:\n  selector:\n${selector}  template:\n    metadata:\n` +
    '      labels:\n        app: web\n    spec:\n      containers:\n        - name: app\n          image: web:1\n'
  );
}

const fc = (data: Record<string, string>) =>
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n' +
  Object.entries(data)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`)
    .join('');

/** The workload injected, then its selector made to count on the injected label as `edit` says. */
function injectedThen(text: string, edit: (item: string) => string): string {
  const item = itemsOf(run(resourceList([text])).stdout)[0];
  expect(item).toContain(`${INJECTED}: "true"`);
  const edited = edit(item);
  expect(edited).not.toBe(item);
  return edited;
}

const list = (item: string, functionConfig?: string) =>
  `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item}` +
  (functionConfig ? `functionConfig:\n${functionConfig.replace(/^(?=.)/gm, '  ')}` : '');

describe('removal and the workload selector', () => {
  const deployment = workload('Deployment', 'apps/v1', '    matchLabels:\n      app: web\n');
  const cases: [string, string, (item: string) => string][] = [
    [
      'matchLabels',
      deployment,
      (item) => item.replace('      matchLabels:\n        app: web\n', `$&        ${INJECTED}: "true"\n`),
    ],
    [
      'matchExpressions',
      deployment,
      (item) =>
        item.replace(
          '        app: web\n',
          `$&      matchExpressions:\n        - {key: ${INJECTED}, operator: Exists}\n`,
        ),
    ],
    [
      "a ReplicationController's map",
      workload('ReplicationController', 'v1', '    app: web\n'),
      (item) => item.replace('    selector:\n      app: web\n', `$&      ${INJECTED}: "true"\n`),
    ],
  ];

  it.each(cases)('refuses to take the label off the template when %s selects by it', (_name, text, edit) => {
    const item = injectedThen(text, edit);
    for (const config of [
      undefined, // and the annotation set to "false"
      fc({ uninstall: 'true' }),
      fc({ capture: 'ebpf' }),
    ]) {
      const input = config ? item : item.replace('inject: "true"', 'inject: "false"');
      const out = run(list(input, config));
      expect(out.exitCode).toBe(1);
      expect(itemsOf(out.stdout)[0]).toBe(input);
      const [result] = resultsOf(out.stdout);
      expect(result).toMatchObject({ severity: 'error', tags: { reason: 'selector-label' } });
      expect(result.message).toMatch(/^not removed: spec\.selector\W.*selects the pods by a label the injection added/);
    }
  });

  it('removes as ever where the selector does not count on the label', () => {
    const item = itemsOf(run(resourceList([deployment])).stdout)[0];
    const out = run(list(item.replace('inject: "true"', 'inject: "false"')));
    expect(out.exitCode).toBe(0);
    expect(itemsOf(out.stdout)[0]).not.toContain(INJECTED);
  });
});
