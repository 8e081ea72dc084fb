/**
 * The benchmark still runs against the product as it is today: a page change once made bench/wizard.mjs fail
 * on its first step, unnoticed until the next full run. Smallest sizes, one round; no figure is judged here
 * (speed goals live in the benchmark, bench/README.md), only that each script finishes and checked what it
 * measured (the workloads found, the sidecars written).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumMissing } from './_browser';

const inCi = process.env.CI === 'true';
const noBrowser = chromiumMissing() ? '/usr/bin/chromium is not installed' : '';
if (noBrowser) console.warn(`[skipped] the wizard benchmark: ${noBrowser}`);

const root = join(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sidecar-injector-bench-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (script: string, env: Record<string, string>) =>
  execFileSync(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });

describe('the benchmark scripts', () => {
  it('bench/run.mjs, quick: every case runs, the function checked, the targets evaluated', () => {
    const results = join(work, 'RESULTS.md');
    run('bench/run.mjs', { BENCH_QUICK: '1', BENCH_RUNS: '1', BENCH_WIZARD: '0', BENCH_RESULTS: results });
    const md = readFileSync(results, 'utf8');
    // bench/run.mjs exits 1 when an output is not a ResourceList of the input's items; the table says more.
    for (const name of ['empty', 'pair', 'storefront', 'all-100', 'half-1000'])
      expect(md).toMatch(new RegExp(`^\\| ${name} \\|`, 'm'));
    // Nothing to do: the start-up every package pays, under the same measure as the pair's.
    expect(md).toMatch(/^\| empty \| [\d.]+ kB \| 0 \(0\) \|/m);
    expect(md).toMatch(/^\| all-100 \|.*\| 100 \|$/m);
    expect(md).toMatch(/^\| 100 workloads, all "true": time vs `node -e 0` \| [\d.]+x/m);
  });

  it.skipIf(noBrowser && !inCi)('bench/wizard.mjs: the package pasted, found, linked and wired in chromium', () => {
    const json = join(work, 'wizard.json');
    run('bench/wizard.mjs', { BENCH_COUNT: '20', BENCH_RUNS: '1', BENCH_JSON: json });
    const figures = JSON.parse(readFileSync(json, 'utf8')) as Record<string, { median: number } | number>;
    expect(figures.count).toBe(20);
    for (const name of ['paste', 'keystroke', 'link', 'wire'])
      expect((figures[name] as { median: number }).median).toBeGreaterThan(0);
  });
});
