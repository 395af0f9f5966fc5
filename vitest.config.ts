import { defineConfig } from 'vitest/config';

// Checks too costly for the shipped processes, on in every test run and in the processes the tests
// start: a statement sent to the database from inside one of its own transactions is refused
// instead of waiting for ever (packages/db, SqliteRunner).
const CHECKS = { PROVISIO_CHECK_TRANSACTIONS: '1' };

// Three tiers run from the root: `unit` (pure code, beside the source), `integration` (real SQLite
// files, a real PostgreSQL, real HTTP servers, real child processes) and `scale` (many processes).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          environment: 'node',
          env: CHECKS,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
          environment: 'node',
          env: CHECKS,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration suites start servers and child processes; two cores.
          maxWorkers: 2,
          // One throwaway PostgreSQL for the run (packages/db/test/postgres.ts gives each test a database).
          globalSetup: ['packages/db/test/postgres-global-setup.ts'],
        },
      },
      {
        test: {
          // Many processes on one PostgreSQL (apps/worker/scale): run on its own, `pnpm test:scale`.
          name: 'scale',
          include: ['apps/worker/scale/**/*.test.ts'],
          environment: 'node',
          env: CHECKS,
          testTimeout: 1_200_000,
          hookTimeout: 120_000,
          globalSetup: ['packages/db/test/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
