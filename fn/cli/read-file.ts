/**
 * Reading by the file policy (file-policy.ts): a file larger than the cap is refused before it is read whole
 * (a regular file by its size, anything else as soon as it passes the cap: /dev/zero stops there), a FIFO is
 * opened without blocking and given up when nothing writes to it, and a file found by the walk is opened
 * without following a symlink (one swapped in since the walk is not read). What was read is kept with its
 * stats, so an in-place write can tell the same file from one changed since (write-file.ts).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { FIFO_WRITER_WAIT_MS, kindOf, Refused, REFUSALS, type Policy } from './file-policy';
import { utf8Text } from '../index';

/** The path that names stdin. */
export const STDIN = '-';

export interface Source {
  /** The path as given (or found under a directory), or `-`. */
  path: string;
  /** The file itself, symlinks resolved (when they resolve): what is read, and what `--in-place` replaces. */
  real?: string;
  /** Named on the command line: read whatever it is. Found by the walk: a regular file, or not read. */
  explicit: boolean;
  /** Found by the walk through a symlink: another name of the file. */
  link?: true;
}

export interface Read {
  text: string;
  /** The file's stats when it was read (none for stdin and pipes): what an in-place write checks against. */
  stats?: Stats;
}

/** The bytes a run may still read: each file within its own cap and what is left of the run's. */
export class Budget {
  private used = 0;
  constructor(private readonly policy: Pick<Policy, 'maxFileBytes' | 'maxRunBytes'>) {}

  /** The most the next file may hold, and what to say when it holds more. */
  next(): { limit: number; refusal: string } {
    const left = this.policy.maxRunBytes - this.used;
    return left < this.policy.maxFileBytes
      ? { limit: Math.max(left, 0), refusal: REFUSALS.runTooLarge(this.policy.maxRunBytes) }
      : { limit: this.policy.maxFileBytes, refusal: REFUSALS.tooLarge(this.policy.maxFileBytes) };
  }

  spend(bytes: number): void {
    this.used += bytes;
  }
}

/** The text of a source (UTF-8 or nothing, as the KRM path is as strict), or a Refused error. */
export function readSource(source: Source, budget: Budget, readStdin: (limit: number) => Buffer | undefined): Read {
  const { limit, refusal } = budget.next();
  const read = source.path === STDIN ? { bytes: readStdin(limit) } : readFile(source, limit);
  if (!read.bytes || read.bytes.length > limit) throw new Refused(refusal);
  budget.spend(read.bytes.length);
  return { text: utf8Text(read.bytes), ...(read.stats && { stats: read.stats }) };
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

function readFile(source: Source, limit: number): { bytes?: Buffer; stats?: Stats } {
  // Found by the walk: the file itself, no symlink swapped in since, and never blocked (a FIFO swapped in
  // opens at once, and is refused below). Named on the command line: whatever the path leads to.
  const fifo = source.explicit && statSync(source.path).isFIFO();
  const flags = constants.O_RDONLY | (source.explicit ? (fifo ? NONBLOCK : 0) : NOFOLLOW | NONBLOCK);
  const fd = openSync(source.explicit ? source.path : source.real!, flags);
  try {
    const stats = fstatSync(fd);
    if (!source.explicit && !stats.isFile()) throw new Refused(REFUSALS.special(kindOf(stats)));
    if (stats.isFile()) {
      // Refused by its size before a byte is read.
      if (stats.size > limit) return { stats };
      return { bytes: readBounded(fd, limit, false), stats };
    }
    return { bytes: readBounded(fd, limit, fifo) };
  } finally {
    closeSync(fd);
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const CHUNK = 1 << 20;

/**
 * Up to limit + 1 bytes of `fd` (one more than the limit says it is over), undefined past that. `fifo`:
 * the descriptor does not block; an end of file before anything was seen may be a writer not there yet,
 * so it is waited for, FIFO_WRITER_WAIT_MS at most.
 */
export function readBounded(fd: number, limit: number, fifo: boolean): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  let writerSeen = !fifo;
  const started = Date.now();
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, Math.min(CHUNK, limit + 1 - total), null);
    } catch (error) {
      // A writer is there, with nothing to say yet (or stdin that does not block, between chunks).
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      writerSeen = true;
      pause(10);
      continue;
    }
    if (n === 0) {
      if (writerSeen || total) break;
      if (Date.now() - started > FIFO_WRITER_WAIT_MS) throw new Refused(REFUSALS.noWriter(FIFO_WRITER_WAIT_MS));
      pause(20);
      continue;
    }
    writerSeen = true;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    total += n;
    if (total > limit) return undefined;
  }
  return Buffer.concat(chunks, total);
}
