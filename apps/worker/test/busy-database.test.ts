import { dataFiles, openSqlite } from '@provisio/db';
import { afterEach, describe, expect, it } from 'vitest';
import { ProvisioningWorker } from '../src/index';
import {
  addUser,
  assign,
  requestRun,
  seedJob,
  sqliteOf,
  startSampleApp,
  tempDataDir,
  type SampleApp,
  type TestData,
} from './harness';

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// On SQLite whatever the run's database: a writer that outlasts the busy timeout is SQLite's case
// (PostgreSQL's writers wait on the rows they share, without a timeout).
describe('a database another connection keeps locked', () => {
  let app: SampleApp | null = null;
  let data: TestData | null = null;
  afterEach(async () => {
    await data?.cleanup();
    await app?.stop();
  });

  it('keeps the worker running: it says so, looks again, and runs the due job once the lock is gone', async () => {
    app = await startSampleApp();
    data = await tempDataDir('sqlite');
    const { db } = data;
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, (await addUser(db, 'ana')).id);
    await requestRun(db, jobId);
    // The worker's connection gives up on a lock after 50 ms instead of 10 s.
    sqliteOf(db).pragma('busy_timeout = 50');
    const other = openSqlite(dataFiles(data.dir).database);
    other.exec('BEGIN IMMEDIATE');

    const logs: string[] = [];
    const worker = new ProvisioningWorker({
      db,
      workerId: 'busy-worker',
      pollMs: 20,
      leaseMs: 30_000,
      concurrency: 2,
      log: (line) => logs.push(line),
    });
    let ended: unknown = 'running';
    const running = worker.run().then(
      () => (ended = 'stopped'),
      (error: unknown) => (ended = error),
    );
    try {
      await until('the worker met the lock', () => {
        if (ended !== 'running') throw new Error('the worker ended', { cause: ended });
        return logs.some((l) => l.startsWith('database busy:'));
      });
      expect(logs.find((l) => l.startsWith('database busy:'))).toBe(
        'database busy: The database stayed locked by another connection for longer than the busy timeout. Looking for work again after the poll interval.',
      );
      expect(ended).toBe('running');
      expect(await app.users()).toEqual([]);
    } finally {
      other.exec('COMMIT');
      other.close();
    }

    await until('the job ran', async () => (await app!.users()).length === 1);
    expect((await app.users()).map((u) => u.userName)).toEqual(['ana@contoso.com']);
    await worker.stop();
    await running;
    expect(ended).toBe('stopped');
  });
});
