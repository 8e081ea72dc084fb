import { defineConfig } from 'vitest/config';

/**
 * Three tiers, all in `npm test`:
 * - unit: the core in process (tables, fixtures, reproducers, the emitter, the parsers): the fast loop,
 *   `npm run test:unit`, under a minute, no external tool;
 * - system: the function as a process and at scale (the bundle, the command line, hostile input, generated
 *   and real-world packages): node and the built bundle only, but minutes of it;
 * - integration: anything that runs an external tool (podman, kpt, kubectl, chromium, iptables in network
 *   namespaces, unshare, strace, git, pre-commit).
 */
const INTEGRATION = ['test/integration/**/*.test.ts', 'test/runtime-safety.test.ts'];
const SYSTEM = [
  'test/bundle.test.ts',
  'test/cli.test.ts',
  'test/hostile.test.ts',
  'test/property.test.ts',
  'test/differential.test.ts',
  'test/corpus.test.ts',
];

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
          exclude: [...INTEGRATION, ...SYSTEM],
          // Room for a loaded machine; a unit test itself takes well under a second.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: SYSTEM,
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
