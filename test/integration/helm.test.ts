/**
 * Helm's post-renderer contract, exercised the way Helm calls it (Helm itself cannot be installed here: it
 * ships from get.helm.sh and GitHub, neither of which this machine reaches):
 *
 *  - Helm 3 (`pkg/postrender`, `NewExec`): `--post-renderer PATH --post-renderer-args A...` runs PATH with
 *    the args, the rendered manifests on stdin; stdout is the result, a non-zero exit fails the release;
 *  - Helm 4 (`internal/plugin`): `helm plugin install DIR` links DIR as `$HELM_DATA_HOME/plugins/<name>`;
 *    the subprocess runtime takes the platformCommand for the OS, splits `command` at spaces, expands
 *    `${VAR}` in it and in `args` from the environment plus HELM_PLUGIN_NAME and HELM_PLUGIN_DIR, appends
 *    the --post-renderer-args, pipes the manifests in and reads stdout; empty output is an error.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_HINT, bundleMissing, hasSidecar, repoRoot, run, tempDir, type KObject } from './_tools';

const PLUGIN_DIR = join(repoRoot, 'helm/sidecar-injector');
const POST_RENDER = join(PLUGIN_DIR, 'post-render.sh');

/** `helm template` output of a chart: `# Source:` comments, a CRD, hooks, a List, empty documents. */
const RENDERED = `---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shop
---
# Source: shop/templates/empty.yaml
---
# Source: shop/crds/widgets.yaml
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.shop.example.com
spec:
  group: shop.example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: { type: object }
---
# Source: shop/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    helm.sh/chart: shop-1.0.0
  annotations:
    sidecar.speedscale.com/inject: "true"
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
# Source: shop/templates/migrate.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    "helm.sh/hook": pre-upgrade
    "helm.sh/hook-delete-policy": hook-succeeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: busybox:1.36
---
# Source: shop/templates/workers.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: worker
      annotations:
        sidecar.speedscale.com/inject: "true"
    spec:
      selector:
        matchLabels: { app: worker }
      template:
        metadata:
          labels: { app: worker }
        spec:
          containers:
            - name: worker
              image: busybox:1.36
---
`;

function objects(text: string): KObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      expect(doc.errors).toEqual([]);
      return doc.toJS() as KObject | null;
    })
    .filter((o): o is KObject => o !== null);
}

/** The Helm-side checks of a post-renderer's output: the same objects, the annotated ones injected. */
function expectPostRendered(stdout: string) {
  const out = objects(stdout);
  const input = objects(RENDERED);
  const ids = (list: KObject[]) => list.map((o) => `${o.kind}/${o.metadata?.name ?? ''}`);
  expect(ids(out)).toEqual(ids(input));
  const byName = (name: string) => out.find((o) => o.metadata?.name === name)!;
  expect(hasSidecar(byName('web'))).toBe(true);
  const list = out.find((o) => o.kind === 'List')!;
  expect(hasSidecar((list.items as KObject[])[0])).toBe(true);
  // Not annotated: the hook Job, the CRD and the rest come out as they went in.
  expect(hasSidecar(byName('migrate'))).toBe(false);
  for (const name of ['shop', 'widgets.shop.example.com', 'migrate'])
    expect(byName(name)).toEqual(input.find((o) => o.metadata?.name === name));
  expect(stdout).toContain('# Source: shop/templates/web.yaml');
}

const bundleReason = bundleMissing() ? BUNDLE_HINT : '';

describe.skipIf(bundleReason)('Helm 3: --post-renderer helm/sidecar-injector/post-render.sh', () => {
  it('rendered manifests in, the same manifests out with the annotated workloads injected, exit 0, quiet', () => {
    const out = run(POST_RENDER, [], { input: RENDERED });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toBe('');
    expectPostRendered(out.stdout);
  });

  it('--post-renderer-args are CLI options: the config comes from them', () => {
    const out = run(POST_RENDER, ['--image', 'registry.example.com/goproxy:v9.9.9'], { input: RENDERED });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('image: registry.example.com/goproxy:v9.9.9');
  });

  it('a resource in error fails the release: non-zero exit, the reason on stderr', () => {
    const bad = RENDERED.replace(
      '    sidecar.speedscale.com/inject: "true"\nspec:\n  selector:\n    matchLabels: { app: web }',
      '    sidecar.speedscale.com/inject: "true"\n    sidecar.speedscale.com/proxy-in-port: "70000"\n' +
        'spec:\n  selector:\n    matchLabels: { app: web }',
    );
    expect(bad).not.toBe(RENDERED);
    const out = run(POST_RENDER, [], { input: bad });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/<stdin>:\d+:5: Deployment\/web: error: sidecar\.speedscale\.com\/proxy-in-port/);
  });

  it('--fail-on never: the resource in error reported, the release goes on (exit 0), the rest injected', () => {
    const bad = RENDERED.replace(
      '    sidecar.speedscale.com/inject: "true"\nspec:\n  selector:\n    matchLabels: { app: web }',
      '    sidecar.speedscale.com/inject: "true"\n    sidecar.speedscale.com/proxy-in-port: "70000"\n' +
        'spec:\n  selector:\n    matchLabels: { app: web }',
    );
    const out = run(POST_RENDER, ['--fail-on', 'never'], { input: bad });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/<stdin>:\d+:5: Deployment\/web: error: sidecar\.speedscale\.com\/proxy-in-port/);
    const worker = (objects(out.stdout).find((o) => o.kind === 'List')!.items as KObject[])[0];
    expect(hasSidecar(worker)).toBe(true);
  });

  it('a bad argument is a usage error (exit 2), not an empty release', () => {
    const out = run(POST_RENDER, ['--no-such-flag'], { input: RENDERED });
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
  });
});

interface PlatformCommand {
  os?: string;
  arch?: string;
  command: string;
  args?: string[];
}

/** Helm 4's getPlatformCommand: exact os/arch, then os alone, then neither. */
function platformCommand(commands: PlatformCommand[]): PlatformCommand | undefined {
  const os = process.platform === 'darwin' ? 'darwin' : process.platform;
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as string] ?? process.arch;
  return (
    commands.find((c) => c.os === os && c.arch === arch) ??
    commands.find((c) => c.os === os && !c.arch) ??
    commands.find((c) => !c.os && !c.arch)
  );
}

/** Go's os.Expand: `${NAME}` and `$NAME` from the map, unknown names empty. */
const expand = (text: string, env: Record<string, string | undefined>) =>
  text.replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g, (_, braced?: string, bare?: string) => env[braced ?? bare!] ?? '');

describe.skipIf(bundleReason)('Helm 4: the post-renderer plugin in helm/sidecar-injector', () => {
  const plugin = parse(readFileSync(join(PLUGIN_DIR, 'plugin.yaml'), 'utf8')) as {
    apiVersion: string;
    type: string;
    name: string;
    version: string;
    runtime: string;
    runtimeConfig: { platformCommand: PlatformCommand[] };
  };
  const work = tempDir('helm4');
  afterAll(() => run('rm', ['-rf', work]));

  /** `helm plugin install DIR` (a symlink), then the subprocess runtime's run of the post-renderer. */
  function helm4(extraArgs: string[], input: string) {
    const plugins = join(work, 'data/plugins');
    mkdirSync(plugins, { recursive: true });
    const installed = join(plugins, plugin.name);
    run('ln', ['-sfn', PLUGIN_DIR, installed]);
    const env = { ...process.env, HELM_PLUGIN_NAME: plugin.name, HELM_PLUGIN_DIR: installed };
    const chosen = platformCommand(plugin.runtimeConfig.platformCommand);
    if (!chosen) throw new Error('no plugin command is applicable');
    const [main, ...parts] = chosen.command.split(' ');
    const args = [...parts, ...(chosen.args ?? [])].map((a) => expand(a, env));
    const out = run(expand(main, env), [...args, ...extraArgs], { input, env });
    // Helm 4 (pkg/postrenderer): a post-renderer that writes nothing is an error.
    return { ...out, helmError: out.status !== 0 || out.stdout.trim() === '' };
  }

  it('plugin.yaml is a v1 post-renderer plugin with a subprocess runtime', () => {
    expect(plugin).toMatchObject({ apiVersion: 'v1', type: 'postrenderer/v1', runtime: 'subprocess' });
    expect(plugin.name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(plugin.version).toMatch(/^\d+\.\d+\.\d+$/);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
      files: string[];
    };
    expect(plugin.version).toBe(pkg.version);
    expect(pkg.files).toContain('helm/');
    for (const c of plugin.runtimeConfig.platformCommand) expect(c.command).toMatch(/^\$\{HELM_PLUGIN_DIR\}\//);
  });

  it('run as the subprocess runtime runs it: manifests through, annotated workloads injected', () => {
    const out = helm4([], RENDERED);
    expect(out.helmError, out.stderr).toBe(false);
    expectPostRendered(out.stdout);
  });

  it('--post-renderer-args are appended', () => {
    const out = helm4(['--image=registry.example.com/goproxy:v9.9.9'], RENDERED);
    expect(out.helmError, out.stderr).toBe(false);
    expect(out.stdout).toContain('image: registry.example.com/goproxy:v9.9.9');
  });

  it('an error fails it, and so would empty output', () => {
    const bad = helm4(
      [],
      RENDERED.replace('inject: "true"', 'inject: "true"\n    sidecar.speedscale.com/redirect: nope'),
    );
    expect(bad.status).toBe(1);
    expect(bad.helmError).toBe(true);
    expect(bad.stderr).toContain('sidecar.speedscale.com/redirect');
    expect(helm4([], '').helmError).toBe(true);
  });

  it('installed from the npm package too: the plugin directory finds the bundle beside it', () => {
    // The npm package's layout: helm/sidecar-injector next to dist/ (package.json "files").
    const pkgRoot = join(work, 'node_modules/sidecar-injector');
    mkdirSync(join(pkgRoot, 'dist'), { recursive: true });
    mkdirSync(join(pkgRoot, 'helm'), { recursive: true });
    run('cp', ['-r', PLUGIN_DIR, join(pkgRoot, 'helm/')]);
    for (const f of ['sidecar-injector.js', 'sidecar-injector.bin'])
      symlinkSync(join(repoRoot, 'dist', f), join(pkgRoot, 'dist', f));
    const out = run(join(pkgRoot, 'helm/sidecar-injector/post-render.sh'), [], {
      input: RENDERED,
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
    });
    expect(out.status, out.stderr).toBe(0);
    expectPostRendered(out.stdout);
  });
});
