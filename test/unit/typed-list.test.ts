/**
 * The items of a typed List (`DeploymentList`, the API server's own list format: `kubectl get --raw`) that name
 * neither their kind nor their apiVersion: apimachinery reads each as the List's kind without `List`, under
 * the List's apiVersion, and so does the function. Nothing is written into such an item but the additions.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { run } from '../../fn/krm/run';
import { fileWorkloads } from '../../fn/package/file-workloads';
import { processPackage, type PackageOptions } from '../../fn/package/process-package';
import { serverFields } from '../../fn/package/server-fields';

/** A Deployment's body without kind and apiVersion, as the API server lists it; `annotations` under metadata. */
const body = (name: string, annotations = '    sidecar.speedscale.com/inject: "true"\n') =>
  `metadata:
  name: ${name}
  annotations:
${annotations}spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${name}
        image: nginx
        ports:
        - containerPort: 8080
`;
/** `text` as a sequence item at `indent`. */
const item = (text: string, indent = '') => `${indent}- ${text.replace(/\n(?=.)/g, `\n${indent}  `)}`;
const typedList = (apiVersion: string, kind: string, ...items: string[]) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  resourceVersion: "42"\nitems:\n${items.map((i) => item(i)).join('')}`;

const INJECT: PackageOptions = { config: { inject: false, uninstall: false } };
const UNINSTALL: PackageOptions = { config: { uninstall: true } };
const pass = (text: string, options: PackageOptions = INJECT) =>
  processPackage([{ path: 'list.yaml', text }], options)[0];

describe('an item of a typed List without kind and apiVersion', () => {
  it('is the List kind without `List`: injected with nothing but the additions, stable, removed exactly', () => {
    const text = typedList('apps/v1', 'DeploymentList', body('web'), body('other', '    team: a\n'));
    const injected = pass(text);
    expect(injected.outcomes[0].items?.map((o) => [o.status, o.meta.kind, o.meta.apiVersion, o.meta.name])).toEqual([
      ['injected', 'Deployment', 'apps/v1', 'web'],
      ['skipped', 'Deployment', 'apps/v1', 'other'],
    ]);
    // Still without kind or apiVersion: the List's own are the only ones.
    const typeLines = (t: string) => t.match(/^[ -]*(kind|apiVersion):.*$/gm);
    expect(typeLines(injected.output)).toEqual(typeLines(text));
    // As apimachinery reads the List: the item, with the sidecar.
    const data = parseAllDocuments(injected.output)[0].toJS();
    expect(data.items[0].spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual([
      'web',
      'speedscale-goproxy',
    ]);
    expect(pass(injected.output).output).toBe(injected.output);
    expect(pass(injected.output, UNINSTALL).output).toBe(text);
  });

  it('in JSON, as `kubectl get --raw` prints it', () => {
    const list = parseAllDocuments(typedList('apps/v1', 'DeploymentList', body('web')))[0].toJS();
    const text = `${JSON.stringify(list, null, 2)}\n`;
    const injected = pass(text);
    expect(injected.outcomes[0].items?.[0]).toMatchObject({ status: 'injected', meta: { kind: 'Deployment' } });
    const data = JSON.parse(injected.output);
    expect(data.items[0].kind).toBeUndefined();
    expect(data.items[0].spec.template.spec.containers).toHaveLength(2);
    expect(pass(injected.output, UNINSTALL).output).toBe(text);
  });

  it('in a ResourceList (the KRM function)', () => {
    const list = typedList('apps/v1', 'DeploymentList', body('web'));
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${item(list)}`;
    const out = run(input);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toMatch(
      /message: injected the Speedscale sidecar\n.*\n {2}resourceRef:\n {4}apiVersion: apps\/v1\n {4}kind: Deployment\n {4}name: web\n/s,
    );
    expect(out.stdout).toContain('- name: speedscale-goproxy');
  });

  it("is the page's workload, and its server fields are named by its kind", () => {
    const text = typedList(
      'apps/v1',
      'DeploymentList',
      body('web').replace('  name: web\n', '  name: web\n  uid: 1a2b\n'),
    );
    expect(fileWorkloads(text).map((w) => [w.kind, w.name, w.item, w.annotated])).toEqual([
      ['Deployment', 'web', 0, true],
    ]);
    expect(serverFields(text).found).toContainEqual({ resource: 'Deployment/web', field: 'metadata.uid' });
  });

  it("a Service's targetPort follows the proxy of such an item's pods (serviceTargetPort)", () => {
    const annotations =
      '    sidecar.speedscale.com/inject: "true"\n    sidecar.speedscale.com/proxy-type: dual\n' +
      '    sidecar.speedscale.com/proxy-protocol: tcp:http\n    sidecar.speedscale.com/proxy-port: "8080"\n' +
      '    sidecar.speedscale.com/service-target-port: proxy\n';
    const service =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n' +
      'spec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 8080\n';
    const text = `${typedList('apps/v1', 'DeploymentList', body('web', annotations))}---\n${service}`;
    const injected = pass(text);
    expect(injected.outcomes.map((o) => o.status)).toEqual(['injected', 'updated']);
    expect(injected.output).toContain('    targetPort: 4143\n');
    expect(pass(injected.output, UNINSTALL).output).toBe(text);
  });

  it('is the kind of any typed List: a ConfigMapList item annotated for injection is said not to be a workload', () => {
    const config = 'metadata:\n  name: c\n  annotations:\n    sidecar.speedscale.com/inject: "true"\ndata: {a: b}\n';
    const [listed] = pass(typedList('v1', 'ConfigMapList', config)).outcomes[0].items ?? [];
    expect(listed).toMatchObject({ status: 'skipped', reason: 'unsupported-kind', meta: { kind: 'ConfigMap' } });
  });

  it('but not of a v1 List, which implies no kind (kubectl refuses such an item), nor an item that names one', () => {
    const [plain] = pass(typedList('v1', 'List', body('web'))).outcomes[0].items ?? [];
    expect(plain).toMatchObject({ status: 'skipped', reason: 'not-a-workload', meta: { kind: '' } });
    const [named] =
      pass(typedList('apps/v1', 'DeploymentList', `kind: Deployment\n${body('web')}`)).outcomes[0].items ?? [];
    expect(named).toMatchObject({ status: 'skipped', reason: 'wrong-api-version', meta: { apiVersion: '' } });
  });
});
