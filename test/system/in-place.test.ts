/**
 * `--in-place` by the file policy (docs/guarantees.md#files), through the built bundle (issue 23, case 8): a
 * read-only file is refused unless forced; a file with other hard links is refused unless forced, and then
 * only this path gets the new content; a run killed at any moment leaves every file old or new, and the
 * next run removes the temporary files the killed one left. (Owner and group kept as root, and a full disk:
 * test/integration/fault-injection.test.ts.)
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE } from '../support/helpers';

const scratch = mkdtempSync(join(tmpdir(), 'in-place-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
`;

function cli(args: string[]) {
  const child = spawnSync(process.execPath, [BUNDLE, ...args], { timeout: 110_000 });
  return { stdout: child.stdout.toString(), stderr: child.stderr.toString(), status: child.status };
}

const fresh = (): string => mkdtempSync(join(scratch, 'dir-'));
const injected = (path: string) => readFileSync(path, 'utf8').includes('name: speedscale-goproxy');

describe('what --in-place writes, and what it refuses', () => {
  it('a read-only file (0444) is refused, and written with --force, keeping its mode', () => {
    const dir = fresh();
    const path = join(dir, 'ro.yaml');
    writeFileSync(path, deployment('ro'));
    chmodSync(path, 0o444);
    const refused = cli(['inject', '-i', path]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `${path}: error: not written: read-only (mode 0444); --force writes it; the file is unchanged`,
    );
    expect(readFileSync(path, 'utf8')).toBe(deployment('ro'));
    const forced = cli(['inject', '-i', '--force', path]);
    expect(forced.status).toBe(0);
    expect(injected(path)).toBe(true);
    expect(statSync(path).mode & 0o7777).toBe(0o444);
  });

  it('a file with another hard link is refused, and with --force only this path gets the new content', () => {
    const dir = fresh();
    const path = join(dir, 'a.yaml');
    const twin = join(dir, 'twin.yml.keep');
    writeFileSync(path, deployment('a'));
    linkSync(path, twin);
    const refused = cli(['inject', '-i', path]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `${path}: error: not written: the file has 2 hard links, and a new file here would leave the others ` +
        'with the old content; --force writes this path alone; the file is unchanged',
    );
    expect(readFileSync(path, 'utf8')).toBe(deployment('a'));
    expect(cli(['inject', '-i', '--force', path]).status).toBe(0);
    expect(injected(path)).toBe(true);
    expect(readFileSync(twin, 'utf8')).toBe(deployment('a')); // as stated: the twin keeps the old content
    expect(statSync(path).nlink).toBe(1);
  });

  it('--force without --in-place is a usage error', () => {
    expect(cli(['inject', '--force', '/dev/null']).status).toBe(2);
  });

  it('stdin, a pipe or a device named with --in-place is not written', () => {
    const run = cli(['inject', '-i', '/dev/null']);
    expect(run.status).toBe(0); // nothing to change in an empty file: nothing to write
    const piped = spawnSync('bash', ['-c', `exec "${process.execPath}" "${BUNDLE}" inject -i <(printf '%s' "$DOC")`], {
      env: { ...process.env, DOC: deployment('p') },
    });
    expect(piped.status).toBe(1);
    expect(piped.stderr.toString()).toMatch(
      /: error: not written: not a regular file \(stdin, a pipe or a device\); the file is unchanged/,
    );
  });

  it('a symlink inside the tree and its target, both given: the file is written once, the link stays a link', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'a.yaml'), deployment('a'));
    spawnSync('ln', ['-s', 'a.yaml', join(dir, 'b.yaml')]);
    const run = cli(['inject', '-i', dir]);
    expect(run.status).toBe(0);
    expect(injected(join(dir, 'a.yaml'))).toBe(true);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8').split('name: speedscale-goproxy')).toHaveLength(2);
    expect(lstatSync(join(dir, 'b.yaml')).isSymbolicLink()).toBe(true);
  });
});

describe('SIGKILL at any moment: every file old or new, and the next run cleans up', () => {
  const COUNT = 200;
  const names = Array.from({ length: COUNT }, (_, i) => `w${String(i).padStart(5, '0')}.yaml`);

  it('kills --in-place runs at spread-out moments; files stay whole, leftovers go with the next run', async () => {
    const dir = fresh();
    const old = new Map(names.map((n) => [n, deployment(n.replace('.yaml', ''))]));
    for (const [name, text] of old) writeFileSync(join(dir, name), text);
    // What each file becomes: one clean run over a copy.
    const copy = fresh();
    for (const [name, text] of old) writeFileSync(join(copy, name), text);
    expect(cli(['inject', '-i', copy]).status).toBe(0);
    const done = new Map(names.map((n) => [n, readFileSync(join(copy, n), 'utf8')]));

    // Bounded: 24 runs, each killed after a delay from 20 ms to about a second, whatever it is doing then.
    // A run that finishes first makes every file new: the next run then has nothing to do, so the files
    // are put back to the old text between runs.
    let killedMidway = 0;
    for (let round = 0; round < 24; round++) {
      for (const [name, text] of old) if (round % 2 === 0) writeFileSync(join(dir, name), text);
      const child = spawn(process.execPath, [BUNDLE, 'inject', '-i', dir], { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise((resolve) => setTimeout(resolve, 20 + ((round * 37) % 24) * 40));
      if (child.kill('SIGKILL')) killedMidway++;
      await exited;
      for (const name of names) {
        const text = readFileSync(join(dir, name), 'utf8');
        expect(text === old.get(name) || text === done.get(name), `${name} after round ${round}`).toBe(true);
      }
    }
    expect(killedMidway).toBeGreaterThan(0);

    // A leftover of a process that is gone (pid 2^22 + 1 is above any pid Linux gives), and one of a live
    // process (this one): the next run removes the first, and leaves a running process's file alone.
    const gone = join(dir, `.${names[0]}.sidecar-injector-4194305-0123456789ab.tmp`);
    const running = join(dir, `.${names[1]}.sidecar-injector-${process.pid}-0123456789ab.tmp`);
    writeFileSync(gone, 'left by a killed run');
    writeFileSync(running, 'being written');
    const clean = cli(['inject', '-i', dir]);
    expect(clean.status).toBe(0);
    for (const name of names) expect(readFileSync(join(dir, name), 'utf8')).toBe(done.get(name));
    // Nothing hidden is left but the running process's file: the killed runs' and the planted one are gone.
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([basename(running)]);
    expect(existsSync(gone)).toBe(false);
  });
});
