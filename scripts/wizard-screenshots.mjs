// Screenshots of the wizard page, one per step, into docs/wizard/ (committed; run after `npm run build`):
//   node scripts/wizard-screenshots.mjs
// Debian's chromium through playwright-core, as the browser tests drive it; the hello example, tls-out on.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs/wizard');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

mkdirSync(out, { recursive: true });
for (const scheme of ['light', 'dark']) {
  const profile = mkdtempSync(join(tmpdir(), 'sidecar-injector-shots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...ARGS, '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1280, height: 860 },
    colorScheme: scheme,
  });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(root, 'dist/web/index.html')).href);
    await page.getByRole('button', { name: /^\d+\. Manifests$/ }).click(); // the page opens on Environment
    await page.getByRole('button', { name: 'Load example' }).click();
    // The steps as the page's step bar names them ("6. Wire it in": 6-wire-it-in.png), so a new step is shot too.
    for (const label of await page.locator('#steps button').allTextContents()) {
      await page.getByRole('button', { name: label, exact: true }).click();
      const name = label.replace(/^\d+\. /, '');
      if (name === 'Configure') await page.getByLabel(/ tlsOut$/).selectOption('true');
      const file = `${label.toLowerCase().replace(/\W+/g, '-')}${scheme === 'dark' ? '-dark' : ''}.png`;
      // Only the review in dark: enough to show the theme without doubling the files.
      if (scheme === 'dark' && name !== 'Review') continue;
      await page.screenshot({ path: join(out, file) });
      console.log(`wrote docs/wizard/${file}`);
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
