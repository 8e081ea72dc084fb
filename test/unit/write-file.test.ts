/**
 * The wizard's write of several files is all or none (fn/cli/write-file.ts, issue 23 case 4): a rename that
 * fails after others succeeded puts those back; a temporary file that cannot be written stops it before any
 * rename. A full disk for real: test/integration/fault-injection.test.ts.
 */
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Refused } from '../../fn/cli/file-policy';
import { openDir, replaceFiles, type Dir } from '../../fn/cli/write-file';

const scratch = mkdtempSync(join(tmpdir(), 'write-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function setUp(files: Record<string, string>): { dir: string; handle: Dir } {
  const dir = mkdtempSync(join(scratch, 'dir-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, handle: openDir(dir) };
}

const plan = (handle: Dir, dir: string, name: string, text: string) => ({
  dir: handle,
  name,
  text,
  read: statSync(join(dir, name)),
});

describe('replaceFiles: all or none', () => {
  it('a rename failing after another succeeded puts the first back; nothing of the attempt is left', () => {
    const { dir, handle } = setUp({ 'a.yaml': 'a: old\n', 'b.yaml': 'b: old\n', 'c.yaml': 'c: old\n' });
    let renames = 0;
    const failingSecond = (from: string, to: string) => {
      if (++renames === 2) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      renameSync(from, to);
    };
    const files = ['a.yaml', 'b.yaml', 'c.yaml'].map((n) => plan(handle, dir, n, `${n[0]}: new\n`));
    expect(() => replaceFiles(files, false, failingSecond)).toThrow(/EIO/);
    handle.close();
    for (const n of ['a', 'b', 'c']) expect(readFileSync(join(dir, `${n}.yaml`), 'utf8')).toBe(`${n}: old\n`);
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  it('all renamed: every file new, its mode kept, nothing left beside them', () => {
    const { dir, handle } = setUp({ 'a.yaml': 'a: old\n', 'b.yaml': 'b: old\n' });
    chmodSync(join(dir, 'b.yaml'), 0o640);
    replaceFiles([plan(handle, dir, 'a.yaml', 'a: new\n'), plan(handle, dir, 'b.yaml', 'b: new\n')], false);
    handle.close();
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('a: new\n');
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe('b: new\n');
    expect(statSync(join(dir, 'b.yaml')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
  });

  it('a file changed after it was read stops the whole write before any rename', () => {
    const { dir, handle } = setUp({ 'a.yaml': 'a: old\n', 'b.yaml': 'b: old\n' });
    const files = [plan(handle, dir, 'a.yaml', 'a: new\n'), plan(handle, dir, 'b.yaml', 'b: new\n')];
    writeFileSync(join(dir, 'b.yaml'), 'b: edited meanwhile\n');
    let error: unknown;
    try {
      replaceFiles(files, false);
    } catch (e) {
      error = e;
    }
    handle.close();
    expect(error).toBeInstanceOf(Refused);
    expect((error as Refused).changed).toBe(true);
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('a: old\n');
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe('b: edited meanwhile\n');
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
  });
});
