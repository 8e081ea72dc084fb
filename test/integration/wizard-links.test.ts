/**
 * Share links the page did not make, opened in Debian's chromium: one that unpacks to far more than its
 * length (it froze or crashed the tab), one naming a file with a newline (the page went blank), and one
 * setting what the page shows no control for (it went into the files offered, unseen). Each is opened,
 * what it could not hold is left out, and the page says so.
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
    const notice = await page.locator('#link-notice [role="alert"]').textContent();
    expect(notice).toMatch(/^This link was not opened: its \d+ characters unpack to more than \d+ characters, /);
    expect(notice).toMatch(/, over 64 times its length: .*Nothing of it was loaded\.$/);
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

  it('leaves out what a link sets that the page shows no control for, and says what it left out', async () => {
    await open(
      link({
        step: 'configure',
        sources: [{ path: 'deployment.yaml', text: HELLO }],
        tool: 'kubectl',
        config: { uninstall: 'true', failOn: 'never', inject: 'true', tlsOut: 'true' },
        annotations: { [ID]: { image: 'evil.example/goproxy:latest', proxyType: 'reverse' } },
      }),
    );
    expect(await page.locator('#link-notice [role="alert"]').textContent()).toBe(
      'This link set settings the page offers no control for, and they were left out: package settings: ' +
        `uninstall, failOn, inject; per-workload settings of ${ID}: image.`,
    );
    await step(page, 'Wire it in');
    const config = (await page.locator('pre[data-path="sidecar-injector.yaml"]').textContent()) ?? '';
    expect(config).toContain('tlsOut: true');
    expect(config).not.toMatch(/uninstall|failOn|inject:/);
    const output = (await page.locator('pre[data-output="deployment.yaml"]').textContent()) ?? '';
    expect(output).toContain('sidecar.speedscale.com/proxy-type: reverse');
    expect(output).not.toContain('evil.example');
    expect(output).toContain('name: speedscale-goproxy');
    expect(errors).toEqual([]);
  });
});
