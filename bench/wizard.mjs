// Benchmark of the wizard page (issue 14): a pasted 1,000-workload package injected and rendered, in
// Debian's chromium (playwright-core), from the built dist/web/index.html. Not a test: it prints medians.
//   npm run build && node bench/wizard.mjs          (BENCH_RUNS=n rounds, default 5; BENCH_COUNT=n workloads)
// Two timings per round: opening a share link that holds the package (decode the state, run the core over
// every workload, render the Review step with its diff), and going to Wire it in (the files it offers and
// the whole injected package rendered).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import lzString from 'lz-string';
import { chromium } from 'playwright-core';
import { deployment } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.env.BENCH_COUNT ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 5);

// The generator's ResourceList items as a plain multi-document stream, as a user pastes `kubectl` manifests.
const text = Array.from({ length: count }, (_, i) =>
  deployment('mixed', i)
    .replace(/^- /m, '') // the item's dash, after the comment some items start with
    .replace(/^ {2}/gm, '')
    .replace(/^.*(internal\.)?config\.kubernetes\.io\/(index|path).*\n/gm, ''),
).join('---\n');
// The page's state (web/state.ts): the package on step 4, Review; the annotated half is chosen by itself.
const state = {
  step: 3,
  sources: [{ path: 'package.yaml', text }],
  current: 0,
  choices: {},
  annotateOn: 'workload',
  config: {},
  annotations: {},
};
const url = `${pathToFileURL(join(root, 'dist/web/index.html')).href}#s=${lzString.compressToEncodedURIComponent(JSON.stringify(state))}`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const profile = mkdtempSync(join(tmpdir(), 'sidecar-injector-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const open = [];
const change = [];
try {
  for (let round = 0; round < runs; round++) {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    const t0 = performance.now();
    await page.goto(url);
    await page.getByTestId('ready').waitFor();
    open.push(performance.now() - t0);
    if (process.env.BENCH_VERBOSE) console.log('open', open.at(-1));
    const ready = await page.getByTestId('ready').textContent();
    if (ready !== '1/1 -> 2/2') throw new Error(`the first workload shows ${ready}, not 1/1 -> 2/2`);
    const t1 = performance.now();
    await page.getByRole('button', { name: '5. Wire it in', exact: true }).click();
    await page.locator('pre[data-output="package.yaml"]').waitFor({ state: 'attached' });
    change.push(performance.now() - t1);
    await page.close();
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
const kb = (Buffer.byteLength(text) / 1024).toFixed(0);
console.log(`wizard page, ${count} workloads pasted (${kb} kB, half annotated), ${runs} rounds, median:`);
console.log(`  open the share link, inject all, render Review: ${median(open).toFixed(0)} ms`);
console.log(`  go to Wire it in (the injected package rendered): ${median(change).toFixed(0)} ms`);
