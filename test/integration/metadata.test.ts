/**
 * metadata.yaml, the kpt catalog's function metadata (image, description, tags, sourceURL,
 * examplePackageURLs, emails, license): it parses, has the catalog's fields, and its links point at this
 * repository's files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './_tools';

interface Metadata {
  image: string;
  description: string;
  tags: string[];
  sourceURL: string;
  examplePackageURLs: string[];
  emails: string[];
  license: string;
}

const text = readFileSync(join(repoRoot, 'metadata.yaml'), 'utf8');
const metadata = parse(text) as Metadata;
const TREE = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(?:tree|blob)\/main(?:\/(.*))?$/;

describe('metadata.yaml', () => {
  it('has exactly the catalog fields', () => {
    expect(Object.keys(metadata).sort()).toEqual([
      'description',
      'emails',
      'examplePackageURLs',
      'image',
      'license',
      'sourceURL',
      'tags',
    ]);
    expect(metadata.description.length).toBeGreaterThan(20);
    for (const email of metadata.emails) expect(email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  it('is a mutator, licensed like the package', () => {
    expect(metadata.tags).toContain('mutator');
    expect(metadata.tags).not.toContain('validator');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { license: string };
    expect(metadata.license).toBe('Apache-2.0');
    expect(pkg.license).toBe(metadata.license);
  });

  it('names the image without a tag (the catalog convention: tags are per release, never latest)', () => {
    expect(metadata.image).toMatch(/^[a-z0-9.-]+(\/[a-z0-9._-]+)+$/);
  });

  it('links to files and directories that exist in this repository', () => {
    const links = [metadata.sourceURL, ...metadata.examplePackageURLs];
    expect(metadata.examplePackageURLs.length).toBeGreaterThan(0);
    const repos = new Set<string>();
    for (const link of links) {
      const match = TREE.exec(link);
      expect(match, link).not.toBeNull();
      repos.add(link.split('/').slice(3, 5).join('/'));
      const path = join(repoRoot, match![1] ?? '');
      expect(existsSync(path), `${link} -> ${path}`).toBe(true);
    }
    expect(repos.size, 'every link points into one repository').toBe(1);
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
