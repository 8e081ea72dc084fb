/**
 * Builds the container images once, before any test file runs. The builds can take minutes on a fresh
 * machine, and a test worker blocked that long in a synchronous call misses vitest's 60 s RPC deadline;
 * here nothing waits on the workers yet. The suites still call the same builders, which then only confirm
 * the cached layers (and report a failure in their own words, which is why errors are not thrown here).
 */
import { onPath } from './_tools';
import { buildFunctionImage, buildInitImage, canBuildInit } from './_images';

export default async function setup(): Promise<void> {
  if (!['podman', 'runc', 'flock'].every(onPath)) return;
  for (const [name, build, possible] of [
    ['function image', buildFunctionImage, () => true],
    ['init image', buildInitImage, canBuildInit],
  ] as const) {
    if (!possible()) continue;
    try {
      await build();
    } catch (error) {
      console.warn(
        `[global setup] building the ${name} failed; its suites will report it: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }
}
