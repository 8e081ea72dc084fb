/**
 * Part B of the wizard in chromium: the Environment step's answers set the configuration and the step says
 * what each one changed; Configure fits the common case on about one and a half screens, with human labels,
 * help as text, a text area for one-item-per-line keys and a per-workload panel that stays open on the
 * chosen workloads; links made before the Environment step still land on their step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compressToEncodedURIComponent } from 'lz-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { repoRoot } from './_tools';

const PAGE = pathToFileURL(join(repoRoot, 'dist/web/index.html')).href;
const HELLO = readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8');
/** The hello Deployment, opted in, and a second one that is not. */
const TWO = `${HELLO}---\n${HELLO.replace(/name: hello$/m, 'name: other').replace(/ {4}sidecar\.speedscale\.com\/inject: "true"\n/, '')}`;

const inCi = process.env.CI === 'true';
const noBrowser = chromiumMissing() ? '/usr/bin/chromium is not installed' : '';
if (noBrowser) console.warn(`[skipped] the wizard page (part B): ${noBrowser}`);

/** A step by its title, whatever its number. */
const stepButton = (page: Page, title: string) => page.getByRole('button', { name: new RegExp(`^\\d+\\. ${title}$`) });
const step = (page: Page, title: string) => stepButton(page, title).click();
/** A Configure field by its key, shown small after its label. */
const setting = (page: Page, key: string) => page.getByLabel(new RegExp(` ${key}$`));
const changes = (page: Page) => page.getByTestId('answer-changes').textContent();
const spec = (page: Page) => page.locator('pre[data-path="sidecar-injector.yaml"]').textContent();
/** A link as the page writes one, for a state. */
const link = (state: object) => `${PAGE}#s=${compressToEncodedURIComponent(JSON.stringify(state))}`;
/** A new document each time: a new fragment on the same page would not load it. */
async function open(page: Page, url: string) {
  await page.goto('about:blank');
  await page.goto(url);
}
const withHello = (step: unknown) => ({
  step,
  sources: [{ path: 'manifests.yaml', text: HELLO }],
  current: 0,
  choices: {},
  annotateOn: 'workload',
  config: {},
  annotations: {},
});

describe.skipIf(noBrowser && !inCi)('the wizard page, Environment and Configure (chromium)', () => {
  let session: Session;
  let page: Page;

  beforeAll(async () => {
    session = await launch(); // 1280x900
    page = await session.newPage();
  }, 60_000);
  afterAll(async () => session?.close());

  it('opens on Environment; GKE Autopilot sets the profile and the step names each key it set', async () => {
    await open(page, link(withHello('environment')));
    expect(await stepButton(page, 'Environment').getAttribute('aria-current')).toBe('step');
    await page.getByLabel('GKE Autopilot').check();
    const said = (await changes(page)) ?? '';
    for (const set of ['environment = gke-autopilot', 'proxyType = dual', 'cpuRequest = 500m', 'cpuLimit = 500m'])
      expect(said).toContain(set);
    expect(said).toContain("proxyPort = the app's only TCP port");
    // The output has the profile: dual mode, requests equal to limits.
    await step(page, 'Review');
    await step(page, 'Wire it in');
    expect(await spec(page)).toContain('environment: gke-autopilot');
    // Configure shows the answer as what an empty field falls back to, and a value typed there wins.
    await step(page, 'Configure');
    expect(await setting(page, 'proxyType').locator('option').first().textContent()).toBe('(environment: dual)');
    expect(await setting(page, 'cpuRequest').getAttribute('placeholder')).toBe('500m');
    await setting(page, 'cpuRequest').fill('250m');
    await setting(page, 'cpuRequest').press('Tab');
    await step(page, 'Environment');
    expect(await changes(page)).toContain('cpuRequest = 500m (your Configure value 250m wins)');
  });

  it('the operator and registry answers set operatorIgnore and the proxy image', async () => {
    await open(page, link(withHello('environment')));
    await page.getByLabel('No', { exact: true }).check();
    expect(await changes(page)).toContain("Speedscale's operator: not installed. Sets operatorIgnore = false.");
    await page.getByLabel('My own registry (a mirror)').check();
    await page.getByLabel('Your registry').fill('registry.test/team');
    await page.getByLabel('Your registry').press('Tab');
    await expect.poll(() => changes(page)).toContain('Sets image = registry.test/team/goproxy:v');
    await step(page, 'Wire it in');
    const written = (await spec(page)) ?? '';
    expect(written).toContain('operatorIgnore: false');
    expect(written).toMatch(/image: registry\.test\/team\/goproxy:v\S+/);
    // The registry answered is the one Wire it in names.
    const registry = page.getByLabel('Your registry');
    if (await registry.count()) expect(await registry.inputValue()).toBe('registry.test/team');
    // The injected manifests pull the proxy from there.
    expect(await page.locator('pre[data-output="manifests.yaml"]').textContent()).toContain(
      'image: registry.test/team/goproxy:v',
    );
  });

  it('a registry that is not one is the field’s error: it sets no image, and no file names one in it', async () => {
    // A link may hold anything: a newline would add keys to the Kptfile, a $(...) run in install.sh.
    const bad = 'r.example\n      exec: ./evil.sh';
    await open(page, link({ ...withHello('wire'), tool: 'kpt', answers: { images: 'mine' }, registry: bad }));
    const field = page.getByLabel('Your registry');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const error = page.locator('[data-registry-error]');
    expect(await error.textContent()).toMatch(/^Not a registry and path: give host\[:port\]\/path/);
    expect(await error.getAttribute('role')).toBe('alert');
    expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(await error.getAttribute('id'));
    expect(await page.locator('pre[data-path="Kptfile"]').count()).toBe(0);
    expect(await page.locator('pre[data-path="install.sh"]').count()).toBe(0);
    expect(await page.locator('pre[data-output="manifests.yaml"]').textContent()).not.toContain('r.example');
    await step(page, 'Environment');
    expect(await changes(page)).toContain('fix your registry to set the proxy image');
    expect(await changes(page)).not.toContain('Sets image');
    // Corrected, the error goes and the files name the image there.
    await step(page, 'Wire it in');
    await page.getByLabel('Your registry').fill('registry.test/team');
    await page.getByLabel('Your registry').press('Tab');
    await page.locator('pre[data-path="Kptfile"]').waitFor();
    expect(await page.locator('[data-registry-error]').count()).toBe(0);
    expect(await page.getByLabel('Your registry').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('pre[data-path="Kptfile"]').textContent()).toContain(
      'image: registry.test/team/sidecar-injector:',
    );
  });

  it('Configure: the short form fits ~1.5 screens at 1280x900, human labels, keys small, help as text', async () => {
    await open(page, link(withHello('configure')));
    const shortForm = page.locator('fieldset.short-form .setting');
    expect(await shortForm.count()).toBeGreaterThanOrEqual(8);
    expect(await shortForm.count()).toBeLessThanOrEqual(12);
    expect(await page.locator('details[data-panel="all"]').getAttribute('open')).toBeNull();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThanOrEqual(1350);
    // A human label, with the key beside it in <code>.
    expect(await page.locator('fieldset.short-form label').first().innerText()).toMatch(/^[A-Z][a-z].* image$/);
    // The width is used: the short form's fields sit side by side, in columns.
    const lefts = await shortForm.evaluateAll((els) => [...new Set(els.map((e) => e.getBoundingClientRect().left))]);
    expect(lefts.length).toBeGreaterThanOrEqual(2);
    // No help text shows a backtick; the schema's `code` is <code>.
    await page.locator('details[data-panel="all"] > summary').click();
    const helps = await page.locator('.setting .description').allInnerTexts();
    expect(helps.length).toBeGreaterThan(40);
    expect(helps.filter((t) => t.includes('`'))).toEqual([]);
    expect(await page.locator('.setting .description code').count()).toBeGreaterThan(5);
    // No label overlaps its help (or its control).
    const overlaps = await page.locator('.setting').evaluateAll((settings) =>
      settings.flatMap((s) => {
        const [label, control, help] = [...s.children].map((c) => c.getBoundingClientRect());
        return label.bottom > control.top + 0.5 || control.bottom > help.top + 0.5 ? [s.textContent] : [];
      }),
    );
    expect(overlaps).toEqual([]);
  });

  it('a key that takes one item per line is a text area', async () => {
    await open(page, link(withHello('configure')));
    await page.locator('details[data-panel="all"] > summary').click();
    const env = setting(page, 'extraContainerEnvVars');
    expect(await env.evaluate((el) => el.tagName)).toBe('TEXTAREA');
    await env.fill('A=1\nB=2');
    await env.press('Tab');
    await step(page, 'Wire it in');
    expect(await spec(page)).toContain('A=1');
  });

  it('the per-workload panel stays open when a workload is chosen, and offers only the chosen ones', async () => {
    await open(
      page,
      link({ ...withHello('configure'), sources: [{ path: 'manifests.yaml', text: TWO }], choices: {} }),
    );
    // hello is opted in by its manifest, other is not: only hello is offered.
    await page.locator('details[data-panel="workload"] > summary').click();
    const workload = page.getByLabel('Workload', { exact: true });
    expect(await workload.locator('option').allTextContents()).toEqual(['Deployment demo/hello']);
    await step(page, 'Choose');
    await page.getByLabel('Deployment demo/other').check();
    await step(page, 'Configure');
    expect(await page.locator('details[data-panel="workload"]').getAttribute('open')).not.toBeNull();
    expect(await workload.locator('option').allTextContents()).toEqual([
      'Deployment demo/hello',
      'Deployment demo/other',
    ]);
    await workload.selectOption('Deployment/demo/other');
    expect(await page.locator('details[data-panel="workload"]').getAttribute('open')).not.toBeNull();
    expect(await workload.inputValue()).toBe('Deployment/demo/other');
    await setting(page, 'proxy-out-port').fill('5000');
    await setting(page, 'proxy-out-port').press('Tab');
    await expect.poll(() => page.getByRole('table').first().textContent()).toContain('workload: 5000');
    expect(await page.locator('details[data-panel="workload"]').getAttribute('open')).not.toBeNull();
  });

  it('a link made before Environment, holding the step as an index, lands on the same step', async () => {
    for (const [index, title] of [
      [0, 'Manifests'],
      [2, 'Configure'],
      [4, 'Wire it in'],
      [5, 'Verify'],
    ] as const) {
      const other = await session.newPage(); // a new document: a new fragment on the same page would not load
      try {
        await other.goto(link(withHello(index)));
        expect(await stepButton(other, title).getAttribute('aria-current'), title).toBe('step');
      } finally {
        await other.close();
      }
    }
  });
});
