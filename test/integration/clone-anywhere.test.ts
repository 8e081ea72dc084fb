/**
 * The test suite passes wherever the repository is cloned (issue 23, case 10): root cloning into its home
 * (/root is 0700) put the checkout where the tests that run the command line as `nobody` could not reach the
 * bundle (MODULE_NOT_FOUND). Here the checkout's files, as a clone has them, go into a fresh 0700 directory,
 * are built there, and the suite that runs as `nobody` runs from there. Needs root (to be someone else) and git.
 */
import { chmodSync, existsSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missing, must, repoRoot, run, runAsync, tempDir } from './_tools';

const reason = missing(
  'a checkout below a 0700 directory',
  ['git', 'tar'],
  [[process.getuid?.() !== 0, 'running the command line as nobody needs root']],
);

describe.skipIf(reason)('a checkout below a directory only its owner can enter', () => {
  const home = reason ? '' : tempDir('clone-0700');
  afterAll(() => home && run('rm', ['-rf', home]));

  it('runs the suite that runs the command line as nobody', async () => {
    chmodSync(home, 0o700); // as /root is
    const clone = join(home, 'sidecar-injector');
    mkdirSync(clone);
    // Every file a clone of this checkout has (tracked, and new ones not ignored), uncommitted changes included.
    const files = must('git', ['-C', repoRoot, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'])
      .stdout.split('\0')
      .filter((f) => f && f !== 'node_modules' && !f.startsWith('node_modules/'));
    must('tar', ['-C', repoRoot, '--null', '-T', '-', '-cf', join(home, 'checkout.tar')], { input: files.join('\0') });
    must('tar', ['-C', clone, '-xf', join(home, 'checkout.tar')]);
    // `npm ci` would download again what this checkout already has: the same packages, linked.
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'));
    expect(statSync(home).mode & 0o777).toBe(0o700);

    must(process.execPath, ['scripts/build.mjs'], { cwd: clone });
    expect(existsSync(join(clone, 'dist/sidecar-injector.js'))).toBe(true);
    const suite = await runAsync(
      process.execPath,
      [join(clone, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'system', 'test/system/cli.test.ts'],
      { cwd: clone, env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    expect(suite.stdout + suite.stderr).not.toContain('MODULE_NOT_FOUND');
    expect(suite.status, suite.stdout + suite.stderr).toBe(0);
    expect(suite.stdout).toMatch(/Tests\s+\d+ passed/);
  });
});
