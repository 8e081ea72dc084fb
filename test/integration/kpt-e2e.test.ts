/**
 * kpt end-to-end cases in the style of the kpt catalog's e2e runner (kpt pkg/test/runner):
 * every `fixtures/kpt/<case>/` with `.expected/config.yaml` is a kpt package, run with the installed kpt.
 *
 *  1. copy the package to `<work>/pkg`, `git init`, commit;
 *  2. run `kpt fn render pkg --allow-exec` (testType render, the default) or
 *     `kpt fn eval pkg --exec <bundle> -- k=v ...` (testType eval, `args:` from config.yaml), with --results-dir;
 *  3. check the exit code (`exitCode`, default 0) and that stderr contains `stdErr` if given;
 *  4. first run only: compare the results file with `.expected/results.yaml` (exact, temp paths sanitised);
 *  5. commit, compare `git diff <first> HEAD` with `.expected/diff.patch` (exact; missing file = no diff);
 *  6. run everything a second time: the cumulative diff must still equal diff.patch (idempotence).
 * KPT_E2E_UPDATE_EXPECTED=true rewrites diff.patch and results.yaml instead of comparing.
 *
 * Exec paths: kpt resolves a relative exec path against its current directory, not the package. The
 * fixture Kptfiles say `exec: dist/sidecar-injector.js` (like the repository's root Kptfile), so the
 * harness runs kpt from `<work>`, where `dist/sidecar-injector.js` is a symlink to the bundle under test,
 * and the package copy is `<work>/pkg`. By hand, run from the repository root:
 *   kpt fn render --allow-exec fixtures/kpt/render-simple    (changes the fixture in place)
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_HINT,
  bundleMissing,
  bundlePath,
  hasSidecar,
  missing,
  must,
  repoRoot,
  run,
  tempDir,
  type KObject,
} from './_tools';

const update = process.env.KPT_E2E_UPDATE_EXPECTED === 'true';
const fixturesDir = join(repoRoot, 'fixtures/kpt');
const reason = missing('kpt e2e', ['kpt', 'git'], [[bundleMissing(), BUNDLE_HINT]]);

interface CaseConfig {
  testType?: 'render' | 'eval';
  exitCode?: number;
  args?: Record<string, string | number | boolean>;
  stdErr?: string;
  skip?: boolean;
  runCount?: number;
}

const cases = existsSync(fixturesDir)
  ? readdirSync(fixturesDir)
      .filter((name) => existsSync(join(fixturesDir, name, '.expected/config.yaml')))
      .sort()
  : [];

/** A git without the user's or the system's configuration, so diffs look the same everywhere. */
function git(cwd: string, ...args: string[]) {
  return must('git', ['-c', 'core.autocrlf=false', '-c', 'core.quotepath=false', ...args], {
    cwd,
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'e2e',
      GIT_AUTHOR_EMAIL: 'e2e@example.com',
      GIT_COMMITTER_NAME: 'e2e',
      GIT_COMMITTER_EMAIL: 'e2e@example.com',
    },
  }).stdout;
}

/** Sets up `<work>/dist/sidecar-injector.js` -> bundle and returns <work>. */
function workDir(prefix: string): string {
  const work = tempDir(prefix);
  mkdirSync(join(work, 'dist'));
  symlinkSync(bundlePath, join(work, 'dist/sidecar-injector.js'));
  return work;
}

function sanitize(text: string, work: string): string {
  return text.split(bundlePath).join('<bundle>').split(work).join('<work>');
}

/** Checks an expectation file, or (re)writes it in update mode. */
function expectFile(path: string, actual: string, label: string) {
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : '';
  expect(actual, `${label} differs from ${path} (KPT_E2E_UPDATE_EXPECTED=true rewrites it)`).toBe(expected);
}

function kptCommand(config: CaseConfig, resultsDir: string): string[] {
  if ((config.testType ?? 'render') === 'render') return ['fn', 'render', 'pkg', '--allow-exec', '--results-dir', resultsDir];
  const args = Object.entries(config.args ?? {}).map(([key, value]) => `${key}=${String(value)}`);
  return ['fn', 'eval', 'pkg', '--exec', bundlePath, '--results-dir', resultsDir, ...(args.length ? ['--', ...args] : [])];
}

/** In update mode, refuse to record expectations from a bundle that injects nothing (e.g. a stand-in). */
function assertBundleInjects() {
  const probe = [
    'apiVersion: config.kubernetes.io/v1',
    'kind: ResourceList',
    'items:',
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata: {name: probe, annotations: {sidecar.speedscale.com/inject: "true"}}',
    '  spec: {template: {spec: {containers: [{name: app, image: nginx}]}}}',
  ].join('\n');
  const out = must('node', [bundlePath], { input: probe }).stdout;
  const list = parse(out) as { items: KObject[] };
  if (!hasSidecar(list.items[0])) throw new Error(`${bundlePath} injects no sidecar: not recording expectations from it`);
}

const works: string[] = [];
afterAll(() => {
  // Keep the copies for inspection when asked to.
  if (process.env.KPT_E2E_KEEP !== 'true') for (const work of works) run('rm', ['-rf', work]);
});

describe.skipIf(reason)('kpt e2e (fixtures/kpt)', () => {
  if (update) assertBundleInjects();

  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    const source = join(fixturesDir, name);
    const expectedDir = join(source, '.expected');
    const config = (parse(readFileSync(join(expectedDir, 'config.yaml'), 'utf8')) ?? {}) as CaseConfig;

    it.skipIf(config.skip === true)(`${name} (${config.testType ?? 'render'})`, () => {
      const work = workDir(`kpt-${name}`);
      works.push(work);
      const pkg = join(work, 'pkg');
      cpSync(source, pkg, { recursive: true });
      git(pkg, 'init', '--quiet', '--initial-branch=main');
      git(pkg, 'add', '--all');
      git(pkg, 'commit', '--quiet', '--message', 'fixture');
      const first = git(pkg, 'rev-parse', 'HEAD').trim();

      for (let round = 1; round <= (config.runCount ?? 2); round++) {
        const resultsDir = join(work, `results-${round}`);
        const kpt = run('kpt', kptCommand(config, resultsDir), { cwd: work });
        const output = `kpt (round ${round}) exited ${kpt.status}\n--- stdout\n${kpt.stdout}\n--- stderr\n${kpt.stderr}`;
        expect(kpt.status, output).toBe(config.exitCode ?? 0);
        if (config.stdErr) expect(kpt.stderr, output).toContain(config.stdErr);

        if (round === 1) {
          const results = join(resultsDir, 'results.yaml');
          if (update || existsSync(join(expectedDir, 'results.yaml'))) {
            expect(existsSync(results), `kpt wrote no ${results}\n${output}`).toBe(true);
            expectFile(join(expectedDir, 'results.yaml'), sanitize(readFileSync(results, 'utf8'), work), 'results.yaml');
          }
        }

        git(pkg, 'add', '--all');
        git(pkg, 'commit', '--quiet', '--allow-empty', '--message', `round ${round}`);
        const diff = git(pkg, 'diff', '--no-ext-diff', '--no-color', first, 'HEAD');
        // The second round compares too: it must add nothing (update mode writes round 1 only).
        if (round === 1 || !update) expectFile(join(expectedDir, 'diff.patch'), diff, `git diff after round ${round}`);
      }
    });
  }
});

describe.skipIf(reason)('the repository root Kptfile', () => {
  it('renders examples/ with the bundle and keeps everything else out of the package', () => {
    const work = workDir('kpt-root');
    works.push(work);
    // The root package as kpt sees it from the repository root: Kptfile, .krmignore, examples/, and
    // (ignored by .krmignore) dist/ with the bundle.
    for (const entry of ['Kptfile', '.krmignore', 'examples']) cpSync(join(repoRoot, entry), join(work, entry), { recursive: true });
    const before = readFileSync(join(work, 'examples/hello/deployment.yaml'), 'utf8');
    const service = readFileSync(join(work, 'examples/hello/service.yaml'), 'utf8');
    const kptfile = readFileSync(join(work, 'Kptfile'), 'utf8');

    const kpt = run('kpt', ['fn', 'render', '--allow-exec', '--results-dir', join(work, 'results')], { cwd: work });
    expect(kpt.status, `${kpt.stdout}\n${kpt.stderr}`).toBe(0);

    const after = readFileSync(join(work, 'examples/hello/deployment.yaml'), 'utf8');
    const [deployment] = parseAllDocuments(after).map((doc) => doc.toJS() as KObject);
    expect(hasSidecar(deployment)).toBe(true);
    // Comments and the user's init container survive.
    for (const line of before.split('\n').filter((l) => l.trim().startsWith('#'))) expect(after).toContain(line.trim());
    expect(after).toContain('- name: migrate');
    expect(readFileSync(join(work, 'examples/hello/service.yaml'), 'utf8')).toBe(service);
    expect(readFileSync(join(work, 'Kptfile'), 'utf8')).toBe(kptfile);

    // Idempotent: a second render changes nothing.
    expect(run('kpt', ['fn', 'render', '--allow-exec'], { cwd: work }).status).toBe(0);
    expect(readFileSync(join(work, 'examples/hello/deployment.yaml'), 'utf8')).toBe(after);
  });

  it('.krmignore keeps the rest of the repository out of the package', () => {
    // kpt reads every YAML file and every sub-package (fixtures/kpt/*/Kptfile) it does not ignore.
    const source = run('kpt', ['fn', 'source', '.'], { cwd: repoRoot });
    expect(source.status, source.stderr).toBe(0);
    const paths = parseAllDocuments(source.stdout)
      .flatMap((doc) => ((doc.toJS() as { items?: KObject[] }).items ?? []))
      .map((item) => item.metadata.annotations?.['internal.config.kubernetes.io/path'])
      .sort();
    expect(paths).toEqual(['Kptfile', 'examples/hello/deployment.yaml', 'examples/hello/service.yaml']);
  });
});
