/**
 * metadata.yaml, the kpt catalog's function metadata (image, description, tags, sourceURL,
 * examplePackageURLs, license): the release writes it from the coordinates (scripts/release/release.mjs
 * metadata; no organisation is assumed, so no copy is committed). Written here for a test repository: it
 * parses, has the catalog's fields, names the release's image, and its links point at this repository's files.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { must, repoRoot, run, tempDir } from './_tools';

interface Metadata {
  image: string;
  description: string;
  tags: string[];
  sourceURL: string;
  examplePackageURLs: string[];
  license: string;
}

const work = tempDir('metadata');
afterAll(() => run('rm', ['-rf', work]));
for (const path of ['package.json', 'CHANGELOG.md', 'scripts/coordinates.mjs', 'scripts/release/release.mjs']) {
  mkdirSync(join(work, path, '..'), { recursive: true });
  cpSync(join(repoRoot, path), join(work, path));
}
must('npm', ['pkg', 'set', 'repository.url=git+https://github.com/release-test/sidecar-injector.git'], { cwd: work });
const metadata = parse(must('node', ['scripts/release/release.mjs', 'metadata'], { cwd: work }).stdout) as Metadata;
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; license: string };
const TREE = new RegExp(`^https://github\\.com/release-test/sidecar-injector/tree/v${pkg.version}(?:/(.*))?$`);

describe('metadata.yaml, as the release writes it', () => {
  it('has exactly the catalog fields, the image of the release', () => {
    expect(Object.keys(metadata).sort()).toEqual([
      'description',
      'examplePackageURLs',
      'image',
      'license',
      'sourceURL',
      'tags',
    ]);
    expect(metadata.description.length).toBeGreaterThan(20);
    // The catalog convention: the image without a tag (tags are per release, never latest).
    expect(metadata.image).toBe('ghcr.io/release-test/sidecar-injector');
  });

  it('is a mutator, licensed like the package', () => {
    expect(metadata.tags).toContain('mutator');
    expect(metadata.tags).not.toContain('validator');
    expect(metadata.license).toBe(pkg.license);
  });

  it('is refused before package.json names a repository', () => {
    expect(run('node', ['scripts/release/release.mjs', 'metadata'], { cwd: repoRoot }).status).toBe(1);
  });

  it('links to files and directories that exist in this repository, at the release tag', () => {
    const links = [metadata.sourceURL, ...metadata.examplePackageURLs];
    expect(metadata.examplePackageURLs.length).toBeGreaterThan(0);
    for (const link of links) {
      const match = TREE.exec(link);
      expect(match, link).not.toBeNull();
      expect(existsSync(join(repoRoot, match![1] ?? '')), link).toBe(true);
    }
  });

  it('every example package is a kpt example: the root package or an e2e case', () => {
    for (const link of metadata.examplePackageURLs) {
      const path = TREE.exec(link)![1] ?? '';
      const isE2e = existsSync(join(repoRoot, path, '.expected/config.yaml'));
      const isRootExample = path.startsWith('examples/') && existsSync(join(repoRoot, 'Kptfile'));
      expect(isE2e || isRootExample, link).toBe(true);
    }
  });
});
