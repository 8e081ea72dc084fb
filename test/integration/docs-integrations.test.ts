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
    const app = yamlOf<{ spec: { source: { plugin: { name: string; parameters: { name: string }[] } } } }>(
      'argocd-cmp/application.yaml',
    );
    expect(app.spec.source.plugin.name).toBe(`${plugin.metadata.name}-${plugin.spec.version}`);
    const announced = plugin.spec.parameters.static.map((p) => p.name);
    for (const p of app.spec.source.plugin.parameters) expect(announced).toContain(p.name);
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
    const step = Object.values(workflow.jobs)[0].steps.find((s) => s.uses?.includes('/sidecar-injector@'))!;
    expect(step.uses).toBe(`example-org/sidecar-injector@v${pkg.version}`);
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
