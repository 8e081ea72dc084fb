/**
 * .github/workflows/release.yml. Nothing can be published from here (no npm token, no registry, no OIDC):
 * the workflow is validated with actionlint, its actions are pinned to exact versions, and every step that
 * works offline is run as written, in a copy of this checkout, as the runner would on a tag of the current
 * version in a repository `release-test/sidecar-injector` (a test value, never published):
 * the coordinates step (`npm pkg set`, release.mjs env), assets.sh (npm pack, the page, `npm sbom`, the
 * notes), `npm publish --dry-run` of the tarball, and image.sh for linux/amd64 and linux/arm64 with podman
 * (arm64 under qemu-user, from local stand-ins of the base images), each image run.
 * Not run: `npm ci` (the checkout's node_modules stand in), setup-node, docker/setup-qemu-action, the push,
 * syft, cosign and the GitHub release: they need the network, a registry or GitHub.
 */
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_BASE_IMAGE, NODE_BUILD_IMAGE, PODMAN_LOCK, setupPodman } from './_images';
import { missing, must, repoRoot, run, runAsync, tempDir } from './_tools';
import { actionlint, runStep, workflowOf, type WorkflowStep } from './_workflows';

const PATH = '.github/workflows/release.yml';
const text = readFileSync(join(repoRoot, PATH), 'utf8');
const workflow = workflowOf(text);
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
const steps = workflow.jobs.release.steps;
const named = (name: string): WorkflowStep => {
  const step = steps.find((s) => s.name === name);
  if (!step) throw new Error(`${PATH} has no step "${name}"`);
  return step;
};

describe(PATH, () => {
  it('passes actionlint', async () => {
    expect(await actionlint(text, PATH)).toEqual([]);
  });

  it('runs on version tags; the release waits for the full test suite', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(workflow.jobs.release.needs).toBe('test');
    expect(workflow.jobs.test.steps.map((s) => s.run ?? '').join('\n')).toContain('bash .ci/run');
  });

  it('pins every action to an exact version', () => {
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    for (const action of uses) expect(action).toMatch(/^[\w-]+\/[\w-]+@v\d+\.\d+\.\d+$/);
  });

  it('publishes with provenance, signs keylessly, attaches SBOMs to the image and the release', () => {
    const all = steps.map((s) => s.run ?? '').join('\n');
    expect(all).toContain('npm publish --provenance');
    expect(all).toMatch(/cosign sign --yes "\$ref"/);
    expect(all).toContain('cosign attest --yes --type cyclonedx --predicate "out/$SBOM"');
    expect(all).toContain('cosign attest --yes --type spdxjson');
    expect(all).toMatch(/gh release create[^\n]*\n[^\n]*"out\/\$TARBALL" "out\/\$PAGE" "out\/\$SBOM"/);
    expect(workflow.jobs.release).toMatchObject({ permissions: { 'id-token': 'write', packages: 'write' } });
    for (const step of steps.filter((s) => s.run)) expect(run('bash', ['-n', '-c', step.run!]).status).toBe(0);
  });
});

/** The manifest list of a base image's amd64 and arm64 stand-ins (scripts/podman-setup-arm64.sh). */
const MULTI = (image: string) => `${image.slice(0, image.lastIndexOf(':'))}:multi`;
const reason = missing(
  'the release workflow, offline steps',
  ['npm', 'podman', 'runc', 'flock'],
  [
    [
      !existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64'),
      'no qemu-aarch64 binfmt handler (apt-get install qemu-user-static binfmt-support)',
    ],
    [
      run('podman', ['manifest', 'exists', MULTI(NODE_BASE_IMAGE)]).status !== 0,
      'no arm64 base images (scripts/podman-setup-arm64.sh)',
    ],
  ],
);

describe.skipIf(reason)(`${PATH}: the steps that run offline`, () => {
  const work = tempDir('release');
  // Named like the repository: npm sbom names the package's component after its directory.
  const checkout = join(work, 'sidecar-injector');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GITHUB_REPOSITORY: 'release-test/sidecar-injector',
    GITHUB_REF_NAME: `v${pkg.version}`,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_ENV: join(work, 'github-env'),
    npm_config_update_notifier: 'false',
  };
  const released = () =>
    Object.fromEntries(
      readFileSync(env.GITHUB_ENV!, 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
  afterAll(() => run('rm', ['-rf', work]));

  beforeAll(async () => {
    const skip = new Set(['node_modules', '.git', 'dist', 'fn/config/generated'].map((e) => join(repoRoot, e)));
    cpSync(repoRoot, checkout, { recursive: true, filter: (path) => !skip.has(path) });
    symlinkSync(join(repoRoot, 'node_modules'), join(checkout, 'node_modules')); // for `npm ci`
    const coordinates = runStep(named('Coordinates from this repository'), { cwd: checkout, env });
    if (coordinates.status !== 0) throw new Error(coordinates.stderr);
    Object.assign(env, released());
    const assets = await runAsync(
      'bash',
      ['-eo', 'pipefail', '-c', named('The tarball, the page, the package SBOM and the notes').run!],
      {
        cwd: checkout,
        env,
      },
    );
    if (assets.status !== 0) throw new Error(`${assets.stdout}\n${assets.stderr}`);
  }, 600_000);

  it('takes the coordinates from the repository it runs in', () => {
    expect(released()).toEqual({
      RELEASE_VERSION: pkg.version,
      TARBALL: `${pkg.name}-${pkg.version}.tgz`,
      PAGE: `${pkg.name}-${pkg.version}.html`,
      SBOM: `${pkg.name}-${pkg.version}.cdx.json`,
      HOME_URL: 'https://github.com/release-test/sidecar-injector',
      IMAGE_REPOSITORY: 'ghcr.io/release-test/sidecar-injector',
      IMAGE: `ghcr.io/release-test/sidecar-injector:${pkg.version}`,
    });
    const packed = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as { repository: { url: string } };
    expect(packed.repository.url).toBe('git+https://github.com/release-test/sidecar-injector.git');
  });

  it('refuses a tag that is not the version', () => {
    const out = run('node', ['scripts/release/release.mjs', 'env', 'v9.9.9'], { cwd: checkout });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`is not v${pkg.version}`);
  });

  it('writes the assets: the tarball, the page, a CycloneDX SBOM and the notes from CHANGELOG.md', () => {
    const out = (f: string) => join(checkout, 'out', f);
    for (const f of [env.TARBALL!, env.PAGE!, env.SBOM!, 'notes.md']) expect(existsSync(out(f)), f).toBe(true);
    const sbom = JSON.parse(readFileSync(out(env.SBOM!), 'utf8')) as {
      bomFormat: string;
      metadata: { component: { name: string; version: string } };
      components: { name: string }[];
    };
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.metadata.component).toMatchObject({ name: pkg.name, version: pkg.version });
    // What the bundle inlines is in it.
    const names = sbom.components.map((c) => c.name);
    for (const bundled of ['yaml', 'ajv', 'fast-json-patch']) expect(names).toContain(bundled);
    expect(readFileSync(out('notes.md'), 'utf8')).toMatch(new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}\\b`));
    // The page of the release is built with the coordinates (package.json's, inlined).
    expect(readFileSync(out(env.PAGE!), 'utf8').includes('github.com/release-test/sidecar-injector')).toBe(true);
  });

  it("the release's build names its home: --help's last line, SARIF's informationUri", () => {
    const cli = (args: string[], input = '') =>
      run('node', ['dist/sidecar-injector.js', ...args], { cwd: checkout, input });
    expect(cli(['--help']).stdout.trimEnd().split('\n').pop()).toBe(`Home: ${env.HOME_URL}`);
    const sarif = JSON.parse(cli(['inject', '--report', 'sarif', '-f', '-'], 'kind: ConfigMap\n').stderr) as {
      runs: { tool: { driver: { informationUri: string } } }[];
    };
    expect(sarif.runs[0].tool.driver.informationUri).toBe(env.HOME_URL);
  });

  it('npm publish --dry-run of the tarball (the step, less provenance and the token)', () => {
    const step = named('Publish to npm').run!;
    expect(step).toBe('npm publish --provenance --access public "./out/$TARBALL"');
    const out = run('bash', ['-c', step.replace('--provenance', '--dry-run')], { cwd: checkout, env });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toContain(`${pkg.name}@${pkg.version}`);
    expect(out.stderr).toContain('dist/sidecar-injector.bin');
  });

  it('image.sh builds the image for linux/amd64 and linux/arm64, with the labels from the coordinates', async () => {
    await setupPodman();
    const step = named('Build the image for linux/amd64 and linux/arm64').run!;
    expect(step).toBe('sh scripts/release/image.sh');
    const image = `localhost/release-test/sidecar-injector:${pkg.version}`;
    run('podman', ['manifest', 'rm', image]);
    // The platforms the workflow builds (image.sh's default), from the local stand-ins of both architectures
    // (scripts/podman-setup-arm64.sh: manifest lists that podman resolves per platform).
    const out = await runAsync(
      'flock',
      [
        PODMAN_LOCK,
        'sh',
        'scripts/release/image.sh',
        '--build-arg',
        `BUILD_IMAGE=${MULTI(NODE_BUILD_IMAGE)}`,
        '--build-arg',
        `RUNTIME_IMAGE=${MULTI(NODE_BASE_IMAGE)}`,
      ],
      { cwd: checkout, env: { ...env, IMAGE: image } },
    );
    expect(out.status, out.stderr).toBe(0);
    const manifest = JSON.parse(must('podman', ['manifest', 'inspect', image]).stdout) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    expect(manifest.manifests.map((m) => m.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    for (const { digest, platform } of manifest.manifests) {
      const instance = `${image.slice(0, image.lastIndexOf(':'))}@${digest}`;
      const labels = JSON.parse(
        must('podman', ['image', 'inspect', '--format', '{{json .Labels}}', instance]).stdout,
      ) as Record<string, string>;
      expect(labels, platform.architecture).toMatchObject({
        'org.opencontainers.image.source': 'https://github.com/release-test/sidecar-injector',
        'org.opencontainers.image.version': pkg.version,
        'org.opencontainers.image.revision': env.GITHUB_SHA,
        'org.opencontainers.image.documentation': `${env.HOME_URL}/blob/v${pkg.version}/docs/orchestrators.md`,
      });
      // Each runs as kpt runs it (arm64 under qemu-user) and injects.
      const injected = run(
        'podman',
        [
          'run',
          '--rm',
          '-i',
          '--platform',
          `linux/${platform.architecture}`,
          '--network',
          'none',
          '--user',
          'nobody',
          instance,
        ],
        { input: readFileSync(join(repoRoot, 'fixtures/inject-deployment/input.yaml'), 'utf8') },
      );
      expect(injected.status, injected.stderr).toBe(0);
      expect(injected.stdout, platform.architecture).toContain('name: speedscale-goproxy');
    }
    run('podman', ['manifest', 'rm', image]);
  }, 1_800_000);
});
