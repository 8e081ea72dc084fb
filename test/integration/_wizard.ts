/**
 * What the wizard's browser tests share: the built page, a paste as the clipboard delivers one, the way to a
 * step, and axe-core's findings. Not a test file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from './_browser';
import { repoRoot } from './_tools';

/** The page as built (`npm run build`), opened from disk as a user would. */
export const PAGE = pathToFileURL(join(repoRoot, 'dist/web/index.html')).href;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A step's button by its title; a number given is ignored (Environment came first later and moved them all). */
export const stepButton = (page: Page, title: string) =>
  page.getByRole('button', { name: new RegExp(`^\\d+\\. ${title.replace(/^\d+\. /, '')}$`) });
export const step = (page: Page, title: string) => stepButton(page, title).click();

/** A fresh page opens on Environment: the page, then its Manifests step, where the editor is. */
export async function openManifests(page: Page): Promise<void> {
  await page.goto(PAGE);
  await step(page, 'Manifests');
}

/** A paste, as the clipboard delivers one (keyboard.insertText makes chromium insert line by line: slow). */
export async function paste(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.locator('.cm-content').evaluate((editor, text) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', text);
    editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  }, text);
}

/** Configure's "All settings", opened (collapsed below the short form). */
export async function allSettings(page: Page): Promise<void> {
  const panel = page.locator('details[data-panel="all"]');
  if ((await panel.getAttribute('open')) === null) await panel.locator('> summary').click();
}

/** axe-core's violations on the page as it is, one line each (rule: targets). */
export async function axeViolations(page: Page): Promise<string[]> {
  // The page runs only its own script (its CSP allows that one by hash): axe goes in through the debugger
  // protocol, which no CSP governs, not as an inline script.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }
    ).axe;
    return (await axe.run()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
