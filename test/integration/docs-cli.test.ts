/**
 * docs/cli.md's examples, marked `doc-test=cli/<id>`, run as written from the checkout's root (the usage block is
 * test/system/cli-help.test.ts's): a `console` block's command prints the lines shown; an `sh` block does what
 * its text and comments say. The kubectl pipelines run against test/support/fake-kubectl.mjs, first on PATH:
 * no API server runs here, so a cluster of one namespace in a JSON file stands in for it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { docBlock, docBlocks } from './_docs';
import { missing, repoRoot, run, tempDir, type KObject } from './_tools';

const DOC = join(repoRoot, 'docs/cli.md');
const block = (id: string) => docBlock(`cli/${id}`, DOC);
const BUNDLE = join(repoRoot, 'dist/sidecar-injector.js');
const MANIFESTS = join(repoRoot, 'fixtures/storefront/kubernetes-manifests');
const FAKE_KUBECTL = join(repoRoot, 'test/support/fake-kubectl.mjs');
const reason = missing(
  'docs/cli.md examples',
  ['bash', 'jq', 'diff', 'cut', 'mktemp'],
  [[!existsSync(BUNDLE), `${BUNDLE} does not exist (run npm run build)`]],
);

/** Runs shell text as a user would type it, stdout and stderr on one stream as a terminal shows them. */
const shell = (text: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  run('bash', ['-c', `exec 2>&1\n${text}`], { cwd: options.cwd ?? repoRoot, env: options.env ?? process.env });

const documents = (text: string): KObject[] => parseAllDocuments(text).map((d) => d.toJS() as KObject);
const sidecarIn = (o: KObject) => JSON.stringify(o).includes('"name":"speedscale-goproxy"');

describe('docs/cli.md (static)', () => {
  it("every command block is one the tests run (the usage block is cli-help.test.ts's)", () => {
    const untested = docBlocks(DOC).filter((b) => b.lang !== 'text' && b.id === undefined);
    expect(untested.map((b) => b.body.split('\n')[0])).toEqual([]);
    const ids = docBlocks(DOC).flatMap((b) => (b.id ? [b.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe.skipIf(reason)('docs/cli.md, run as written', () => {
  const work = tempDir('docs-cli');
  afterAll(() => run('rm', ['-rf', work]));

  it.each(['bad-value', 'report', 'patch'])('%s: the command prints the lines shown', (id) => {
    const [command, ...shown] = block(id).trimEnd().split('\n');
    expect(command.startsWith('$ ')).toBe(true);
    const out = shell(command.slice(2));
    // A usage error exits 2 (docs/cli.md's exit codes); the others are done.
    expect(out.status, out.stdout).toBe(id === 'bad-value' ? 2 : 0);
    expect(out.stdout.trimEnd().split('\n')).toEqual(shown);
  });

  it('inject -f: the Deployment gets the sidecar; the Services and the ServiceAccount come out untouched', () => {
    const out = run('bash', ['-c', block('inject-file')], { cwd: repoRoot });
    expect(out.status, out.stderr).toBe(0);
    const input = readFileSync(join(MANIFESTS, 'frontend.yaml'), 'utf8');
    const [before, after] = [input, out.stdout].map((t) => parseAllDocuments(t));
    expect(after.map((d) => (d.toJS() as KObject).kind)).toEqual([
      'Deployment',
      'Service',
      'Service',
      'ServiceAccount',
    ]);
    expect(sidecarIn(after[0].toJS() as KObject)).toBe(true);
    for (const i of [1, 2, 3]) expect(String(after[i])).toBe(String(before[i]));
  });

  it('--annotated: catalog, cart and the Deployments of the v1 List and the JSON file, no other', () => {
    const out = shell(block('annotated'));
    expect(out.status, out.stdout).toBe(0);
    const injected = out.stdout.split('\n').filter((l) => l.endsWith(': injected'));
    expect(injected.map((l) => l.replace(/^.*kubernetes-manifests\//, ''))).toEqual([
      'cart.yaml: Deployment/cart: injected',
      'catalog.yaml: Deployment/catalog: injected',
      'inventory-list.yaml: Deployment/inventory in storefront: injected',
      'recommendations.json: Deployment/recommendations: injected',
    ]);
  });

  it('in place on a copy: 12 workloads, in sync, one drift line each for a new image, byte-identical after', () => {
    // Each line as written, its exit code printed after it.
    const lines = block('in-place').trimEnd().split('\n');
    const out = shell(lines.map((line, i) => `${line}\necho "@@ line ${i} exit $?"`).join('\n'));
    const [, ...parts] = `\n${out.stdout}`.split(/\n?@@ line \d+ exit /);
    const exits = parts.map((p) => Number(p.split('\n')[0]));
    const said = (i: number) => (i === 0 ? out.stdout.split('@@')[0] : parts[i - 1].split('\n').slice(1).join('\n'));
    expect(exits, out.stdout).toEqual([0, 0, 0, 1, 0, 0]);
    expect(lines[1]).toContain('# 12 workloads');
    expect(said(1)).toMatch(/^sidecar-injector: 26 resources: 12 injected, 14 skipped$/m);
    expect(said(2).trimEnd().split('\n').at(-1)).toBe('in sync');
    const drift = said(3)
      .split('\n')
      .filter((l) => l.includes(' drift: '));
    expect(drift).toHaveLength(12);
    expect(said(5).trim()).toBe('byte-identical');
  });

  it('--config and a flag over it: the image and ports of the file, the CPU limit of the flag', () => {
    const out = run('bash', ['-c', block('config')], { cwd: repoRoot });
    expect(out.status, out.stderr).toBe(0);
    const sidecars = documents(out.stdout)
      .flatMap((o: any) => o?.spec?.template?.spec?.containers ?? [])
      .filter((c: any) => c.name === 'speedscale-goproxy');
    expect(sidecars.length).toBeGreaterThan(0);
    for (const c of sidecars) {
      expect(c.image).toBe('gcr.io/speedscale/goproxy:v2.5.602');
      expect(c.resources.limits.cpu).toBe('2');
    }
    expect(out.stdout).toContain('5432,6379');
  });

  it('GKE Autopilot, then eBPF (no sidecar, its Services restored), then uninstall: byte-identical', () => {
    const dir = join(work, 'autopilot');
    mkdirSync(dir);
    symlinkSync(join(repoRoot, 'dist'), join(dir, 'dist'));
    // shop.yaml is the reader's own: a Deployment with one TCP port and the Services that select it.
    writeFileSync(join(dir, 'shop.yaml'), readFileSync(join(MANIFESTS, 'frontend.yaml')));
    const out = run('bash', ['-c', block('autopilot')], { cwd: dir });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe('byte-identical');
    const autopilot = documents(readFileSync(join(dir, 'autopilot.yaml'), 'utf8'));
    expect(sidecarIn(autopilot[0])).toBe(true);
    expect(JSON.stringify(autopilot.filter((o) => o.kind === 'Service'))).toContain('"targetPort":4143');
    const ebpf = documents(readFileSync(join(dir, 'ebpf.yaml'), 'utf8'));
    expect(sidecarIn(ebpf[0])).toBe(false);
    expect(ebpf[0].metadata.annotations?.['capture.speedscale.com/enabled']).toBe('true');
    const shop = documents(readFileSync(join(dir, 'shop.yaml'), 'utf8'));
    expect(ebpf.filter((o) => o.kind === 'Service')).toEqual(shop.filter((o) => o.kind === 'Service'));
  });

  describe('against a cluster (fake-kubectl.mjs)', () => {
    const bin = join(work, 'bin');
    const state = join(work, 'cluster.json');
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_KUBECTL_STATE: state };
    mkdirSync(bin, { recursive: true });
    chmodSync(FAKE_KUBECTL, 0o755);
    symlinkSync(FAKE_KUBECTL, join(bin, 'kubectl'));

    /** The frontend Deployment as the API server returns it, and one not annotated beside it. */
    const live = (file: string) => {
      const deployment = documents(readFileSync(join(MANIFESTS, file), 'utf8')).find((o) => o.kind === 'Deployment')!;
      return {
        ...deployment,
        metadata: {
          ...deployment.metadata,
          namespace: 'default',
          uid: `0b6c1f8e-${file.length}`,
          resourceVersion: '48213',
          generation: 3,
          creationTimestamp: '2026-11-30T09:12:44Z',
        },
        status: { observedGeneration: 3, replicas: 2, readyReplicas: 2 },
      };
    };
    const CLUSTER = [live('frontend.yaml'), live('payments.yaml')];
    const cluster = (): any[] => JSON.parse(readFileSync(state, 'utf8'));
    const frontend = () => cluster().find((o) => o.metadata.name === 'frontend');

    it('get | inject | apply adds the sidecar; get -o json | uninstall | apply takes it out again', () => {
      writeFileSync(state, JSON.stringify(CLUSTER));
      const [inject, uninstall] = block('kubectl').trimEnd().split('\n');
      const injected = shell(inject, { env });
      expect(injected.status, injected.stdout).toBe(0);
      expect(injected.stdout).toContain('deployment.apps/frontend configured');
      expect(sidecarIn(frontend())).toBe(true);
      const removed = shell(uninstall, { env });
      expect(removed.status, removed.stdout).toBe(0);
      expect(cluster()).toEqual(CLUSTER);
    });

    it('the patch loop gives the live object what apply gives it', () => {
      writeFileSync(state, JSON.stringify(CLUSTER));
      shell(block('kubectl').split('\n')[0], { env });
      const applied = frontend();
      writeFileSync(state, JSON.stringify(CLUSTER));
      const patched = shell(block('kubectl-patch'), { env });
      expect(patched.status, patched.stdout).toBe(0);
      expect(patched.stdout).toContain('deployment.apps/frontend patched');
      expect(frontend()).toEqual(applied);
      expect(sidecarIn(applied)).toBe(true);
    });
  });
});
