import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { LIST_JOB_HEALTH_SQL, type ProvisioDb, type SqlRunner } from '../src/index';
import { tempDb, testDb } from './helpers';

let db: ProvisioDb;
let sql: SqlRunner;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, sql, cleanup } = await testDb());
});
afterEach(() => cleanup());

const schema = { id: 's', version: '1', synchronizationRules: [], directories: [] };

describe('every job at a glance', () => {
  it('lists each job with its application by name, its lease, open cycle and escrow count', async () => {
    const b = await db.applications.insertServicePrincipal({ displayName: 'beta' });
    const a = await db.applications.insertServicePrincipal({ displayName: 'Alpha' });
    await db.jobs.insertJob({
      id: 'jb',
      servicePrincipalId: b.id,
      templateId: 'scim',
      schema,
      intervalSeconds: 60,
    });
    await db.jobs.insertJob({
      id: 'ja',
      servicePrincipalId: a.id,
      templateId: 'scim',
      schema,
      intervalSeconds: 60,
    });
    await db.jobs.updateJob('jb', { scheduleState: 'Active', runRequestedAt: '2026-01-01T00:00:00.000Z' });
    await sql.run(
      `UPDATE provisioning_jobs SET cycle_checkpoint = '{"cycleId":"c9"}', lease_expires_at = 'x' WHERE id = 'jb'`,
    );
    for (const sourceId of ['u1', 'u2'])
      await db.escrows.saveEscrow({
        jobId: 'jb',
        sourceId,
        objectType: 'User',
        action: 'create',
        errorCode: 'InternalServerError',
        reason: 'x',
        attempts: 1,
        firstFailedAt: 't',
        lastFailedAt: 't',
        nextAttemptAt: 't',
        cycleId: 'c9',
      });

    expect(await db.jobHealth.listJobHealth()).toEqual([
      expect.objectContaining({
        jobId: 'ja',
        servicePrincipal: { id: a.id, displayName: 'Alpha' },
        statusCode: 'NotConfigured',
        cycleCheckpoint: null,
        countEscrowed: 0,
      }),
      expect.objectContaining({
        jobId: 'jb',
        scheduleState: 'Active',
        runRequestedAt: '2026-01-01T00:00:00.000Z',
        cycleCheckpoint: { cycleId: 'c9' },
        leaseExpiresAt: 'x',
        countEscrowed: 2,
        status: expect.objectContaining({ lastExecution: null, quarantine: null }),
      }),
    ]);
  });

  // SQLite only: EXPLAIN QUERY PLAN is SQLite's.
  it("counts each job's escrows on their index", () => {
    const sqlite = tempDb();
    onTestFinished(() => sqlite.cleanup());
    const detail = (
      sqlite.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${LIST_JOB_HEALTH_SQL}`).all() as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(detail).toMatch(/USING COVERING INDEX (escrows_due|sqlite_autoindex_escrows)/);
  });
});
