/**
 * The Argo CD config management plugin (CMP v2) in argocd/, run as argocd-cmp-server runs it: `discover`
 * looks for its fileName in the application's source directory; `generate` runs there (the working
 * directory), with ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, ARGOCD_APP_SOURCE_PATH... and one PARAM_<NAME> per
 * parameter set in the Application, and only objects may be on its stdout. The plugin's parameters are
 * announced from the config schema (scripts/argocd-plugin.mjs): this checks they are in sync.
 *
 * kustomize applications run for real (kubectl's kustomize stands in for `kustomize build`). Helm is not
 * installed here: for a Helm application a stand-in `helm` records the command line and prints a chart's
 * rendering, so what is checked is the command the plugin runs and what it does with the output.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_HINT,
  bundleMissing,
  bundlePath,
  hasSidecar,
  missing,
  repoRoot,
  run,
  tempDir,
  WEB_DEPLOYMENT,
  type KObject,
} from './_tools';

const reason = missing('Argo CD plugin', ['kubectl'], [[bundleMissing(), BUNDLE_HINT]]);
interface Plugin {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    version: string;
    discover: { fileName: string };
    generate: { command: string[]; args?: string[] };
    parameters: { static: { name: string; title: string; tooltip: string }[] };
  };
}

const plugin = parse(readFileSync(join(repoRoot, 'argocd/plugin.yaml'), 'utf8')) as Plugin;
const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/sidecar-injector.v1alpha1.json'), 'utf8')) as {
  properties: Record<string, { type: string }>;
};
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** Where the plugin image installs the package (npm install -g): the command names the script there. */
const INSTALLED = '/usr/local/lib/node_modules/sidecar-injector/';

const DEPLOYMENT = WEB_DEPLOYMENT;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;
const CONFIG = `apiVersion: sidecar.speedscale.com/v1alpha1
kind: SidecarInjector
metadata:
  name: capture
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  image: gcr.io/speedscale/goproxy:v2.5.602
  ignoreOutboundPorts: "5432"
`;

function objects(text: string): KObject[] {
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors).toEqual([]);
    const o = doc.toJS() as KObject;
    // Only objects on stdout: every document is a Kubernetes object.
    expect(typeof o.apiVersion === 'string' && typeof o.kind === 'string', String(doc)).toBe(true);
    return o;
  });
}

describe('argocd/plugin.yaml', () => {
  it('is generated from the schema, and fresh', () => {
    const check = run('node', [join(repoRoot, 'scripts/argocd-plugin.mjs'), '--check']);
    expect(check.status, check.stderr).toBe(0);
  });

  it('is a CMP v2 ConfigManagementPlugin announcing one parameter per scalar config flag', () => {
    expect(plugin).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ConfigManagementPlugin' });
    const expected = Object.entries(schema.properties)
      .filter(([key, p]) => !['inject', 'uninstall', 'mode', 'targets'].includes(key) && p.type !== 'array')
      .map(([key]) => kebab(key));
    expect(plugin.spec.parameters.static.map((p) => p.name)).toEqual(expected);
    for (const p of plugin.spec.parameters.static) expect(p.tooltip.length).toBeGreaterThan(10);
  });

  it("generate.sh's boolean flags are the schema's", () => {
    const script = readFileSync(join(repoRoot, 'argocd/generate.sh'), 'utf8');
    const booleans = /^BOOLEANS="([^"]*)"$/m.exec(script)![1].split(' ');
    const expected = Object.entries(schema.properties)
      .filter(([key, p]) => p.type === 'boolean' && !['inject', 'uninstall'].includes(key))
      .map(([key]) => kebab(key));
    expect(booleans).toEqual(expected);
  });
});

describe.skipIf(reason)('argocd-cmp-server: discover and generate in an application directory', () => {
  const work = tempDir('argocd');
  afterAll(() => run('rm', ['-rf', work]));
  // The plugin image's tools: kustomize (kubectl's stands in), sidecar-injector, and for Helm a stand-in.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'kustomize'), '#!/bin/sh\n[ "$1" = build ] && shift\nexec kubectl kustomize "$@"\n', {
    mode: 0o755,
  });
  symlinkSync(bundlePath, join(bin, 'sidecar-injector'));

  function app(name: string, files: Record<string, string>): string {
    const dir = join(work, 'repo', name);
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  }

  /** argocd-cmp-server: the discover file check, then generate in the app directory with its environment. */
  function generate(dir: string, params: Record<string, string> = {}, extraPath = '') {
    const [cmd, ...args] = plugin.spec.generate.command.map((a) => a.replace(INSTALLED, `${repoRoot}/`));
    const env = {
      PATH: `${extraPath}${bin}:${process.env.PATH ?? ''}`,
      HOME: work,
      ARGOCD_APP_NAME: 'shop',
      ARGOCD_APP_NAMESPACE: 'shop-prod',
      ARGOCD_APP_REVISION: '0123456789abcdef0123456789abcdef01234567',
      ARGOCD_APP_SOURCE_PATH: dir.slice(join(work, 'repo').length + 1),
      ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/shop.git',
      ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
      ARGOCD_APP_PARAMETERS: JSON.stringify(Object.entries(params).map(([name, value]) => ({ name, string: value }))),
      ...Object.fromEntries(
        Object.entries(params).map(([name, value]) => [
          `PARAM_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`,
          value,
        ]),
      ),
    };
    return run(cmd, [...args, ...(plugin.spec.generate.args ?? [])], { cwd: dir, env });
  }

  const discovered = (dir: string) => run('test', ['-f', join(dir, plugin.spec.discover.fileName)]).status === 0;

  it('discover: an application with sidecar-injector.yaml is this plugin’s; one without is not', () => {
    expect(discovered(app('with', { 'sidecar-injector.yaml': CONFIG }))).toBe(true);
    expect(discovered(app('without', { 'kustomization.yaml': 'resources: []\n' }))).toBe(false);
  });

  it('kustomize application: only the objects, the annotated Deployment injected with the file’s settings', () => {
    const dir = app('kustomize', {
      'kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
      'deployment.yaml': DEPLOYMENT,
      'service.yaml': SERVICE,
      'sidecar-injector.yaml': CONFIG,
    });
    const out = generate(dir);
    expect(out.status, out.stderr).toBe(0);
    const manifests = objects(out.stdout);
    expect(manifests.map((o) => o.kind).sort()).toEqual(['Deployment', 'Service']);
    expect(hasSidecar(manifests.find((o) => o.kind === 'Deployment')!)).toBe(true);
    expect(out.stdout).toContain('5432');
    expect(out.stderr).toBe('');
  });

  it('parameters (PARAM_*) become settings over the file: strings, numbers and booleans', () => {
    const dir = app('params', {
      'kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'deployment.yaml': DEPLOYMENT,
      'sidecar-injector.yaml': CONFIG,
    });
    const out = generate(dir, {
      image: 'registry.example.com/goproxy:v9.9.9',
      'proxy-in-port': '4999',
      'tls-out': 'true',
    });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('image: registry.example.com/goproxy:v9.9.9');
    expect(out.stdout).toContain('4999');
    expect(out.stdout).toContain('TLS_OUT_UNWRAP');
    const bad = generate(dir, { 'tls-out': 'yes' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('parameter tls-out: expected true or false');
    const invalid = generate(dir, { 'proxy-in-port': '70000' });
    expect(invalid.status).not.toBe(0);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toContain('--proxy-in-port');
  });

  it('fail-on: never: a refused workload is reported and the sync goes on; by default it fails the sync', () => {
    const refused = DEPLOYMENT.replace(
      'sidecar.speedscale.com/inject: "true"',
      'sidecar.speedscale.com/inject: "true"\n    sidecar.speedscale.com/proxy-in-port: "70000"',
    );
    expect(refused).not.toBe(DEPLOYMENT);
    const dir = app('fail-on', {
      'kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
      'deployment.yaml': refused,
      'service.yaml': SERVICE,
      'sidecar-injector.yaml': CONFIG,
    });
    const out = generate(dir, { 'fail-on': 'never' });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toContain('sidecar.speedscale.com/proxy-in-port');
    expect(
      objects(out.stdout)
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['Deployment', 'Service']);
    expect(generate(dir).status).not.toBe(0);
  });

  it('a failing kustomize build fails the sync instead of yielding no manifests', () => {
    const dir = app('broken', {
      'kustomization.yaml': 'resources:\n  - missing.yaml\n',
      'sidecar-injector.yaml': CONFIG,
    });
    const out = generate(dir);
    expect(out.status).not.toBe(0);
    expect(out.stdout).toBe('');
  });

  it('Helm application (helm stand-in): helm template with the app’s name and namespace, then injected', () => {
    const helmBin = join(work, 'helm-bin');
    mkdirSync(helmBin);
    const log = join(work, 'helm-args');
    const rendered = `---\n# Source: shop/templates/web.yaml\n${DEPLOYMENT}---\n# Source: shop/templates/svc.yaml\n${SERVICE}`;
    writeFileSync(join(work, 'helm-output.yaml'), rendered);
    writeFileSync(
      join(helmBin, 'helm'),
      `#!/bin/sh\nprintf '%s\\n' "$*" > '${log}'\ncat '${join(work, 'helm-output.yaml')}'\n`,
      { mode: 0o755 },
    );
    const dir = app('chart', {
      'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
      'sidecar-injector.yaml': CONFIG,
    });
    const out = generate(dir, {}, `${helmBin}:`);
    expect(out.status, out.stderr).toBe(0);
    expect(readFileSync(log, 'utf8').trim()).toBe('template shop . --namespace shop-prod --include-crds');
    const manifests = objects(out.stdout);
    expect(manifests.map((o) => o.kind)).toEqual(['Deployment', 'Service']);
    expect(hasSidecar(manifests[0])).toBe(true);
  });
});
