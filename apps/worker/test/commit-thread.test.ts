import { provisioningEventRow, type ProvisioDb } from '@provisio/db';
import { buildProvisioningEvent } from '@provisio/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitThread } from '../src/commit-thread';
import { dbWrite } from '../src/durable-writer';
import { seedJob, tempDataDir, type SampleApp, type TestData } from './harness';
import { dataFiles } from '@provisio/db';

/** A job to write for; nothing is sent anywhere. */
const NO_TARGET = { scimBaseUrl: 'http://127.0.0.1:9/scim/v2', token: 'unused' } as SampleApp;

function record(jobId: string, sourceId: string) {
  return {
    jobId,
    sourceId,
    objectType: 'User',
    targetId: `t-${sourceId}`,
    state: 'linked' as const,
    lastExported: { userName: `${sourceId}@contoso.com` },
    inScope: true,
  };
}

function eventRow(jobId: string, spId: string, sourceId: string) {
  return provisioningEventRow(
    buildProvisioningEvent({
      id: `event-${sourceId}`,
      changeId: `change-${sourceId}`,
      cycleId: 'cycle-1',
      jobId,
      activityDateTime: '2026-12-02T10:00:00.000Z',
      durationInMilliseconds: 3,
      servicePrincipal: { id: spId, displayName: 'Sample SCIM App' },
      targetObjectName: 'User',
      source: { id: sourceId, displayName: sourceId, reportableIdentifier: sourceId, view: null },
      objectType: 'User',
      scope: null,
      lookup: 'none',
      match: { kind: 'notLooked' },
      lookupFailure: null,
      matchingValues: [],
      mappingErrors: [],
      plan: { kind: 'none' },
      outcome: null,
      exportExchanges: [],
      escrow: null,
    }),
  );
}

// On SQLite whatever the run's database: the thread commits to the SQLite file (with PostgreSQL the pool does that part).
describe('the commit thread', () => {
  let data: TestData;
  let db: ProvisioDb;
  let thread: CommitThread;
  beforeEach(async () => {
    data = await tempDataDir('sqlite');
    db = data.db;
    const files = dataFiles(data.dir);
    thread = new CommitThread({ databaseFile: files.database, secretKeyFile: files.secretKey });
  });
  afterEach(async () => {
    await thread.close();
    await data.cleanup();
  });

  it('commits each call’s writes on its own connection; the process reads them once the call resolves', async () => {
    const { jobId, spId } = await seedJob(db, NO_TARGET);
    const writer = thread.writer();
    await Promise.all(
      ['u1', 'u2', 'u3'].map((id) =>
        writer.write([
          dbWrite('connector', 'saveObject', record(jobId, id)),
          dbWrite('events', 'insertEventRow', eventRow(jobId, spId, id)),
        ]),
      ),
    );
    const saved = await db.connector.listObjectsBySourceIds(jobId, ['u1', 'u2', 'u3']);
    expect([...saved.values()].map((c) => [c.sourceId, c.targetId, c.lastExported])).toEqual([
      ['u1', 't-u1', { userName: 'u1@contoso.com' }],
      ['u2', 't-u2', { userName: 'u2@contoso.com' }],
      ['u3', 't-u3', { userName: 'u3@contoso.com' }],
    ]);
    expect((await db.events.listSourceIdsOfCycle('cycle-1')).sort()).toEqual(['u1', 'u2', 'u3']);
    // An event's body (compressed bytes) reaches the thread whole: it reads back as the event built.
    const written = await db.events.findProvisioningEvent('event-u2');
    expect(written?.sourceIdentity.id).toBe('u2');
    expect(written?.servicePrincipal).toEqual({ id: spId, displayName: 'Sample SCIM App' });
    expect(writer.writes).toBe(3);
    expect(writer.commits).toBeGreaterThanOrEqual(1);
    expect(writer.commits).toBeLessThanOrEqual(3);
  });

  it('a write the database refuses fails its call with the reason, commits nothing of it, and later writes go on', async () => {
    const { jobId } = await seedJob(db, NO_TARGET);
    const writer = thread.writer();
    await expect(
      writer.write([
        dbWrite('connector', 'saveObject', record(jobId, 'kept-out')),
        dbWrite('connector', 'saveObject', record('no-such-job', 'orphan')),
      ]),
    ).rejects.toThrow(/FOREIGN KEY constraint failed/);
    expect((await db.connector.listObjectsBySourceIds(jobId, ['kept-out'])).size).toBe(0);

    await writer.write([dbWrite('connector', 'saveObject', record(jobId, 'after'))]);
    expect((await db.connector.listObjectsBySourceIds(jobId, ['after'])).size).toBe(1);
  });

  it('drain waits for what was asked; once closed, a write fails and says why', async () => {
    const { jobId } = await seedJob(db, NO_TARGET);
    const writer = thread.writer();
    const pending = writer.write([dbWrite('connector', 'saveObject', record(jobId, 'late'))]);
    await writer.drain();
    expect((await db.connector.listObjectsBySourceIds(jobId, ['late'])).size).toBe(1);
    await pending;
    await thread.close();
    await expect(writer.write([dbWrite('connector', 'saveObject', record(jobId, 'x'))])).rejects.toThrow(
      'The commit thread is closed.',
    );
  });
});
