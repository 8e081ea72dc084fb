/**
 * A failed file operation in the command line's words: the errno's meaning, not node's text (which names the
 * syscall); text that is not UTF-8, where it fails. Every front end that touches files says them so.
 */
import { NotUtf8 } from '../index';

const KNOWN: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENXIO: 'no reader or writer at the other end (a socket or FIFO)',
  ELOOP: 'a symlink where a file was expected',
  ENAMETOOLONG: 'the name is too long',
};

export function describeError(error: unknown): string {
  if (error instanceof NotUtf8) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return (code && KNOWN[code]) ?? (error as Error).message;
}
