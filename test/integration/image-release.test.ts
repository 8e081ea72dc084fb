/**
 * The function image as a release ships it: the OCI labels (source, version = package.json's, revision),
 * a size kept under the budget docs/orchestrators.md states, and `--help` from the image is the usage
 * docs/cli.md shows (the README points there). Built with podman from local base images (_images.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAIN_HELP } from '../../fn/cli/help';
import { buildFunctionImage, FN_IMAGE } from './_images';
import { missing, repoRoot, run } from './_tools';

const reason = missing('function image release checks', ['podman', 'runc', 'flock']);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const doc = readFileSync(join(repoRoot, 'docs/orchestrators.md'), 'utf8');

describe.skipIf(reason)('the function image: labels, size, --help', () => {
  beforeAll(async () => {
    await buildFunctionImage();
  }, 900_000);

  const inspect = (format: string) => run('podman', ['image', 'inspect', '--format', format, FN_IMAGE]).stdout.trim();

  it('carries the OCI labels, its version the package version', () => {
    const labels = JSON.parse(inspect('{{json .Labels}}')) as Record<string, string>;
    expect(labels).toMatchObject({
      'org.opencontainers.image.title': 'sidecar-injector',
      'org.opencontainers.image.licenses': 'Apache-2.0',
      'org.opencontainers.image.version': pkg.version,
    });
    expect(labels['org.opencontainers.image.revision']).toBeTruthy();
    // No repository is named before a release (scripts/release/image.sh adds those labels).
    expect(labels['org.opencontainers.image.source']).toBeUndefined();
  });

  it('stays under the size budget the docs state', () => {
    const budget = Number(/kept under (\d+) MB/.exec(doc)?.[1]);
    expect(budget).toBeGreaterThan(0);
    const size = Number(inspect('{{.Size}}'));
    expect(size / 1e6).toBeLessThan(budget);
  });

  it('--help from the image is the usage of docs/cli.md', () => {
    const out = run('podman', ['--runtime', 'runc', 'run', '--rm', '--network', 'none', FN_IMAGE, '--help']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toBe(MAIN_HELP);
    expect(readFileSync(join(repoRoot, 'docs/cli.md'), 'utf8')).toContain(MAIN_HELP);
  });
});
