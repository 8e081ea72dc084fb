/** Verify's plan (web/verify-plan.ts): the deployed names, namespaces, selectors and container counts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compute } from '../../web/pipeline';
import { initialState, type Source, type WizardState } from '../../web/state';
import { verifyCommands, verifyPlan, verifyScript } from '../../web/verify-plan';
import { ROOT } from '../support/helpers';

const HELLO = readFileSync(join(ROOT, 'examples/hello/deployment.yaml'), 'utf8');
const deployment = (name: string, containers = 1, namespace?: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    '  annotations: {sidecar.speedscale.com/inject: "true"}',
    'spec:',
    `  selector: {matchLabels: {app: ${name}}}`,
    '  template:',
    `    metadata: {labels: {app: ${name}}}`,
    '    spec:',
    '      containers:',
    ...Array.from({ length: containers }, (_, i) => `      - {name: c${i}, image: "x:${i}"}`),
    '',
  ].join('\n');

const planOf = (sources: Source[], changes: Partial<WizardState> = {}) => {
  const state = { ...initialState(), sources, ...changes };
  return verifyPlan(state, compute(state));
};

describe('the Verify plan', () => {
  it('names the namespace written, and none (no -n, never default) when there is none', () => {
    const rows = planOf([
      { path: 'a.yaml', text: deployment('api', 1, 'shop') },
      { path: 'b.yaml', text: deployment('web', 4) },
    ]);
    expect(rows.map((r) => [r.ref, r.namespace, r.selector, r.before, r.after])).toEqual([
      ['deployment/api', 'shop', 'app=api', 1, 2],
      ['deployment/web', undefined, 'app=web', 4, 5],
    ]);
    const commands = verifyCommands(rows);
    expect(commands.slice(0, 4)).toEqual([
      'kubectl get pods -n shop -l app=api   # READY shows 2/2',
      'kubectl logs -n shop deployment/api -c speedscale-goproxy --tail=20',
      'kubectl get pods -l app=web   # READY shows 5/5',
      'kubectl logs deployment/web -c speedscale-goproxy --tail=20',
    ]);
    expect(commands.join('\n')).not.toContain('default');
    expect(verifyScript(rows)).not.toMatch(/-n default|--namespace/);
  });

  it("applies kustomize's namespace, namePrefix and nameSuffix, an overlay's outermost", () => {
    const rows = planOf([
      { path: 'base/app.yaml', text: deployment('ui', 1, 'written') },
      {
        path: 'base/kustomization.yaml',
        text: 'resources: [app.yaml]\nnamePrefix: base-\nnameSuffix: -v1\nnamespace: inner\ncommonLabels: {team: a}\n',
      },
      { path: 'overlay/kustomization.yaml', text: 'resources: [../base]\nnamePrefix: prod-\nnamespace: outer\n' },
    ]);
    expect(rows).toMatchObject([{ ref: 'deployment/prod-base-ui-v1', namespace: 'outer', selector: 'app=ui,team=a' }]);
  });

  it('a kustomization nested too deeply to read names nothing, and the plan is still made', () => {
    const deep = `resources: [app.yaml]\nnamePrefix: p-\npatches: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    const rows = planOf([
      { path: 'base/app.yaml', text: deployment('ui', 1, 'shop') },
      { path: 'base/kustomization.yaml', text: deep },
    ]);
    expect(rows).toMatchObject([{ ref: 'deployment/ui', namespace: 'shop' }]);
  });

  it('counts the init containers to wait for and a native sidecar in READY', () => {
    const [row] = planOf([{ path: 'd.yaml', text: HELLO }]);
    expect(row).toMatchObject({ before: 1, after: 2, proxy: true, namespace: 'demo' });
    expect(row.initContainers).toContain('migrate');
    expect(row.initContainers).toContain('speedscale-initproxy-iptables');
    const job = readFileSync(join(ROOT, 'fixtures/native-sidecar/input.yaml'), 'utf8');
    const report = job.slice(job.indexOf('- apiVersion: batch/v1'), job.indexOf('# insert-init-first'));
    const [native] = planOf([{ path: 'j.yaml', text: report.replace(/^(- | {2})/gm, '') }]);
    // The proxy runs as an init container with restartPolicy: Always: READY counts it; it never exits.
    expect(native).toMatchObject({ ref: 'job/report', before: 1, after: 2, proxy: true, completes: true });
    expect(verifyCommands([native])[0]).toMatch(/# the pods complete$/);
    expect(verifyScript([native])).toMatch(/^check job\/report - /m);
    expect(native.initContainers).toEqual(['fetch', 'speedscale-initproxy-iptables', 'speedscale-initproxy-smartdns']);
  });
});
