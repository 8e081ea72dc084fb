/**
 * The wizard page's smaller items (issue 25, part D) in Debian's chromium: what a user meets around the output,
 * at a phone's width and by keyboard. Each test fails on the page before its change.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { repoRoot } from './_tools';

const PAGE = pathToFileURL(join(repoRoot, 'dist/web/index.html')).href;

const inCi = process.env.CI === 'true';
const noBrowser = chromiumMissing() ? '/usr/bin/chromium is not installed' : '';
if (noBrowser) console.warn(`[skipped] the wizard page's smaller items: ${noBrowser}`);

/** A Deployment; `inject` is its opt-in annotation's value, if any. */
function deployment(name: string, namespace: string, inject?: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    ...(inject ? ['  annotations:', `    sidecar.speedscale.com/inject: "${inject}"`] : []),
    'spec:',
    `  selector: {matchLabels: {app: ${name}}}`,
    '  template:',
    '    metadata:',
    `      labels: {app: ${name}}`,
    '    spec:',
    '      containers:',
    `      - name: ${name.slice(0, 60)}`,
    `        image: ${name.slice(0, 60)}:1`,
    '',
  ].join('\n');
}
/** A paste, as the clipboard delivers one (as wizard.test.ts pastes). */
async function paste(page: Page, text: string) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.locator('.cm-content').evaluate((editor, text) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', text);
    editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, text);
}

describe.skipIf(noBrowser && !inCi)("the wizard page's smaller items in chromium", () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await launch();
    page = await session.newPage();
  }, 60_000);
  afterAll(async () => session?.close());

  it('the editor says how to leave it (Escape, then Tab), and wraps a long line', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(PAGE);
    const editor = page.locator('.cm-content');
    const hint = page.locator(`#${await editor.getAttribute('aria-describedby')}`);
    expect(await hint.textContent()).toBe('Tab indents; press Escape then Tab to leave the editor.');
    expect(await hint.isVisible()).toBe(true);
    await paste(page, `${deployment('hello', 'demo')}# ${'a long comment '.repeat(300)}\n`);
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    const scroller = page.locator('.editor .cm-scroller');
    expect(await scroller.evaluate((s) => s.scrollWidth - s.clientWidth)).toBeLessThanOrEqual(0);
    // What the hint says works: Tab indents inside, Escape then Tab goes on to the next control.
    await editor.click();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.cm-editor'))).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.cm-editor'))).toBe(false);
  });
});
