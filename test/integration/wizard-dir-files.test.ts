/**
 * `sidecar-injector wizard DIR` with the page in chromium: the config and wiring files Wire it in offers are
 * added to DIR, each after a confirmation in the page, as new files only (a file DIR has already, or that
 * appears meanwhile, is left alone and the page says so); and the footer says what leaves the page, served
 * or opened from disk; while errors remain, the injected files are written only once taken anyway (gate.ts).
 * The server's refusals without a browser: test/system/wizard-hardening.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { startWizard } from '../support/wizard-process';
import { bundleMissing, bundlePath, BUNDLE_HINT, repoRoot, run, tempDir } from './_tools';

const HELLO = readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8');
const inCi = process.env.CI === 'true';
const reason = [chromiumMissing() && '/usr/bin/chromium is not installed', bundleMissing() && BUNDLE_HINT]
  .filter(Boolean)
  .join('; ');
if (reason) console.warn(`[skipped] wizard DIR adds files: ${reason}`);

const shown = async (page: Page, path: string) => (await page.locator(`pre[data-path="${path}"]`).textContent()) ?? '';

describe.skipIf(reason && !inCi)('wizard DIR adds the files the page offers', () => {
  let work = '';
  let session: Session;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    work = tempDir('wizard-dir-files');
    session = await launch();
  }, 60_000);
  afterAll(async () => {
    for (const child of children) child.kill();
    await session?.close();
    if (work) run('rm', ['-rf', work]);
  });

  /** DIR with `files`, served, and the page open on Wire it in. */
  async function wireItIn(name: string, files: Record<string, string>) {
    const dir = join(work, name);
    mkdirSync(dir);
    for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
    const wizard = await startWizard(bundlePath, dir);
    children.push(wizard.child);
    const page = await session.newPage();
    await page.goto(wizard.url.href);
    await page.getByRole('button', { name: /^\d+\. Manifests$/ }).click(); // wizard DIR opens on Environment
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    await page.getByRole('button', { name: /^\d+\. Wire it in$/ }).click();
    return { dir, page, wizard };
  }

  it('writes the config and a workflow into DIR once confirmed; Cancel writes nothing', async () => {
    const { dir, page } = await wireItIn('plain', { 'deployment.yaml': HELLO });
    const config = await shown(page, 'sidecar-injector.yaml');
    expect(config).toContain('kind: SidecarInjector');

    await page.getByRole('button', { name: `Add sidecar-injector.yaml to ${dir}` }).click();
    // Asked first: nothing is on disk until the user says so.
    await page.getByText(`Write sidecar-injector.yaml into ${dir}? A new file`).waitFor();
    expect(existsSync(join(dir, 'sidecar-injector.yaml'))).toBe(false);
    await page.getByRole('button', { name: 'Write sidecar-injector.yaml', exact: true }).click();
    const status = page.locator('[data-add-status="sidecar-injector.yaml"]');
    await expect.poll(() => status.textContent()).toBe(`Wrote sidecar-injector.yaml into ${dir}.`);
    expect(readFileSync(join(dir, 'sidecar-injector.yaml'), 'utf8')).toBe(config);

    await page.getByRole('button', { name: `Add deploy.sh to ${dir}` }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(existsSync(join(dir, 'deploy.sh'))).toBe(false);
    await page.getByRole('button', { name: `Add deploy.sh to ${dir}` }).click();
    await page.getByRole('button', { name: 'Write deploy.sh', exact: true }).click();
    await expect.poll(() => page.locator('[data-add-status="deploy.sh"]').textContent()).toMatch(/^Wrote/);
    expect(readFileSync(join(dir, 'deploy.sh'), 'utf8')).toBe(await shown(page, 'deploy.sh'));
    expect(statSync(join(dir, 'deploy.sh')).mode & 0o111).not.toBe(0);

    const workflow = '.github/workflows/sidecar-check.yaml';
    await page.getByRole('button', { name: `Add ${workflow} to ${dir}` }).click();
    await page.getByRole('button', { name: `Write ${workflow}`, exact: true }).click();
    await expect.poll(() => page.locator(`[data-add-status="${workflow}"]`).textContent()).toMatch(/^Wrote/);
    expect(readFileSync(join(dir, workflow), 'utf8')).toBe(await shown(page, workflow));
  });

  it('names a DIR with a line feed in it on one line, \\n, as the rest of the page and the command line do', async () => {
    const { dir, page } = await wireItIn('sh\nop', { 'deployment.yaml': HELLO });
    const shownDir = dir.replace('\n', '\\n');
    // The footer said it so already; the Add buttons printed it raw.
    await page.getByText(`reads and writes files in ${shownDir}.`).waitFor();
    await page.getByRole('button', { name: `Add sidecar-injector.yaml to ${shownDir}`, exact: true }).click();
    await page.getByText(`Write sidecar-injector.yaml into ${shownDir}? A new file`).waitFor();
    await page.getByRole('button', { name: 'Write sidecar-injector.yaml', exact: true }).click();
    await expect
      .poll(() => page.locator('[data-add-status="sidecar-injector.yaml"]').textContent())
      .toBe(`Wrote sidecar-injector.yaml into ${shownDir}.`);
    expect(existsSync(join(dir, 'sidecar-injector.yaml'))).toBe(true);
  });

  it('leaves a file DIR has alone: its own kustomization is merged by hand, one made meanwhile refused', async () => {
    const kustomization = 'resources:\n- deployment.yaml\n';
    const { dir, page } = await wireItIn('kustomize', {
      'deployment.yaml': HELLO,
      'kustomization.yaml': kustomization,
    });
    await page.getByLabel('Your registry').fill('localhost/wizard-test');
    await page.getByLabel('Your registry').press('Tab');
    await page.locator('pre[data-path="kustomization.yaml"]').waitFor();
    expect(await page.getByRole('button', { name: `Add kustomization.yaml to ${dir}` }).count()).toBe(0);
    await page.getByText(`${dir} has its own kustomization.yaml`).waitFor();

    // build.sh appears on disk after the page loaded DIR: the page offers it, the server refuses it.
    writeFileSync(join(dir, 'build.sh'), 'echo mine\n');
    await page.getByRole('button', { name: `Add build.sh to ${dir}` }).click();
    await page.getByRole('button', { name: 'Write build.sh', exact: true }).click();
    await expect
      .poll(() => page.locator('[data-add-status="build.sh"]').textContent())
      .toMatch(/^Not written: .*build\.sh exists with other content; the wizard adds only new files/);
    expect(readFileSync(join(dir, 'build.sh'), 'utf8')).toBe('echo mine\n');
    expect(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')).toBe(kustomization);
  });

  // kustomize refuses a directory holding two kustomization files: a kustomization.yaml added beside this
  // one would break the build the page wires in.
  it('a kustomization named Kustomization is the one changed, and no kustomization.yaml is offered', async () => {
    const kustomization = 'resources:\n- deployment.yaml\n';
    const { dir, page } = await wireItIn('kustomize-named', { 'deployment.yaml': HELLO, Kustomization: kustomization });
    await page.getByLabel('Your registry').fill('localhost/wizard-test');
    await page.getByLabel('Your registry').press('Tab');
    await page.locator('pre[data-path="Kustomization"]').waitFor();
    expect(await shown(page, 'Kustomization')).toBe(`${kustomization}transformers:\n- sidecar-injector.yaml\n`);
    expect(await page.locator('pre[data-path="kustomization.yaml"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: `Add Kustomization to ${dir}` }).count()).toBe(0);
    await page.getByText(`${dir} has its own Kustomization`).waitFor();
    expect(existsSync(join(dir, 'kustomization.yaml'))).toBe(false);
  });

  it('holds the write of injected files while errors remain, until taken anyway; the failed workload stays as it was', async () => {
    const broken = HELLO.replace('name: hello', 'name: broken').replace(
      '    sidecar.speedscale.com/inject: "true"\n',
      '    sidecar.speedscale.com/inject: "true"\n    sidecar.speedscale.com/proxy-in-port: "not-a-port"\n',
    );
    expect(broken).toContain('proxy-in-port');
    const { dir, page } = await wireItIn('gate', { 'deployment.yaml': HELLO, 'broken.yaml': broken });
    const write = page.getByRole('button', { name: /^Write the injected files/ });
    expect(await write.isDisabled()).toBe(true);
    await page.getByLabel('Take the output anyway, with 1 error').check();
    expect(await write.isDisabled()).toBe(false);
    await write.click();
    await expect.poll(() => page.locator('#write-status').textContent()).toBe('Wrote deployment.yaml.');
    expect(readFileSync(join(dir, 'deployment.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    expect(readFileSync(join(dir, 'broken.yaml'), 'utf8')).toBe(broken);
  });

  it('the footer tells the truth: from disk, nothing leaves the browser; served, only the local server and DIR', async () => {
    const disk = await session.newPage();
    await disk.goto(pathToFileURL(join(repoRoot, 'dist/web/index.html')).href);
    expect(await disk.locator('footer').textContent()).toContain('nothing you paste leaves your browser');
    await disk.getByRole('button', { name: /^\d+\. Wire it in$/ }).click();
    await disk.locator('pre[data-path="sidecar-injector.yaml"]').waitFor();
    expect(await disk.getByRole('button', { name: /^Add / }).count()).toBe(0);

    const { dir, page, wizard } = await wireItIn('footer', { 'deployment.yaml': HELLO });
    const footer = (await page.locator('footer').textContent()) ?? '';
    expect(footer).toContain(`talks only to the local server at ${wizard.url.host}`);
    expect(footer).toContain(`reads and writes files in ${dir}`);
    expect(footer).not.toContain('nothing you paste leaves your browser');
  });
});
