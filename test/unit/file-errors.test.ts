/** A failed file operation is said in the command line's words, never node's text naming the syscall. */
import { describe, expect, it } from 'vitest';
import { cli, type Io } from '../../fn/cli/cli';
import { describeError } from '../../fn/cli/file-errors';

describe('file errors', () => {
  it('a file named as a directory (web.yaml/): said as such, with no syscall in it', () => {
    let stderr = '';
    const io: Io = {
      readStdin: () => undefined,
      stdinIsTTY: true,
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
    };
    expect(cli(['inject', 'package.json/'], io)).toBe(1);
    expect(stderr.split('\n')[0]).toBe('package.json/: error: not a directory (a part of the path is a file)');
  });

  it.each(['ENOTDIR', 'EIO', 'EMFILE', 'ENFILE', 'EBUSY'])('%s in words, not the errno', (code) => {
    const error = Object.assign(new Error(`${code}: whatever, stat 'x'`), { code });
    expect(describeError(error)).not.toMatch(/E[A-Z]+|stat/);
  });
});
