import { defineConfig } from 'vitest/config';

/**
 * Test files that run an external tool (podman, kpt, kubectl, iptables in network namespaces, unshare, strace).
 * Every other test file is a unit test: it runs the function in process or the built bundle with node, at most
 * through sh, and needs nothing installed beyond node_modules.
 */
const INTEGRATION = ['test/integration/**/*.test.ts', 'test/runtime-safety.test.ts'];

export default defineConfig({
  test: {
    // Many tests spawn node synchronously: yielding after each keeps the workers' RPC to vitest alive.
    setupFiles: ['test/yield-between-tests.ts'],
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION,
          // Some cases run the bundle on inputs of up to 100 MB, or hundreds of times: room for a loaded machine
          // (the property suite's mutation case takes 7 s alone, over 60 s with other jobs on the two cores).
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          // Builds the container images once, before any integration file runs.
          globalSetup: ['test/global-setup.ts'],
          // Integration suites spawn kpt, podman and network namespaces: give them room, one file at a time per core.
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
