/**
 * Builds the function and init images with podman, the way a machine without an image registry can:
 * scripts/podman-setup.sh makes local base images, and the Dockerfile's base-image build arguments
 * point at them. Both image suites call this; a file lock serialises them and podman's layer cache
 * makes the second call cheap.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustAsync, onPath, repoRoot, run } from './_tools';

export const FN_IMAGE = 'localhost/sidecar-injector:test';
export const INIT_IMAGE = 'localhost/sidecar-injector-init:test';
export const NODE_BASE_IMAGE = 'localhost/sidecar-injector/node-base:local';
export const NODE_BUILD_IMAGE = 'localhost/sidecar-injector/node-build:local';
export const DEBIAN_BASE_IMAGE = 'localhost/sidecar-injector/debian-base:local';

/** Build context; SIDECAR_INJECTOR_BUILD_CONTEXT points at another checkout (e.g. with a stand-in fn/). */
const context = process.env.SIDECAR_INJECTOR_BUILD_CONTEXT ?? repoRoot;
export const PODMAN_LOCK = '/tmp/sidecar-injector-podman.lock';

export const PODMAN = ['--runtime', 'runc'];

function locked(cmd: string, args: string[]) {
  // flock (util-linux) serialises the suites, which vitest runs in parallel processes.
  return mustAsync('flock', [PODMAN_LOCK, cmd, ...args], { cwd: context });
}

export function imageExists(image: string): boolean {
  return run('podman', ['image', 'exists', image]).status === 0;
}

/** Whether the init image can be built here: mmdebstrap makes its Debian base, or the base is there. */
export function canBuildInit(): boolean {
  return onPath('mmdebstrap') || imageExists(DEBIAN_BASE_IMAGE);
}

let setUp = false;
export async function setupPodman(): Promise<void> {
  if (setUp) return;
  await locked('sh', [join(repoRoot, 'scripts/podman-setup.sh')]);
  setUp = true;
}

/**
 *   podman --runtime runc build --network host \
 *     --build-arg BUILD_IMAGE=localhost/sidecar-injector/node-build:local \
 *     --build-arg RUNTIME_IMAGE=localhost/sidecar-injector/node-base:local \
 *     --target function -t localhost/sidecar-injector:test .
 * --network host: `npm ci` in the build stage reaches the npm registry.
 */
export async function buildFunctionImage(): Promise<string> {
  await setupPodman();
  if (!existsSync(join(context, 'Dockerfile'))) throw new Error(`no Dockerfile in ${context}`);
  await locked('podman', [
    ...PODMAN,
    'build',
    '--network',
    'host',
    '--build-arg',
    `BUILD_IMAGE=${NODE_BUILD_IMAGE}`,
    '--build-arg',
    `RUNTIME_IMAGE=${NODE_BASE_IMAGE}`,
    '--target',
    'function',
    '--tag',
    FN_IMAGE,
    '.',
  ]);
  return FN_IMAGE;
}

/**
 *   podman --runtime runc build --network host \
 *     --build-arg INIT_BASE_IMAGE=localhost/sidecar-injector/debian-base:local \
 *     --target init -t localhost/sidecar-injector-init:test .
 * --network host: apt-get in the init stage reaches the Debian mirror.
 */
export async function buildInitImage(): Promise<string> {
  await setupPodman();
  await locked('podman', initBuild(INIT_IMAGE));
  return INIT_IMAGE;
}

/** podman's arguments for the init image under `tag` (docs.test.ts holds orchestrators.md's to them). */
export const initBuild = (tag: string): string[] => [
  ...PODMAN,
  'build',
  '--network',
  'host',
  '--build-arg',
  `INIT_BASE_IMAGE=${DEBIAN_BASE_IMAGE}`,
  '--target',
  'init',
  '-t',
  tag,
  '.',
];

/**
 * The Dockerfile's default base images, as the local stand-ins: a `docker build .` printed for users (no
 * build arguments) then builds here, where no registry is reached. Local tags only.
 */
export async function tagDefaultBases(): Promise<void> {
  await setupPodman();
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  for (const [arg, local] of [
    ['BUILD_IMAGE', NODE_BUILD_IMAGE],
    ['RUNTIME_IMAGE', NODE_BASE_IMAGE],
  ]) {
    const name = new RegExp(`^ARG ${arg}=(\\S+)$`, 'm').exec(dockerfile)![1];
    await locked('podman', ['tag', local, name]);
  }
}
