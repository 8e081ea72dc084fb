/**
 * kubectl's built-in kustomize running the function image as a transformer (`container:` function).
 * kubectl kustomize only runs container functions (it silently skips `exec:` ones), through `docker`:
 * scripts/docker-shim/docker is put first on PATH and runs the image with podman.
 *
 * Realistic case: the storefront example (fixtures/storefront), copied to a temp dir. Its kustomize tree is a
 * base over the manifests (four workloads annotated there), three components, and the overlay
 * `overlays/capture`, which annotates two more Deployments and turns one off. The plain build is that
 * overlay; the injected build is an overlay over it that lists the SidecarInjector transformer, whose
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

const STOREFRONT = join(repoRoot, 'fixtures/storefront');
const reason = missing(
  'kubectl kustomize with the function image',
  ['kubectl', 'podman', 'runc', 'flock'],
  [[!existsSync(STOREFRONT), `${STOREFRONT} is not there`]],
);

/** The overlay the build starts from, relative to the copy of fixtures/storefront. */
const OVERLAY = 'kustomize/overlays/capture';
/** Annotated inject: "true" in the base (catalog, inventory, recommendations) or by the overlay (the others). */
const ANNOTATED = ['catalog', 'checkout', 'frontend', 'inventory', 'recommendations'];
/** Annotated in the base, turned off by the overlay (inject: "false"). */
const TURNED_OFF = 'cart';
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

/** An overlay over the example's own overlay that adds nothing but the function, as a transformer. */
function injectingOverlay(dir: string, image: string) {
  mkdirSync(dir, { recursive: true });
  const lines = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    `- ../storefront/${OVERLAY}`,
    'transformers:',
    '- sidecar-injector.yaml',
  ];
  writeFileSync(join(dir, 'sidecar-injector.yaml'), injectorConfig(image));
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
    cpSync(STOREFRONT, join(work, 'storefront'), { recursive: true });
    injectingOverlay(join(work, 'injected'), image);
    plain = kustomize(join(work, 'storefront', OVERLAY));
    injected = kustomize(join(work, 'injected'), '--enable-alpha-plugins');
  }, 900_000);

  afterAll(() => {
    if (work) run('rm', ['-rf', work]);
  });

  it('builds the example as its overlay says: namespace, components, annotations', () => {
    expect(plain.length).toBeGreaterThan(20);
    expect(plain.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'storefront')).toBe(true);
    // The components: network policies in, the public Service and the load generator out.
    expect(plain.filter((o) => o.kind === 'NetworkPolicy')).toHaveLength(5);
    expect(plain.map((o) => o.metadata.name)).not.toContain('frontend-public');
    expect(plain.map((o) => o.metadata.name)).not.toContain('loadgen');
    // The v1 List and the JSON List of the manifests are read item by item.
    for (const name of ['inventory', 'recommendations']) expect(deployment(name).metadata.name).toBe(name);
    const inject = (o: KObject) => o.metadata.annotations?.[INJECT_ANNOTATION];
    const deployments = plain.filter((o) => o.kind === 'Deployment');
    expect(deployments.filter((o) => inject(o) === 'true').map((o) => o.metadata.name)).toEqual(
      expect.arrayContaining(ANNOTATED),
    );
    expect(deployments.filter((o) => inject(o) === 'true')).toHaveLength(ANNOTATED.length);
    expect(inject(deployment(TURNED_OFF))).toBe('false');
    expect(plain.some(hasSidecar)).toBe(false);
  });

  /** The Deployment of the plain build with this name. */
  function deployment(name: string): KObject {
    const found = plain.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    if (!found) throw new Error(`no Deployment ${name} in the plain build`);
    return found;
  }

  it('keeps every resource of the plain build, in the same order', () => {
    expect(injected.map(objectId)).toEqual(plain.map(objectId));
  });

  it('injects the sidecar into the annotated Deployments only', () => {
    const deployments = injected.filter((o) => o.kind === 'Deployment');
    const withSidecar = deployments
      .filter(hasSidecar)
      .map((o) => o.metadata.name)
      .sort();
    expect(withSidecar).toEqual([...ANNOTATED].sort());
    expect(injected.filter((o) => o.kind !== 'Deployment').some(hasSidecar)).toBe(false);
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
