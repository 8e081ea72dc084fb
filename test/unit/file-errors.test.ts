/**
 * A failed file operation is said in the command line's words, never node's text naming the syscall; an
 * input that is also the output is refused, as cat refuses it.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, type Io } from '../../fn/cli/cli';
import { describeError } from '../../fn/cli/file-errors';

/** The command line with no stdin, its output dropped: its exit code and what it says on stderr. */
function quiet(args: string[]): { code: number; stderr: string } {
  let stderr = '';
  const io: Io = {
    readStdin: () => undefined,
    stdinIsTTY: true,
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
  };
  const code = cli(args, io);
  return { code, stderr };
}

describe('file errors', () => {
  it('a file named as a directory (web.yaml/): said as such, with no syscall in it', () => {
    const { code, stderr } = quiet(['inject', 'package.json/']);
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toBe('package.json/: error: not a directory (a part of the path is a file)');
  });

  it.each(['ENOTDIR', 'EIO', 'EMFILE', 'ENFILE', 'EBUSY'])('%s in words, not the errno', (code) => {
    const error = Object.assign(new Error(`${code}: whatever, stat 'x'`), { code });
    expect(describeError(error)).not.toMatch(/E[A-Z]+|stat/);
  });
});

describe('an input that is also stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sidecar-injector-stdout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const WEB =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n' +
    '  template: {spec: {containers: [{name: app, image: nginx}]}}\n';

  function run(args: string[], stdoutFile: string, stdinFile?: string) {
    let stdout = '';
    let stderr = '';
    const io: Io = {
      readStdin: () => (stdinFile ? readFileSync(stdinFile) : undefined),
      stdinIsTTY: false,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      stdinStats: () => (stdinFile ? statSync(stdinFile) : undefined),
      stdoutStats: () => statSync(stdoutFile),
    };
    return { code: cli(args, io), stdout, stderr };
  }

  // `inject web.yaml >> web.yaml` would append the injected copy to the file: every resource twice.
  it.each([
    ['named', (path: string) => run(['inject', path], path)],
    ['on stdin', (path: string) => run(['inject', '-'], path, path)],
  ])('%s: refused with a line that says why, nothing written, exit 1', (_, runOn) => {
    const path = join(dir, 'web.yaml');
    writeFileSync(path, WEB);
    const { code, stdout, stderr } = runOn(path);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/^\S+: error: not processed: it is also stdout \(the output redirected onto it: /);
  });

  // The shell empties the file before --check reads it, and an empty file passes every check.
  it.each(['>', '>>'])('--check with stdout %s the file: refused the same way, never passed', (redirect) => {
    const path = join(dir, 'web.yaml');
    writeFileSync(path, redirect === '>' ? '' : WEB);
    const { code, stdout, stderr } = run(['inject', '--check', path], path);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr.split('\n')[0]).toBe(
      `${path}: error: not processed: it is also stdout (the output redirected onto it: > has emptied it already, ` +
        '>> would append to it); --check prints nothing there: run it without the redirection',
    );
  });

  it('another file as stdout: processed as ever', () => {
    const path = join(dir, 'web.yaml');
    writeFileSync(path, WEB);
    writeFileSync(join(dir, 'out.yaml'), '');
    const { code, stdout } = run(['inject', path], join(dir, 'out.yaml'));
    expect(code).toBe(0);
    expect(stdout).toContain('name: speedscale-goproxy');
  });
});

describe('a kustomization in the walk nested too deeply', () => {
  it('is reported as the manifest it is, and the other files are still processed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sidecar-injector-deep-kustomization-'));
    try {
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        `resources: [web.yaml]\npatches: ${'['.repeat(3000)}${']'.repeat(3000)}\n`,
      );
      writeFileSync(
        join(dir, 'web.yaml'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n' +
          '  template: {spec: {containers: [{name: app, image: nginx}]}}\n',
      );
      const { code, stderr } = quiet(['inject', dir]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/kustomization\.yaml:2:\d+: document 1: error: input is nested too deeply to read\n/);
      expect(stderr).toMatch(/web\.yaml: Deployment\/web: injected\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
