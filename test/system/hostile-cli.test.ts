/**
 * The command line on hostile and unlucky input, through the built bundle as a process (issue 23, cases 3
 * and 9): nesting 10,000 levels deep, 130,000 documents, NULs and other control characters in names. Each
 * gives one line naming the file (or the field), never a stack trace; the other files are still processed,
 * reported and written; the exit code says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE, ROOT } from '../support/helpers';

const scratch = mkdtempSync(join(tmpdir(), 'hostile-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
`;
const DEEP = `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;

function cli(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}) {
  const rssFile = join(scratch, `rss-${Math.random().toString(36).slice(2)}`);
  const child = spawnSync(process.execPath, ['--require', join(ROOT, 'bench/rss-probe.cjs'), BUNDLE, ...args], {
    input: options.input ?? '',
    env: { ...process.env, BENCH_RSS_FILE: rssFile, ...options.env },
    timeout: 110_000,
    maxBuffer: 1 << 30,
  });
  let rssMiB = NaN;
  try {
    rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    // killed: no figure
  }
  return { stdout: child.stdout.toString(), stderr: child.stderr.toString(), status: child.status, rssMiB };
}

/** No stack trace, no bundle source: only our lines. */
function onlyOurLines(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at |RangeError|sidecar-injector\.bin:|node:internal/);
  for (const line of stderr.trimEnd().split('\n')) expect(line).not.toMatch(/^\s*\^|^\s{20,}/);
}

const dirWith = (files: Record<string, string>): string => {
  const dir = mkdtempSync(join(scratch, 'dir-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

describe('deep and long input: one line naming the file, the other files processed', () => {
  it('a file nested 10,000 levels deep', () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'b.yaml': DEEP, 'c.yaml': deployment('c') });
    const run = cli(['inject', '-f', dir]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${join(dir, 'b.yaml')}:1:1: document 1: error: input is nested too deeply to read`);
    expect(run.stderr).toContain(`${join(dir, 'a.yaml')}: Deployment/a: injected`);
    expect(run.stderr).toContain(`${join(dir, 'c.yaml')}: Deployment/c: injected`);
    expect(run.stdout.split('name: speedscale-goproxy')).toHaveLength(3);
    expect(run.stdout).toContain(DEEP); // copied through as it came
  });

  it('a JSON file nested 10,000 levels deep', () => {
    const dir = dirWith({
      'deep.json': `{"a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}\n`,
      'c.yaml': deployment('c'),
    });
    const run = cli(['inject', '-f', dir]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/deep\.json:1:1: document 1: error: input is nested too deeply to read/);
    expect(run.stderr).toContain('Deployment/c: injected');
  });

  it('a file of 130,000 documents', () => {
    const dir = dirWith({ 'many.yaml': '---\na: 1\n'.repeat(130_000) });
    const run = cli(['inject', '-f', join(dir, 'many.yaml')]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(0);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('sidecar-injector: 130000 resources: 130000 skipped');
  });

  it('--in-place over a.yaml, a deep b.yaml and c.yaml writes a and c, reports all three, exit 1', () => {
    const dir = dirWith({ 'a.yaml': deployment('a'), 'b.yaml': DEEP, 'c.yaml': deployment('c') });
    const run = cli(['inject', '--in-place', '-f', dir]);
    onlyOurLines(run.stderr);
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(DEEP);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('sidecar-injector: 3 resources: 2 injected, 1 error');
  });
});

describe('control characters and names Kubernetes refuses (also in the KRM function: hostile.test.ts)', () => {
  it.each([
    ['a raw NUL in the name', 'we\u0000b', /metadata\.name contains the control character U\+0000 \(NUL\)/],
    ['the \\0 escape in the name', '"we\\0b"', /metadata\.name contains the control character U\+0000 \(NUL\)/],
    ['an ESC in the name', '"we\\eb"', /metadata\.name contains the control character U\+001B/],
    ['a name that is no DNS-1123 name', 'Web_1', /metadata\.name "Web_1" is not a valid Kubernetes name/],
  ])("%s: an error at the name's line, nothing injected", (_what, name, message) => {
    const run = cli(['inject', '-f', '-'], { input: deployment(name) });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('speedscale-goproxy');
    const line = run.stderr.split('\n')[0];
    expect(line).toMatch(/^<stdin>:4:3: Deployment\/\S+: error: /);
    expect(line).toMatch(message);
    // The report shows what the name holds, escaped: no control character reaches the terminal.
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('a control character in a setting, from an annotation or a flag', () => {
    const annotated = deployment('web').replace(
      'spec:\n  selector',
      '  annotations:\n    sidecar.speedscale.com/log-level: "info\\u0007"\nspec:\n  selector',
    );
    const fromAnnotation = cli(['inject', '-f', '-'], { input: annotated });
    expect(fromAnnotation.status).toBe(1);
    expect(fromAnnotation.stderr).toMatch(
      /^<stdin>:6:5: Deployment\/web: error: annotation sidecar\.speedscale\.com\/log-level contains the control character U\+0007/,
    );
    const fromFlag = cli(['inject', '--image', 'gcr.io/x\u0001:1', '-f', '-'], { input: deployment('web') });
    expect(fromFlag.status).toBe(1);
    expect(fromFlag.stderr).toContain('Deployment/web: error: setting image contains the control character U+0001');
    expect(fromFlag.stdout).not.toContain('speedscale-goproxy');
  });
});
