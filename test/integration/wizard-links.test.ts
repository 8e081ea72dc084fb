/**
 * Share links the page did not make, opened in Debian's chromium: each opens, whatever it holds, and what
 * it could not take it says. One unpacks to far more than its length (it froze or crashed the tab); one
 * names a file with a newline (the page went blank).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeState, initialState, type WizardState } from '../../web/state';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { PAGE, step } from './_wizard';
import { repoRoot } from './_tools';

const inCi = process.env.CI === 'true';
const noBrowser = chromiumMissing() ? '/usr/bin/chromium is not installed' : '';
if (noBrowser) console.warn(`[skipped] the wizard page's links: ${noBrowser}`);

const HELLO = readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8');
const ID = 'Deployment/demo/hello';
const link = (changes: Partial<WizardState>) => `${PAGE}#${encodeState({ ...initialState(), ...changes })}`;

describe.skipIf(noBrowser && !inCi)("the wizard page's links in chromium", () => {
  let session: Session;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    session = await launch();
    page = await session.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
  }, 60_000);
  afterAll(async () => session?.close());

  /** Opens `url` afresh (a new document: goto with only another fragment would not load it again). */
  async function open(url: string): Promise<void> {
    errors.length = 0;
    await page.goto('about:blank');
    await page.goto(url);
    await page.locator('#step-title').waitFor();
  }

  it('refuses a link that unpacks to far more than its length, says so, and opens at once', async () => {
    // A quarter of a megabyte of one letter in a link of 1 KB (small, so the test makes it fast); made with
    // a hundred megabytes, such a link of 30 KB crashed the tab.
    const bomb = link({ step: 'manifests', sources: [{ path: 'm.yaml', text: 'a'.repeat(1 << 18) }] });
    expect(bomb.length - PAGE.length).toBeLessThan(2000);
    const started = Date.now();
    await open(bomb);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await page.locator('#link-notice [role="alert"]').textContent()).toMatch(
      /^This link was not opened: its \d+ characters unpack to more than \d+ characters: .*Nothing of it was loaded\.$/,
    );
    expect(await page.locator('#step-title').textContent()).toBe('1. Environment');
    await step(page, 'Manifests');
    expect(await page.locator('.cm-content').textContent()).toBe('');
    expect(errors).toEqual([]);
  });

  it('shows a file named with a newline, escaped, on every step that names it', async () => {
    // downloadName threw on it: Wire it in rendered nothing, and a link opening there a blank page.
    await open(
      link({
        step: 'wire',
        sources: [{ path: 'we\nb.yaml', text: HELLO }],
        choices: { [ID]: true },
        tool: 'kubectl',
      }),
    );
    expect(await page.locator('#step-title').textContent()).toBe('6. Wire it in');
    const download = page.getByRole('button', { name: /^Download we\\nb\.injected\.yaml/ });
    expect(await download.count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain('we\\nb.yaml as the function writes it');
    await step(page, 'Manifests');
    expect(await page.locator('.cm-content').getAttribute('aria-label')).toBe('Manifests: we\\nb.yaml');
    for (const title of ['Choose', 'Configure', 'Review', 'Verify']) {
      await step(page, title);
      expect(await page.locator('#step-title').textContent()).toMatch(new RegExp(`^\\d\\. ${title}$`));
    }
    expect(errors).toEqual([]);
  });
});
