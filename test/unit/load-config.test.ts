/**
 * `--config FILE` that cannot be read as one functionConfig: a usage error (exit 2) naming the file, at the
 * line and column as a file given with -f is reported, in our words rather than the parser's advice to us.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, type Io } from '../../fn/cli/cli';

const dir = mkdtempSync(join(tmpdir(), 'sidecar-injector-load-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usageError(config: string): string {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, config);
  let stderr = '';
  const io: Io = {
    readStdin: () => Buffer.from(''),
    stdinIsTTY: false,
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
  };
  expect(cli(['inject', '--config', path, '-'], io)).toBe(2);
  return stderr.split('\n')[0].replace(path, 'config.yaml');
}

describe('--config FILE that does not read', () => {
  it('malformed YAML: at its line and column', () => {
    expect(usageError('apiVersion: v1\nkind: ConfigMap\ndata:\n  proxyInPort: [x\n  a: b\n')).toMatch(
      /^sidecar-injector: --config config\.yaml:\d+:\d+: malformed YAML: /,
    );
  });

  it('several documents: said as such, at the second', () => {
    expect(usageError('apiVersion: v1\nkind: ConfigMap\n---\nkind: ConfigMap\n')).toBe(
      'sidecar-injector: --config config.yaml:3:1: holds several YAML documents (separated by ---): ' +
        'expected one SidecarInjector or ConfigMap',
    );
  });

  it('nested too deeply: a usage error naming the file, never a crash', () => {
    expect(usageError(`apiVersion: v1\nkind: ConfigMap\ndata:\n  a: ${'['.repeat(3000)}${']'.repeat(3000)}\n`)).toBe(
      'sidecar-injector: --config config.yaml: input is nested too deeply to read',
    );
  });
});
