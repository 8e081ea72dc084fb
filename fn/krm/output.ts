/**
 * Buffered writing to a file descriptor: the output goes out as it is produced, through one reused buffer,
 * so a large list is never held whole and never joined into one string (both cost more than the writing).
 */
import { writeSync } from 'node:fs';
import { WriteError } from '../write-error';

export class Output {
  private readonly buffer: Buffer;
  private used = 0;
  /** Whether any byte has reached the file descriptor (after that, the output can no longer be replaced). */
  started = false;

  constructor(
    private readonly fd: number,
    size = 1 << 20,
  ) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** Queues `text`; an arrow function, so it can be handed on as a plain callback. */
  readonly write = (text: string): void => {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: with that much room, buffer.write never truncates.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) return this.writeAll(Buffer.from(text), 0, undefined);
    }
    this.used += this.buffer.write(text, this.used);
  };

  flush(): void {
    this.writeAll(this.buffer, 0, this.used);
    this.used = 0;
  }

  /** Drops what is queued and not yet written. */
  discard(): void {
    this.used = 0;
  }

  private writeAll(bytes: Buffer, from: number, to = bytes.length): void {
    this.started ||= to > from;
    try {
      for (let at = from; at < to;) at += writeSync(this.fd, bytes, at, to - at);
    } catch (error) {
      throw new WriteError(error as NodeJS.ErrnoException);
    }
  }
}
