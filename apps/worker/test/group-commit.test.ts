import type { ProvisioDb } from '@provisio/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitGroup, dbWrite } from '../src/durable-writer';
import { seedJob, tempDataDir, type SampleApp, type TestData } from './harness';

/** A job to write for; nothing is sent anywhere. */
const NO_TARGET = { scimBaseUrl: 'http://127.0.0.1:9/scim/v2', token: 'unused' } as SampleApp;

const record = (jobId: string, sourceId: string, targetId: string) => ({
  jobId,
  sourceId,
  objectType: 'User',
  targetId,
  state: 'linked' as const,
  lastExported: { userName: `${sourceId}@contoso.com` },
  inScope: true,
});

const planned = (sourceId: string) => ({
  objectType: 'User',
  sourceId,
  searchText: sourceId,
  object: {
    sourceIdentity: { id: sourceId, displayName: sourceId, identityType: 'User' },
    targetIdentity: { id: '', displayName: '', identityType: 'User' },
    action: 'create' as const,
    reason: 'r',
    modifiedProperties: [],
  },
});

// The run's database: on PostgreSQL the table-by-table statements are what a group commit saves.
describe('a group commit', () => {
  let data: TestData;
  let db: ProvisioDb;
  beforeEach(async () => {
    data = await tempDataDir();
    db = data.db;
  });
  afterEach(() => data.cleanup());

  it('written table by table, leaves what the writes in order leave', async () => {
    const { jobId } = await seedJob(db, NO_TARGET);
    await db.previews.insertPreview({
      id: 'p1',
      jobId,
      requestedBy: { id: 'a1', userName: 'admin' },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    await commitGroup(db, [
      [dbWrite('connector', 'saveObject', record(jobId, 'u1', 'first'))],
      [
        dbWrite('connector', 'saveObject', record(jobId, 'u1', 'last')),
        dbWrite('connector', 'saveMembershipChanges', jobId, 'g1', {
          add: [
            { sourceId: 'u1', targetId: 'last' },
            { sourceId: 'u2', targetId: 't2' },
          ],
          remove: [],
        }),
      ],
      [dbWrite('connector', 'saveMembershipChanges', jobId, 'g1', { add: [], remove: [{ sourceId: 'u2' }] })],
      // Two runs of one preview's objects (a gap between them) and a run that continues the first.
      [dbWrite('previews', 'insertObjects', 'p1', 0, [planned('a'), planned('b')])],
      [dbWrite('previews', 'insertObjects', 'p1', 5, [planned('f')])],
      [dbWrite('previews', 'insertObjects', 'p1', 2, [planned('c')])],
    ]);
    expect((await db.connector.listObjectsBySourceIds(jobId, ['u1'])).get('u1')?.targetId).toBe('last');
    expect([...(await db.connector.listMemberships(jobId, 'g1'))]).toEqual([['u1', 'last']]);
    const objects = await db.previews.listObjects('p1', { top: 10 });
    expect(objects.items.map((o) => o.sourceIdentity.id)).toEqual(['a', 'b', 'c', 'f']);
  });

  it('with a deletion among its writes, goes in order', async () => {
    const { jobId } = await seedJob(db, NO_TARGET);
    await commitGroup(db, [
      [dbWrite('connector', 'saveObject', record(jobId, 'u3', 't3'))],
      [dbWrite('connector', 'deleteObject', jobId, 'u3')],
    ]);
    expect((await db.connector.listObjectsBySourceIds(jobId, ['u3'])).size).toBe(0);
  });
});
