/**
 * The Dockerfile, built for real with podman (see _images.ts), and the function image run the way
 * kpt and kustomize run it: `-i --network none --user nobody --security-opt=no-new-privileges`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionImage, buildInitImage, canBuildInit, FN_IMAGE, INIT_IMAGE, PODMAN } from './_images';
import { copyFixture, hasSidecar, missing, must, repoRoot, run, SIDECAR, tempDir, type KObject } from './_tools';

const reason = missing('function image (podman)', ['podman', 'runc', 'flock']);
const initReason =
  reason ||
  missing(
    'init image (podman)',
    [],
    [[!canBuildInit(), 'mmdebstrap is not installed, so there is no local Debian base image']],
  );

const INPUT = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    annotations:
      sidecar.speedscale.com/inject: "true"
  spec:
    selector:
      matchLabels:
        app: web
    template:
      metadata:
        labels:
          app: web
      spec:
        containers:
        - name: app
          image: nginx:1.27
          ports:
          - containerPort: 8080
functionConfig:
  apiVersion: sidecar.speedscale.com/v1alpha1
  kind: SidecarInjector
  metadata:
    name: inject
    annotations:
      config.kubernetes.io/local-config: "true"
  spec:
    image: gcr.io/speedscale/goproxy:v2.5.602
`;

/** `docker run` as kustomize issues it (kyaml/fn/runtime/container), here through podman. */
const KUSTOMIZE_RUN = [
  'run',
  '--rm',
  '-i',
  '-a',
  'STDIN',
  '-a',
  'STDOUT',
  '-a',
  'STDERR',
  '--network',
  'none',
  '--user',
  'nobody',
  '--security-opt=no-new-privileges',
  '-e',
  'LOG_TO_STDERR=true',
  '-e',
  'STRUCTURED_RESULTS=true',
];

function podman(args: string[], input?: string) {
  return run('podman', [...PODMAN, ...args], { input });
}

describe.skipIf(reason)('function image', () => {
  beforeAll(async () => {
    await buildFunctionImage();
  }, 900_000);

  it('runs like kustomize runs it and injects the sidecar', () => {
    const out = podman([...KUSTOMIZE_RUN, FN_IMAGE], INPUT);
    expect(out.status, out.stderr).toBe(0);
    const list = parse(out.stdout) as { apiVersion: string; kind: string; items: KObject[] };
    expect(list.kind).toBe('ResourceList');
    expect(list.apiVersion).toBe('config.kubernetes.io/v1');
    expect(list.items).toHaveLength(1);
    expect(hasSidecar(list.items[0]), `no ${SIDECAR} container in\n${out.stdout}`).toBe(true);
  });

  it('runs as a non-root user by default, with a read-only root filesystem and no capabilities', () => {
    const user = must('podman', ['image', 'inspect', '--format', '{{.Config.User}}', FN_IMAGE]).stdout.trim();
    expect(user).not.toMatch(/^(|0|root)(:.*)?$/);
    const out = podman(['run', '--rm', '-i', '--network', 'none', '--read-only', '--cap-drop', 'ALL', FN_IMAGE], INPUT);
    expect(out.status, out.stderr).toBe(0);
    expect((parse(out.stdout) as { kind: string }).kind).toBe('ResourceList');
  });

  it('runs as an arbitrary uid with no home directory', () => {
    const out = podman(
      [
        'run',
        '--rm',
        '-i',
        '--network',
        'none',
        '--read-only',
        '--user',
        '12345:12345',
        '-e',
        'HOME=/nonexistent',
        FN_IMAGE,
      ],
      INPUT,
    );
    expect(out.status, out.stderr).toBe(0);
    expect((parse(out.stdout) as { kind: string }).kind).toBe('ResourceList');
  });

  it('holds node and the bundle only, with an exec-form entrypoint', () => {
    const entrypoint = must('podman', [
      'image',
      'inspect',
      '--format',
      '{{json .Config.Entrypoint}}',
      FN_IMAGE,
    ]).stdout.trim();
    expect(JSON.parse(entrypoint)).toEqual(['node', '/fn/sidecar-injector.js']);
    const listing = podman([
      'run',
      '--rm',
      '--network',
      'none',
      '--user',
      'nobody',
      '--entrypoint',
      'node',
      FN_IMAGE,
      '-e',
      "const fs = require('fs'); " +
        "console.log(JSON.stringify([fs.readdirSync('/fn').sort(), fs.existsSync('/node_modules'), process.getuid()]))",
    ]);
    expect(listing.status, listing.stderr).toBe(0);
    expect(JSON.parse(listing.stdout)).toEqual([['sidecar-injector.bin', 'sidecar-injector.js'], false, 65534]);
  });

  it('fails with a non-zero exit and a message on stderr for input that is not a ResourceList', () => {
    const out = podman([...KUSTOMIZE_RUN, FN_IMAGE], 'not: [valid');
    expect(out.status).not.toBe(0);
    expect(out.stderr).not.toBe('');
  });
});

// kpt runs image functions with docker by default; KPT_FN_RUNTIME=podman selects podman (which takes
// runc from the containers.conf drop-in written by scripts/podman-setup.sh).
const kptReason = reason || missing('kpt with the function image', ['kpt']);

describe.skipIf(kptReason)('kpt with the function image (KPT_FN_RUNTIME=podman)', () => {
  const env = { ...process.env, KPT_FN_RUNTIME: 'podman' };
  let work = '';

  beforeAll(async () => {
    await buildFunctionImage();
    work = tempDir('kpt-image');
  }, 900_000);

  afterAll(() => {
    if (work) run('rm', ['-rf', work]);
  });

  function workloads(file: string): KObject[] {
    return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS() as KObject);
  }

  it('kpt fn render: a Kptfile step with image:', () => {
    const pkg = join(work, 'render');
    copyFixture(join(repoRoot, 'fixtures/kpt/render-simple'), pkg);
    const kptfile = join(pkg, 'Kptfile');
    writeFileSync(
      kptfile,
      readFileSync(kptfile, 'utf8').replace('exec: dist/sidecar-injector.js', `image: ${FN_IMAGE}`),
    );
    const out = run('kpt', ['fn', 'render', pkg, '--image-pull-policy', 'never'], { env });
    expect(out.status, `${out.stdout}\n${out.stderr}`).toBe(0);
    expect(hasSidecar(workloads(join(pkg, 'deployment.yaml'))[0])).toBe(true);
  });

  it('kpt fn eval --image ... -- image=<digest>', () => {
    const pkg = join(work, 'eval');
    copyFixture(join(repoRoot, 'fixtures/kpt/eval-imperative'), pkg);
    const proxy = `gcr.io/speedscale/goproxy@sha256:${'2'.repeat(64)}`;
    const out = run(
      'kpt',
      ['fn', 'eval', pkg, '--image', FN_IMAGE, '--image-pull-policy', 'never', '--', `image=${proxy}`],
      { env },
    );
    expect(out.status, `${out.stdout}\n${out.stderr}`).toBe(0);
    const [ledger, reports] = workloads(join(pkg, 'resources.yaml'));
    expect(hasSidecar(ledger)).toBe(true);
    expect(hasSidecar(reports)).toBe(false);
    expect(readFileSync(join(pkg, 'resources.yaml'), 'utf8')).toContain(`image: ${proxy}`);
  });
});

describe.skipIf(initReason)('init image', () => {
  beforeAll(async () => {
    await buildInitImage();
  }, 900_000);

  it('has iptables and ip6tables', () => {
    for (const tool of ['iptables', 'ip6tables']) {
      const out = podman(['run', '--rm', '--network', 'none', INIT_IMAGE, tool, '--version']);
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout).toMatch(new RegExp(`^${tool} v\\d+\\.\\d+`));
    }
  });
});
