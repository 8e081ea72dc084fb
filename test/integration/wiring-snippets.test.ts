/**
 * Every file and command the wizard's "Wire it in" prints, run as printed, for each kind of input it
 * detects (plain manifests, a kpt package, a kustomization, a chart) and the tools chosen by hand (Argo CD,
 * Flux). The page's state is built as a user builds it (the manifests, a workload ticked, the registry
 * question answered); its files come from `wiringFor`, the one call the step renders (the browser test
 * holds the page to it). Nothing in them is substituted: the registry answered is local, and install.sh
 * builds the function image under exactly the name the files use, from a copy of this checkout (the
 * Dockerfile's base images are local stand-ins tagged with their default names).
 *
 * Run: install.sh (`npm ci`, `npm pack`, `npm install -g`, `docker build` through scripts/docker-shim), kpt's
 * Kptfile with `kpt fn render` and its CI step, the kustomize files with `kubectl kustomize
 * --enable-alpha-plugins`, the Helm post-renderer as Helm 3 and Helm 4 call it, deploy.sh and the drift
 * check, Argo CD's `generate` from the package the plugin image installs, Flux's render job with its
 * `git push` (to a local remote). Checked, not run: what needs a cluster, a registry or the internet
 * (`kubectl apply`, `helm upgrade`, `docker push`, the kpt download; the Argo CD image's build, whose base
 * the local stand-in cannot be), by syntax and by the names they use. The output must be what the page showed.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compute } from '../../web/pipeline';
import { initialState, type Source, type Tool, type WizardState } from '../../web/state';
import {
  ARGOCD_PLUGIN,
  CLI_INSTALL,
  cmpImage,
  functionImage,
  KPT_VERSION,
  NODE_IMAGE,
  TARBALL,
  wiringFor,
  type WiringFile,
} from '../../web/wiring';
import { buildFunctionImage, tagDefaultBases } from './_images';
import { missing, must, repoRoot, run, runAsync, tempDir } from './_tools';
import { actionlint, runStep, workflowOf } from './_workflows';

const reason = missing('the wizard wiring, run as printed', [
  'kpt',
  'kubectl',
  'podman',
  'runc',
  'flock',
  'git',
  'npm',
]);

/** The registry answered in the page: podman keeps `localhost/...` images locally, and nothing pulls them. */
const REGISTRY = 'localhost/wiring-test';
const IMAGE = functionImage(REGISTRY)!;
const PLAIN = readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8').replace(
  / {2}annotations:\n {4}# Opt in[^\n]*\n {4}sidecar\.speedscale\.com\/inject: "true"\n/,
  '',
);
const SERVICE = readFileSync(join(repoRoot, 'examples/hello/service.yaml'), 'utf8');
const CHOICE = 'Deployment/demo/hello';

/** The page's state after the user loaded `sources`, ticked hello, answered the registry and picked `tool`. */
function page(sources: Source[], tool?: Tool) {
  const state: WizardState = {
    ...initialState(),
    sources,
    choices: { [CHOICE]: true },
    config: { ignoreOutboundPorts: '5432' },
    registry: REGISTRY,
    ...(tool && { tool }),
  };
  const computed = compute(state);
  const wiring = wiringFor(state, computed.spec);
  const file = (path: string): WiringFile => {
    const found = wiring.files.find((f) => f.path === path);
    if (!found)
      throw new Error(`the page shows no ${path} for ${wiring.tool}: ${wiring.files.map((f) => f.path).join(', ')}`);
    return found;
  };
  return { state, computed, ...wiring, file };
}

type Page = ReturnType<typeof page>;
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);
/** The injected manifests the page showed, as data: every file's but the tool's own (Kptfile, kustomization). */
const shown = (p: Page) =>
  p.computed.files
    .filter((f) => !/(^|\/)(Kptfile|kustomization\.yaml|Chart\.yaml)$/.test(f.path))
    .flatMap((f) => docs(f.output));
/** A script's commands: no shebang, comments or `set -e`. */
const commands = (text: string) => text.split('\n').filter((l) => l.trim() && !l.startsWith('#') && l !== 'set -e');
const bashOk = (script: string) => run('bash', ['-n', '-c', script]).status === 0;

describe.skipIf(reason)('Wire it in, run as printed', () => {
  const work = tempDir('wiring');
  const checkout = join(work, 'checkout');
  const prefix = join(work, 'prefix');
  const bin = join(work, 'bin');
  const shim = join(repoRoot, 'scripts/docker-shim');
  const env = {
    ...process.env,
    PATH: `${shim}:${prefix}/bin:${bin}:${process.env.PATH ?? ''}`,
    npm_config_prefix: prefix,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@localhost',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@localhost',
  };
  const pushed: string[] = [];
  afterAll(() => run('rm', ['-rf', work]));

  /** install.sh in the checkout, less the lines that need a registry (checked: they push what was built). */
  async function install(p: Page) {
    const script = p.file('install.sh').text;
    expect(bashOk(script)).toBe(true);
    const lines = commands(script);
    for (const line of lines.filter((l) => l.startsWith('docker push '))) {
      const image = line.split(' ')[2];
      expect(lines.some((l) => l.startsWith('docker build ') && l.includes(` -t ${image} `))).toBe(true);
      pushed.push(image);
    }
    const runnable = lines.filter((l) => !l.startsWith('docker push '));
    const out = await runAsync('bash', ['-e', '-c', runnable.join('\n')], { cwd: checkout, env });
    expect(out.status, `${runnable.join('\n')}\n${out.stdout}\n${out.stderr}`).toBe(0);
  }

  /**
   * A workspace holding the manifests as the page offers them (annotated) and the page's files (`only`: those
   * of them that go there).
   */
  function workspace(name: string, p: Page, extra: Record<string, string> = {}, only?: string[]): string {
    const dir = join(work, name);
    const files = {
      ...Object.fromEntries(p.computed.files.map((f) => [f.path, f.source])),
      ...Object.fromEntries(
        p.files.filter((f) => f.path !== 'install.sh' && (!only || only.includes(f.path))).map((f) => [f.path, f.text]),
      ),
      ...extra,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  function git(dir: string, ...args: string[]) {
    return must('git', args, { cwd: dir, env });
  }

  function repo(dir: string) {
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'as the page gave it');
  }

  beforeAll(async () => {
    // The checkout install.sh runs in: this working tree, without what git does not hold.
    const skip = new Set(['node_modules', '.git', 'dist', 'fn/config/generated'].map((e) => join(repoRoot, e)));
    cpSync(repoRoot, checkout, { recursive: true, filter: (path) => !skip.has(path) });
    mkdirSync(prefix);
    mkdirSync(bin);
    // kubectl apply needs a cluster: for deploy.sh, a stand-in records what it applies.
    mkdirSync(join(work, 'kubectl-bin'));
    writeFileSync(join(work, 'kubectl-bin/kubectl'), '#!/bin/sh\nprintf "%s\\n" "$*" >> "$KUBECTL_LOG"\n', {
      mode: 0o755,
    });
    await buildFunctionImage(); // the layers the build below reuses
    await tagDefaultBases();
    // kpt's install.sh: the function image built as `docker build` (the shim's podman) builds it.
    await install(page([{ path: 'manifests.yaml', text: PLAIN }], 'kpt'));
    // kubectl's: npm ci, npm pack, npm install -g of the tarball (into the prefix).
    await install(page([{ path: 'manifests.yaml', text: PLAIN }], 'kubectl'));
  }, 1_800_000);

  it('installed the command line from the tarball, and built the image under the name the files use', () => {
    expect(run('sidecar-injector', ['--version'], { env }).stdout.trim()).toBe(
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version,
    );
    expect(run('podman', ['image', 'exists', IMAGE]).status).toBe(0);
    expect(CLI_INSTALL).toBe(`npm install -g ./${TARBALL}`);
  });

  it('every workflow the page prints passes actionlint', async () => {
    const inputs: [string, Source[], Tool?][] = [
      ['kpt', [{ path: 'Kptfile', text: 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: shop\n' }]],
      ['kubectl', [{ path: 'manifests.yaml', text: PLAIN }]],
      ['flux', [{ path: 'manifests.yaml', text: PLAIN }], 'flux'],
    ];
    for (const [name, sources, tool] of inputs) {
      for (const f of page(sources, tool).files.filter((f) => f.path.startsWith('.github/workflows/')))
        expect(await actionlint(f.text, f.path), `${name}: ${f.path}`).toEqual([]);
    }
  });

  it('plain manifests (kubectl): deploy.sh injects what the page showed; the CI check fails, then passes', () => {
    const p = page([{ path: 'manifests.yaml', text: `${PLAIN}---\n${SERVICE}` }]);
    expect(p.tool).toBe('kubectl');
    const dir = workspace('kubectl', p);
    // The workflow's install step takes the tarball committed at the root (the file's note says so).
    cpSync(join(checkout, TARBALL), join(dir, TARBALL));
    const steps = workflowOf(p.file('.github/workflows/sidecar-check.yaml').text).jobs['sidecar-check'].steps;
    const check = () => steps.filter((s) => s.run).map((s) => runStep(s, { cwd: dir, env }));
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      CLI_INSTALL,
      steps[3].run,
    ]);
    const before = check();
    expect(before[0].status, before[0].stderr).toBe(0);
    expect(before[1].status).toBe(1); // annotated, not injected yet: drift
    expect(before[1].stderr).toMatch(/manifests\.yaml:\d+:\d+: Deployment\/hello in demo: drift: not injected yet/);

    const log = join(work, 'kubectl.log');
    chmodSync(join(dir, 'deploy.sh'), 0o755); // the user's chmod
    const deployed = run('./deploy.sh', [], {
      cwd: dir,
      env: { ...env, KUBECTL_LOG: log, PATH: `${join(work, 'kubectl-bin')}:${env.PATH}` },
    });
    expect(deployed.status, deployed.stderr).toBe(0);
    expect(readFileSync(join(dir, 'manifests.yaml'), 'utf8')).toBe(p.computed.files[0].output);
    expect(readFileSync(log, 'utf8').trim().split('\n').pop()).toBe('apply -f manifests.yaml');
    const after = check();
    expect(after[1].status, after[1].stderr).toBe(0);
  });

  it('a kpt package: the Kptfile with the step renders what the page showed; CI fails on drift, then passes', () => {
    const kptfile = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: shop\ninfo:\n  description: the shop\n';
    const p = page([
      { path: 'Kptfile', text: kptfile },
      { path: 'deployment.yaml', text: PLAIN },
      { path: 'service.yaml', text: SERVICE },
    ]);
    expect(p.tool).toBe('kpt');
    expect(p.file('Kptfile').text.startsWith(kptfile)).toBe(true);
    // The CI workflow is part of the repository, not of the package kpt renders.
    const dir = workspace('kpt', p, { '.krmignore': '.github\n' });
    repo(dir);
    const steps = workflowOf(p.file('.github/workflows/sidecar-check.yaml').text).jobs['sidecar-check'].steps;
    const [installKpt, render] = steps.filter((s) => s.run);
    // Downloading kpt needs the internet: checked, it is the kpt the tests run.
    expect(installKpt.run).toContain(`/releases/download/${KPT_VERSION}/kpt_linux_amd64`);
    expect(bashOk(installKpt.run!)).toBe(true);
    expect(run('kpt', ['version']).stdout.trim()).toBe(KPT_VERSION.replace(/^v/, ''));
    // kpt runs images with docker; here podman (on GitHub's runner, docker is there).
    const kptEnv = { ...env, KPT_FN_RUNTIME: 'podman' };
    const first = runStep(render, { cwd: dir, env: kptEnv });
    expect(first.status, first.stderr).toBe(1); // rendered: the diff is the drift
    for (const f of p.computed.files.filter((f) => f.path !== 'Kptfile'))
      expect(readFileSync(join(dir, f.path), 'utf8'), f.path).toBe(f.output);
    git(dir, 'commit', '-q', '-am', 'rendered');
    const second = runStep(render, { cwd: dir, env: kptEnv });
    expect(second.status, `${second.stdout}\n${second.stderr}`).toBe(0);
  });

  it('a kustomization: build.sh builds exactly the manifests the page showed', () => {
    const p = page([
      { path: 'kustomization.yaml', text: 'resources:\n- deployment.yaml\n' },
      { path: 'deployment.yaml', text: PLAIN },
    ]);
    expect(p.tool).toBe('kustomize');
    const dir = workspace('kustomize', p);
    const out = run('bash', ['-e', '-c', p.file('build.sh').text], { cwd: dir, env });
    expect(out.status, out.stderr).toBe(0);
    expect(docs(out.stdout)).toEqual(shown(p));
    // What the note says: without --enable-alpha-plugins, kustomize refuses.
    const plain = run('kubectl', ['kustomize', '.'], { cwd: dir, env });
    expect(plain.status).toBe(1);
    expect(plain.stderr).toContain('external plugins disabled');
    expect(p.file('build.sh').note).toContain('external plugins disabled');
  });

  it('a chart (Helm): the post-renderer as Helm 3 and Helm 4 run it gives what the page showed', () => {
    const chart = 'apiVersion: v2\nname: shop\nversion: 1.0.0\n';
    const p = page([
      { path: 'Chart.yaml', text: chart },
      { path: 'templates/deployment.yaml', text: PLAIN },
    ]);
    expect(p.tool).toBe('helm');
    const dir = workspace('helm', p);
    chmodSync(join(dir, 'sidecar-injector-post-render.sh'), 0o755); // the note: make it executable
    // `helm template` of a chart whose templates hold no directives: each file under its Source comment.
    const rendered = `---\n# Source: shop/templates/deployment.yaml\n${p.computed.files[1].source}`;
    const helmSh = commands(p.file('helm.sh').text);
    expect(bashOk(helmSh.join('\n'))).toBe(true);
    // Helm 3: the executable named by --post-renderer, the manifests on stdin, in the directory helm runs in.
    const helm3 = /--post-renderer (\S+)/.exec(helmSh[0])![1];
    const three = run(join(dir, helm3), [], { cwd: dir, env, input: rendered });
    expect(three.status, three.stderr).toBe(0);
    expect(docs(three.stdout)).toEqual(shown(p));
    // Helm 4: `helm plugin install DIR` links DIR; the subprocess runtime runs its platformCommand with
    // HELM_PLUGIN_DIR set and the --post-renderer-args appended.
    const pluginDir = run('bash', ['-c', `echo ${/helm plugin install (.+)$/.exec(helmSh[1])![1]}`], {
      env,
    }).stdout.trim();
    const plugin = parse(readFileSync(join(pluginDir, 'plugin.yaml'), 'utf8')) as {
      name: string;
      runtimeConfig: { platformCommand: { command: string }[] };
    };
    expect(/--post-renderer (\S+)/.exec(helmSh[2])![1]).toBe(plugin.name);
    const args = [...helmSh[2].matchAll(/--post-renderer-args=(\S+)/g)].map((m) => m[1]);
    const command = plugin.runtimeConfig.platformCommand[0].command.replace('${HELM_PLUGIN_DIR}', pluginDir);
    const four = run(command, args, {
      cwd: dir,
      env: { ...env, HELM_PLUGIN_DIR: pluginDir, HELM_PLUGIN_NAME: plugin.name },
      input: rendered,
    });
    expect(four.status, four.stderr).toBe(0);
    expect(docs(four.stdout)).toEqual(shown(p));
  });

  for (const [kind, sources] of [
    ['plain manifests', [{ path: 'manifests.yaml', text: PLAIN }]],
    [
      'a kustomization',
      [
        { path: 'kustomization.yaml', text: 'resources:\n- deployment.yaml\n' },
        { path: 'deployment.yaml', text: PLAIN },
      ],
    ],
  ] as [string, Source[]][]) {
    it(`Argo CD (${kind}): generate, as the plugin image installs it, prints what the page showed`, () => {
      const p = page(sources, 'argocd');
      const installed = join(prefix, 'lib/node_modules/sidecar-injector');
      // The sidecar image: FROM the Dockerfile's node image, the tarball npm pack wrote, the plugin file where
      // argocd-cmp-server reads it. Its base cannot be built here (the local stand-in has no coreutils).
      const dockerfile = p.file('Dockerfile.argocd-cmp').text;
      expect(dockerfile).toContain(`FROM ${NODE_IMAGE}\n`);
      expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toContain(`ARG BUILD_IMAGE=${NODE_IMAGE}\n`);
      expect(existsSync(join(checkout, TARBALL))).toBe(true);
      expect(dockerfile).toContain(`COPY ${TARBALL} /tmp/`);
      const pluginFile = /cp (\S+) \/home\/argocd\/cmp-server\/config\/plugin\.yaml/.exec(dockerfile)![1];
      expect(pluginFile).toBe('/usr/local/lib/node_modules/sidecar-injector/argocd/plugin.yaml');
      const plugin = parse(readFileSync(join(installed, 'argocd/plugin.yaml'), 'utf8')) as {
        metadata: { name: string };
        spec: { version: string; discover: { fileName: string }; generate: { command: string[] } };
      };
      const install = commands(p.file('install.sh').text);
      const image = cmpImage(REGISTRY)!;
      expect(install).toContain(`docker build -f Dockerfile.argocd-cmp -t ${image} .`);
      // The Application selects the plugin by the name and version it announces.
      expect(parse(p.file('application-plugin.yaml').text)).toEqual({ plugin: { name: ARGOCD_PLUGIN } });
      expect(ARGOCD_PLUGIN).toBe(`${plugin.metadata.name}-${plugin.spec.version}`);
      // The repo-server patch applies to Argo CD's repo-server Deployment (kubectl patch --local: no cluster).
      const repoServer = join(work, `repo-server-${kind.length}.yaml`);
      writeFileSync(repoServer, ARGOCD_REPO_SERVER);
      const patch = join(work, `patch-${kind.length}.yaml`);
      writeFileSync(patch, p.file('argocd-repo-server-patch.yaml').text);
      const patched = must('kubectl', ['patch', '--local', '-f', repoServer, '--patch-file', patch, '-o', 'yaml']);
      const spec = (parse(patched.stdout) as { spec: { template: { spec: ServerSpec } } }).spec.template.spec;
      const sidecar = spec.containers.find((c) => c.name === 'sidecar-injector')!;
      expect(sidecar.image).toBe(image);
      expect(sidecar.command).toEqual(['/var/run/argocd/argocd-cmp-server']);
      const volumes = spec.volumes.map((v) => v.name);
      for (const m of sidecar.volumeMounts) expect(volumes, m.name).toContain(m.name);

      // argocd-cmp-server: discover by the file, then generate in the application's directory.
      // The application's directory: its manifests and the config (the other files go to Argo CD's install).
      const dir = workspace(`argocd-${kind.length}`, p, {}, ['sidecar-injector.yaml']);
      expect(existsSync(join(dir, plugin.spec.discover.fileName))).toBe(true);
      const toolBin = join(work, 'argocd-bin');
      mkdirSync(toolBin, { recursive: true });
      // kustomize for a kustomize application: kubectl's stands in for the binary copied into the image.
      writeFileSync(join(toolBin, 'kustomize'), '#!/bin/sh\n[ "$1" = build ] && shift\nexec kubectl kustomize "$@"\n', {
        mode: 0o755,
      });
      const [cmd, ...args] = plugin.spec.generate.command.map((a) =>
        a.replace('/usr/local/lib/node_modules/sidecar-injector/', `${installed}/`),
      );
      const out = run(cmd, args, {
        cwd: dir,
        env: {
          PATH: `${prefix}/bin:${toolBin}:${process.env.PATH ?? ''}`,
          HOME: work,
          ARGOCD_APP_NAME: 'shop',
          ARGOCD_APP_NAMESPACE: 'shop',
          ARGOCD_APP_SOURCE_PATH: '.',
        },
      });
      expect(out.status, out.stderr).toBe(0);
      expect(docs(out.stdout)).toEqual(shown(p));
    });
  }

  it('Flux: the render job builds what the page showed, commits and pushes it; the Flux Kustomization reads it', () => {
    const p = page([{ path: 'manifests.yaml', text: PLAIN }], 'flux');
    const dir = workspace('flux', p);
    repo(dir);
    const remote = join(work, 'flux-remote.git');
    must('git', ['init', '-q', '--bare', remote]);
    git(dir, 'remote', 'add', 'origin', remote);
    git(dir, 'push', '-q', '-u', 'origin', 'main');
    const steps = workflowOf(p.file('.github/workflows/render.yaml').text).jobs.render.steps;
    const out = runStep(
      steps.find((s) => s.run)!,
      { cwd: dir, env },
    );
    expect(out.status, out.stderr).toBe(0);
    const flux = parse(p.file('flux-kustomization.yaml').text) as { spec: { path: string } };
    const rendered = readFileSync(join(dir, flux.spec.path, 'all.yaml'), 'utf8');
    expect(docs(rendered)).toEqual(shown(p));
    expect(must('git', ['log', '--format=%s', '-1', 'main'], { cwd: remote }).stdout.trim()).toBe('Render');
  });

  it('the images install.sh pushes are the ones the files name (pushing needs a registry: checked only)', () => {
    expect(new Set(pushed)).toEqual(new Set([IMAGE]));
    const p = page([{ path: 'manifests.yaml', text: PLAIN }], 'argocd');
    const lines = commands(p.file('install.sh').text);
    expect(lines).toContain(`docker push ${cmpImage(REGISTRY)!}`);
  });
});

interface ServerSpec {
  containers: { name: string; image: string; command: string[]; volumeMounts: { name: string }[] }[];
  volumes: { name: string }[];
}

/** argocd-repo-server as Argo CD's install manifest has it, cut to what the plugin's patch touches. */
const ARGOCD_REPO_SERVER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
  namespace: argocd
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: argocd-repo-server
  template:
    metadata:
      labels:
        app.kubernetes.io/name: argocd-repo-server
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:v2.14.0
          volumeMounts:
            - name: var-files
              mountPath: /var/run/argocd
            - name: plugins
              mountPath: /home/argocd/cmp-server/plugins
      volumes:
        - name: var-files
          emptyDir: {}
        - name: plugins
          emptyDir: {}
`;
