// The set-up most worker test files share (vitest hooks; the harness itself has none, so the
// benchmark can use it too).
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ProvisioDb, SqlRunner } from '@provisio/db';
import type { ProvisioningObjectSummary } from '@provisio/engine';
import { ProvisioningWorker } from '../src/index';
import { requestRun, startSampleApp, tempDataDir, type SampleApp } from './harness';

/**
 * The usual set-up of a worker test file: one sample app for the file (reset before each test), a
 * fresh database and an in-process worker per test. Call at the top of the file; use the returned
 * object's members inside tests.
 */
export function cycleSuite(options: { sampleAppEnv?: Record<string, string>; concurrency?: number } = {}) {
  const suite = {
    app: undefined as unknown as SampleApp,
    db: undefined as unknown as ProvisioDb,
    /** The same database for the test's own SQL (`?` placeholders, valid on both dialects). */
    sql: undefined as unknown as SqlRunner,
    worker: undefined as unknown as ProvisioningWorker,
    logs: [] as string[],
    /** Requests a cycle of the job now and runs it. */
    async cycle(jobId: string) {
      await requestRun(suite.db, jobId);
      const report = await suite.worker.runOnce();
      if (!report) throw new Error('no job was due');
      return report;
    },
    async events(
      jobId: string,
      filter: { cycleId?: string; sourceId?: string } = {},
    ): Promise<ProvisioningObjectSummary[]> {
      return (await suite.db.events.listProvisioningEvents({ jobId, ...filter }, { top: 1000 })).items;
    },
    async account(userName: string) {
      return (await suite.app.users()).find((u) => u.userName.toLowerCase() === userName.toLowerCase());
    },
  };
  let cleanup: () => Promise<void> = () => Promise.resolve();
  beforeAll(async () => {
    suite.app = await startSampleApp(options.sampleAppEnv);
  });
  afterAll(async () => {
    await suite.app.stop();
  });
  beforeEach(async () => {
    await suite.app.reset();
    await suite.app.clearFaults();
    const data = await tempDataDir();
    suite.db = data.db;
    suite.sql = data.sql;
    cleanup = data.cleanup;
    suite.logs = [];
    suite.worker = new ProvisioningWorker({
      db: suite.db,
      workerId: 'test-worker',
      pollMs: 20,
      leaseMs: 30_000,
      concurrency: options.concurrency ?? 4,
      log: (l) => suite.logs.push(l),
    });
  });
  afterEach(async () => {
    await suite.worker.stop();
    await cleanup();
  });
  return suite;
}
