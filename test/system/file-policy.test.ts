/**
 * The file policy (docs/guarantees.md#files) as the built bundle applies it to a walked tree (issue 23, case 2):
 * below a directory only regular files inside it are read; a symlink out of it (to credentials, to
 * /proc/self/environ), a symlink to a device, a FIFO and a broken symlink are each refused with one line
 * naming them, and nothing of them reaches stdout; --follow-symlinks reads a file outside; `wizard DIR`
 * serves the same files and no others.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE } from '../support/helpers';
import { startWizard } from '../support/wizard-process';

const scratch = mkdtempSync(join(tmpdir(), 'file-policy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SECRET = 'registry-password-3f9c1';
const DEPLOYMENT = `apiVersion: apps/v1
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

/** A tree as an attacker (or a careless `git clone`) would leave it. */
function hostileTree(): { root: string; k8s: string } {
  const root = mkdtempSync(join(scratch, 'tree-'));
  const k8s = join(root, 'k8s');
  mkdirSync(join(k8s, 'sub'), { recursive: true });
  mkdirSync(join(root, 'home'));
  writeFileSync(join(root, 'home/config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: SECRET } } }));
  writeFileSync(join(k8s, 'web.yaml'), DEPLOYMENT);
  writeFileSync(join(k8s, 'sub/also.yaml'), DEPLOYMENT.replace('name: web\nspec', 'name: also\nspec'));
  symlinkSync('../home/config.json', join(k8s, 'creds.yaml'));
  symlinkSync('/proc/self/environ', join(k8s, 'env.yaml'));
  symlinkSync('/dev/zero', join(k8s, 'zero.yaml'));
  symlinkSync('nowhere.yaml', join(k8s, 'broken.yaml'));
  symlinkSync('web.yaml', join(k8s, 'alias.yaml')); // inside the tree: read
  spawnSync('mkfifo', [join(k8s, 'z.yaml')]);
  return { root, k8s };
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnSync(process.execPath, [BUNDLE, ...args], {
    env: { ...process.env, SECRET_IN_ENV: SECRET, ...env },
    timeout: 60_000,
    maxBuffer: 1 << 28,
  });
  return {
    stdout: child.stdout.toString(),
    stderr: child.stderr.toString(),
    status: child.status,
    signal: child.signal,
  };
}

describe('a walked directory: only regular files inside it', () => {
  it('refuses symlinks out of the tree, to devices or to nothing, and FIFOs, each with one line; reads the rest', () => {
    const { k8s } = hostileTree();
    const run = cli(['inject', '-f', k8s]);
    expect(run.signal).toBeNull(); // the FIFO did not hang the run
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain(SECRET);
    expect(run.stdout).not.toContain('SECRET_IN_ENV');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const lines = run.stderr.trimEnd().split('\n');
    const line = (name: string) => lines.filter((l) => l.startsWith(join(k8s, name) + ':'));
    expect(line('creds.yaml')).toEqual([
      `${join(k8s, 'creds.yaml')}: error: not read: a symlink to ${join(k8s, '../home/config.json')}, ` +
        `outside ${k8s} (--follow-symlinks reads it)`,
    ]);
    expect(line('env.yaml')).toHaveLength(1);
    expect(line('env.yaml')[0]).toMatch(/not read: a symlink to \/proc\/\d+\/environ, outside/);
    expect(line('zero.yaml')).toEqual([
      `${join(k8s, 'zero.yaml')}: error: not read: a symlink to a character device (/dev/zero), not a regular file`,
    ]);
    expect(line('z.yaml')).toEqual([`${join(k8s, 'z.yaml')}: error: not read: a FIFO, not a regular file`]);
    expect(line('broken.yaml')).toEqual([`${join(k8s, 'broken.yaml')}: error: not read: a symlink to nothing`]);
    // The regular files are read and injected; the symlink that stays inside the tree names one of them, which
    // is read once, under its own name.
    expect(line('web.yaml')).toEqual([`${join(k8s, 'web.yaml')}: Deployment/web: injected`]);
    expect(line('alias.yaml')).toEqual([
      `${join(k8s, 'alias.yaml')}: skipped: the same file as ${join(k8s, 'web.yaml')}, read once`,
    ]);
    expect(lines).toContain(`${join(k8s, 'sub/also.yaml')}: Deployment/also: injected`);
    expect(lines.at(-1)).toBe('sidecar-injector: 2 resources: 2 injected; 5 file errors; 1 file skipped');
  });

  it('--follow-symlinks reads a regular file outside the tree, never a device or a FIFO', () => {
    const { k8s } = hostileTree();
    const run = cli(['inject', '--follow-symlinks', '-f', k8s]);
    expect(run.signal).toBeNull();
    expect(run.stdout).toContain(SECRET); // asked for: config.json is a regular file
    expect(run.stderr).toContain(`${join(k8s, 'zero.yaml')}: error: not read: a symlink to a character device`);
    expect(run.stderr).toContain(`${join(k8s, 'z.yaml')}: error: not read: a FIFO, not a regular file`);
  });

  it('wizard DIR serves the same files: what it refuses is named at start, and never reaches the page', async () => {
    const { k8s } = hostileTree();
    const { child, url, token, output } = await startWizard(BUNDLE, k8s);
    try {
      const files = await fetch(new URL('/files', url), { headers: { 'x-sidecar-injector-token': token } });
      const body = (await files.json()) as { sources: { path: string }[]; skipped: { path: string; why: string }[] };
      expect(body.sources.map((s) => s.path)).toEqual(['sub/also.yaml', 'web.yaml']);
      expect(JSON.stringify(body)).not.toContain(SECRET);
      expect(body.skipped.map((s) => s.path).sort()).toEqual([
        'alias.yaml',
        'broken.yaml',
        'creds.yaml',
        'env.yaml',
        'z.yaml',
        'zero.yaml',
      ]);
      expect(output()).toContain('sidecar-injector: wizard: creds.yaml: not read: a symlink to');
    } finally {
      child.kill();
    }
  });
});

describe("a symlink loop below a directory is that entry's line alone", () => {
  /** a.yaml and z.yaml either side of m.yaml, a symlink to itself (ELOOP when followed). */
  function loopTree(): string {
    const dir = mkdtempSync(join(scratch, 'loop-'));
    writeFileSync(join(dir, 'a.yaml'), DEPLOYMENT);
    writeFileSync(join(dir, 'z.yaml'), DEPLOYMENT.replaceAll('web', 'zed'));
    symlinkSync('m.yaml', join(dir, 'm.yaml'));
    return dir;
  }

  it('names the loop and processes the files after it, printed or in place', () => {
    for (const inPlace of [[], ['-i']]) {
      const dir = loopTree();
      const run = cli(['inject', ...inPlace, dir]);
      expect(run.status).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        `${join(dir, 'm.yaml')}: error: not read: a symlink loop`,
        `${join(dir, 'a.yaml')}: Deployment/web: injected`,
        `${join(dir, 'z.yaml')}: Deployment/zed: injected`,
        'sidecar-injector: 2 resources: 2 injected; 1 file error',
      ]);
      if (inPlace.length) expect(readFileSync(join(dir, 'z.yaml'), 'utf8')).toContain('speedscale-goproxy');
    }
  });

  it('wizard DIR serves the files after it, and starts with a Kptfile that loops', async () => {
    const dir = loopTree();
    symlinkSync('Kptfile', join(dir, 'Kptfile'));
    const { child, url, token, output } = await startWizard(BUNDLE, dir);
    try {
      const files = await fetch(new URL('/files', url), { headers: { 'x-sidecar-injector-token': token } });
      const body = (await files.json()) as { sources: { path: string }[]; skipped: { path: string; why: string }[] };
      expect(body.sources.map((s) => s.path)).toEqual(['a.yaml', 'z.yaml']);
      expect(body.skipped).toEqual([
        { path: 'm.yaml', why: 'not read: a symlink loop' },
        { path: 'Kptfile', why: 'not read: a symlink loop' },
      ]);
      expect(output()).toContain('sidecar-injector: wizard: Kptfile: not read: a symlink loop');
    } finally {
      child.kill();
    }
  });
});
