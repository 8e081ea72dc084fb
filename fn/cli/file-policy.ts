/**
 * The one file-access policy of the command line and `wizard DIR` (docs/guarantees.md#files), as data:
 * what a run reads (regular files below the roots it was given, anything named explicitly), how much (a cap
 * per file and per run), and the words of every refusal. sources.ts walks by it, read-file.ts reads by it,
 * write-file.ts writes by it.
 */
import type { Stats } from 'node:fs';
import { sep } from 'node:path';
import { printableName } from '../index';

export interface Policy {
  /** The largest file read, in bytes: a larger one is refused before it is read whole. */
  maxFileBytes: number;
  /** The most bytes one run reads, over all its files. */
  maxRunBytes: number;
  /** Read a symlink below a directory that resolves outside it (never a directory, never a special file). */
  followSymlinks: boolean;
  /** Write a read-only file, or a file with other hard links, in place. */
  force: boolean;
}

const MiB = 1024 * 1024;

/**
 * 64 MiB a file: far above any manifest (a release of every CRD is a few MB). A file of annotated workloads
 * grows about ten times once injected: from about 45 MB it passes V8's longest string (512 MiB) and fails
 * alone, with its own error line.
 */
export const DEFAULT_POLICY: Policy = {
  maxFileBytes: 64 * MiB,
  maxRunBytes: 256 * MiB,
  followSymlinks: false,
  force: false,
};

/** How long a FIFO named on the command line may go without a writer before it is given up, in ms. */
export const FIFO_WRITER_WAIT_MS = 5000;

const UNITS: Record<string, number> = { '': 1, k: 1024, m: MiB, g: 1024 * MiB };

/** `64M`, `1g`, `512KiB`, `1048576`: bytes, or undefined for anything else. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+)\s*([kmg]?)(?:i?b)?$/i.exec(text.trim());
  if (!match) return undefined;
  const bytes = Number(match[1]) * UNITS[match[2].toLowerCase()];
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** Bytes as a reader counts them: `64 MiB`, `300 KiB`, `17 bytes`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 * MiB],
    ['MiB', MiB],
    ['KiB', 1024],
  ] as const)
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}

/** The policy's flags, for parseArgs: `inject` and `wizard` take the same. */
export const POLICY_FLAG_OPTIONS = {
  'follow-symlinks': { type: 'boolean' },
  force: { type: 'boolean' },
  'max-file-size': { type: 'string' },
  'max-run-size': { type: 'string' },
} as const;

type PolicyFlags = Partial<
  Record<'follow-symlinks' | 'force', boolean> & Record<'max-file-size' | 'max-run-size', string>
>;

/** The policy the flags ask for, or what is wrong with them (a usage error). */
export function policyFromFlags(values: PolicyFlags): Policy | string {
  const size = (flag: 'max-file-size' | 'max-run-size', fallback: number): number | string => {
    const given = values[flag];
    if (given === undefined) return fallback;
    return parseSize(given) ?? `--${flag}: expected a size such as 64M, 1G or 500K, got "${given}"`;
  };
  const maxFileBytes = size('max-file-size', DEFAULT_POLICY.maxFileBytes);
  if (typeof maxFileBytes === 'string') return maxFileBytes;
  // A file cap raised past the run's raises the run's with it.
  const maxRunBytes = size('max-run-size', Math.max(DEFAULT_POLICY.maxRunBytes, maxFileBytes));
  if (typeof maxRunBytes === 'string') return maxRunBytes;
  return {
    maxFileBytes,
    maxRunBytes,
    followSymlinks: Boolean(values['follow-symlinks']),
    force: Boolean(values.force),
  };
}

/** What a file that is not a regular file is, in a refusal's words. */
export function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symlink';
  return 'a regular file';
}

/** Whether `path` (resolved) is `root` or below it. */
export const isInside = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * A refusal: a file not read or not written, and why, in one line the report prints with the file's name.
 * `changed`: the file is no longer what was read (the wizard answers 409 Conflict).
 */
export class Refused extends Error {
  constructor(
    message: string,
    readonly changed = false,
  ) {
    super(message);
  }
}

const OUTPUT_ELSEWHERE = 'write the output elsewhere, or use --in-place';

/** The words of the refusals, one table for the command line and the wizard. */
export const REFUSALS = {
  outside: (target: string, root: string) =>
    `not read: a symlink to ${printableName(target)}, outside ${printableName(root)} (--follow-symlinks reads it)`,
  brokenLink: () => 'not read: a symlink to nothing',
  special: (kind: string) => `not read: ${kind}, not a regular file`,
  linkToSpecial: (kind: string, target: string) =>
    `not read: a symlink to ${kind} (${printableName(target)}), not a regular file`,
  tooLarge: (limit: number) => `not read: larger than ${formatSize(limit)} (--max-file-size raises the limit)`,
  runTooLarge: (limit: number) =>
    `not read: the run would read more than ${formatSize(limit)} (--max-run-size raises the limit)`,
  noWriter: (ms: number) => `not read: a FIFO nothing wrote to within ${ms / 1000} s`,
  changed: (how: string) => `not written: ${how} since it was read; run again`,
  readOnly: (mode: number) =>
    `not written: read-only (mode ${(mode & 0o7777).toString(8).padStart(4, '0')}); --force writes it`,
  hardLinks: (links: number) =>
    `not written: the file has ${links} hard links, and a new file here would leave the others with the ` +
    'old content; --force writes this path alone',
  owner: (uid: number, gid: number) =>
    `not written: its owner and group (${uid}:${gid}) could not be kept (only root gives a file away)`,
  notRegular: (kind: string) => `not written: ${kind}, not a regular file`,
  notAFile: () => 'not written: not a regular file (stdin, a pipe or a device)',
  isStdout: (check: boolean) =>
    'not processed: it is also stdout (the output redirected onto it: > has emptied it already, >> would ' +
    `append to it); ${check ? '--check prints nothing there: run it without the redirection' : OUTPUT_ELSEWHERE}`,
} satisfies Record<string, (...args: never[]) => string>;
