/**
 * `sidecar-injector wizard DIR` (the built bundle) with the page in chromium: the page loads DIR's manifests
 * with the token from the URL's fragment, writes the change chosen in it into DIR's file, keeps the token out
 * of its address and its share link, and, when a file changed on disk since it was loaded, shows what changed
 * and offers to load it again. The server's checks without a browser: test/system/wizard-hardening.test.ts.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launch, type Page, type Session } from './_browser';
import { step } from './_wizard';
import { startWizard, type StartedWizard } from '../support/wizard-process';
import { bundleMissing, bundlePath, BUNDLE_HINT, repoRoot, run, tempDir } from './_tools';

const HELLO = readFileSync(join(repoRoot, 'examples/hello/deployment.yaml'), 'utf8');
const PLAIN = HELLO.replace(/ {2}annotations:\n {4}# Opt in[^\n]*\n {4}sidecar\.speedscale\.com\/inject: "true"\n/, '');
const inCi = process.env.CI === 'true';
const reason = [chromiumMissing() && '/usr/bin/chromium is not installed', bundleMissing() && BUNDLE_HINT]
  .filter(Boolean)
  .join('; ');
if (reason) console.warn(`[skipped] sidecar-injector wizard: ${reason}`);

/** A raw request, Host header included (fetch may not set it). */
function get(
  url: URL,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, method: body ? 'POST' : 'GET', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(reason && !inCi)('sidecar-injector wizard DIR', () => {
  let work = '';
  let dir = '';
  let wizard: StartedWizard;
  let session: Session;

  beforeAll(async () => {
    work = tempDir('wizard-server');
    dir = join(work, 'app');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'deployment.yaml'), PLAIN);
    writeFileSync(join(dir, 'sub/service.yaml'), readFileSync(join(repoRoot, 'examples/hello/service.yaml'), 'utf8'));
    writeFileSync(join(work, 'outside.yaml'), PLAIN);
    wizard = await startWizard(bundlePath, dir);
    session = await launch();
  }, 60_000);

  afterAll(async () => {
    wizard?.child.kill();
    await session?.close();
    if (work) run('rm', ['-rf', work]);
  });

  const token = () => wizard.url.hash.replace('#token=', '');
  const write = (files: unknown) =>
    get(
      wizard.url,
      '/write',
      { 'content-type': 'application/json', 'x-sidecar-injector-token': token() },
      JSON.stringify({ files, choices: { choices: {}, annotateOn: 'workload', annotations: {} }, spec: {} }),
    );

  it('refuses every request for DIR without the right token, or for another host', async () => {
    expect((await get(wizard.url, '/files')).status).toBe(403);
    expect((await get(wizard.url, '/files', { 'x-sidecar-injector-token': '0'.repeat(token().length) })).status).toBe(
      403,
    );
    expect((await get(wizard.url, '/write', {}, '{}')).status).toBe(403);
    expect(
      (await get(wizard.url, '/files', { 'x-sidecar-injector-token': token(), host: 'evil.example:80' })).status,
    ).toBe(403);
    expect((await get(wizard.url, '/files', { 'x-sidecar-injector-token': token() })).status).toBe(200);
    // Nothing else is served, even with the token.
    expect((await get(wizard.url, '/deployment.yaml', { 'x-sidecar-injector-token': token() })).status).toBe(404);
  });

  it('refuses a path outside DIR or not one it served, and writes nothing then', async () => {
    const x = '0'.repeat(64);
    const outside = await write([{ path: '../outside.yaml', served: x, output: x }]);
    expect(outside.status).toBe(403);
    expect(outside.text).toContain('not one of the files served');
    expect(readFileSync(join(work, 'outside.yaml'), 'utf8')).toBe(PLAIN);
    const absolute = await write([{ path: join(work, 'outside.yaml'), served: x, output: x }]);
    expect(absolute.status).toBe(403);
    const unknown = await write([
      { path: 'new.yaml', served: x, output: x },
      { path: 'deployment.yaml', served: x, output: x },
    ]);
    expect(unknown.status).toBe(403);
    expect(existsSync(join(dir, 'new.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'deployment.yaml'), 'utf8')).toBe(PLAIN);
  });

  it("preloads DIR's manifests and writes the change chosen in the page, as inject --in-place would", async () => {
    const page = await session.newPage();
    await page.goto(wizard.url.href);
    await page.getByRole('button', { name: /^\d+\. Manifests$/ }).click(); // it opens on Environment
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    // The token leaves the address bar at once: no share link, bookmark or later history entry holds it.
    expect(page.url()).not.toContain(token());
    expect(await page.getByLabel('File').locator('option').allTextContents()).toEqual([
      'deployment.yaml',
      'sub/service.yaml',
    ]);
    await page.getByRole('button', { name: /^\d+\. Choose$/ }).click();
    await page.getByLabel('Deployment demo/hello').check();
    await page.getByRole('button', { name: /^\d+\. Wire it in$/ }).click();
    const shown = await page.locator('pre[data-output="deployment.yaml"]').textContent();
    await page.getByRole('button', { name: /^Write the injected files/ }).click();
    await expect.poll(() => page.locator('#write-status').textContent()).toBe('Wrote deployment.yaml.');
    const written = readFileSync(join(dir, 'deployment.yaml'), 'utf8');
    expect(written).toBe(shown);
    expect(written).toContain('name: speedscale-goproxy');
    // The function over the written files finds nothing to change: what the page wrote is what it writes.
    const check = run(process.execPath, [bundlePath, 'inject', '--annotated', '--check', dir]);
    expect(check.stderr).toContain('1 unchanged');
    expect(check.status).toBe(0);
    expect(readFileSync(join(dir, 'sub/service.yaml'), 'utf8')).toBe(
      readFileSync(join(repoRoot, 'examples/hello/service.yaml'), 'utf8'),
    );
    expect(session.requests.every((u) => u.startsWith(wizard.url.origin))).toBe(true);
  });

  it('a file changed on disk after the page loaded it: not overwritten; the page shows what changed and loads it again', async () => {
    writeFileSync(join(dir, 'deployment.yaml'), PLAIN);
    const page = await session.newPage();
    await page.goto(wizard.url.href);
    await page.getByRole('button', { name: /^\d+\. Manifests$/ }).click(); // it opens on Environment
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    const edit = '# a comment added on disk after the page loaded\n';
    appendFileSync(join(dir, 'deployment.yaml'), edit);
    await page.getByRole('button', { name: /^\d+\. Choose$/ }).click();
    await page.getByLabel('Deployment demo/hello').check();
    await page.getByRole('button', { name: /^\d+\. Wire it in$/ }).click();
    await page.getByRole('button', { name: /^Write the injected files/ }).click();
    await expect
      .poll(() => page.locator('#write-status').textContent())
      .toMatch(/^Not written: .*deployment\.yaml changed on disk since the page loaded it/);
    expect(await page.locator('pre[data-conflict="deployment.yaml"]').textContent()).toContain(`+ ${edit.trim()}`);
    expect(readFileSync(join(dir, 'deployment.yaml'), 'utf8')).toBe(PLAIN + edit);
    // Loaded again, the choice still made: the write now keeps the comment.
    await page.getByRole('button', { name: /^Reload the files from disk/ }).click();
    await expect.poll(() => page.locator('pre[data-output="deployment.yaml"]').textContent()).toContain(edit.trim());
    await page.getByRole('button', { name: /^Write the injected files/ }).click();
    await expect.poll(() => page.locator('#write-status').textContent()).toBe('Wrote deployment.yaml.');
    const written = readFileSync(join(dir, 'deployment.yaml'), 'utf8');
    expect(written).toContain(edit);
    expect(written).toContain('name: speedscale-goproxy');
    // The share link is the address: DIR's state, never the token.
    await page.getByRole('button', { name: 'Copy share link' }).click();
    await expect.poll(() => page.locator('#share-status').textContent()).toContain('Link copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/#s=/);
    expect(link).not.toContain(token());
  });

  /** The status a click on the write button ends with. */
  async function writeNow(page: Page): Promise<string | null> {
    const status = page.locator('#write-status');
    await page.evaluate(() => (document.getElementById('write-status')!.textContent = ''));
    await page.getByRole('button', { name: /^Write the injected files/ }).click();
    await expect.poll(() => status.textContent()).toMatch(/^(Wrote|Nothing|Not)/);
    return status.textContent();
  }

  it("goes on from what it wrote (unticked then, the sidecar goes); reloaded, DIR's files are the page's", async () => {
    writeFileSync(join(dir, 'deployment.yaml'), PLAIN);
    const page = await session.newPage();
    await page.goto(wizard.url.href);
    await step(page, 'Manifests'); // it opens on Environment
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    const hello = page.getByLabel('Deployment demo/hello');
    await step(page, 'Choose');
    await hello.check();
    await step(page, 'Wire it in');
    expect(await writeNow(page)).toBe('Wrote deployment.yaml.');
    expect(readFileSync(join(dir, 'deployment.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    // The page's file is now what it wrote: nothing more to write. It went on computing from the file as
    // first loaded, so unticking wrote nothing ("no file changes") and the sidecar stayed on disk.
    expect(await writeNow(page)).toBe('Nothing to write: no file changes.');
    await step(page, 'Choose');
    await hello.uncheck();
    await step(page, 'Wire it in');
    expect(await writeNow(page)).toBe('Wrote deployment.yaml.');
    const unticked = readFileSync(join(dir, 'deployment.yaml'), 'utf8');
    expect(unticked).not.toContain('speedscale-goproxy');
    expect(unticked).toContain('sidecar.speedscale.com/inject: "false"');
    // Reloaded, the address holds the page's state (its files as well): DIR's files win, changed meanwhile;
    // the state's choices stay.
    const edit = '# changed on disk before the reload\n';
    appendFileSync(join(dir, 'deployment.yaml'), edit);
    // The page writes its state into the address once the user pauses (half a second): wait until it has
    // written the last change (the untick), not an earlier state already there.
    await settledUrl(page);
    await page.reload();
    await page.locator('#step-title').waitFor();
    expect(page.url()).toMatch(/#s=/);
    await step(page, 'Wire it in');
    expect(await page.locator('pre[data-output="deployment.yaml"]').textContent()).toBe(unticked + edit);
    await step(page, 'Choose');
    expect(await hello.isChecked()).toBe(false);
    await hello.check();
    await step(page, 'Wire it in');
    expect(await writeNow(page)).toBe('Wrote deployment.yaml.');
    const again = readFileSync(join(dir, 'deployment.yaml'), 'utf8');
    expect(again).toContain(edit);
    expect(again).toContain('name: speedscale-goproxy');
  });

  /**
   * The page's address once it holds the state after the last change: unchanged over longer than the page's
   * half-second pause before it writes, and holding a state. Polled, as the page writes it on a timer.
   */
  async function settledUrl(page: Page): Promise<string> {
    let last = page.url();
    for (let tries = 0; tries < 25; tries++) {
      await page.waitForTimeout(800);
      const now = page.url();
      if (now === last && now.includes('#s=')) return now;
      last = now;
    }
    return last;
  }

  /** `wizard DIR` on `dir`, a page open on its Manifests step with hello's row shown, and the page's errors. */
  async function openServed(dir: string, args: string[] = []) {
    const served = await startWizard(bundlePath, dir, ['--no-open', ...args]);
    const page = await session.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(served.url.href);
    await step(page, 'Manifests');
    await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
    return { served, page, errors };
  }

  it('"Reload the files from disk" once DIR holds no manifest: an empty file, and every step shows', async () => {
    const emptied = join(work, 'emptied');
    mkdirSync(emptied);
    writeFileSync(join(emptied, 'deployment.yaml'), HELLO);
    const { served, page, errors } = await openServed(emptied);
    try {
      await step(page, 'Wire it in');
      rmSync(join(emptied, 'deployment.yaml'));
      expect(await writeNow(page)).toMatch(/^Not written: .*deployment\.yaml was removed/);
      await page.getByRole('button', { name: /^Reload the files from disk/ }).click();
      await expect.poll(() => page.locator('pre[data-output="deployment.yaml"]').count()).toBe(0);
      expect(await page.locator('pre[data-output]').evaluateAll((ps) => ps.map((p) => p.dataset.output))).toEqual([
        'manifests.yaml',
      ]);
      // The sources were none, the file shown -1: the Manifests step threw and showed nothing.
      for (const title of ['Manifests', 'Choose', 'Configure', 'Review', 'Wire it in', 'Verify']) {
        await step(page, title);
        expect(await page.locator('#step-title').textContent()).toMatch(new RegExp(`^\\d\\. ${title}$`));
      }
      await step(page, 'Manifests');
      expect(await page.locator('.cm-content').textContent()).toBe('');
      expect(await page.getByText('No workload found yet.').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      served.child.kill();
    }
  });

  it('serves a file named with a newline: Wire it in names it escaped, and writes it', async () => {
    const odd = join(work, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, 'we\nb.yaml'), HELLO);
    const { served, page, errors } = await openServed(odd);
    try {
      // The name threw in downloadName: the step rendered nothing, its write button with it.
      await step(page, 'Wire it in');
      expect(await page.locator('#step-title').textContent()).toBe('6. Wire it in');
      expect(await page.getByRole('button', { name: 'Download we\\nb.injected.yaml (with the sidecar)' }).count()).toBe(
        1,
      );
      expect(await writeNow(page)).toBe('Wrote we\\nb.yaml.');
      expect(readFileSync(join(odd, 'we\nb.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
      expect(errors).toEqual([]);
    } finally {
      served.child.kill();
    }
  });

  // The server writes only inside DIR: a file read through --follow-symlinks is shown, and left to download.
  it('--follow-symlinks: a file outside DIR is shown, not written; the files inside are', async () => {
    const linked = join(work, 'linked');
    mkdirSync(linked);
    writeFileSync(join(linked, 'deployment.yaml'), HELLO);
    const outside = join(work, 'outside.yaml');
    writeFileSync(outside, HELLO.replace('name: hello', 'name: away'));
    symlinkSync(outside, join(linked, 'away.yaml'));
    const { served, page, errors } = await openServed(linked, ['--follow-symlinks']);
    try {
      await step(page, 'Wire it in');
      expect(await writeNow(page)).toBe('Wrote deployment.yaml. Not written here (download it): away.yaml.');
      expect(readFileSync(join(linked, 'deployment.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
      expect(readFileSync(outside, 'utf8')).toBe(HELLO.replace('name: hello', 'name: away'));
      expect(errors).toEqual([]);
    } finally {
      served.child.kill();
    }
  });

  it("opened as the wizard opens it (a 0600 file that redirects, not the token on xdg-open's command line)", async () => {
    const bin = join(work, 'bin');
    mkdirSync(bin);
    // A stand-in for xdg-open: it keeps a copy of the file it is given (the wizard removes its own on exit).
    const copy = join(work, 'opened.html');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\ncp "$1" "${copy}.part" && mv "${copy}.part" "${copy}"\n`, {
      mode: 0o755,
    });
    const opened = await startWizard(bundlePath, dir, [], { ...process.env, PATH: `${bin}:${process.env.PATH}` });
    try {
      await expect.poll(() => existsSync(join(work, 'opened.html'))).toBe(true);
      const page = await session.newPage();
      await page.goto(pathToFileURL(join(work, 'opened.html')).href);
      await page.getByRole('button', { name: /^\d+\. Manifests$/ }).click(); // wizard DIR opens on Environment
      await page.getByRole('cell', { name: 'demo/hello' }).waitFor();
      expect(page.url()).toBe(`${opened.url.origin}/`);
    } finally {
      opened.child.kill();
    }
  });
});
