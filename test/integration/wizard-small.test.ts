/**
 * The wizard page's smaller items (issue 25, part D) in Debian's chromium: what a user meets around the output,
 * at a phone's width and by keyboard. Each test fails on the page before its change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compute } from '../../web/pipeline';
import { initialState } from '../../web/state';
import { chromiumMissing, launch, type FileChooser, type Page, type Session } from './_browser';
import { axeViolations, openManifests, paste, step } from './_wizard';

const inCi = process.env.CI === 'true';
const noBrowser = chromiumMissing() ? '/usr/bin/chromium is not installed' : '';
if (noBrowser) console.warn(`[skipped] the wizard page's smaller items: ${noBrowser}`);

const STEPS = ['Manifests', 'Choose', 'Configure', 'Review', 'Wire it in', 'Verify'];

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
const stream = (...docs: string[]) => docs.join('---\n');

/** How far the document is wider than the window (0 when nothing scrolls sideways). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Workloads with long names in a namespace of their own, every one ticked: each step has them all. */
const LONG = Array.from({ length: 3 }, (_, i) => `payments-reconciliation-${'x'.repeat(90)}-worker-${i}`);
async function longNamesTicked(page: Page) {
  await openManifests(page);
  await paste(page, stream(...LONG.map((name) => deployment(name, 'a-rather-long-namespace-for-payments'))));
  await page.getByText('3 workload(s) found').waitFor();
  await step(page, 'Choose');
  for (const box of await page.getByRole('checkbox').all()) await box.check();
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
    await openManifests(page);
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

  for (const width of [390, 800])
    it(`no step is wider than a ${width} px window, with long names; the tables stack at 390 px`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await longNamesTicked(page);
      const wide: string[] = [];
      for (const title of STEPS) {
        await step(page, title);
        const over = await overflow(page);
        if (over > 0) wide.push(`${title}: ${over} px too wide`);
      }
      expect(wide, wide.join('\n')).toEqual([]);
      // The Review dropdown holds the long names, within the page.
      await step(page, 'Review');
      const select = await page.getByLabel('Workload', { exact: true }).boundingBox();
      expect(select!.x + select!.width).toBeLessThanOrEqual(width);
      if (width > 390) return;
      // Every cell of the Choose and Manifests tables is on screen, the Outcome too, its column named beside it.
      for (const title of ['Choose', 'Manifests']) {
        await step(page, title);
        const cells = page.locator('main td');
        expect(await cells.count()).toBeGreaterThan(0);
        const rights = await cells.evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().right));
        expect(Math.max(...rights), title).toBeLessThanOrEqual(width);
      }
      await step(page, 'Choose');
      const outcome = page.locator('main td[data-label="Outcome"]').first();
      expect(await outcome.textContent()).toBe('injected');
      expect(await outcome.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Outcome"');
    });

  it('the file pickers read "Choose files" and "Choose a folder", and open from the keyboard', async () => {
    // Listening from the start: playwright turns chromium's file chooser interception on asynchronously when
    // the first listener comes, so a listener added with the key press could miss the chooser it opens.
    const choosers: FileChooser[] = [];
    const chosen = (chooser: FileChooser) => void choosers.push(chooser);
    page.on('filechooser', chosen);
    await page.setViewportSize({ width: 1280, height: 900 });
    await openManifests(page);
    for (const [name, folder] of [
      ['Choose files', false],
      ['Choose a folder', true],
    ] as const) {
      const input = page.getByLabel(name, { exact: true });
      expect(await input.getAttribute('type')).toBe('file');
      expect(await input.evaluate((i) => i.hasAttribute('webkitdirectory'))).toBe(folder);
      // The words are on the page, visible, not the browser's "Choose File".
      expect(await page.locator('label', { hasText: name }).isVisible()).toBe(true);
      expect(await input.evaluate((i) => i.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    }
    await page.getByRole('button', { name: 'Load example' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.textContent)).toBe(
      'Choose files',
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length).toBe(1);
    page.off('filechooser', chosen);
    const [chooser] = choosers;
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([
      { name: 'hello.yaml', mimeType: 'text/yaml', buffer: Buffer.from(deployment('hello', 'demo')) },
    ]);
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.textContent)).toBe(
      'Choose a folder',
    );
  });

  it('downloads the annotated manifests under their name and the injected ones as <base>.injected.yaml', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await openManifests(page);
    await paste(page, deployment('hello', 'demo', 'true'));
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await step(page, 'Wire it in');
    const saved = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button, exact: true }).click(),
      ]);
      return download.suggestedFilename();
    };
    expect(await saved('Download manifests.yaml (annotated, to commit)')).toBe('manifests.yaml');
    expect(await saved('Download manifests.injected.yaml (with the sidecar)')).toBe('manifests.injected.yaml');
  });

  it('Choose: Now says what each workload is, Outcome only what it adds, and a legend says so', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    // An injected workload as the function writes it (the same core the page runs).
    const injected = compute({
      ...initialState(),
      sources: [{ path: 'a.yaml', text: deployment('was-injected', 'shop', 'true') }],
    }).files[0].output;
    expect(injected).toContain('speedscale-goproxy');
    await openManifests(page);
    await paste(
      page,
      stream(
        injected,
        deployment('annotated', 'shop', 'true'),
        deployment('opted-out', 'shop', 'false'),
        deployment('plain', 'shop'),
      ),
    );
    await page.getByRole('cell', { name: 'shop/plain' }).waitFor();
    await step(page, 'Choose');
    const rows = page.locator('main tbody tr');
    await expect
      .poll(() =>
        rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent))),
      )
      .toEqual([
        ['Deployment shop/was-injected', 'injected', ''],
        ['Deployment shop/annotated', 'annotated', 'injected'],
        ['Deployment shop/opted-out', 'opted out', ''],
        ['Deployment shop/plain', 'not annotated', ''],
      ]);
    expect(await page.getByText(/^Now: what the manifests say today/).isVisible()).toBe(true);
    // A tick changes the outcome, which then says so.
    await page.getByLabel('Deployment shop/plain').check();
    await expect.poll(() => rows.nth(3).locator('td').nth(3).textContent()).toBe('injected');
  });

  it('Choose: a filter by name, kind or namespace, "N of M match", Select all and none on the matches', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await openManifests(page);
    await paste(
      page,
      stream(
        deployment('cart', 'shop'),
        deployment('checkout', 'shop'),
        deployment('ledger', 'bank'),
        deployment('shop-admin', 'admin'),
        deployment('teller', 'bank'),
      ),
    );
    await page.getByRole('cell', { name: 'bank/teller' }).waitFor();
    await step(page, 'Choose');
    const filter = page.getByLabel('Filter', { exact: true });
    const count = page.getByText(/^\d+ of \d+ match$/);
    const labels = () => page.locator('main tbody label').allTextContents();
    expect(await count.textContent()).toBe('5 of 5 match');
    await filter.fill('bank');
    expect(await count.textContent()).toBe('2 of 5 match');
    expect(await labels()).toEqual(['Deployment bank/ledger', 'Deployment bank/teller']);
    await filter.fill('deployment SHOP');
    expect(await labels()).toEqual(['Deployment shop/cart', 'Deployment shop/checkout', 'Deployment admin/shop-admin']);
    await filter.fill('shop/c');
    expect(await count.textContent()).toBe('2 of 5 match');
    await page.getByRole('button', { name: 'Select all', exact: true }).click();
    // The filter stays through the re-render the ticks cause; only the matching rows were ticked.
    expect(await filter.inputValue()).toBe('shop/c');
    await filter.fill('');
    const ticked = () =>
      page
        .locator('main tbody tr')
        .evaluateAll((trs) =>
          trs
            .filter((tr) => tr.querySelector<HTMLInputElement>('input')!.checked)
            .map((tr) => tr.querySelector('label')!.textContent),
        );
    expect(await ticked()).toEqual(['Deployment shop/cart', 'Deployment shop/checkout']);
    await filter.fill('cart');
    await page.getByRole('button', { name: 'Select none', exact: true }).click();
    await filter.fill('');
    expect(await ticked()).toEqual(['Deployment shop/checkout']);
    await filter.fill('nothing-like-it');
    expect(await count.textContent()).toBe('0 of 5 match');
    expect(await page.getByText('No workload matches the filter.').isVisible()).toBe(true);
    await filter.fill('');
  });

  it('Next and Back at the foot of a long step open the next at its heading, focused', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await openManifests(page);
    await paste(page, stream(...Array.from({ length: 60 }, (_, i) => deployment(`svc-${i}`, 'demo'))));
    await page.getByText('60 workload(s) found').waitFor();
    await step(page, 'Choose');
    for (const [button, heading] of [
      ['Next: Configure', 'Configure'],
      ['Back', 'Choose'],
    ]) {
      // Configure is short until "All settings" is opened: opened, it is long enough to be scrolled to its foot.
      if (button === 'Back') await page.locator('details[data-panel="all"] > summary').click();
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(900);
      await page.getByRole('button', { name: button, exact: true }).click();
      const title = page.locator('#step-title');
      expect(await title.textContent()).toMatch(new RegExp(`^\\d+\\. ${heading}$`));
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-title');
      const top = (await title.boundingBox())!.y;
      expect(top, heading).toBeGreaterThanOrEqual(0);
      expect(top, heading).toBeLessThan(100);
    }
  });

  for (const scheme of ['light', 'dark'] as const)
    it(`has no axe-core violation on any step at 390 px (${scheme})`, async () => {
      const themed = await launch({ colorScheme: scheme });
      try {
        const p = await themed.newPage();
        await p.setViewportSize({ width: 390, height: 844 });
        await longNamesTicked(p);
        const found: string[] = [];
        for (const title of STEPS) {
          await step(p, title);
          found.push(...(await axeViolations(p)).map((v) => `${title}: ${v}`));
        }
        expect(found, found.join('\n')).toEqual([]);
      } finally {
        await themed.close();
      }
    });
});
