/**
 * kubectl's built-in kustomize running the function image as a transformer (`container:` function).
 * kubectl kustomize only runs container functions (it silently skips `exec:` ones), through `docker`:
 * scripts/docker-shim/docker is put first on PATH and runs the image with podman.
 *
 * Realistic case: the kustomize tree of microservices-demo (base plus components), copied to a temp
 * dir, with an overlay that annotates three Deployments and lists the SidecarInjector transformer, whose
 * config is the one docs/orchestrators.md shows.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docBlock, DOC_IMAGE } from './_docs';
import { buildFunctionImage } from './_images';
import {
  containerNames,
  hasSidecar,
  INJECT_ANNOTATION,
  missing,
  must,
  objectId,
  repoRoot,
  run,
  tempDir,
  type KObject,
} from './_tools';

// The shared corpus sits beside the repository (../shared), in CI too.
const CORPUS = join(repoRoot, '../shared/corpus/microservices-demo/kustomize');
const reason = missing(
  'kubectl kustomize with the function image',
  ['kubectl', 'podman', 'runc', 'flock'],
  [[!existsSync(CORPUS), `${CORPUS} is not there`]],
);

const ANNOTATED = ['frontend', 'cartservice', 'checkoutservice'];
const COMPONENTS = ['network-policies', 'non-public-frontend', 'without-loadgenerator'];
const shimPath = `${join(repoRoot, 'scripts/docker-shim')}:${process.env.PATH ?? ''}`;

/**
 * The transformer config: the one docs/orchestrators.md shows (block kustomize/sidecar-injector.yaml), with
 * the image built here in place of the doc's local tag.
 */
function injectorConfig(image: string): string {
  const config = docBlock('kustomize/sidecar-injector.yaml');
  const line = `image: ${DOC_IMAGE}\n`;
  if (config.split(line).length !== 2) throw new Error(`the doc's transformer config does not name ${DOC_IMAGE} once`);
  return config.replace(line, `image: ${image}\n`);
}

/** An overlay over the copied tree: base + components, the annotations, and optionally the function. */
function overlay(dir: string, withFunction: boolean, image: string) {
  mkdirSync(dir, { recursive: true });
  const lines = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '- ../microservices-demo/base',
    'components:',
    ...COMPONENTS.map((c) => `- ../microservices-demo/components/${c}`),
    'patches:',
    `- target:`,
    `    kind: Deployment`,
    `    name: ${ANNOTATED.join('|')}`,
    '  patch: |-',
    '    apiVersion: apps/v1',
    '    kind: Deployment',
    '    metadata:',
    '      name: annotated',
    '      annotations:',
    `        ${INJECT_ANNOTATION}: "true"`,
  ];
  if (withFunction) {
    lines.push('transformers:', '- sidecar-injector.yaml');
    writeFileSync(join(dir, 'sidecar-injector.yaml'), injectorConfig(image));
  }
  writeFileSync(join(dir, 'kustomization.yaml'), `${lines.join('\n')}\n`);
}

function kustomize(dir: string, ...flags: string[]): KObject[] {
  const out = must('kubectl', ['kustomize', ...flags, dir], { env: { ...process.env, PATH: shimPath } });
  return parseAllDocuments(out.stdout).map((doc) => doc.toJS() as KObject);
}

describe.skipIf(reason)('kubectl kustomize --enable-alpha-plugins with the function image', () => {
  let work = '';
  let image = '';
  let plain: KObject[] = [];
  let injected: KObject[] = [];

  beforeAll(async () => {
    image = await buildFunctionImage();
    work = tempDir('kustomize');
    cpSync(CORPUS, join(work, 'microservices-demo'), { recursive: true });
    overlay(join(work, 'plain'), false, image);
    overlay(join(work, 'injected'), true, image);
    plain = kustomize(join(work, 'plain'));
    injected = kustomize(join(work, 'injected'), '--enable-alpha-plugins');
  }, 900_000);

  afterAll(() => {
    if (work) run('rm', ['-rf', work]);
  });

  it('keeps every resource of the plain build, in the same order', () => {
    expect(plain.length).toBeGreaterThan(20);
    expect(injected.map(objectId)).toEqual(plain.map(objectId));
  });

  it('injects the sidecar into the annotated Deployments only', () => {
    const deployments = injected.filter((o) => o.kind === 'Deployment');
    const withSidecar = deployments
      .filter(hasSidecar)
      .map((o) => o.metadata.name)
      .sort();
    expect(withSidecar).toEqual([...ANNOTATED].sort());
    for (const o of deployments.filter((d) => ANNOTATED.includes(d.metadata.name))) {
      // The app containers are still there, first.
      const before = plain.find((p) => objectId(p) === objectId(o))!;
      const { containers } = containerNames(o);
      expect(containers.slice(0, containerNames(before).containers.length)).toEqual(containerNames(before).containers);
    }
  });

  it('leaves every other resource exactly as the plain build has it', () => {
    const others = injected.filter((o) => !(o.kind === 'Deployment' && ANNOTATED.includes(o.metadata.name)));
    const plainById = new Map(plain.map((o) => [objectId(o), o]));
    for (const o of others) expect(o, objectId(o)).toEqual(plainById.get(objectId(o)));
  });

  it('drops the function config from the output (local-config)', () => {
    expect(injected.some((o) => o.kind === 'SidecarInjector')).toBe(false);
  });

  it('fails the build when kubectl is not given --enable-alpha-plugins', () => {
    const out = run('kubectl', ['kustomize', join(work, 'injected')], { env: { ...process.env, PATH: shimPath } });
    expect(out.status).not.toBe(0);
  });
});
