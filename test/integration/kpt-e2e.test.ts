/**
 * kpt end-to-end cases in the style of the kpt catalog's e2e runner (kpt pkg/test/runner):
 * every `fixtures/kpt/<case>/` with `.expected/config.yaml` is a kpt package, run with the installed kpt.
 *
 * One difference from the catalog layout: a case keeps its Kptfile as `Kptfile.fixture`, so that
 * `kpt fn render` at the repository root does not take it for a subpackage (copyFixture in _tools.ts).
 *
 *  1. copy the package to `<work>/pkg` (`Kptfile.fixture` -> `Kptfile`), `git init`, commit;
 *  2. run `kpt fn render pkg --allow-exec` (testType render, the default) or
 *     `kpt fn eval pkg --exec <bundle> -- k=v ...` (testType eval, `args:` from config.yaml), with --results-dir;
 *  3. check the exit code (`exitCode`, default 0) and that stderr contains `stdErr` if given;
 *  4. first run only: compare the results file with `.expected/results.yaml` (exact, temp paths sanitised);
 *  5. commit, compare `git diff <first> HEAD` with `.expected/diff.patch` (exact; missing file = no diff);
 *  6. run everything a second time: the cumulative diff must still equal diff.patch (idempotence;
 *     'the e2e runner itself' checks that a function changing the package again fails here).
 * KPT_E2E_UPDATE_EXPECTED=true rewrites diff.patch and results.yaml instead of comparing.
 *
 * Exec paths: kpt resolves a relative exec path against its current directory, not the package. The
 * fixture Kptfiles say `exec: dist/sidecar-injector.js` (like the repository's root Kptfile), so the
 * harness runs kpt from `<work>`, where `dist/sidecar-injector.js` is a symlink to the bundle under test,
 * and the package copy is `<work>/pkg`. By hand, from the repository root, on a copy:
 *   cp -r fixtures/kpt/render-simple /tmp/pkg && mv /tmp/pkg/Kptfile.fixture /tmp/pkg/Kptfile
 *   kpt fn render --allow-exec /tmp/pkg
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_HINT,
  bundleMissing,
  bundlePath,
  copyFixture,
  hasSidecar,
  missing,
  must,
  repoRoot,
  run,
  tempDir,
  type KObject,
} from './_tools';

const updateAll = process.env.KPT_E2E_UPDATE_EXPECTED === 'true';
const fixturesDir = join(repoRoot, 'fixtures/kpt');
/** The storefront example's manifests (fixtures/storefront/README.md): annotated and plain workloads of every kind. */
const STOREFRONT_MANIFESTS = join(repoRoot, 'fixtures/storefront/kubernetes-manifests');
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
function workDir(prefix: string, bundle = bundlePath): string {
  const work = tempDir(prefix);
  mkdirSync(join(work, 'dist'));
  symlinkSync(bundle, join(work, 'dist/sidecar-injector.js'));
  return work;
}

function sanitize(text: string, work: string, bundle: string): string {
  return text.split(bundle).join('<bundle>').split(work).join('<work>');
}

/** Checks an expectation file, or (re)writes it in update mode. */
function expectFile(path: string, actual: string, label: string, update: boolean) {
  if (update) {
    writeFileSync(path, actual);
    return;
  }
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : '';
  expect(actual, `${label} differs from ${path} (KPT_E2E_UPDATE_EXPECTED=true rewrites it)`).toBe(expected);
}

function kptCommand(config: CaseConfig, resultsDir: string, bundle: string): string[] {
  if ((config.testType ?? 'render') === 'render')
    return ['fn', 'render', 'pkg', '--allow-exec', '--results-dir', resultsDir];
  const args = Object.entries(config.args ?? {}).map(([key, value]) => `${key}=${String(value)}`);
  return ['fn', 'eval', 'pkg', '--exec', bundle, '--results-dir', resultsDir, ...(args.length ? ['--', ...args] : [])];
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
  if (!hasSidecar(list.items[0]))
    throw new Error(`${bundlePath} injects no sidecar: not recording expectations from it`);
}

const works: string[] = [];
afterAll(() => {
  // Keep the copies for inspection when asked to.
  if (process.env.KPT_E2E_KEEP !== 'true') for (const work of works) run('rm', ['-rf', work]);
});

function readConfig(source: string): CaseConfig {
  return (parse(readFileSync(join(source, '.expected/config.yaml'), 'utf8')) ?? {}) as CaseConfig;
}

/**
 * Runs one case (steps 1-6 above) with `bundle` as the function. `update` records diff.patch and
 * results.yaml from round 1 instead of comparing them.
 */
function runCase(name: string, source: string, { bundle = bundlePath, update = false } = {}) {
  const expectedDir = join(source, '.expected');
  const config = readConfig(source);
  const work = workDir(`kpt-${name}`, bundle);
  works.push(work);
  const pkg = join(work, 'pkg');
  copyFixture(source, pkg);
  git(pkg, 'init', '--quiet', '--initial-branch=main');
  git(pkg, 'add', '--all');
  git(pkg, 'commit', '--quiet', '--message', 'fixture');
  const first = git(pkg, 'rev-parse', 'HEAD').trim();

  for (let round = 1; round <= (config.runCount ?? 2); round++) {
    const resultsDir = join(work, `results-${round}`);
    const kpt = run('kpt', kptCommand(config, resultsDir, bundle), { cwd: work });
    const output = `kpt (round ${round}) exited ${kpt.status}\n--- stdout\n${kpt.stdout}\n--- stderr\n${kpt.stderr}`;
    expect(kpt.status, output).toBe(config.exitCode ?? 0);
    if (config.stdErr) expect(kpt.stderr, output).toContain(config.stdErr);

    if (round === 1) {
      const results = join(resultsDir, 'results.yaml');
      if (update || existsSync(join(expectedDir, 'results.yaml'))) {
        expect(existsSync(results), `kpt wrote no ${results}\n${output}`).toBe(true);
        expectFile(
          join(expectedDir, 'results.yaml'),
          sanitize(readFileSync(results, 'utf8'), work, bundle),
          'results.yaml',
          update,
        );
      }
    }

    git(pkg, 'add', '--all');
    git(pkg, 'commit', '--quiet', '--allow-empty', '--message', `round ${round}`);
    const diff = git(pkg, 'diff', '--no-ext-diff', '--no-color', first, 'HEAD');
    // The second round compares too: it must add nothing (update mode writes round 1 only).
    if (round === 1 || !update)
      expectFile(join(expectedDir, 'diff.patch'), diff, `git diff after round ${round}`, update);
  }
}

describe.skipIf(reason)('kpt e2e (fixtures/kpt)', () => {
  if (updateAll) assertBundleInjects();

  it('has render and eval cases, each built from microservices-demo too', () => {
    const types = cases.map(
      (name) => `${readConfig(join(fixturesDir, name)).testType ?? 'render'}:${name.startsWith('microservices-demo')}`,
    );
    expect(new Set(types)).toEqual(new Set(['render:false', 'render:true', 'eval:false', 'eval:true']));
  });

  for (const name of cases) {
    const source = join(fixturesDir, name);
    const config = readConfig(source);
    it.skipIf(config.skip === true)(`${name} (${config.testType ?? 'render'})`, () => {
      runCase(name, source, { update: updateAll });
    });
  }

  // That the eval case is the published manifests byte for byte is checked against the corpus itself, when a
  // machine has it (test/system/corpus.test.ts). Here, from the repository alone: the two demo cases are the same
  // manifests, the render case only adding the sidecar annotations its NOTICE.md lists.
  it('microservices-demo-eval is microservices-demo without its sidecar annotations', () => {
    const [plain, annotated] = ['microservices-demo-eval', 'microservices-demo'].map((c) => join(fixturesDir, c));
    const manifests = readdirSync(plain)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(readdirSync(annotated).filter((f) => f.endsWith('.yaml'))).toEqual(manifests);
    expect(manifests).toHaveLength(11);
    const changed: string[] = [];
    for (const file of manifests) {
      const text = readFileSync(join(plain, file), 'utf8');
      expect(text, file).not.toContain('sidecar.speedscale.com/');
      const withAnnotations = readFileSync(join(annotated, file), 'utf8');
      const block = /^ {2}annotations:\n(?: {4}sidecar\.speedscale\.com\/[a-z-]+: "true"\n)+/m;
      if (withAnnotations !== text) changed.push(file);
      expect(withAnnotations.replace(block, ''), file).toBe(text);
    }
    expect(changed).toEqual(['cartservice.yaml', 'checkoutservice.yaml', 'frontend.yaml']);
  });
});

/** Every resource in a directory of manifests (the files kpt reads), parsed. */
function resourcesIn(dir: string): Map<string, KObject[]> {
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f, parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as KObject)]),
  );
}

describe.skipIf(reason)('kpt fn eval over the storefront example (fixtures/storefront)', () => {
  // kpt accepts only KRM resources with a name: not a v1 List (kubectl's output) nor a JSON List. The
  // CLI reads those (test/system/cli.test.ts); here .krmignore leaves them out of the package.
  const LISTS = ['inventory-list.yaml', 'recommendations.json'];
  const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

  /** A copy of the manifests evaluated by `exec` (kpt run from <work>): the package directory and kpt's output. */
  function evaluate(name: string, exec: string, args: string[] = []): { pkg: string; stderr: string } {
    const work = workDir(`kpt-storefront-${name}`);
    works.push(work);
    const pkg = join(work, 'pkg');
    cpSync(STOREFRONT_MANIFESTS, pkg, { recursive: true });
    writeFileSync(join(pkg, '.krmignore'), `${LISTS.join('\n')}\n`);
    const flags = ['--exec', exec, '--truncate-output=false'];
    const kpt = run('kpt', ['fn', 'eval', 'pkg', ...flags, ...(args.length ? ['--', ...args] : [])], { cwd: work });
    expect(kpt.status, `${kpt.stdout}\n${kpt.stderr}`).toBe(0);
    return { pkg, stderr: kpt.stderr };
  }

  /** The files the function changed, compared with kpt's own rewriting of the package (`cat`: identity). */
  function changedFiles(pkg: string, identity: string): string[] {
    return [...resourcesIn(pkg).keys()].filter(
      (f) => readFileSync(join(pkg, f), 'utf8') !== readFileSync(join(identity, f), 'utf8'),
    );
  }

  it('injects the annotated workloads only; every other file is as kpt itself writes it; twice is once', () => {
    const identity = evaluate('identity', 'cat').pkg;
    const { pkg, stderr } = evaluate('annotated', bundlePath);
    expect(stderr).toContain('apps/v1/Deployment/catalog: injected the Speedscale sidecar');
    const injected = [...resourcesIn(pkg).values()]
      .flat()
      .filter((o) => WORKLOADS.includes(o.kind) && hasSidecar(o))
      .map((o) => `${o.kind}/${o.metadata.name}`);
    expect(injected.sort()).toEqual(['Deployment/cart', 'Deployment/catalog']);
    expect(changedFiles(pkg, identity)).toEqual(['cart.yaml', 'catalog.yaml']);
    // cart.yaml's Redis is not annotated: only the cart Deployment changed in that file.
    const [cart, before] = [pkg, identity].map((dir) => resourcesIn(dir).get('cart.yaml')!);
    expect(cart.map((o, i) => JSON.stringify(o) !== JSON.stringify(before[i]))).toEqual([true, false, false, false]);
    for (const file of LISTS)
      expect(readFileSync(join(pkg, file), 'utf8')).toBe(readFileSync(join(STOREFRONT_MANIFESTS, file), 'utf8'));

    const files = [...resourcesIn(pkg).keys()];
    const first = files.map((f) => readFileSync(join(pkg, f), 'utf8'));
    const again = run('kpt', ['fn', 'eval', pkg, '--exec', bundlePath]);
    expect(again.status, again.stderr).toBe(0);
    expect(files.map((f) => readFileSync(join(pkg, f), 'utf8'))).toEqual(first);
  });

  it('inject=true: every workload of every kind is injected, a Job with a warning', () => {
    const identity = evaluate('identity-all', 'cat').pkg;
    const { pkg, stderr } = evaluate('all', bundlePath, ['inject=true']);
    expect(stderr).toContain('batch/v1/Job/orders-retention: Job pods will not complete');
    const workloads = [...resourcesIn(pkg).values()].flat().filter((o) => WORKLOADS.includes(o.kind));
    expect(new Set(workloads.map((o) => o.kind))).toEqual(new Set(WORKLOADS));
    expect(workloads.filter((o) => !hasSidecar(o)).map((o) => o.metadata.name)).toEqual([]);
    expect(workloads).toHaveLength(10);
    // The files without a workload are left as they were.
    expect(changedFiles(pkg, identity)).toEqual(
      [...resourcesIn(pkg)].filter(([, objects]) => objects.some((o) => WORKLOADS.includes(o.kind))).map(([f]) => f),
    );
  });
});

describe.skipIf(reason)('the e2e runner itself', () => {
  it('fails a function whose second run changes the package again', () => {
    // A stand-in function that bumps a counter annotation on every Deployment at each run. Round 1
    // is recorded as the expectation, so only the second round can fail.
    const dir = tempDir('kpt-runner');
    works.push(dir);
    const counter = join(dir, 'counter.cjs');
    writeFileSync(
      counter,
      `#!/usr/bin/env node
const YAML = require(${JSON.stringify(join(repoRoot, 'node_modules/yaml'))});
const list = YAML.parse(require('fs').readFileSync(0, 'utf8'));
for (const item of list.items) {
  if (item.kind !== 'Deployment') continue;
  const annotations = (item.metadata.annotations ??= {});
  annotations['e2e.example.com/runs'] = String(Number(annotations['e2e.example.com/runs'] ?? 0) + 1);
}
process.stdout.write(YAML.stringify(list));
`,
      { mode: 0o755 },
    );
    const source = join(dir, 'case');
    cpSync(join(fixturesDir, 'render-simple'), source, { recursive: true });
    runCase('counter-record', source, { bundle: counter, update: true });
    expect(readFileSync(join(source, '.expected/diff.patch'), 'utf8')).toContain('+    e2e.example.com/runs: "1"');
    expect(() => runCase('counter', source, { bundle: counter })).toThrow(/git diff after round 2 differs/);
  });
});

describe.skipIf(reason)('the repository root Kptfile', () => {
  it('renders examples/ with the bundle and keeps everything else out of the package', () => {
    const work = workDir('kpt-root');
    works.push(work);
    // The root package as kpt sees it from the repository root: Kptfile, .krmignore, examples/, and
    // (ignored by .krmignore) dist/ with the bundle.
    for (const entry of ['Kptfile', '.krmignore', 'examples'])
      cpSync(join(repoRoot, entry), join(work, entry), { recursive: true });
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

  /** `internal.config.kubernetes.io/path` of every item in a ResourceList printed by kpt. */
  function itemPaths(stdout: string): string[] {
    return parseAllDocuments(stdout)
      .flatMap((doc) => (doc.toJS() as { items?: KObject[] }).items ?? [])
      .map((item) => item.metadata.annotations?.['internal.config.kubernetes.io/path'] ?? '')
      .sort();
  }
  const ROOT_PACKAGE = ['Kptfile', 'examples/hello/deployment.yaml', 'examples/hello/service.yaml'];

  it('.krmignore keeps the rest of the repository out of the package', () => {
    // kpt reads every YAML (and JSON) file it does not ignore.
    const source = run('kpt', ['fn', 'source', '.'], { cwd: repoRoot });
    expect(source.status, source.stderr).toBe(0);
    expect(itemPaths(source.stdout)).toEqual(ROOT_PACKAGE);
  });

  // The root Kptfile runs the checkout's own dist/: skipped when SIDECAR_INJECTOR_BUNDLE names another.
  it.skipIf(bundlePath !== join(repoRoot, 'dist/sidecar-injector.js'))(
    'kpt fn render --allow-exec in the repository itself renders the root package only',
    () => {
      // The README's command, run where a newcomer runs it, with -o stdout so the checkout is not
      // changed. .krmignore cannot hide a subpackage: any directory with a Kptfile (say a fixture) would
      // be rendered, and rewritten in place, too.
      const kpt = run('kpt', ['fn', 'render', '--allow-exec', '-o', 'stdout'], { cwd: repoRoot });
      expect(kpt.status, kpt.stderr).toBe(0);
      expect(itemPaths(kpt.stdout)).toEqual(ROOT_PACKAGE);
      expect(kpt.stderr.match(/^Package "[^"]*":/gm)).toHaveLength(1);
      const deployment = parseAllDocuments(kpt.stdout)
        .flatMap((doc) => (doc.toJS() as { items: KObject[] }).items)
        .find((item) => item.kind === 'Deployment')!;
      expect(hasSidecar(deployment)).toBe(true);
    },
  );
});

// serviceTargetPort under kpt's --match-kind: the function never sees the Service, and says so on the workload.
describe.skipIf(reason)('kpt fn eval --match-kind Deployment with serviceTargetPort: proxy', () => {
  const WEB = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  annotations:',
    '    sidecar.speedscale.com/inject: "true"',
    '    sidecar.speedscale.com/proxy-type: reverse',
    '    sidecar.speedscale.com/proxy-port: "8080"',
    '    sidecar.speedscale.com/service-target-port: proxy',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '      - name: app',
    '        image: example.com/web:1',
    '',
  ].join('\n');
  const SERVICE = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector: {app: web}',
    '  ports:',
    '  - port: 80',
    '    targetPort: 8080',
    '',
  ].join('\n');

  it('warns when injecting and when removing; over the whole package the Service follows, and goes back', () => {
    const pkg = tempDir('kpt-match-kind');
    works.push(pkg);
    writeFileSync(join(pkg, 'web.yaml'), WEB);
    writeFileSync(join(pkg, 'svc.yaml'), SERVICE);
    const evaluate = (...flags: string[]) => {
      const kpt = run('kpt', ['fn', 'eval', pkg, '--exec', bundlePath, '--truncate-output=false', ...flags]);
      expect(kpt.status, `${kpt.stdout}\n${kpt.stderr}`).toBe(0);
      return kpt.stderr;
    };
    const targetPort = () => /targetPort: (\d+)/.exec(readFileSync(join(pkg, 'svc.yaml'), 'utf8'))?.[1];

    expect(evaluate('--match-kind', 'Deployment')).toContain(
      'service-target-port is proxy, but no Service in this package selects these pods',
    );
    expect(targetPort()).toBe('8080');
    expect(evaluate()).not.toContain('no Service in this package');
    expect(targetPort()).toBe('4143');

    const web = join(pkg, 'web.yaml');
    writeFileSync(web, readFileSync(web, 'utf8').replace('inject: "true"', 'inject: "false"'));
    expect(evaluate('--match-kind', 'Deployment')).toContain(
      "no Service in this package selects these pods: one an earlier run pointed at the proxy's in-port 4143 keeps",
    );
    expect(targetPort()).toBe('4143');
    expect(evaluate()).toContain('restored the targetPort its author wrote');
    expect(targetPort()).toBe('8080');
  });
});
