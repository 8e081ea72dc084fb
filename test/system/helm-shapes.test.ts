/**
 * Helm-shaped packages (fixtures/helm/<chart>/manifest.yaml, written for the tests: `# Source:` headers, hooks,
 * tests, CRDs, empty documents, a List, keys Helm renders with nothing in them) through the three ways a chart's
 * output meets the function: the command line (`inject --tls-out`), the Helm post-renderer script as Helm runs
 * it (`--fail-on never`), and the KRM function, each document an item. Expectations beside each manifest;
 * UPDATE_GOLDEN=1 rewrites them (review the diff).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { splitDocuments } from '../../fn/package/stream';
import { asItem, BUNDLE, fromItem, itemsOf, ROOT, runBundle } from '../support/helpers';

const CHARTS = join(ROOT, 'fixtures/helm');
const POST_RENDER = join(ROOT, 'helm/sidecar-injector/post-render.sh');
const charts = readdirSync(CHARTS).filter((name) => existsSync(join(CHARTS, name, 'manifest.yaml')));

/** Compares with the expectation file, or writes it under UPDATE_GOLDEN. */
function expectFile(dir: string, name: string, actual: string) {
  const file = join(dir, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  expect(actual, `${file} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

/** The report with the file named as the tests name it, wherever the repository is. */
const report = (stderr: string) => stderr.replaceAll(`${ROOT}/`, '');

describe.skipIf(!existsSync(BUNDLE))('Helm-shaped packages', () => {
  it('has charts', () => expect(charts.length).toBeGreaterThan(1));

  describe.each(charts)('%s', (chart) => {
    const dir = join(CHARTS, chart);
    const manifest = readFileSync(join(dir, 'manifest.yaml'), 'utf8');

    it('inject --tls-out: every workload but the hooks; output parses; uninstall gives the bytes back', () => {
      const out = runBundle('', ['inject', '--tls-out', join(dir, 'manifest.yaml')]);
      expectFile(dir, 'inject.yaml', out.stdout);
      expectFile(dir, 'inject.txt', `${report(out.stderr)}exit code ${out.exitCode}\n`);
      expect(parseAllDocuments(out.stdout, { version: '1.1' }).flatMap((d) => d.errors)).toEqual([]);
      expect(report(out.stderr)).not.toMatch(/internal error|malformed|is neither absent/);
      expect(runBundle(out.stdout, ['inject', '--tls-out']).stdout).toBe(out.stdout);
      const removed = runBundle(out.stdout, ['uninstall']);
      expect(removed.exitCode, removed.stderr).toBe(0);
      expect(removed.stdout).toBe(manifest);
    });

    it('the post-renderer, as Helm runs it, with --fail-on never: exit 0, the refused workloads reported', () => {
      const child = spawnSync(POST_RENDER, ['--fail-on', 'never', '--tls-out'], { input: manifest, encoding: 'utf8' });
      expectFile(dir, 'post-render.yaml', child.stdout);
      expectFile(dir, 'post-render.txt', `${child.stderr}exit code ${child.status}\n`);
      expect(child.status).toBe(0);
      // Without it, a refused workload fails the release, as before.
      const strict = spawnSync(POST_RENDER, ['--tls-out'], { input: manifest, encoding: 'utf8' });
      expect(strict.status).toBe(child.stderr ? 1 : 0);
      expect(strict.stdout).toBe(child.stdout);
    });

    it('the KRM function writes each document as the command line does', () => {
      const cliDocs = splitDocuments(readFileSync(join(dir, 'inject.yaml'), 'utf8'));
      const docs = splitDocuments(manifest);
      const kept = docs.map((d, i) => [d.replace(/^---\n/, ''), i] as const).filter(([d]) => /^[a-z]/im.test(d));
      const config =
        'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n' +
        '  data:\n    inject: "true"\n    tlsOut: "true"\n';
      const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${kept.map(([d]) => asItem(d)).join('')}${config}`;
      const out = runBundle(input);
      const items = itemsOf(out.stdout);
      expect(items).toHaveLength(kept.length);
      kept.forEach(([, i], k) => expect(fromItem(items[k])).toBe(cliDocs[i].replace(/^---\n/, '')));
    });
  });
});
