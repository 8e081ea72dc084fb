/**
 * README.md's fenced blocks, marked `doc-test=readme/<id>` like docs/orchestrators.md's, run as written:
 * the quick start (`npm start`, in a copy of the checkout; `npm ci` and `npm test` are what .ci/run runs),
 * the kpt block in a copy of the repository's kpt package, the command line's example with its output, and
 * the FunctionConfig example as a `--config`.
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { docBlock, README } from './_docs';
import {
  BUNDLE_HINT,
  bundleMissing,
  bundlePath,
  hasSidecar,
  missing,
  repoRoot,
  run,
  runAsync,
  tempDir,
  type KObject,
} from './_tools';

const block = (id: string) => docBlock(`readme/${id}`, README);
const reason = missing('README blocks', ['kpt', 'npm'], [[bundleMissing(), BUNDLE_HINT]]);

describe.skipIf(reason)('README.md, run as written', () => {
  const work = tempDir('readme');
  afterAll(() => run('rm', ['-rf', work]));

  it('npm start builds and prints the injected ResourceList', async () => {
    const lines = block('dev').trim().split('\n');
    expect(lines.map((l) => l.replace(/ +#.*$/, ''))).toEqual(['npm ci && npm start', 'npm test']);
    const checkout = join(work, 'checkout');
    const skip = new Set(['node_modules', '.git', 'dist'].map((e) => join(repoRoot, e)));
    cpSync(repoRoot, checkout, { recursive: true, filter: (path) => !skip.has(path) });
    symlinkSync(join(repoRoot, 'node_modules'), join(checkout, 'node_modules')); // what `npm ci` installs
    const out = await runAsync('bash', ['-c', 'npm start --silent'], { cwd: checkout });
    expect(out.status, out.stderr).toBe(0);
    const list = parse(out.stdout) as { kind: string; items: KObject[] };
    expect(list.kind).toBe('ResourceList');
    expect(list.items.filter(hasSidecar).map((o) => o.metadata.name)).toEqual(['web']);
  }, 300_000);

  it('the kpt block: render, then eval on examples', () => {
    const dir = join(work, 'sidecar-injector');
    mkdirSync(join(dir, 'dist'), { recursive: true });
    symlinkSync(bundlePath, join(dir, 'dist/sidecar-injector.js'));
    for (const entry of ['Kptfile', '.krmignore', 'examples'])
      cpSync(join(repoRoot, entry), join(dir, entry), { recursive: true });
    const [first, second] = block('kpt').trim().split('\n');
    // The build is the bundle under test (symlinked above); the rest as written.
    const render = first.replace(/^npm ci && npm run build && /, '').replace(/ +#.*$/, '');
    expect(render).toBe('kpt fn render --allow-exec');
    for (const command of [render, second]) {
      const out = run('bash', ['-e', '-c', command], { cwd: dir });
      expect(out.status, `${command}\n${out.stderr}`).toBe(0);
    }
    const deployment = readFileSync(join(dir, 'examples/hello/deployment.yaml'), 'utf8');
    expect(hasSidecar(parse(deployment) as KObject)).toBe(true);
  });

  it('the command line example prints what it shows', () => {
    const [command, ...expected] = block('cli').trim().split('\n');
    expect(command.startsWith('$ ')).toBe(true);
    const out = run('bash', ['-c', command.slice(2)], { cwd: repoRoot });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr.trim().split('\n')).toEqual(expected);
  });

  it('the FunctionConfig example is a config the command line takes', () => {
    const config = join(work, 'capture.yaml');
    writeFileSync(config, block('config'));
    const out = run(bundlePath, ['inject', '--config', config, join(repoRoot, 'examples/hello/deployment.yaml')]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('image: gcr.io/speedscale/goproxy:v2.5.602');
    expect(out.stdout).toContain('5432,6379');
  });
});
