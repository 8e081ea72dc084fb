/**
 * Faults only root can set up (issue 23): a full disk, made with a small tmpfs mounted for the test, during
 * `--in-place` and during the wizard's write of several files; and the owner of a file another user owns,
 * kept by a root run. Needs root and `mount`; skipped with the reason printed otherwise (CI=true fails).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  annotatePackage,
  CONFIG_API_VERSION,
  CONFIG_KIND,
  fileWorkloads,
  processPackage,
  readFunctionConfig,
  type Choices,
} from '../../fn/index';
import { startWizard, type StartedWizard } from '../support/wizard-process';
import { bundleMissing, bundlePath, BUNDLE_HINT, missing, run, tempDir, WEB_DEPLOYMENT } from './_tools';

const reason = missing(
  'fault injection',
  ['mount', 'umount'],
  [
    [process.getuid?.() !== 0, 'mounting a tmpfs and giving files away need root'],
    [bundleMissing(), BUNDLE_HINT],
  ],
);

const deployment = (name: string) => WEB_DEPLOYMENT.replace('name: web\n  annotations', `name: ${name}\n  annotations`);
const cli = (args: string[]) => run(process.execPath, [bundlePath, ...args]);
const PAGE = 4096;

/** Fills the file system of `dir` to the last page, then frees `pages` pages. */
function fillLeaving(dir: string, pages: number): void {
  const filler = join(dir, '.filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(PAGE, 'x');
  let size = 0;
  try {
    for (;;) size += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  ftruncateSync(fd, Math.max(0, size - pages * PAGE));
  closeSync(fd);
}

describe.skipIf(reason)('a full disk (a 256 KiB tmpfs)', () => {
  let work = '';
  let mnt = '';
  beforeAll(() => {
    work = tempDir('fault');
    mnt = join(work, 'mnt');
    mkdirSync(mnt);
    const mounted = run('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0755', 'tmpfs', mnt]);
    if (mounted.status !== 0) throw new Error(`mount failed: ${mounted.stderr}`);
  });
  afterAll(() => {
    if (mnt) run('umount', [mnt]);
    if (work) run('rm', ['-rf', work]);
  });

  /** A fresh directory on the tmpfs with the given files, the rest of the tmpfs emptied. */
  function onTmpfs(name: string, files: Record<string, string>): string {
    run('sh', ['-c', 'rm -rf "$1"/* "$1"/.filler', 'sh', mnt]);
    const dir = join(mnt, name);
    mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    return dir;
  }

  it('--in-place: the file that fits is written, the other is reported and unchanged, no temporary file', () => {
    const dir = onTmpfs('cli', { 'a.yaml': deployment('a'), 'b.yaml': deployment('b') });
    // An injected file takes two pages: room for a's temporary file, then one page (a's old one) for b's.
    fillLeaving(mnt, 2);
    const out = cli(['inject', '-i', dir]);
    expect(out.status).toBe(1);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(out.stderr).toContain(
      `${join(dir, 'b.yaml')}: error: cannot write: no space left on the device; the file is unchanged`,
    );
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toContain('name: speedscale-goproxy');
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(deployment('b'));
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
  });

  it("the wizard's write of two files: all or none, 507, both files as they were, no temporary file", async () => {
    const dir = onTmpfs('wizard', { 'a.yaml': deployment('a'), 'b.yaml': deployment('b') });
    const wizard = await startWizard(bundlePath, dir);
    try {
      const served = await files(wizard);
      // Room for a's temporary file (two pages) and half of b's: the second one fails, before any rename.
      fillLeaving(mnt, 3);
      const answer = await post(wizard, served);
      expect(answer.status).toBe(507);
      expect(JSON.parse(answer.text).error).toBe('not written: no space left on the device; no file was changed');
      expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe(deployment('a'));
      expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(deployment('b'));
      expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
      // With room again, the same request writes both.
      run('rm', ['-f', join(mnt, '.filler')]);
      expect((await post(wizard, served)).status).toBe(200);
      for (const name of ['a.yaml', 'b.yaml'])
        expect(readFileSync(join(dir, name), 'utf8')).toContain('name: speedscale-goproxy');
    } finally {
      wizard.child.kill();
    }
  });
});

async function files(w: StartedWizard): Promise<{ path: string; text: string }[]> {
  const answer = await fetch(`http://127.0.0.1:${w.port}/files`, { headers: { 'x-sidecar-injector-token': w.token } });
  return ((await answer.json()) as { sources: { path: string; text: string }[] }).sources;
}

/** The page's write of every served file, each workload ticked (the results computed as the page does). */
async function post(
  w: StartedWizard,
  served: { path: string; text: string }[],
): Promise<{ status: number; text: string }> {
  const choices: Choices = {
    choices: Object.fromEntries(served.flatMap((s) => fileWorkloads(s.text).map((wl) => [wl.id, true]))),
    annotateOn: 'workload',
    annotations: {},
  };
  const { config } = readFunctionConfig({ apiVersion: CONFIG_API_VERSION, kind: CONFIG_KIND, spec: {} });
  const outputs = processPackage(annotatePackage(served, choices), { config });
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  const response = await fetch(`http://127.0.0.1:${w.port}/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sidecar-injector-token': w.token },
    body: JSON.stringify({
      files: outputs.map((f, i) => ({ path: f.path, served: hash(served[i].text), output: hash(f.output) })),
      choices,
      spec: {},
    }),
  });
  return { status: response.status, text: await response.text() };
}

describe.skipIf(reason)('as root', () => {
  it("--in-place keeps a file's owner, group and mode (nobody:nogroup 0640 stays so)", () => {
    const dir = tempDir('owner');
    const path = join(dir, 'a.yaml');
    writeFileSync(path, deployment('a'));
    chownSync(path, 65534, 65534);
    spawnSync('chmod', ['0640', path]);
    expect(cli(['inject', '-i', path]).status).toBe(0);
    const stats = statSync(path);
    expect(readFileSync(path, 'utf8')).toContain('name: speedscale-goproxy');
    expect([stats.uid, stats.gid, stats.mode & 0o7777]).toEqual([65534, 65534, 0o640]);
    run('rm', ['-rf', dir]);
  });
});
