// Benchmark of the wizard page: a pasted 1,000-workload package injected and rendered, in Debian's chromium
// (playwright-core), from the built dist/web/index.html. Not a test: it prints medians against the target.
//   npm run build && node bench/wizard.mjs          (BENCH_RUNS=n rounds, default 5; BENCH_COUNT=n workloads;
//                                                    BENCH_JSON=file writes the medians there: bench/run.mjs)
// Per round, in a fresh page:
//   paste     the package pasted into the open page (a clipboard paste event on the editor) until the frame
//             after it: every workload run through the core, the list of workloads rendered. The target.
//   keystroke one character typed into the pasted package: the one document it changed is processed again.
//   link      a share link holding the package opened: page load, decoding the state, the core, and the
//             Review step with its diff.
//   wire      from there to Wire it in: the files it offers and the whole injected package rendered.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import lzString from 'lz-string';
import { chromium } from 'playwright-core';
import { deployment } from './generate.mjs';
/* global window, document, requestAnimationFrame, DataTransfer, ClipboardEvent -- used in the page */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.env.BENCH_COUNT ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 5);

// The generator's ResourceList items (flow labels, half "true" and half "false") as a plain multi-document
// stream, as a user pastes `kubectl` manifests.
const text = Array.from({ length: count }, (_, i) =>
  deployment('half', i)
    .replace(/^- /m, '') // the item's dash, after the comment some items start with
    .replace(/^ {2}/gm, '')
    .replace(/^.*(internal\.)?config\.kubernetes\.io\/(index|path).*\n/gm, ''),
).join('---\n');
// The page's state (web/state.ts): the package on the Review step; the annotated half is chosen by itself.
const state = {
  step: 'review',
  sources: [{ path: 'package.yaml', text }],
  current: 0,
  choices: {},
  annotateOn: 'workload',
  config: {},
  annotations: {},
};
const url = `${pathToFileURL(join(root, 'dist/web/index.html')).href}#s=${lzString.compressToEncodedURIComponent(JSON.stringify(state))}`;

// A step's button by its title: the number in front of it follows the steps' order (web/steps/index.ts).
const stepButton = (page, title) => page.getByRole('button', { name: new RegExp(`^\\d+\\. ${title}$`) });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const profile = mkdtempSync(join(tmpdir(), 'sidecar-injector-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const TARGET_MS = 1000;
const PAUSE_MS = 1000;
const timings = { paste: [], keystroke: [], link: [], wire: [] };
const note = (name, ms) => {
  timings[name].push(ms);
  if (process.env.BENCH_VERBOSE) console.log(name, ms.toFixed(0));
};
await context.addInitScript(() => {
  // Until the frame after what the page did synchronously has been produced.
  window.afterFrame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
});
try {
  for (let round = 0; round < runs; round++) {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(pathToFileURL(join(root, 'dist/web/index.html')).href);
    // A fresh page opens on the Environment step; the user goes to Manifests and takes a moment to paste,
    // so the page is open and idle (it warms the core up then, web/main.ts).
    await stepButton(page, 'Manifests').click();
    await page.waitForTimeout(PAUSE_MS);
    note(
      'paste',
      await page.evaluate(async (text) => {
        const editor = document.querySelector('.cm-content');
        editor.focus();
        const clipboardData = new DataTransfer();
        clipboardData.setData('text/plain', text);
        const t0 = performance.now();
        editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
        await window.afterFrame();
        return performance.now() - t0;
      }, text),
    );
    const found = await page.locator('caption').first().textContent();
    if (found !== `${count} workload(s) found`) throw new Error(`after the paste the page says ${found}`);
    note(
      'keystroke',
      await page.evaluate(async () => {
        const t0 = performance.now();
        document.execCommand('insertText', false, '#');
        await window.afterFrame();
        return performance.now() - t0;
      }),
    );
    await page.close();

    const linked = await context.newPage();
    const t0 = performance.now();
    await linked.goto(url);
    await linked.getByTestId('ready').waitFor();
    note('link', performance.now() - t0);
    const ready = await linked.getByTestId('ready').textContent();
    if (ready !== '1/1 -> 2/2') throw new Error(`the first workload shows ${ready}, not 1/1 -> 2/2`);
    const t1 = performance.now();
    await stepButton(linked, 'Wire it in').click();
    await linked.locator('pre[data-output="package.yaml"]').waitFor({ state: 'attached' });
    note('wire', performance.now() - t1);
    await linked.close();
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
const kb = (Buffer.byteLength(text) / 1024).toFixed(0);
const ms = (name) => `${median(timings[name]).toFixed(0)} ms (slowest ${Math.max(...timings[name]).toFixed(0)})`;
const verdict = median(timings.paste) <= TARGET_MS ? 'PASS' : 'FAIL';
console.log(`wizard page, ${count} workloads (${kb} kB, flow labels, half annotated), ${runs} rounds, median:`);
console.log(`  paste into the open page, inject all, render: ${ms('paste')} (target ${TARGET_MS} ms: ${verdict})`);
console.log(`  then one keystroke in the package:           ${ms('keystroke')}`);
console.log(`  open a share link holding it, render Review: ${ms('link')} (page load included)`);
console.log(`  then go to Wire it in:                       ${ms('wire')}`);
// For bench/run.mjs, which reports the paste against its target with the other figures.
if (process.env.BENCH_JSON) {
  const figures = Object.fromEntries(
    Object.entries(timings).map(([name, ms]) => [name, { median: median(ms), max: Math.max(...ms) }]),
  );
  writeFileSync(process.env.BENCH_JSON, JSON.stringify({ count, bytes: Buffer.byteLength(text), runs, ...figures }));
}
