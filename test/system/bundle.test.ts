/**
 * The shipped artifact: a loader and the code with its V8 cache beside it, runnable with plain node and no
 * node_modules, behaving as the KRM contract asks.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE, BUNDLE_BIN, itemsOf, resultsOf, ROOT, runBundle } from '../support/helpers';

const example = readFileSync(join(ROOT, 'fixtures/inject-deployment/input.yaml'), 'utf8');
const expected = readFileSync(join(ROOT, 'fixtures/inject-deployment/expected.yaml'), 'utf8');
const alone = mkdtempSync(join(tmpdir(), 'bundle-'));
afterAll(() => rmSync(alone, { recursive: true, force: true }));

describe('dist/sidecar-injector.js', () => {
  it('starts with a shebang and is the package bin', () => {
    expect(readFileSync(BUNDLE, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin).toEqual({
      'sidecar-injector': 'dist/sidecar-injector.js',
    });
  });

  it('is the size docs/orchestrators.md states for it, within a quarter', () => {
    const doc = readFileSync(join(ROOT, 'docs/orchestrators.md'), 'utf8').replace(/\s+/g, ' ');
    const stated = Number(/the bundle and its code cache are about ([\d.]+) MB/.exec(doc)?.[1]) * 1e6;
    const size = statSync(BUNDLE).size + statSync(BUNDLE_BIN).size;
    expect(Math.abs(stated - size)).toBeLessThanOrEqual(size / 4);
  });

  it('runs alone, far from node_modules, and injects the example', () => {
    const copy = join(alone, 'sidecar-injector.js');
    copyFileSync(BUNDLE, copy);
    copyFileSync(BUNDLE_BIN, join(alone, 'sidecar-injector.bin'));
    const child = spawnSync(process.execPath, [copy], { input: example, cwd: alone, env: { PATH: process.env.PATH } });
    expect(child.status, child.stderr.toString()).toBe(0);
    const out = child.stdout.toString();
    expect(out).toBe(expected);
    // Init order: the workload's own init container first, then the capture init containers.
    expect(out.match(/^ {8}- name: (\S+)/gm)!.slice(0, 3)).toEqual([
      '        - name: migrate',
      '        - name: speedscale-initproxy-iptables',
      '        - name: speedscale-initproxy-smartdns',
    ]);
  });

  it('runs through a symlink (a bin directory), finding its code beside the real file', () => {
    const bin = join(alone, 'bin');
    mkdirSync(bin);
    symlinkSync(BUNDLE, join(bin, 'sidecar-injector'));
    const child = spawnSync(join(bin, 'sidecar-injector'), [], {
      input: example,
      cwd: alone,
      env: { PATH: process.env.PATH },
    });
    expect(child.status, child.stderr.toString()).toBe(0);
    expect(child.stdout.toString()).toBe(expected);
  });

  it('without its code beside it, says which file is missing in one line and exits 1', () => {
    const lone = mkdtempSync(join(alone, 'lone-'));
    copyFileSync(BUNDLE, join(lone, 'sidecar-injector.js'));
    const child = spawnSync(process.execPath, [join(lone, 'sidecar-injector.js')], {
      input: example,
      encoding: 'utf8',
    });
    expect(child.status).toBe(1);
    expect(child.stdout).toBe('');
    expect(child.stderr).toBe(
      `sidecar-injector: cannot read ${join(lone, 'sidecar-injector.bin')} (it ships beside this file): ` +
        `ENOENT: no such file or directory, open '${join(lone, 'sidecar-injector.bin')}'\n`,
    );
  });

  it('a code cache V8 rejects (another node, other flags) costs time, not correctness', () => {
    const child = spawnSync(process.execPath, ['--no-opt', BUNDLE], { input: example });
    expect(child.status, child.stderr.toString()).toBe(0);
    expect(child.stdout.toString()).toBe(expected);
  });

  it.each([
    ['malformed YAML', 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: {a: [\n'],
    ['not a ResourceList', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n'],
    ['empty input', ''],
  ])('%s: one line on stderr, a ResourceList with items on stdout, exit 1', (_name, input) => {
    const { stdout, stderr, exitCode } = runBundle(input);
    expect(exitCode).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toMatch(/^kind: ResourceList$/m);
    expect(itemsOf(stdout)).toEqual([]);
    expect(resultsOf(stdout)[0]).toMatchObject({ severity: 'error' });
  });

  it('exits 1 exactly when an error result is present', () => {
    for (const name of ['port-conflict', 'host-network-skipped']) {
      const { stdout, exitCode } = runBundle(readFileSync(join(ROOT, 'fixtures', name, 'input.yaml')));
      expect(exitCode).toBe(resultsOf(stdout).some((r) => r.severity === 'error') ? 1 : 0);
    }
  });
});

describe('npm start (the README example command)', () => {
  it('runs the bundle on a fixture that exists and injects it', () => {
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts.start;
    const input = /<\s*(\S+)/.exec(start)?.[1];
    expect(input && existsSync(join(ROOT, input)), `npm start reads ${input}`).toBe(true);
    const out = spawnSync('sh', ['-c', start.replace(/^npm run build --silent && /, '')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('name: speedscale-goproxy');
  });
});
