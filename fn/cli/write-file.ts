/**
 * Writes by the file policy (docs/guarantees.md#files), for `--in-place` and `wizard DIR`. A file is never
 * written through: a temporary file is made beside it (O_EXCL|O_NOFOLLOW, given the original's owner, group
 * and mode, flushed), and renamed over the path, which replaces the directory entry itself, so a symlink
 * that appeared there since the read is replaced, never followed. Just before the rename the entry must
 * still be the file that was read (device, inode, size, mtime). On Linux the directory is used through its
 * handle (/proc/self/fd/N), so a directory swapped for a symlink after it was opened is not followed either.
 *
 * Temporary files are named `.<name>.sidecar-injector-<pid>-<random>.tmp` (and `.old` for the wizard's
 * rollback links): a later write into the same directory removes those whose process is gone (a run killed
 * mid-write), and the directory walk skips them as hidden meanwhile.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isInside, kindOf, Refused, REFUSALS } from './file-policy';
import { readBounded } from './read-file';

/** A directory, opened once: every name in it is reached through the handle. */
export interface Dir {
  /** The path that reaches the opened directory itself. */
  base: string;
  /** Where it is (its real path when it was opened). */
  real: string;
  close(): void;
}

const PROC_FD = '/proc/self/fd';

/** Opens `dir`; with `root`, it must be `root` or below it (the wizard's DIR), or this throws Refused. */
export function openDir(dir: string, root?: string): Dir {
  const fd = openSync(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  try {
    const viaFd = existsSync(PROC_FD) ? `${PROC_FD}/${fd}` : undefined;
    const real = viaFd ? readlinkSync(viaFd) : dir;
    if (root !== undefined && !isInside(root, real))
      throw new Refused(`not written: ${real} is outside the directory served`);
    removeLeftovers(viaFd ?? dir, real);
    return { base: viaFd ?? dir, real, close: () => closeSync(fd) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** The file `name` in `dir` as it is now, read without following a symlink: its bytes and stats. */
export function readNoFollow(dir: Dir, name: string, limit: number): { bytes: Buffer | undefined; stats: Stats } {
  const fd = openSync(
    join(dir.base, name),
    constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0),
  );
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Refused(REFUSALS.notRegular(kindOf(stats)));
    return { bytes: stats.size > limit ? undefined : readBounded(fd, limit, false), stats };
  } finally {
    closeSync(fd);
  }
}

export interface Replacement {
  dir: Dir;
  name: string;
  text: string;
  /** The file as it was read: the entry must still be it when it is replaced. */
  read: Stats;
}

/**
 * Every file replaced, or none: all temporary files are written first (a full disk stops it there, with
 * nothing changed), then each target is linked aside and renamed over; if one rename fails, those done are
 * renamed back. `rename` is replaceable for the test of that rollback.
 */
export function replaceFiles(
  files: readonly Replacement[],
  force: boolean,
  rename: (from: string, to: string) => void = renameSync,
): void {
  const temps: { file: Replacement; temp: string; backup?: string }[] = [];
  const renamed: (typeof temps)[number][] = [];
  try {
    for (const file of files) temps.push({ file, temp: writeTemp(file, force) });
    // One file needs no way back: its rename is all or nothing by itself.
    if (files.length > 1)
      for (const t of temps) {
        t.backup = sibling(t.file.dir, t.file.name, 'old');
        linkSync(join(t.file.dir.base, t.file.name), t.backup);
      }
    for (const t of temps) {
      stillTheFileRead(t.file);
      rename(t.temp, join(t.file.dir.base, t.file.name));
      renamed.push(t);
    }
  } catch (error) {
    const undone = renamed.reverse().filter((t) => {
      try {
        renameSync(t.backup!, join(t.file.dir.base, t.file.name));
        return true;
      } catch {
        return false;
      }
    });
    if (undone.length < renamed.length)
      throw new PartlyWritten(
        renamed.filter((t) => !undone.includes(t)).map((t) => t.file.name),
        error,
      );
    throw error;
  } finally {
    for (const t of temps) {
      rmSync(t.temp, { force: true });
      if (t.backup) rmSync(t.backup, { force: true });
    }
  }
  for (const dir of new Set(files.map((f) => f.dir))) syncDir(dir);
}

/** A rollback that could not put every file back (the system failed twice): which files are new. */
export class PartlyWritten extends Error {
  constructor(
    readonly written: string[],
    cause: unknown,
  ) {
    super(`${(cause as Error).message}; and ${written.join(', ')} could not be put back`, { cause });
  }
}

/** `--in-place`: `path` (the file that was read, symlinks resolved) replaced by `text`. */
export function replaceFile(path: string, text: string, read: Stats, force: boolean): void {
  const dir = openDir(dirname(path));
  try {
    replaceFiles([{ dir, name: basename(path), text, read }], force);
  } finally {
    dir.close();
  }
}

/** The temporary file beside the target, written and flushed, with the target's owner, group and mode. */
function writeTemp(file: Replacement, force: boolean): string {
  const now = stillTheFileRead(file);
  if (!force && (now.mode & 0o222) === 0) throw new Refused(REFUSALS.readOnly(now.mode));
  if (!force && now.nlink > 1) throw new Refused(REFUSALS.hardLinks(now.nlink));
  return tempWith(file.dir, file.name, file.text, (fd) => {
    try {
      fchownSync(fd, now.uid, now.gid); // before the mode: a chown clears set-id bits
    } catch (error) {
      if (['EPERM', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? ''))
        throw new Refused(REFUSALS.owner(now.uid, now.gid));
      throw error;
    }
    fchmodSync(fd, now.mode & 0o7777); // not the open mode: the umask would narrow that
  });
}

/** The entry, as it is now, if it is still the file that was read; otherwise Refused, saying what changed. */
function stillTheFileRead(file: Replacement): Stats {
  const now = lstatSync(join(file.dir.base, file.name), { throwIfNoEntry: false });
  const { read } = file;
  if (!now) throw new Refused(REFUSALS.changed('removed'), true);
  if (now.isSymbolicLink()) throw new Refused(REFUSALS.changed('replaced by a symlink'), true);
  if (!now.isFile()) throw new Refused(REFUSALS.changed(`replaced by ${kindOf(now)}`), true);
  if (now.dev !== read.dev || now.ino !== read.ino)
    throw new Refused(REFUSALS.changed('replaced by another file'), true);
  if (now.size !== read.size || now.mtimeMs !== read.mtimeMs) throw new Refused(REFUSALS.changed('modified'), true);
  return now;
}

const LEFTOVER = /^\..*\.sidecar-injector-(\d+)-[0-9a-f]{12}\.(?:tmp|old)$/;

const sibling = (dir: Dir, name: string, kind: 'tmp' | 'old'): string =>
  join(dir.base, `.${name.slice(0, 150)}.sidecar-injector-${process.pid}-${randomBytes(6).toString('hex')}.${kind}`);

/** Directories already cleaned in this process, by real path. */
const cleaned = new Set<string>();

/**
 * Removes the temporary files of writes into the directory (reached as `base`, at `real`) whose process is
 * gone (killed mid-write); once per directory and process. `--in-place` calls it for every directory it read
 * from, writing or not.
 */
export function removeLeftovers(base: string, real = base): void {
  if (cleaned.has(real)) return;
  cleaned.add(real);
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return; // a directory that cannot be listed has nothing of ours to clean
  }
  for (const name of names) {
    const pid = Number(LEFTOVER.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    const path = join(base, name);
    if (lstatSync(path, { throwIfNoEntry: false })?.isFile()) rmSync(path, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function syncDir(dir: Dir): void {
  try {
    const fd = openSync(dir.base, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot flush a directory: the rename is made, only its durability is the system's.
  }
}

export interface Creation {
  dir: Dir;
  name: string;
  text: string;
  /** The new file's mode (a script the user runs is executable). */
  mode: number;
}

/**
 * New files only, every one or none (the wizard's offered files): each is written to a temporary file beside
 * it and flushed, then linked to its name, which fails if anything (a file, a symlink, a directory) holds
 * that name by then, so nothing is ever replaced and no symlink followed. If one link fails, the names
 * already linked are removed again, each only while it is still the file made here (device and inode).
 */
export function createFiles(files: readonly Creation[]): void {
  const temps: { file: Creation; temp: string }[] = [];
  const linked: { file: Creation; made: Stats }[] = [];
  try {
    for (const file of files) temps.push({ file, temp: writeNew(file) });
    for (const { file, temp } of temps) {
      linkSync(temp, join(file.dir.base, file.name));
      linked.push({ file, made: lstatSync(temp) });
    }
  } catch (error) {
    for (const { file, made } of linked) {
      const path = join(file.dir.base, file.name);
      const now = lstatSync(path, { throwIfNoEntry: false });
      if (now?.dev === made.dev && now?.ino === made.ino) rmSync(path, { force: true });
    }
    throw error;
  } finally {
    for (const { temp } of temps) rmSync(temp, { force: true });
  }
  for (const dir of new Set(files.map((f) => f.dir))) syncDir(dir);
}

function writeNew(file: Creation): string {
  return tempWith(file.dir, file.name, file.text, (fd) => fchmodSync(fd, file.mode));
}

/**
 * A new temporary file beside `name` (never one that was there: O_EXCL, no symlink followed), holding `text`,
 * `finish`ed (owner, mode) and flushed; removed again if any of it fails.
 */
function tempWith(dir: Dir, name: string, text: string, finish: (fd: number) => void): string {
  const temp = sibling(dir, name, 'tmp');
  const fd = openSync(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    0o600,
  );
  try {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    finish(fd);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  return temp;
}
