/**
 * The published coordinates have one source, package.json through scripts/coordinates.mjs
 * (docs/orchestrators.md#releases). Every tracked text file is scanned: none may name this project's image,
 * npm package or GitHub repository other than as derived from it (a literal owner, an image in a registry,
 * another version), nor a placeholder owner or registry, nor `npx` of the package name (unpublished, it
 * would run whatever package claims the name).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COORDINATES } from '../../fn/index';
import { coordinatesOf } from '../../scripts/coordinates.mjs';
import { ROOT } from '../support/helpers';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const { name, version } = pkg;
/** The repository the release tests set (test/integration/release.test.ts, metadata.test.ts): never published. */
const TEST_REPOSITORY = 'release-test/sidecar-injector';

const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && !/^(package-lock\.json|fixtures\/)|\.(png|bin|tgz)$/.test(f));
const text = (f: string) => readFileSync(join(ROOT, f), 'utf8');

/** Findings as `file:line: what`, for every line a rule matches. */
function scan(rules: [RegExp, string][]): string[] {
  const found: string[] = [];
  for (const file of files) {
    let lines: string[];
    try {
      lines = text(file).split('\n');
    } catch {
      continue; // a symlink to a directory, a file deleted in the working tree
    }
    lines.forEach((line, i) => {
      for (const [rule, what] of rules)
        for (const m of line.matchAll(rule)) found.push(`${file}:${i + 1}: ${what}: ${m[0]}`);
    });
  }
  return found;
}

const escaped = name.replace(/[-.]/g, '\\$&');
const v = version.replace(/\./g, '\\.');

describe('the published coordinates', () => {
  it('come from package.json: no repository before a release, so nothing is published', () => {
    expect(COORDINATES).toEqual({ name, version, repository: null, home: null, image: null });
    expect(coordinatesOf({ name, version, repository: { url: 'git+https://github.com/Some/Repo.git' } })).toEqual({
      name,
      version,
      repository: 'Some/Repo',
      home: 'https://github.com/Some/Repo',
      image: 'ghcr.io/some/repo',
    });
  });

  it('no file names a placeholder owner or registry', () => {
    expect(
      scan([
        [/\b(example|your|my|acme)[-_]?(org|organi[sz]ation|owner|user)\b/gi, 'a placeholder owner'],
        // An image in an example domain's registry (a host name alone, as in docs/reference.md, is not one).
        [/\b[\w.-]*example\.(com|org|net)\/[\w./-]*[:@][\w.-]+/g, 'an image in a placeholder registry'],
      ]).filter((f) => !f.startsWith('test/')),
    ).toEqual([]);
    // The tests' own data (an image given to --image) may use example.com; no placeholder owner anywhere.
    // (Spelt in two parts, so that this file does not name it.)
    expect(scan([[new RegExp(['example', 'org'].join('-'), 'gi'), 'a placeholder owner']])).toEqual([]);
  });

  it("no file names this project's repository, image or home other than derived from the coordinates", () => {
    const allowed = (m: string) => m.includes(TEST_REPOSITORY) || m.includes('${');
    expect(
      scan([
        [new RegExp(`github\\.com[/:][\\w.-]+/${escaped}\\b[^\\s'"\`)]*`, 'g'), 'a GitHub repository'],
        [
          new RegExp(`\\b(ghcr\\.io|docker\\.io|quay\\.io|gcr\\.io)/[\\w./-]*${escaped}\\b[^\\s'"\`)]*`, 'g'),
          'an image',
        ],
        [/^\s*-?\s*uses: [\w-]+\/sidecar-injector@\S+/gm, 'a published action'],
      ]).filter((f) => !allowed(f)),
    ).toEqual([]);
  });

  it("no file runs npx of the package name (unpublished, it could be anyone's)", () => {
    expect(scan([[new RegExp(`\\bnpx (--yes |-y )?${escaped}\\b`, 'g'), 'npx of the bare name']])).toEqual([]);
  });

  it("every version of the package a file names is package.json's", () => {
    const other = (m: string) => !new RegExp(`${v}\\b`).test(m);
    expect(
      scan([
        [new RegExp(`\\b${escaped}-v?\\d+\\.\\d+\\.\\d+\\b(?!-)`, 'g'), 'a tarball or plugin version'],
        [new RegExp(`\\b${escaped}@v?\\d+\\.\\d+\\.\\d+\\b`, 'g'), 'a package version'],
        [new RegExp(`/${escaped}(-[\\w-]+)?:v?\\d+\\.\\d+\\.\\d+\\b`, 'g'), 'an image tag'],
        [/^ARG VERSION=\S+/gm, "the Dockerfile's version"],
        [/^version: \S+/gm, "a plugin's version"],
      ]).filter((f) => other(f.slice(f.lastIndexOf(': ') + 2)) && !f.includes('CHANGELOG.md')),
    ).toEqual([]);
  });
});
