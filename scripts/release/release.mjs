// The release's facts, for .github/workflows/release.yml (and test/integration/release.test.ts, which runs
// its offline steps):
//   node scripts/release/release.mjs env TAG   checks TAG is v<version> with a CHANGELOG.md entry, then prints
//                                              the coordinates as NAME=value lines (for $GITHUB_ENV)
//   node scripts/release/release.mjs notes     prints the CHANGELOG.md entry of the version (release notes)
//   node scripts/release/release.mjs metadata  prints metadata.yaml, the kpt function catalog's entry
// Everything comes from package.json through scripts/coordinates.mjs; the workflow sets its `repository` first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coordinatesOf } from '../coordinates.mjs';

const root = join(import.meta.dirname, '../..');
const c = coordinatesOf(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));

function fail(message) {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

/** The CHANGELOG.md section `## <version> ...` up to the next `## `. */
function notes() {
  const text = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  const start = text.search(new RegExp(`^## ${c.version.replace(/\./g, '\\.')}\\b`, 'm'));
  if (start < 0) fail(`CHANGELOG.md has no entry "## ${c.version}"`);
  const rest = text.slice(start);
  const end = rest.slice(3).search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end + 3);
}

const DESCRIPTION =
  'Inject the Speedscale goproxy capture sidecar and its init containers into workloads annotated ' +
  'sidecar.speedscale.com/inject, and remove them exactly when the annotation goes.';
/** The kpt packages of this repository that show the function: the root package's examples and the e2e cases. */
const EXAMPLES = [
  'examples/hello',
  'fixtures/kpt/render-simple',
  'fixtures/kpt/eval-imperative',
  'fixtures/kpt/microservices-demo',
  'fixtures/kpt/microservices-demo-eval',
];

const [command, tag] = process.argv.slice(2);
if (command === 'env') {
  if (tag !== `v${c.version}`) fail(`the tag ${tag} is not v${c.version}, package.json's version`);
  if (!c.repository) fail('package.json names no GitHub repository (npm pkg set repository.url=...)');
  notes();
  const env = {
    RELEASE_VERSION: c.version,
    TARBALL: `${c.name}-${c.version}.tgz`,
    PAGE: `${c.name}-${c.version}.html`,
    SBOM: `${c.name}-${c.version}.cdx.json`,
    HOME_URL: c.home,
    IMAGE_REPOSITORY: c.image,
    IMAGE: `${c.image}:${c.version}`,
  };
  for (const [name, value] of Object.entries(env)) process.stdout.write(`${name}=${value}\n`);
} else if (command === 'metadata') {
  if (!c.repository) fail('package.json names no GitHub repository (npm pkg set repository.url=...)');
  const tree = (path) => `${c.home}/tree/v${c.version}${path ? `/${path}` : ''}`;
  const yaml = [
    `image: ${c.image}`,
    `description: ${DESCRIPTION}`,
    'tags:',
    ...['mutator', 'speedscale', 'sidecar'].map((t) => `  - ${t}`),
    `sourceURL: ${tree('')}`,
    'examplePackageURLs:',
    ...EXAMPLES.map((path) => `  - ${tree(path)}`),
    'license: Apache-2.0',
  ];
  process.stdout.write(`${yaml.join('\n')}\n`);
} else if (command === 'notes') {
  process.stdout.write(notes());
} else {
  fail('usage: release.mjs env TAG | notes | metadata');
}
