/**
 * The command line on hostile and unlucky input, through the built bundle as a process (issue 23, case 3):
 * nesting 10,000 levels deep, 130,000 documents. Each gives one line naming the file, never a stack trace;
 * the other files are still processed, reported and written; the exit code says so.
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
