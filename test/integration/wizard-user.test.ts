/**
 * What a user of the wizard page met, each reduced to a case in Debian's chromium: a Helm chart's test hook
 * and Select all, the injected download dropped back in, a CRLF file edited, a workload `inject` injected,
 * a workload named with a bidi override.
 * Each test fails on the page before its fix.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { openManifests, paste, step } from './_wizard';
import { bundlePath, repoRoot, tempDir } from './_tools';

const inCi = process.env.CI === 'true';
const noBrowser = chromiumMissing() ? '/usr/bin/chromium is not installed' : '';
if (noBrowser) console.warn(`[skipped] the wizard page as a user meets it: ${noBrowser}`);

const WEB = `# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
`;
/** The Pod `helm create` writes for `helm test`, as `helm template` renders it. */
const TEST_HOOK = `# Source: web/templates/tests/test-connection.yaml
apiVersion: v1
kind: Pod
metadata:
  name: "web-test-connection"
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: wget
      image: busybox
      command: ['wget']
      args: ['web:80']
  restartPolicy: Never
`;

/** Review's count of the chosen workloads it injects (`1 of 1 chosen workloads injected`). */
const reviewCount = (page: Page) =>
  page
    .getByText(/chosen workloads? injected/)
    .first()
    .textContent();

/** The Choose table's rows: the workload's label, whether ticked, its Outcome. */
const chooseRows = (page: Page) =>
  page
    .locator('main tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [
        tr.querySelector('label')!.textContent,
        tr.querySelector<HTMLInputElement>('input')!.checked,
        tr.querySelectorAll('td')[3].textContent,
      ]),
    );

describe.skipIf(noBrowser && !inCi)('the wizard page as a user meets it, in chromium', () => {
  let session: Session;
  let page: Page;
  let work = '';

  beforeAll(async () => {
    work = tempDir('wizard-user');
    session = await launch();
    page = await session.newPage();
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('Select all leaves a Helm test hook out, and the rows say what becomes of it and why', async () => {
    await openManifests(page);
    await paste(page, `${WEB}---\n${TEST_HOOK}`);
    await page.getByText('2 workload(s) found').waitFor();
    await step(page, 'Choose');
    expect(await page.locator('[data-hooks]').textContent()).toContain(
      'One workload is a hook (helm.sh/hook or argocd.argoproj.io/hook: Pod web-test-connection)',
    );
    await page.getByRole('button', { name: 'Select all', exact: true }).click();
    await expect
      .poll(() => chooseRows(page))
      .toEqual([
        ['Deployment web', true, 'injected'],
        [
          'Pod web-test-connection',
          false,
          'not injected: a helm.sh/hook: test hook runs to completion, and a sidecar would keep it from finishing; ' +
            'Select all leaves it out: tick it to inject it anyway',
        ],
      ]);
    // What the user downloads holds no sidecar in the hook.
    await step(page, 'Review');
    expect(await reviewCount(page)).toMatch(/^1 of 1 chosen/);
    // Ticked by hand, it is injected, and the row says what that costs.
    await step(page, 'Choose');
    await page.getByLabel('Pod web-test-connection').check();
    await expect
      .poll(async () => (await chooseRows(page))[1])
      .toEqual([
        'Pod web-test-connection',
        true,
        'injected, though a helm.sh/hook: test hook: Helm and Argo CD wait for it to finish, which a classic ' +
          'sidecar never does (nativeSidecar: true lets it)',
      ]);
    // Select none unticks it with the rest.
    await page.getByRole('button', { name: 'Select none', exact: true }).click();
    await expect.poll(async () => (await chooseRows(page)).map((r) => r[1])).toEqual([false, false]);
  });

  it('the injected download, dropped back in, is said unchanged, with no injected download offered', async () => {
    await openManifests(page);
    await paste(page, readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8'));
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await step(page, 'Wire it in');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download manifests.injected.yaml (with the sidecar)' }).click(),
    ]);
    const saved = join(work, download.suggestedFilename());
    await download.saveAs(saved);

    await openManifests(page);
    await page.getByLabel('Choose files').setInputFiles(saved);
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await step(page, 'Review');
    await page.getByText('2/2 -> 2/2 containers ready (unchanged: already injected)').waitFor();
    await step(page, 'Wire it in');
    expect(await page.locator('button[data-download]').allTextContents()).toEqual([
      'Download manifests.injected.yaml (annotated, to commit)',
    ]);
    // It said "take the injected output as it is", with no button for it and no word why.
    expect(await page.locator('[data-unchanged]').textContent()).toBe(
      'Unchanged: the function writes manifests.injected.yaml exactly as it was loaded, so it has no injected download.',
    );
  });

  it('a CRLF file keeps its line endings through an edit in the editor, typed lines too', async () => {
    const crlf = readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8').replace(/\n/g, '\r\n');
    const file = join(work, 'crlf.yaml');
    writeFileSync(file, crlf);
    await openManifests(page);
    await page.getByLabel('Choose files').setInputFiles(file);
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('# reviewed\n# by me\n');
    await step(page, 'Wire it in');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download crlf.yaml (annotated, to commit)' }).click(),
    ]);
    const saved = join(work, 'crlf.out.yaml');
    await download.saveAs(saved);
    // One keystroke turned every line of the file to LF: a whole-file change to commit.
    expect(readFileSync(saved, 'utf8')).toBe(`${crlf}# reviewed\r\n# by me\r\n`);
  });

  it('a workload `inject` injected (no opt-in written) stays injected while ticked, and the row says how', async () => {
    const plain = join(work, 'plain.yaml');
    writeFileSync(plain, WEB);
    const injected = spawnSync(process.execPath, [bundlePath, 'inject', plain], { encoding: 'utf8' });
    expect(injected.status).toBe(0);
    expect(injected.stdout).not.toContain('sidecar.speedscale.com/inject:');
    await openManifests(page);
    await paste(page, injected.stdout);
    await page.getByText('1 workload(s) found').waitFor();
    await step(page, 'Choose');
    // Ticked, and its outcome "removed": the function injects annotated workloads only.
    await expect
      .poll(() => chooseRows(page))
      .toEqual([
        [
          'Deployment web',
          true,
          'kept: injected without sidecar.speedscale.com/inject (as inject does), and the function removes a ' +
            'sidecar a workload does not opt in to, so it gets sidecar.speedscale.com/inject: "true"; untick it to ' +
            'remove its sidecar',
        ],
      ]);
    await step(page, 'Review');
    expect(await reviewCount(page)).toMatch(/^1 of 1 chosen/);
    await step(page, 'Choose');
    await page.getByLabel('Deployment web').uncheck();
    await expect.poll(async () => (await chooseRows(page))[0][2]).toMatch(/^removed/);
  });

  it('names a workload with a bidi override or a line feed in its name escaped, as inject does', async () => {
    const named = (name: string) => WEB.replace('name: web\n', `name: "${name}"\n`);
    await openManifests(page);
    await paste(page, `${named('evil\\u202egpj.exe')}---\n${named('two\\nlines')}`);
    await page.getByText('2 workload(s) found').waitFor();
    // Laid out, U+202E turned "evil<RLO>gpj.exe" into what reads "evilexe.jpg"; the line feed was a space.
    expect(await page.locator('main tbody tr td:nth-child(2)').allTextContents()).toEqual([
      'evil\\u202egpj.exe',
      'two\\nlines',
    ]);
    await step(page, 'Choose');
    expect(await page.locator('main tbody label').allTextContents()).toEqual([
      'Deployment evil\\u202egpj.exe',
      'Deployment two\\nlines',
    ]);
  });
});
