/** The shipped artifact: one file, runnable with plain node and no node_modules, behaving as the KRM contract asks. */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE, itemsOf, resultsOf, ROOT, runBundle } from './helpers';

const example = readFileSync(join(ROOT, 'fixtures/inject-deployment/input.yaml'), 'utf8');
const alone = mkdtempSync(join(tmpdir(), 'bundle-'));
afterAll(() => rmSync(alone, { recursive: true, force: true }));

describe('dist/sidecar-injector.js', () => {
  it('starts with a shebang and is the package bin', () => {
    expect(readFileSync(BUNDLE, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin).toEqual({ 'sidecar-injector': 'dist/sidecar-injector.js' });
  });

  it('runs alone, far from node_modules, and injects the example', () => {
    const copy = join(alone, 'sidecar-injector.js');
    copyFileSync(BUNDLE, copy);
    const child = spawnSync(process.execPath, [copy], { input: example, cwd: alone, env: { PATH: process.env.PATH } });
    expect(child.status).toBe(0);
    const out = child.stdout.toString();
    expect(out).toBe(readFileSync(join(ROOT, 'fixtures/inject-deployment/expected.yaml'), 'utf8'));
    // Init order: the workload's own init container first, then the capture init containers.
    expect(out.match(/^ {8}- name: (\S+)/gm)!.slice(0, 3)).toEqual([
      '        - name: migrate',
      '        - name: speedscale-initproxy-iptables',
      '        - name: speedscale-initproxy-smartdns',
    ]);
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
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
    const input = /<\s*(\S+)/.exec(start)?.[1];
    expect(input && existsSync(join(ROOT, input)), `npm start reads ${input}`).toBe(true);
    const out = spawnSync('sh', ['-c', start.replace(/^npm run build --silent && /, '')], { cwd: ROOT, encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('name: speedscale-goproxy');
  });
});
