import { defineConfig } from 'vitest/config';

/**
 * Three tiers, one folder each, all in `npm test`:
 * - test/unit: the core in process (tables, fixtures, reproducers, the emitter, the parsers): the fast loop,
 *   `npm run test:unit`, no build and no external tool (the config validators are generated first);
 * - test/system: the function as a process and at scale (the built bundle and page, the command line,
 *   hostile input, generated and real-world packages): node and dist/ only, but minutes of it;
 * - test/integration: anything that runs an external tool (podman, kpt, kubectl, chromium, iptables in
 *   network namespaces, unshare, strace, git, pre-commit).
 * A test file belongs to the folder it is in: there is no list to keep in step.
 */
export default defineConfig({
  test: {
    // Many tests spawn node synchronously: yielding after each keeps the workers' RPC to vitest alive.
    setupFiles: ['test/support/yield-between-tests.ts'],
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The precompiled config validators, which the build also writes: the unit loop needs no build.
          globalSetup: ['test/unit/_global-setup.ts'],
          // Room for a loaded machine; a unit test itself takes well under a second.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['test/system/**/*.test.ts'],
          // Some cases run the bundle on inputs of up to 100 MB, or hundreds of times: room for a loaded machine
          // (the property suite's mutation case takes 7 s alone, over 60 s with other jobs on the two cores).
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Builds the container images once, before any integration file runs.
          globalSetup: ['test/integration/_global-setup.ts'],
          // Integration suites spawn kpt, podman and network namespaces: give them room, one file at a time per core.
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
