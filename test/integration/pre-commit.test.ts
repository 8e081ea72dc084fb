/**
 * .pre-commit-hooks.yaml with Debian's real pre-commit: a scratch git repository uses this repository (a
 * git snapshot of the working tree, as pre-commit clones it by `rev`) as a hook repository. pre-commit
 * installs it as `language: node` does (npm install, npm pack with its prepack build, npm install -g of the
 * tarball), then runs the hooks on the staged manifests: the check fails on drift and on an invalid
 * annotation, the fix hook rewrites the file (and fails once, as pre-commit does when a hook changes files),
 * and then the check passes and `git commit` goes through the installed hook.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docBlock } from './_docs';
import { hasSidecar, missing, must, repoRoot, run, runAsync, tempDir, WEB_DEPLOYMENT, type KObject } from './_tools';

const reason = missing('pre-commit hooks', ['pre-commit', 'git', 'npm']);
const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as {
  id: string;
  entry: string;
  language: string;
}[];

const ANNOTATED = WEB_DEPLOYMENT;
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

describe.skipIf(reason)('pre-commit: the hooks of .pre-commit-hooks.yaml, run by pre-commit', () => {
  const work = tempDir('pre-commit');
  // Named and placed as docs/orchestrators.md's config expects it: `repo: ../sidecar-injector`, beside the repository.
  const hookRepo = join(work, 'sidecar-injector');
  const repo = join(work, 'repo');
  const env = {
    ...process.env,
    PRE_COMMIT_HOME: join(work, 'pre-commit-home'),
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    GIT_CONFIG_GLOBAL: '/dev/null',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const git = (args: string[], cwd = repo) => must('git', args, { cwd, env });
  // Asynchronous: installing the hook environment takes minutes, and a worker blocked that long misses
  // vitest's RPC deadline.
  const preCommit = (args: string[]) => runAsync('pre-commit', args, { cwd: repo, env });
  const gitCommit = (message: string) => runAsync('git', ['commit', '-q', '-m', message], { cwd: repo, env });
  afterAll(() => run('rm', ['-rf', work]));

  beforeAll(async () => {
    // The working tree as it is, committed in a repository of its own (pre-commit clones a `rev`).
    const skip = new Set(['node_modules', '.git', 'dist', 'fn/config/generated'].map((e) => join(repoRoot, e)));
    cpSync(repoRoot, hookRepo, { recursive: true, filter: (path) => !skip.has(path) });
    git(['init', '-q', '-b', 'main'], hookRepo);
    git(['add', '-A'], hookRepo);
    git(['commit', '-q', '-m', 'snapshot'], hookRepo);
    git(['tag', `v${version}`], hookRepo); // what the release tags
    const rev = git(['rev-parse', 'HEAD'], hookRepo).stdout.trim();

    mkdirSync(repo);
    git(['init', '-q', '-b', 'main']);
    writeFileSync(
      join(repo, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n` +
        `      - id: sidecar-injector-check\n      - id: sidecar-injector-fix\n        stages: [manual]\n`,
    );
    writeFileSync(join(repo, 'deploy.yaml'), ANNOTATED);
    git(['add', '.']);
    // The hook environment: npm install (from the npm cache or registry), npm pack (prepack build), install.
    const installed = await preCommit(['install-hooks']);
    if (installed.status !== 0)
      throw new Error(`pre-commit install-hooks failed\n${installed.stdout}\n${installed.stderr}`);
  }, 600_000);

  it('the hooks are node hooks running the CLI (check: --check, fix: --in-place)', () => {
    expect(hooks.map((h) => h.id)).toEqual(['sidecar-injector-check', 'sidecar-injector-fix']);
    expect(hooks.every((h) => h.language === 'node')).toBe(true);
    expect(hooks[0].entry).toContain('--check');
    expect(hooks[1].entry).toContain('--in-place');
  });

  it('check fails on a staged workload not injected yet, and says which', async () => {
    const out = await preCommit(['run', 'sidecar-injector-check']);
    expect(out.status, out.stdout).toBe(1);
    expect(out.stdout).toMatch(/deploy\.yaml:\d+:\d+: Deployment\/web: drift: not injected yet/);
    expect(readFileSync(join(repo, 'deploy.yaml'), 'utf8')).toBe(ANNOTATED);
  });

  it('check fails on an invalid annotation, naming its line', async () => {
    const bad = ANNOTATED.replace(
      '    sidecar.speedscale.com/inject: "true"\n',
      '    sidecar.speedscale.com/inject: "true"\n    sidecar.speedscale.com/proxy-in-port: "70000"\n',
    );
    writeFileSync(join(repo, 'bad.yaml'), bad);
    git(['add', 'bad.yaml']);
    const out = await preCommit(['run', 'sidecar-injector-check']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(
      /bad\.yaml:7:5: Deployment\/web: error: sidecar\.speedscale\.com\/proxy-in-port: expected a port/,
    );
    git(['rm', '-q', '-f', 'bad.yaml']);
  });

  it('fix rewrites the file (failing once, as pre-commit does for a changed file); then check and commit pass', async () => {
    const fixed = await preCommit(['run', '--hook-stage', 'manual', 'sidecar-injector-fix']);
    expect(fixed.status, fixed.stdout).toBe(1);
    expect(fixed.stdout).toContain('files were modified by this hook');
    const manifest = parse(readFileSync(join(repo, 'deploy.yaml'), 'utf8')) as KObject;
    expect(hasSidecar(manifest)).toBe(true);
    git(['add', 'deploy.yaml']);
    const again = await preCommit(['run', '--hook-stage', 'manual', 'sidecar-injector-fix']);
    expect(again.status, again.stdout).toBe(0);
    const checked = await preCommit(['run', 'sidecar-injector-check']);
    expect(checked.status, checked.stdout).toBe(0);

    // The git hook itself: installed, it lets the commit through now.
    expect((await preCommit(['install'])).status).toBe(0);
    const commit = await gitCommit('injected');
    expect(commit.status, `${commit.stdout}\n${commit.stderr}`).toBe(0);
  });

  it("docs/orchestrators.md's config, as written: the check with its --config fails on drift, then passes", async () => {
    const docs = join(work, 'docs-repo');
    mkdirSync(join(docs, 'deploy'), { recursive: true });
    git(['init', '-q', '-b', 'main'], docs);
    writeFileSync(join(docs, '.pre-commit-config.yaml'), docBlock('pre-commit/config.yaml'));
    writeFileSync(
      join(docs, 'deploy/sidecar-injector.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  image: gcr.io/speedscale/goproxy:v2.5.602\n',
    );
    writeFileSync(join(docs, 'deploy/web.yaml'), ANNOTATED);
    git(['add', '.'], docs);
    const check = () => runAsync('pre-commit', ['run', 'sidecar-injector-check'], { cwd: docs, env });
    const drift = await check();
    expect(drift.status, `${drift.stdout}\n${drift.stderr}`).toBe(1);
    expect(drift.stdout).toMatch(/deploy\/web\.yaml:\d+:\d+: Deployment\/web: drift: not injected yet/);
    must(
      'node',
      [
        join(repoRoot, 'dist/sidecar-injector.js'),
        'inject',
        '--annotated',
        '--config',
        'deploy/sidecar-injector.yaml',
        '-i',
        'deploy/web.yaml',
      ],
      { cwd: docs },
    );
    git(['add', '.'], docs);
    const clean = await check();
    expect(clean.status, clean.stdout).toBe(0);
  });

  it('the installed git hook refuses a commit that brings drift', async () => {
    writeFileSync(join(repo, 'other.yaml'), ANNOTATED.replace('name: web', 'name: other'));
    git(['add', 'other.yaml']);
    const commit = await gitCommit('drift');
    expect(commit.status).not.toBe(0);
    expect(`${commit.stdout}${commit.stderr}`).toMatch(
      /other\.yaml:\d+:\d+: Deployment\/other: drift: not injected yet/,
    );
  });
});
