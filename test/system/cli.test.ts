/**
 * The command line, run as the built bundle over the storefront example (fixtures/storefront, copied into
 * temp directories when a test writes): every input format, every flag, in-place writes, patches, --check
 * and the report.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { afterAll, describe, expect, it } from 'vitest';
import { Document, parseAllDocuments } from 'yaml';
import { splitDocuments } from '../../fn/package/stream';
import { BUNDLE, BUNDLE_BIN, STOREFRONT } from '../support/helpers';

/** One file per service: Deployments, a StatefulSet, a Job, a DaemonSet, a v1 List, JSON, a kustomization. */
const MANIFESTS = join(STOREFRONT, 'kubernetes-manifests');
/** A Deployment (one container, `web`; not annotated), two Services and a ServiceAccount, after a comment header. */
const FRONTEND = join(MANIFESTS, 'frontend.yaml');
/** Every YAML manifest of MANIFESTS but the List, in one stream. */
const RELEASE = join(STOREFRONT, 'release/storefront.yaml');
/** What `kubectl get -o yaml` prints: a v1 List of a Deployment (annotated) and a Service. */
const LIST = join(MANIFESTS, 'inventory-list.yaml');
/** What `kubectl get -o json` prints: a JSON List of a Deployment (annotated) and a Service. */
const JSON_LIST = join(MANIFESTS, 'recommendations.json');
/** A DaemonSet with hostNetwork: true, alone in its file. */
const HOST_NETWORK = join(STOREFRONT, 'node-agents/node-metrics.yaml');
const SIDECAR = '- name: speedscale-goproxy';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh temp dir holding copies of example files (fixtures/storefront itself is never written). */
function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  temps.push(dir);
  for (const [name, from] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    cpSync(from, join(dir, name), { recursive: true });
  }
  return dir;
}

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * The bundle where any user can run it: the checkout may sit below a directory only its owner can enter
 * (root's home is 0700), so runs as another user take a copy in a world-readable temporary directory.
 */
let forAnyone: string | undefined;
function bundleForAnyone(): string {
  if (forAnyone) return forAnyone;
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  temps.push(dir);
  chmodSync(dir, 0o755);
  cpSync(BUNDLE, join(dir, basename(BUNDLE)));
  cpSync(BUNDLE_BIN, join(dir, basename(BUNDLE_BIN)));
  return (forAnyone = join(dir, basename(BUNDLE)));
}

function cli(args: string[], options: { cwd?: string; input?: string | Buffer; uid?: number } = {}): Run {
  const bundle = options.uid === undefined ? BUNDLE : bundleForAnyone();
  const child = spawnSync(process.execPath, [bundle, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    maxBuffer: 1 << 30,
    ...(options.uid !== undefined && { uid: options.uid, gid: options.uid }),
  });
  return { stdout: child.stdout.toString(), stderr: child.stderr.toString(), exitCode: child.status ?? -1 };
}

const read = (path: string) => readFileSync(path, 'utf8');
const reportLines = (stderr: string) => stderr.trimEnd().split('\n');
/** Every document as plain data, read as the core reads it (YAML 1.1). */
const docsOf = (text: string) =>
  parseAllDocuments(text, { version: '1.1' })
    .map((d) => d.toJS())
    .filter((d) => d !== null);
const countOf = (text: string, needle: string) => text.split(needle).length - 1;

/** Every resource of a manifest text, the items of a List in its place. */
const resourcesOf = (text: string): any[] => docsOf(text).flatMap((d) => (d.kind === 'List' ? d.items : [d]));
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Pod']);
/** The workloads of a manifest text (the commands inject all of them here: none uses hostNetwork). */
const workloadsOf = (text: string) => resourcesOf(text).filter((r) => WORKLOAD_KINDS.has(r.kind));
const workloads = (text: string) => workloadsOf(text).length;
const hasSidecar = (w: any) =>
  [...(w.spec.template.spec.containers ?? []), ...(w.spec.template.spec.initContainers ?? [])].some(
    (c: any) => c.name === 'speedscale-goproxy',
  );
/** How many workloads of a manifest text (YAML or JSON) carry the sidecar. */
const injectedIn = (text: string) => workloadsOf(text).filter(hasSidecar).length;
/** The files of the example directory, as the CLI walks them: *.yaml, *.yml, *.json, sorted. */
const manifestFiles = () =>
  readdirSync(MANIFESTS)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();

/** What `kubectl get -o yaml` prints for several objects: a v1 List, items compact, block style. */
function asList(docs: unknown[]): string {
  return new Document({ apiVersion: 'v1', items: docs, kind: 'List', metadata: { resourceVersion: '' } }).toString({
    indentSeq: false,
    lineWidth: 0,
  });
}

/** A literal string as a regular expression. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('input formats: same format out, untouched bytes kept, remove restores the input', () => {
  it('multi-document YAML: only the Deployment changes; every other document, comments included, is byte-identical', () => {
    const dir = workdir({ 'frontend.yaml': FRONTEND });
    const input = read(join(dir, 'frontend.yaml'));
    const injected = cli(['inject', '-f', 'frontend.yaml'], { cwd: dir });
    expect(injected.exitCode).toBe(0);
    const [before, after] = [splitDocuments(input), splitDocuments(injected.stdout)];
    expect(after).toHaveLength(before.length);
    const changed = before.map((doc, i) => doc !== after[i]);
    expect(changed.filter(Boolean)).toHaveLength(1);
    expect(before[changed.indexOf(true)]).toMatch(/^kind: Deployment$/m);
    expect(injected.stdout).toContain(SIDECAR);
    expect(injected.stdout.startsWith(input.slice(0, input.indexOf('apiVersion')))).toBe(true); // the comment header

    const removed = cli(['remove', '-f', '-'], { input: injected.stdout });
    expect(removed.exitCode).toBe(0);
    expect(removed.stdout).toBe(input);
  });

  it('a release stream of every kind: every workload injected, uninstall gives back the exact bytes', () => {
    const input = read(RELEASE);
    // Seven Deployments, a StatefulSet, a Job and a DaemonSet, among a ConfigMap, Services and ServiceAccounts.
    expect(workloadsOf(input).map((w) => `${w.kind}/${w.metadata.name}`)).toEqual([
      'Deployment/frontend',
      'Deployment/catalog',
      'Deployment/cart',
      'Deployment/cart-redis',
      'Deployment/checkout',
      'Deployment/payments',
      'StatefulSet/orders-db',
      'Job/orders-retention',
      'DaemonSet/log-agent',
      'Deployment/loadgen',
    ]);
    const injected = cli(['inject'], { input });
    expect(injected.exitCode).toBe(0);
    expect(countOf(injected.stdout, SIDECAR)).toBe(workloads(input));
    expect(countOf(injected.stderr, ': injected')).toBe(workloads(input));
    expect(injected.stderr).toContain('Job/orders-retention: injected: Job pods will not complete');
    expect(injectedIn(injected.stdout)).toBe(workloads(input));
    expect(cli(['uninstall'], { input: injected.stdout }).stdout).toBe(input);
  });

  it('stdin, as `-` or by default, gives the same output as the file', () => {
    const dir = workdir({ 'frontend.yaml': FRONTEND });
    const fromFile = cli(['inject', 'frontend.yaml'], { cwd: dir }).stdout;
    expect(cli(['inject', '-f', '-'], { input: read(FRONTEND) }).stdout).toBe(fromFile);
    expect(cli(['inject'], { input: read(FRONTEND) }).stdout).toBe(fromFile);
  });

  it('a v1 List in YAML (kubectl get -o yaml): items injected in place, the rest of the List untouched', () => {
    const list = asList(docsOf(read(FRONTEND)));
    const injected = cli(['inject'], { input: list });
    expect(injected.exitCode).toBe(0);
    expect(injected.stdout.startsWith('apiVersion: v1\nitems:\n- apiVersion: apps/v1\n')).toBe(true);
    expect(injected.stdout.endsWith('kind: List\nmetadata:\n  resourceVersion: ""\n')).toBe(true);
    const data = docsOf(injected.stdout)[0];
    expect(data.items.map((i: any) => i.kind)).toEqual(['Deployment', 'Service', 'Service', 'ServiceAccount']);
    expect(data.items[0].spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web', 'speedscale-goproxy']);
    expect(cli(['remove'], { input: injected.stdout }).stdout).toBe(list);
  });

  it('a List as kubectl prints it, status and server fields included: only the Deployment item changes', () => {
    const input = read(LIST);
    const injected = cli(['inject', '--annotated'], { input });
    expect(injected.exitCode).toBe(0);
    expect(injected.stderr).toContain('<stdin>: Deployment/inventory in storefront: injected');
    expect(injected.stderr).toContain('<stdin>: Service/inventory in storefront: skipped: not a workload (Service)');
    // The comment header and everything from the Service item on are the input's own bytes.
    const service = input.indexOf('- apiVersion: v1\n  kind: Service\n');
    expect(service).toBeGreaterThan(0);
    expect(injected.stdout.startsWith(input.slice(0, input.indexOf('- apiVersion: apps/v1')))).toBe(true);
    expect(injected.stdout.endsWith(input.slice(service))).toBe(true);
    const [before, after] = [docsOf(input)[0], docsOf(injected.stdout)[0]];
    expect(after.items[0].spec.template.spec.containers.map((c: any) => c.name)).toEqual([
      'server',
      'speedscale-goproxy',
    ]);
    expect(after.items[0].status).toEqual(before.items[0].status);
    expect(after.items[1]).toEqual(before.items[1]);
    expect(cli(['uninstall'], { input: injected.stdout }).stdout).toBe(input);
  });

  it.each([
    [
      'a List',
      (docs: unknown[]) => ({ apiVersion: 'v1', kind: 'List', items: docs, metadata: { resourceVersion: '' } }),
    ],
    ['one object', (docs: unknown[]) => docs[0]],
  ])('JSON stays JSON (%s): kubectl indentation kept, remove restores the bytes', (_name, shape) => {
    const input = `${JSON.stringify(shape(docsOf(read(FRONTEND))), null, 4)}\n`;
    const injected = cli(['inject'], { input });
    expect(injected.exitCode).toBe(0);
    const data = JSON.parse(injected.stdout);
    const deployment = data.kind === 'List' ? data.items[0] : data;
    expect(deployment.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web', 'speedscale-goproxy']);
    expect(injected.stdout).toMatch(/^\{\n {4}"apiVersion"/);
    expect(cli(['remove'], { input: injected.stdout }).stdout).toBe(input);
  });

  it('a JSON List file (kubectl get -o json): JSON out, the Service item unchanged, remove restores the bytes', () => {
    const dir = workdir({ 'recommendations.json': JSON_LIST });
    const input = read(JSON_LIST);
    const injected = cli(['inject', '--annotated', 'recommendations.json'], { cwd: dir });
    expect(injected.exitCode).toBe(0);
    expect(reportLines(injected.stderr)).toEqual([
      'recommendations.json: Deployment/recommendations: injected',
      'recommendations.json: Service/recommendations: skipped: not a workload (Service)',
      'sidecar-injector: 2 resources: 1 injected, 1 skipped',
    ]);
    const [before, after] = [JSON.parse(input), JSON.parse(injected.stdout)];
    expect(after.items[0].spec.template.spec.containers.map((c: any) => c.name)).toEqual([
      'server',
      'speedscale-goproxy',
    ]);
    expect(after.items[1]).toEqual(before.items[1]);
    expect(injected.stdout).toMatch(/^\{\n {4}"apiVersion": "v1",\n {4}"kind": "List",\n/);
    expect(cli(['uninstall'], { input: injected.stdout }).stdout).toBe(input);
  });

  it("JSON as kubectl and people write it: Go's escapes and numbers as spelled survive inject and uninstall", () => {
    // kubectl's layout (4 spaces), Go's escapes of <, > and &, and numbers spelled otherwise than JavaScript would.
    const data = JSON.parse(read(JSON_LIST));
    data.items[0].metadata.annotations = { ...data.items[0].metadata.annotations, note: 'a & b <c>' };
    data.items[1].spec.weight = 0.5;
    data.items[1].spec.ratio = 30;
    const input = `${JSON.stringify(data, null, 4)}\n`
      .replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)
      .replace('"weight": 0.5', '"weight": 0.50')
      .replace('"ratio": 30', '"ratio": 3.0e1');
    expect(input).toContain('"note": "a \\u0026 b \\u003cc\\u003e"');
    const injected = cli(['inject', '--annotated', '-'], { input });
    expect(injected.exitCode).toBe(0);
    expect(JSON.parse(injected.stdout).items[0].spec.template.spec.containers).toHaveLength(2);
    for (const kept of ['"note": "a \\u0026 b \\u003cc\\u003e"', '"weight": 0.50,', '"ratio": 3.0e1'])
      expect(injected.stdout).toContain(kept);
    expect(cli(['uninstall'], { input: injected.stdout }).stdout).toBe(input);
  });

  it('a kustomize tree: the patches its kustomizations list are passed over, never injected or refused', () => {
    const dir = workdir();
    const web = docsOf(read(FRONTEND))[0];
    const patch = (spec: object) =>
      JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: web.metadata, spec });
    const files: Record<string, string> = {
      'base/deployment.yaml': read(FRONTEND),
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'prod/kustomization.yaml':
        'resources:\n- ../base\npatches:\n- path: replicas.yaml\npatchesStrategicMerge:\n- mem.yaml\n' +
        'patchesJson6902:\n- path: ops/ports.yaml\n  target: {kind: Deployment, name: frontend}\n',
      'prod/replicas.yaml': `${patch({ replicas: 3 })}\n`,
      'prod/mem.yaml': `${patch({ template: { spec: { containers: [{ name: 'server', resources: {} }] } } })}\n`,
      'prod/ops/ports.yaml': '- op: add\n  path: /spec/replicas\n  value: 2\n',
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const run = cli(['inject', '-i', '.'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    const lines = reportLines(run.stderr);
    for (const name of ['prod/mem.yaml', 'prod/ops/ports.yaml', 'prod/replicas.yaml'])
      expect(lines).toContain(
        `${name}: skipped: a kustomize patch (listed in prod/kustomization.yaml), not a manifest`,
      );
    expect(lines.at(-1)).toMatch(/; 3 files skipped$/);
    for (const name of ['prod/replicas.yaml', 'prod/mem.yaml', 'prod/ops/ports.yaml'])
      expect(readFileSync(join(dir, name), 'utf8')).toBe(files[name]);
    expect(readFileSync(join(dir, 'base/deployment.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    // Named on the command line, a file is read as asked.
    expect(reportLines(cli(['inject', 'prod/mem.yaml'], { cwd: dir }).stderr)[0]).toMatch(
      /Deployment\/frontend: injected/,
    );
  });

  it('a kustomization named Kustomization is read for its patches, and is no manifest itself', () => {
    const dir = workdir({ 'deployment.yaml': FRONTEND });
    const kustomization = 'resources: [deployment.yaml]\npatches:\n- path: resources.yaml\n';
    // A patch with containers: read as a manifest, it would be "injected".
    const patch = `${JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: docsOf(read(FRONTEND))[0].metadata,
      spec: { template: { spec: { containers: [{ name: 'server', resources: {} }] } } },
    })}\n`;
    writeFileSync(join(dir, 'Kustomization'), kustomization);
    writeFileSync(join(dir, 'resources.yaml'), patch);
    const printed = cli(['inject', '.'], { cwd: dir });
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).not.toContain('patches:');
    const lines = reportLines(printed.stderr);
    expect(lines).toContain('resources.yaml: skipped: a kustomize patch (listed in Kustomization), not a manifest');
    expect(lines.filter((l) => l.includes('Kustomization:'))).toEqual([]);
    expect(lines.at(-1)).toMatch(/; 1 file skipped$/);
    expect(cli(['inject', '-i', '.'], { cwd: dir }).exitCode).toBe(0);
    expect(read(join(dir, 'resources.yaml'))).toBe(patch);
    expect(read(join(dir, 'Kustomization'))).toBe(kustomization);
    expect(read(join(dir, 'deployment.yaml'))).toContain(SIDECAR);
    // One that cannot be read is named: its patches are not known.
    rmSync(join(dir, 'Kustomization'));
    spawnSync('mkfifo', [join(dir, 'Kustomization')]);
    const unread = cli(['inject', '.'], { cwd: dir });
    expect(unread.exitCode).toBe(1);
    expect(reportLines(unread.stderr)).toContain('Kustomization: error: not read: a FIFO, not a regular file');
  });

  it('a file reached twice (a symlink to another file of the walk) is read, written and reported once', () => {
    const dir = workdir({ 'a.yaml': FRONTEND });
    mkdirSync(join(dir, 'sub'));
    symlinkSync('a.yaml', join(dir, 'b.yaml'));
    symlinkSync('../a.yaml', join(dir, 'sub/c.yaml'));
    const printed = cli(['inject', '.'], { cwd: dir });
    expect(printed.exitCode, printed.stderr).toBe(0);
    expect(docsOf(printed.stdout)).toHaveLength(docsOf(read(FRONTEND)).length);
    const lines = reportLines(printed.stderr);
    expect(lines).toContain('b.yaml: skipped: the same file as a.yaml, read once');
    expect(lines.some((l) => l.startsWith('a.yaml: '))).toBe(true);
    expect(lines).toContain('sub/c.yaml: skipped: the same file as a.yaml, read once');
    expect(lines.filter((l) => l.endsWith(': injected'))).toHaveLength(1);
    const written = cli(['inject', '-i', '.'], { cwd: dir });
    expect(reportLines(written.stderr).filter((l) => l.endsWith(': injected'))).toHaveLength(1);
    expect(read(join(dir, 'a.yaml'))).toContain(SIDECAR);
    expect(reportLines(cli(['inject', 'a.yaml', 'a.yaml'], { cwd: dir }).stderr)).toContain(
      'a.yaml: skipped: named twice, read once',
    );
  });

  it('a directory: walked in sorted order (hidden entries and other files skipped), one YAML stream out', () => {
    const dir = workdir({
      k8s: MANIFESTS,
      'k8s/nested/frontend.yml': FRONTEND,
      'k8s/.hidden/frontend.yaml': FRONTEND,
    });
    writeFileSync(join(dir, 'k8s/notes.txt'), 'kind: Deployment\n');
    writeFileSync(join(dir, 'k8s/web.json'), JSON.stringify(docsOf(read(FRONTEND))[0], null, 2));
    const run = cli(['inject', '-f', 'k8s'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    // `file: Kind/name...`, or `file:line:col: Kind/name...` for a result on a field.
    const lines = reportLines(run.stderr)
      .slice(0, -1)
      .map((l) => l.replace(/^([^:]+):\d+:\d+: /, '$1: '));
    const files = [...new Set(lines.map((l) => l.split(': ')[0]))];
    const expected = [...manifestFiles().map((f) => `k8s/${f}`), 'k8s/nested/frontend.yml', 'k8s/web.json'].sort();
    expect(files).toEqual(expected);
    // One report line per resource, List items included, in the order of the files and their documents.
    const resources = expected.flatMap((f) => resourcesOf(read(join(dir, f))).map((r) => `${f}: ${r.kind}/`));
    expect(lines.map((l) => l.slice(0, l.indexOf('/', l.indexOf(': ')) + 1))).toEqual(resources);
    // Every workload of every kind: the example's, plus the Deployments in nested/ and in web.json.
    const expectedWorkloads = expected.reduce((n, f) => n + workloads(read(join(dir, f))), 0);
    // The release's ten, the Deployments of the List and of the JSON file, nested/ and web.json.
    expect(expectedWorkloads).toBe(workloads(read(RELEASE)) + 4);
    expect(countOf(run.stderr, ': injected')).toBe(expectedWorkloads);
    // A JSON document is a YAML document: the stream is one valid multi-document YAML.
    expect(parseAllDocuments(run.stdout).every((d) => d.errors.length === 0)).toBe(true);
    expect(injectedIn(run.stdout)).toBe(expectedWorkloads);
  });

  it('a directory it may list but not enter: each entry said, the walk goes on', () => {
    const dir = workdir({
      'k8s/a.yaml': FRONTEND,
      'k8s/locked/b.yaml': FRONTEND,
      'k8s/locked/README.md': join(STOREFRONT, 'README.md'),
      'k8s/z.yaml': FRONTEND,
    });
    for (const path of [dir, join(dir, 'k8s')]) chmodSync(path, 0o755);
    chmodSync(join(dir, 'k8s/locked'), 0o744); // r-- for others: its names listed, nothing in it reached
    const run = cli(['inject', 'k8s'], { cwd: dir, uid: process.getuid?.() === 0 ? 65534 : undefined });
    chmodSync(join(dir, 'k8s/locked'), 0o755);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('k8s/locked/b.yaml: error: not read: permission denied');
    expect(run.stderr).not.toContain('README.md'); // not a file the walk reads
    expect(run.stderr).toContain('k8s/a.yaml: Deployment/frontend: injected');
    expect(run.stderr).toContain('k8s/z.yaml: Deployment/frontend: injected');
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('a file that opens with directives (%YAML, %TAG) joins the stream after `...`, once', () => {
    const dir = workdir({ 'a.yaml': FRONTEND });
    const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
    writeFileSync(join(dir, 'b.yaml'), `%YAML 1.1\n---\n${configMap('b')}...\n`);
    writeFileSync(join(dir, 'c.yaml'), `# tags\n%TAG !k! tag:k8s.io,2026:\n---\n${configMap('c')}`);
    const run = cli(['inject', 'a.yaml', 'b.yaml', 'c.yaml'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    const docs = parseAllDocuments(run.stdout);
    expect(docs.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
    const names = (text: string) => parseAllDocuments(text).map((d) => d.toJS().metadata.name);
    expect(docs.map((d) => d.toJS().metadata.name)).toEqual([...names(read(FRONTEND)), 'b', 'c']);
    expect(countOf(run.stdout, '\n...\n')).toBe(2);
  });

  it('a file that opens with a byte-order mark joins the stream with it, and the stream reads the same', () => {
    const dir = workdir({ 'a.yaml': FRONTEND });
    const text = read(FRONTEND).replace(
      'kind: Deployment\nmetadata:\n',
      'kind: Deployment\nmetadata:\n  annotations:\n    sidecar.speedscale.com/inject: "true"\n',
    );
    expect(text).not.toBe(read(FRONTEND));
    // Its first document starts with its first key, not a comment: the mark is right before `apiVersion`.
    writeFileSync(join(dir, 'b.yaml'), `\uFEFF${text.slice(text.indexOf('apiVersion:'))}`);
    const run = cli(['inject', '--annotated', 'a.yaml', 'b.yaml'], { cwd: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('b.yaml: Deployment/frontend: injected');
    expect(countOf(run.stdout, '\n---\n\uFEFFapiVersion:')).toBe(1);
    // The stream, read again (a later document that starts with the mark): the same workloads, the same bytes.
    const again = cli(['inject', '--annotated', '-f', '-'], { input: run.stdout });
    expect(again.stderr).toMatch(/<stdin>: Deployment\/frontend: unchanged: already injected\n/);
    expect(again.stdout).toBe(run.stdout);
    const off = cli(['uninstall', '-f', '-'], { input: run.stdout });
    expect(off.exitCode, off.stderr).toBe(0);
    expect(countOf(off.stderr, 'Deployment/frontend: removed')).toBe(1);
    expect(countOf(off.stdout, SIDECAR)).toBe(0);
    // As the two files join when nothing changes (`remove` keeps a workload annotated "true").
    expect(off.stdout).toBe(cli(['remove', 'a.yaml', 'b.yaml'], { cwd: dir }).stdout);
  });
});

describe('--in-place', () => {
  it('rewrites exactly the changed files, keeps their mode, and uninstall restores every byte', () => {
    const dir = workdir({ k8s: MANIFESTS });
    const names = readdirSync(join(dir, 'k8s'));
    expect(names.sort()).toEqual(manifestFiles());
    chmodSync(join(dir, 'k8s/frontend.yaml'), 0o640);
    // Nothing to change in these: they are not rewritten.
    const untouched = new Map(
      ['kustomization.yaml', 'storefront-config.yaml'].map((f) => [f, statSync(join(dir, 'k8s', f)).mtimeMs]),
    );
    const run = cli(['inject', '--in-place', '-f', 'k8s'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    for (const name of names) {
      const [text, original] = [read(join(dir, 'k8s', name)), read(join(MANIFESTS, name))];
      expect(injectedIn(text), name).toBe(workloads(original));
      if (name.endsWith('.yaml')) expect(countOf(text, SIDECAR), name).toBe(workloads(original));
      else expect(() => JSON.parse(text), name).not.toThrow(); // JSON stays JSON
    }
    expect(statSync(join(dir, 'k8s/frontend.yaml')).mode & 0o777).toBe(0o640);
    for (const [name, mtime] of untouched) expect(statSync(join(dir, 'k8s', name)).mtimeMs, name).toBe(mtime);
    expect(readdirSync(join(dir, 'k8s')).sort()).toEqual(names.sort()); // no temporary files left

    expect(cli(['uninstall', '-i', 'k8s'], { cwd: dir }).exitCode).toBe(0);
    for (const name of names) expect(read(join(dir, 'k8s', name)), name).toBe(read(join(MANIFESTS, name)));
  });

  it('a directory it cannot write to: exit 1, the original intact, no temporary file', () => {
    const dir = workdir({ 'ro/frontend.yaml': FRONTEND });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'ro/frontend.yaml'), 0o666);
    chmodSync(join(dir, 'ro'), 0o555);
    // Root writes anywhere: run as nobody, for whom the directory is read-only.
    const run = cli(['inject', '-i', join(dir, 'ro/frontend.yaml')], {
      uid: process.getuid?.() === 0 ? 65534 : undefined,
    });
    chmodSync(join(dir, 'ro'), 0o755);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/frontend\.yaml: error: cannot write: permission denied; the file is unchanged/);
    expect(read(join(dir, 'ro/frontend.yaml'))).toBe(read(FRONTEND));
    expect(readdirSync(join(dir, 'ro'))).toEqual(['frontend.yaml']);
  });

  it('refuses stdin and pointless combinations with exit 2, writing nothing', () => {
    const dir = workdir({ 'frontend.yaml': FRONTEND });
    for (const args of [
      ['-i', '-f', '-'],
      ['-i', '--check', 'frontend.yaml'],
      ['-i', '-o', 'patch', 'frontend.yaml'],
      ['--check', '-o', 'patch', 'frontend.yaml'],
    ]) {
      const run = cli(['inject', ...args], { cwd: dir });
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^sidecar-injector: /);
    }
    expect(read(join(dir, 'frontend.yaml'))).toBe(read(FRONTEND));
  });
});

describe('commands and annotations', () => {
  /** The example's (unannotated) frontend Deployment with an inject annotation written in, as a user would. */
  function annotated(value: string): string {
    const text = read(FRONTEND).replace(
      '  labels:\n    app: frontend\nspec:',
      `  labels:\n    app: frontend\n  annotations:\n    sidecar.speedscale.com/inject: "${value}"\nspec:`,
    );
    expect(docsOf(text)[0].metadata.annotations).toEqual({ 'sidecar.speedscale.com/inject': value });
    return text;
  }

  it('inject leaves out a workload annotated inject: "false", and says why', () => {
    const run = cli(['inject'], { input: annotated('false') });
    expect(run.stdout).toBe(annotated('false'));
    expect(run.stderr).toContain(
      '<stdin>: Deployment/frontend: skipped: annotated sidecar.speedscale.com/inject: "false"',
    );
  });

  it('inject --annotated is the KRM function: only annotated workloads', () => {
    expect(cli(['inject', '--annotated'], { input: read(FRONTEND) }).stdout).toBe(read(FRONTEND));
    expect(cli(['inject', '--annotated'], { input: read(FRONTEND) }).stderr).toContain(
      'skipped: not annotated sidecar.speedscale.com/inject: "true"',
    );
    expect(cli(['inject', '--annotated'], { input: annotated('true') }).stdout).toContain(SIDECAR);
    expect(cli(['remove', '--annotated'], { input: annotated('true') }).exitCode).toBe(2);
  });

  it('remove keeps a workload annotated inject: "true" (never adds one either); uninstall removes it', () => {
    const input = annotated('true');
    const injected = cli(['inject'], { input }).stdout;
    const remove = cli(['remove'], { input: injected });
    expect(remove.stdout).toBe(injected);
    expect(remove.stderr).toContain(
      'Deployment/frontend: kept: annotated sidecar.speedscale.com/inject: "true" (use `uninstall` to remove it anyway)',
    );
    const notYet = cli(['remove'], { input });
    expect(notYet.stdout).toBe(input);
    expect(notYet.stderr).toContain('Deployment/frontend: kept');
    expect(cli(['uninstall'], { input: injected }).stdout).toBe(input);
  });

  it('skipped workloads say why, with the same words as the KRM results', () => {
    const run = cli(['inject', HOST_NETWORK]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(read(HOST_NETWORK));
    expect(run.stderr).toMatch(
      /DaemonSet\/node-metrics in monitoring: skipped: not injected: the pod uses hostNetwork: true/,
    );
  });
});

describe('configuration: --config and one flag per config key', () => {
  const IMAGE = 'registry.example.com/goproxy:v9';

  it('flags named after config keys reach the sidecar; booleans have --no- forms', () => {
    const run = cli(['inject', '--image', IMAGE, '--proxy-in-port', '4999', '--privileged', '--cpu-limit=2'], {
      input: read(FRONTEND),
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`image: ${IMAGE}`);
    expect(run.stdout).toContain('containerPort: 4999');
    expect(run.stdout).toMatch(/privileged: true/);
    expect(run.stdout).toMatch(/cpu: "?2"?\n/);
    expect(cli(['inject', '--no-privileged'], { input: read(FRONTEND) }).stdout).toBe(
      cli(['inject'], { input: read(FRONTEND) }).stdout,
    );
  });

  it('a bad flag value is a usage error naming the flag, with the schema words; nothing is written', () => {
    const run = cli(['inject', '--proxy-in-port', '70000'], { input: read(FRONTEND) });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'sidecar-injector: --proxy-in-port: expected a port number from 1 to 65535, got "70000"',
    );
    expect(cli(['inject', '--proxy-type', 'sideways'], { input: '' }).stderr).toContain(
      '--proxy-type: expected one of "transparent", "reverse", "forward", "dual"',
    );
    expect(cli(['inject', '--privileged', '--no-privileged'], { input: '' }).exitCode).toBe(2);
    expect(cli(['inject', '--no-such-flag'], { input: '' }).exitCode).toBe(2);
  });

  it('--config takes a SidecarInjector or a ConfigMap; flags win over it', () => {
    const dir = workdir({ 'frontend.yaml': FRONTEND });
    writeFileSync(
      join(dir, 'typed.yaml'),
      'apiVersion: sidecar.speedscale.com/v1alpha1\nkind: SidecarInjector\nmetadata:\n  name: c\n' +
        `spec:\n  image: ${IMAGE}\n  proxyOutPort: 4888\n`,
    );
    writeFileSync(
      join(dir, 'cm.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  image: ${IMAGE}\n  proxyOutPort: "4888"\n`,
    );
    for (const config of ['typed.yaml', 'cm.yaml']) {
      const run = cli(['inject', '--config', config, 'frontend.yaml'], { cwd: dir });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(`image: ${IMAGE}`);
      expect(run.stdout).toContain('containerPort: 4888');
      expect(cli(['inject', '--config', config, '--image', 'other:1', 'frontend.yaml'], { cwd: dir }).stdout).toContain(
        'image: other:1',
      );
    }
    // The command decides inject, uninstall and mode, whatever the file says.
    writeFileSync(
      join(dir, 'keys.yaml'),
      'apiVersion: sidecar.speedscale.com/v1alpha1\nkind: SidecarInjector\nmetadata:\n  name: c\n' +
        'spec:\n  inject: true\n  uninstall: true\n  mode: check\n',
    );
    expect(cli(['inject', '--config', 'keys.yaml', 'frontend.yaml'], { cwd: dir }).stdout).toContain(SIDECAR);
    expect(cli(['inject', '--annotated', '--config', 'keys.yaml', 'frontend.yaml'], { cwd: dir }).stdout).toBe(
      read(FRONTEND),
    );
    writeFileSync(
      join(dir, 'bad.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  proxyInPort: "0"\n  imagee: x\n',
    );
    const bad = cli(['inject', '--config', 'bad.yaml', 'frontend.yaml'], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(
      '--config bad.yaml: data.proxyInPort: expected a port number from 1 to 65535, got "0"',
    );
    expect(bad.stderr).toContain('unknown key "imagee"');
    expect(cli(['inject', '--config', 'missing.yaml', 'frontend.yaml'], { cwd: dir }).stderr).toContain(
      '--config missing.yaml: no such file',
    );
  });

  it('--config: a bad value is quoted as the file writes it, not as YAML read it', () => {
    const dir = workdir({ 'frontend.yaml': FRONTEND });
    writeFileSync(
      join(dir, 'c.yaml'),
      'apiVersion: sidecar.speedscale.com/v1alpha1\nkind: SidecarInjector\nmetadata:\n  name: c\n' +
        'spec:\n  proxyInPort: 1e400\n  proxyUid: 99999999999999999999999\n  cpuLimit: 2001-01-01\n',
    );
    const run = cli(['inject', '--config', 'c.yaml', 'frontend.yaml'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    for (const message of [
      'spec.proxyInPort: expected a port number from 1 to 65535, got 1e400',
      'spec.proxyUid: expected a positive user id, got 99999999999999999999999',
      'spec.cpuLimit: expected a Kubernetes quantity, e.g. "100m", "1", "64Mi", got 2001-01-01',
    ])
      expect(run.stderr).toContain(`sidecar-injector: --config c.yaml: ${message}\n`);
  });
});

describe('--output patch', () => {
  /** Applies each patch line to the input document it names; the result must equal the command's own output. */
  function checkPatches(input: string, args: string[]): number {
    const patched = docsOf(input);
    const lines = cli([...args, '-o', 'patch'], { input })
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
    for (const line of lines) {
      const { kind, name, patch } = JSON.parse(line) as { kind: string; name: string; patch: Operation[] };
      const at = patched.findIndex((d) => d.kind === kind && d.metadata.name === name);
      expect(at, `${kind}/${name}`).not.toBe(-1);
      patched[at] = applyPatch(deepClone(patched[at]), patch, true).newDocument;
    }
    expect(patched).toEqual(docsOf(cli(args, { input }).stdout));
    return lines.length;
  }

  it('one JSON line per changed workload; applied with fast-json-patch, the input becomes the injected output', () => {
    const input = read(RELEASE);
    expect(checkPatches(input, ['inject'])).toBe(workloads(input));
    expect(checkPatches(input, ['inject', '--proxy-type', 'reverse', '--tls-out'])).toBe(workloads(input));
  });

  it('removal and update patches too; nothing changed, no lines', () => {
    const injected = cli(['inject'], { input: read(RELEASE) }).stdout;
    expect(checkPatches(injected, ['uninstall'])).toBe(workloads(injected));
    expect(checkPatches(injected, ['inject', '--image', 'other:2'])).toBe(workloads(injected));
    expect(checkPatches(injected, ['inject'])).toBe(0);
  });

  it('JSON input (kubectl get -o json) gives the same patches as its YAML', () => {
    const input = read(RELEASE);
    const json = `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docsOf(input) }, null, 4)}\n`;
    const patches = (text: string) =>
      cli(['inject', '-o', 'patch'], { input: text })
        .stdout.trim()
        .split('\n')
        .map((l) => JSON.parse(l).patch);
    expect(patches(json)).toEqual(patches(input));
    expect(patches(json)).toHaveLength(workloads(input));
  });

  it('a plain timestamp is the string the API server has: no operation on it, and the patch applies', () => {
    // As some tools write a live object: creationTimestamp unquoted, which YAML 1.1 reads as a date.
    const live = read(FRONTEND)
      .split('\n---\n')
      .find((d) => d.includes('kind: Deployment'))!
      .replace('  name: frontend\n', '  name: frontend\n  creationTimestamp: 2026-11-30T09:12:44Z\n');
    expect(live).toContain('creationTimestamp: 2026-11-30T09:12:44Z');
    const { patch } = JSON.parse(cli(['inject', '-o', 'patch'], { input: live }).stdout) as { patch: Operation[] };
    expect(patch.map((op) => op.path).filter((path) => path.startsWith('/metadata/creationTimestamp'))).toEqual([]);
    // The API server's view: go-yaml v2 keeps a timestamp as its text.
    const asServer = (text: string) => JSON.parse(JSON.stringify(parseAllDocuments(text)[0].toJS()));
    const server = asServer(live);
    expect(server.metadata.creationTimestamp).toBe('2026-11-30T09:12:44Z');
    const patched = applyPatch(deepClone(server), patch, true).newDocument;
    expect(patched).toEqual(asServer(cli(['inject'], { input: live }).stdout));
  });

  it('names its target and file; ready for kubectl patch --type json', () => {
    const dir = workdir({ 'frontend.yaml': FRONTEND });
    const [line] = cli(['inject', '-o', 'patch', 'frontend.yaml'], { cwd: dir }).stdout.trim().split('\n');
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'frontend',
      file: 'frontend.yaml',
    });
    expect(parsed.patch).toContainEqual(
      expect.objectContaining({ op: 'add', path: '/spec/template/spec/containers/1' }),
    );
  });
});

describe('--check', () => {
  it('exit 1 and one drift line per workload that differs; exit 0 when nothing would change; never writes', () => {
    const dir = workdir({ 'release.yaml': RELEASE });
    const input = read(RELEASE);
    const fresh = cli(['inject', '--check', 'release.yaml'], { cwd: dir });
    expect(fresh.exitCode).toBe(1);
    expect(fresh.stdout).toBe('');
    expect(countOf(fresh.stderr, ': drift: not injected yet')).toBe(workloads(input));
    expect(read(join(dir, 'release.yaml'))).toBe(input);

    expect(cli(['inject', '-i', 'release.yaml'], { cwd: dir }).exitCode).toBe(0);
    expect(cli(['inject', '--check', 'release.yaml'], { cwd: dir }).exitCode).toBe(0);
    const changed = cli(['inject', '--check', '--image', 'other:3', 'release.yaml'], { cwd: dir });
    expect(changed.exitCode).toBe(1);
    expect(
      countOf(changed.stderr, ': drift: the injected sidecar differs from what the current settings produce'),
    ).toBe(workloads(input));
    // --quiet still lists every drifting workload, and nothing else.
    const quiet = cli(['inject', '--check', '-q', '--image', 'other:3', 'release.yaml'], { cwd: dir });
    expect(reportLines(quiet.stderr)).toHaveLength(workloads(input));
    expect(cli(['uninstall', '--check', 'release.yaml'], { cwd: dir }).exitCode).toBe(1);
    expect(cli(['uninstall', '--check'], { input }).exitCode).toBe(0);
  });

  it('remove --check does not count a workload annotated inject: "true" as drift', () => {
    const input = read(FRONTEND).replace(
      '  labels:\n    app: frontend\nspec:',
      '  labels:\n    app: frontend\n  annotations:\n    sidecar.speedscale.com/inject: "true"\nspec:',
    );
    const run = cli(['remove', '--check'], { input });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('Deployment/frontend: kept');
  });
});

describe('the report', () => {
  it('one line per resource after the output, then the counts; --quiet prints nothing when all is well', () => {
    const dir = workdir({ 'frontend.yaml': FRONTEND });
    const run = cli(['inject', 'frontend.yaml'], { cwd: dir });
    expect(reportLines(run.stderr)).toEqual([
      'frontend.yaml: Deployment/frontend: injected',
      'frontend.yaml: Service/frontend: skipped: not a workload (Service)',
      'frontend.yaml: Service/frontend-public: skipped: not a workload (Service)',
      'frontend.yaml: ServiceAccount/frontend: skipped: not a workload (ServiceAccount)',
      'sidecar-injector: 4 resources: 1 injected, 3 skipped',
    ]);
    expect(cli(['inject', '-q', 'frontend.yaml'], { cwd: dir }).stderr).toBe('');
  });

  it('YAML or JSON that is not a map (a play list, a scalar, a JSON array) is skipped and said, never an error', () => {
    const files = { 'play.yml': '- hosts: all\n  tasks: []\n', 's.yaml': 'just a string\n', 'arr.json': '[1, 2]\n' };
    const dir = workdir({ 'frontend.yaml': FRONTEND });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const run = cli(['inject', '--annotated', '--check', ...Object.keys(files), 'frontend.yaml'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(reportLines(run.stderr).slice(0, 3)).toEqual([
      'play.yml:1:1: document 1: skipped: a list, not a map, so not a Kubernetes object; left as it is',
      's.yaml:1:1: document 1: skipped: a scalar ("just a string"), not a map, so not a Kubernetes object; left as it is',
      'arr.json:1:1: document 1: skipped: a list, not a map, so not a Kubernetes object; left as it is',
    ]);
    for (const [name, text] of Object.entries(files)) expect(cli(['inject', name], { cwd: dir }).stdout).toBe(text);
  });

  it("a refused workload's line says its warnings too (a misspelled annotation is never left unsaid)", () => {
    const dir = workdir();
    const doc = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: pc',
      '  annotations:',
      '    sidecar.speedscale.com/inject: "true"',
      '    sidecar.speedscale.com/tls-outt: "true"',
      'spec:',
      '  selector: {matchLabels: {app: pc}}',
      '  template:',
      '    metadata: {labels: {app: pc}}',
      '    spec:',
      '      containers:',
      '      - name: app',
      '        image: x',
      '        ports:',
      '        - containerPort: 4140',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'pc.yaml'), doc);
    const [line] = reportLines(cli(['inject', 'pc.yaml'], { cwd: dir }).stderr);
    expect(line).toMatch(/^pc\.yaml:16:9: Deployment\/pc: error: not injected: container app already listens on 4140/);
    expect(line).toContain('; warning: sidecar.speedscale.com/tls-outt: unknown Speedscale annotation, ignored');
  });

  it('--report json: the same entries with their KRM results', () => {
    const run = cli(['inject', '--report', 'json', HOST_NETWORK, '-'], { input: read(FRONTEND) });
    const report = JSON.parse(run.stderr);
    expect(report.counts).toEqual({ injected: 1, skipped: 4 });
    expect(report.resources[0]).toMatchObject({
      file: HOST_NETWORK,
      index: 0,
      kind: 'DaemonSet',
      name: 'node-metrics',
      namespace: 'monitoring',
      status: 'skipped',
    });
    expect(report.resources[0].results[0]).toMatchObject({ severity: 'warning', tags: { reason: 'host-network' } });
    expect(report.resources[1]).toMatchObject({ file: '-', kind: 'Deployment', name: 'frontend', status: 'injected' });
    expect(report.resources[1].results).toContainEqual(
      expect.objectContaining({ severity: 'info', tags: { reason: 'injected' } }),
    );
    expect(cli(['inject', '--report', 'xml'], { input: '' }).exitCode).toBe(2);
  });

  it('errors: a malformed document fails alone (exit 1), the rest is still processed; a missing file is an error', () => {
    const input = `${read(FRONTEND)}---\nkind: [broken\n`;
    const run = cli(['inject'], { input });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(SIDECAR);
    expect(run.stdout.endsWith('---\nkind: [broken\n')).toBe(true);
    // At the error, where `yaml` puts it reading the whole stream: the position is data, not message text.
    const [{ line, col }] = parseAllDocuments(input).flatMap((d) => d.errors)[0].linePos!;
    expect(run.stderr).toMatch(new RegExp(`^<stdin>:${line}:${col}: document 5: error: malformed YAML: Flow`, 'm'));
    const missing = cli(['inject', 'nowhere.yaml']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('nowhere.yaml: error: no such file or directory');
    const binary = cli(['inject'], { input: Buffer.from([0xff, 0xfe]) });
    expect(binary.stderr).toContain('<stdin>: error: cannot read: not valid UTF-8');
  });
});

describe('--help, --version, usage errors', () => {
  it('--version is the package version', () => {
    expect(cli(['--version']).stdout).toBe(`${JSON.parse(read(join(__dirname, '../../package.json'))).version}\n`);
  });

  it.each(['inject', 'remove', 'uninstall'])('%s --help lists every config flag from the schema', (command) => {
    const help = cli([command, '--help']);
    expect(help.exitCode).toBe(0);
    const schema = JSON.parse(read(join(__dirname, '../../schemas/sidecar-injector.v1alpha1.json')));
    for (const key of Object.keys(schema.properties).filter(
      (k) => !['inject', 'uninstall', 'mode', 'targets'].includes(k),
    )) {
      expect(help.stdout).toContain(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
    expect(help.stdout).toMatch(new RegExp(`^Usage: sidecar-injector ${command} `));
  });

  it('unknown or missing commands are usage errors (exit 2) that point to --help', () => {
    for (const args of [['frobnicate'], ['-f', 'x.yaml'], ['inject', '--output', 'xml']]) {
      const run = cli(args, { input: '' });
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('Run sidecar-injector --help for usage.');
    }
    // In the tool's words, every command named, the option as written: never parseArgs' own text.
    for (const [args, said] of [
      [['frobnicate'], 'unknown command "frobnicate": expected inject, remove, uninstall or wizard'],
      [['-f', 'x.yaml'], 'missing command: inject, remove, uninstall or wizard'],
      [['inject', '--bogus'], 'unknown option --bogus'],
      [['inject', '-x'], 'unknown option -x'],
      [['inject', '--output'], '-o, --output needs a value'],
      [['inject', '--annotated=yes'], '--annotated takes no value'],
      [
        ['inject', '--proxy-in-port', '-1'],
        '--proxy-in-port needs a value; one starting with - goes as --proxy-in-port=-1',
      ],
      [['wizard', '/nonexistent'], 'wizard: /nonexistent: no such directory'],
      [['wizard', '--bogus'], 'unknown option --bogus'],
    ] as const) {
      const run = cli([...args], { input: '' });
      expect(run.stderr.split('\n')[0], args.join(' ')).toMatch(new RegExp(`^sidecar-injector: ${escape(said)}`));
      expect(run.exitCode).toBe(2);
    }
  });

  it('the bundle alone, far from node_modules, runs every command', () => {
    const dir = workdir({
      'sidecar-injector.js': BUNDLE,
      'sidecar-injector.bin': BUNDLE_BIN,
      'frontend.yaml': FRONTEND,
    });
    const run = (args: string[]) =>
      spawnSync(process.execPath, [join(dir, 'sidecar-injector.js'), ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH },
      });
    expect(run(['inject', '-o', 'patch', 'frontend.yaml']).stdout.toString()).toMatch(
      /^\{"apiVersion":"apps\/v1","kind":"Deployment"/,
    );
    expect(run(['inject', '-i', 'frontend.yaml']).status).toBe(0);
    expect(run(['uninstall', '-i', 'frontend.yaml']).status).toBe(0);
    expect(read(join(dir, 'frontend.yaml'))).toBe(read(FRONTEND));
  });

  it('with no arguments it is still the KRM function', () => {
    const rl = read(join(__dirname, '../../fixtures/inject-deployment/input.yaml'));
    expect(cli([], { input: rl }).stdout).toBe(read(join(__dirname, '../../fixtures/inject-deployment/expected.yaml')));
    expect(existsSync(BUNDLE)).toBe(true);
  });
});

describe('checks across the inputs', () => {
  it('a Namespace enforcing Pod Security in one file blocks injection into its workloads in another', () => {
    const dir = workdir();
    writeFileSync(
      join(dir, 'namespace.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: locked\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n',
    );
    const deployment = read(FRONTEND).replace(/^metadata:\n/m, 'metadata:\n  namespace: locked\n');
    writeFileSync(join(dir, 'frontend.yaml'), deployment);
    const out = cli(['inject', dir]);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(
      /Deployment\/frontend in locked: error: not injected: namespace locked enforces Pod Security "restricted"/,
    );
    expect(out.stdout).not.toContain(SIDECAR);
  });
});
