/**
 * The integration sections of docs/orchestrators.md (npm, Helm, the Argo CD plugin, pre-commit, the drift
 * gate, the multi-architecture image): the npm block is run as written; the others name tools that are
 * not here (helm, Argo CD, GitHub's runner, a registry), so their blocks are parsed, their shell passes
 * `bash -n`, and every name they use (script paths, plugin and hook ids, parameters, inputs, build args)
 * is checked against the files it refers to. The behaviour behind each block is tested in its own suite
 * (helm, argocd, pre-commit, github-action, image-release, npm-package).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { docBlock } from './_docs';
import { tagDefaultBases } from './_images';
import { missing, repoRoot, runAsync, run, tempDir } from './_tools';

const yamlOf = <T>(id: string) => parse(docBlock(id)) as T;
const repoYaml = <T>(path: string) => parse(readFileSync(join(repoRoot, path), 'utf8')) as T;
const bashOk = (script: string) => run('bash', ['-n', '-c', script]).status === 0;
const pkg = repoYaml<{ version: string }>('package.json');

describe('docs/orchestrators.md: Helm', () => {
  const plugin = repoYaml<{ name: string }>('helm/sidecar-injector/plugin.yaml');

  it('Helm 3: the post-renderer named is the repository script, executable', () => {
    const block = docBlock('helm/helm3');
    expect(bashOk(block)).toBe(true);
    const path = /--post-renderer (\S+)/.exec(block)![1];
    expect(statSync(join(repoRoot, path)).mode & 0o111).not.toBe(0);
  });

  it('--fail-on never: the post-renderer args are a flag and a value the command line takes', () => {
    const block = docBlock('helm/fail-on');
    expect(bashOk(block)).toBe(true);
    const args = [...block.matchAll(/--post-renderer-args (\S+)/g)].map((m) => m[1]);
    expect(args).toEqual(['--fail-on', 'never']);
    const script = join(repoRoot, /--post-renderer (\S+)/.exec(block)![1]);
    expect(run(script, args, { input: '' }).status).toBe(0);
  });

  it('Helm 4: the plugin directory installed is the one whose name --post-renderer uses', () => {
    const block = docBlock('helm/helm4');
    expect(bashOk(block)).toBe(true);
    const dir = /helm plugin install (\S+)/.exec(block)![1];
    expect(existsSync(join(repoRoot, dir, 'plugin.yaml'))).toBe(true);
    expect(/--post-renderer (\S+)/.exec(block)![1]).toBe(plugin.name);
  });
});

describe('docs/orchestrators.md: the Argo CD plugin', () => {
  const plugin = repoYaml<{
    metadata: { name: string };
    spec: { version: string; parameters: { static: { name: string }[] } };
  }>('argocd/plugin.yaml');

  it('the Application selects the plugin by its versioned name, with announced parameters', () => {
    const source = yamlOf<{ plugin: { name: string; parameters: { name: string }[] } }>('argocd-cmp/application.yaml');
    expect(source.plugin.name).toBe(`${plugin.metadata.name}-${plugin.spec.version}`);
    const announced = plugin.spec.parameters.static.map((p) => p.name);
    for (const p of source.plugin.parameters) expect(announced).toContain(p.name);
  });

  it("the plugin images start from the Dockerfile's node image and copy what a build and npm pack make", () => {
    const node = /^ARG BUILD_IMAGE=(\S+)$/m.exec(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'))![1];
    for (const id of ['argocd/image.Dockerfile', 'argocd-cmp/image.Dockerfile']) {
      const dockerfile = docBlock(id);
      expect(dockerfile.startsWith(`FROM ${node}\n`), id).toBe(true);
      for (const [, sources] of dockerfile.matchAll(/^COPY (.+) \S+$/gm))
        for (const source of sources.split(' ')) {
          // The build's files, the plugin file shown above, the tarball npm pack writes, or a binary the user brings.
          const known =
            existsSync(join(repoRoot, source)) ||
            source === 'plugin.yaml' ||
            source === `sidecar-injector-${pkg.version}.tgz` ||
            ['kustomize', 'helm'].includes(source);
          expect(known, `${id}: COPY ${source}`).toBe(true);
        }
    }
  });

  it('the sidecar runs argocd-cmp-server as uid 999 with the plugin file where it reads it', () => {
    const patch = yamlOf<{
      spec: {
        template: {
          spec: {
            containers: {
              command: string[];
              securityContext: { runAsUser: number };
              volumeMounts: { mountPath: string }[];
            }[];
          };
        };
      };
    }>('argocd-cmp/repo-server-patch.yaml');
    const [sidecar] = patch.spec.template.spec.containers;
    expect(sidecar.command).toEqual(['/var/run/argocd/argocd-cmp-server']);
    expect(sidecar.securityContext.runAsUser).toBe(999);
    expect(sidecar.volumeMounts.map((m) => m.mountPath)).toContain('/home/argocd/cmp-server/config/plugin.yaml');
  });
});

describe('docs/orchestrators.md: pre-commit and CI', () => {
  it('the pre-commit config uses the hooks .pre-commit-hooks.yaml defines', () => {
    const config = yamlOf<{ repos: { hooks: { id: string }[] }[] }>('pre-commit/config.yaml');
    const ids = repoYaml<{ id: string }[]>('.pre-commit-hooks.yaml').map((h) => h.id);
    for (const hook of config.repos[0].hooks) expect(ids).toContain(hook.id);
  });

  it('the drift-gate workflow passes only inputs action.yml declares', () => {
    const workflow = yamlOf<{ jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }> }>(
      'ci/drift-gate.yaml',
    );
    const inputs = Object.keys(repoYaml<{ inputs: Record<string, unknown> }>('action.yml').inputs);
    const step = Object.values(workflow.jobs)[0].steps.find((s) => s.uses?.endsWith('sidecar-injector'))!;
    // A local action: this repository vendored into the user's (no release to name yet).
    expect(step.uses).toBe('./sidecar-injector');
    for (const key of Object.keys(step.with ?? {})) expect(inputs).toContain(key);
  });

  it('the multi-architecture build passes build args the Dockerfile declares, for both architectures', () => {
    const block = docBlock('image/multiarch');
    expect(bashOk(block)).toBe(true);
    expect(block).toContain('--platform linux/amd64,linux/arm64');
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    for (const [, arg] of block.matchAll(/--build-arg (\w+)=/g))
      expect(dockerfile).toMatch(new RegExp(`^ARG ${arg}=`, 'm'));
  });
});

const npmReason = missing('docs: npm install block', ['npm']);

describe.skipIf(npmReason)('docs/orchestrators.md: the npm block, run as written', () => {
  const work = tempDir('docs-npm');
  afterAll(() => run('rm', ['-rf', work]));

  it('packs, installs the tarball globally (into a temporary prefix) and prints the version', async () => {
    const source = join(work, 'source');
    const skip = new Set(['node_modules', '.git', 'dist'].map((entry) => join(repoRoot, entry)));
    cpSync(repoRoot, source, { recursive: true, filter: (path) => !skip.has(path) });
    symlinkSync(join(repoRoot, 'node_modules'), join(source, 'node_modules'));
    const prefix = join(work, 'prefix');
    mkdirSync(prefix);
    const env = {
      ...process.env,
      npm_config_prefix: prefix,
      npm_config_cache: join(work, 'cache'),
      npm_config_offline: 'true',
      PATH: `${prefix}/bin:${process.env.PATH ?? ''}`,
    };
    const out = await runAsync('bash', ['-e', '-c', docBlock('npm/install')], { cwd: source, env });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim().split('\n').pop()).toBe(pkg.version);
  }, 300_000);
});

const releaseReason = missing('docs: the install commands before a release', ['npm', 'podman', 'runc', 'flock']);

describe.skipIf(releaseReason)('docs/orchestrators.md#releases: installing before a release, run as written', () => {
  const work = tempDir('docs-release');
  afterAll(() => run('rm', ['-rf', work]));

  it('installs the command line from the tarball and builds the image under $IMAGE (the push: checked)', async () => {
    const [install, build, push] = docBlock('release/install')
      .trim()
      .split('\n')
      .map((l) => l.replace(/ +#.*$/, ''));
    expect(push).toBe('docker push "$IMAGE"');
    const checkout = join(work, 'sidecar-injector');
    const skip = new Set(['node_modules', '.git', 'dist', 'fn/config/generated'].map((e) => join(repoRoot, e)));
    cpSync(repoRoot, checkout, { recursive: true, filter: (path) => !skip.has(path) });
    const prefix = join(work, 'prefix');
    mkdirSync(prefix);
    await tagDefaultBases(); // the Dockerfile's default bases, as local stand-ins
    const env = {
      ...process.env,
      IMAGE: 'localhost/docs-test/sidecar-injector:dev',
      npm_config_prefix: prefix,
      PATH: `${join(repoRoot, 'scripts/docker-shim')}:${prefix}/bin:${process.env.PATH ?? ''}`,
    };
    const out = await runAsync('bash', ['-e', '-c', `${install}\n${build}`], { cwd: checkout, env });
    expect(out.status, `${out.stdout}\n${out.stderr}`).toBe(0);
    expect(run('sidecar-injector', ['--version'], { env }).stdout.trim()).toBe(pkg.version);
    expect(run('podman', ['image', 'exists', env.IMAGE]).status).toBe(0);
  }, 900_000);
});
