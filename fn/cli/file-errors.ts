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
  // `web.yaml/`, `web.yaml/x.yaml`: a file named where a directory must be.
  ENOTDIR: 'not a directory (a part of the path is a file)',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'the file is busy',
};

export function describeError(error: unknown): string {
  if (error instanceof NotUtf8) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return (code && KNOWN[code]) ?? (error as Error).message;
}
