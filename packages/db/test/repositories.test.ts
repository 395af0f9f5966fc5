import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_ROLE_ID } from '@provisio/contracts';
import type { ProvisioDb, SqliteProvisioDb, SqlRunner } from '../src/index';
import { tempDb, testDb } from './helpers';

let db: ProvisioDb;
let sql: SqlRunner;
let cleanup: () => Promise<void>;
/** Each test of the describe calling it gets a fresh database of the run's dialect. */
function freshDbEach(): void {
  beforeEach(async () => {
    ({ db, sql, cleanup } = await testDb());
  });
  afterEach(() => cleanup());
}

/** Each test of the describe calling it gets a fresh SQLite file: for what only SQLite has. */
function freshSqliteEach(): { db: SqliteProvisioDb } {
  const t = {} as { db: SqliteProvisioDb; cleanup: () => Promise<void> };
  beforeEach(() => {
    Object.assign(t, tempDb());
  });
  afterEach(() => t.cleanup());
  return t;
}

const user = (n: number, extra: Record<string, unknown> = {}) =>
  db.directory.insertUser({
    userPrincipalName: `user${n}@contoso.com`,
    displayName: `User ${String(n).padStart(3, '0')}`,
    ...extra,
  });

describe('directory', () => {
  freshDbEach();
  it('numbers every change and lists changed objects after a watermark', async () => {
    const a = await user(1);
    const mark = await db.directory.latestChangeSeq();
    await db.directory.updateUser(a.id, { department: 'Sales' });
    const b = await user(2);
    const g = await db.directory.insertGroup({ displayName: 'Sales' });
    await db.directory.addMember(g.id, b.id);
    const changed = await db.directory.listChangedObjects(mark, await db.directory.latestChangeSeq());
    expect(changed.map((c) => `${c.objectType}:${c.objectId}`).sort()).toEqual(
      [`user:${a.id}`, `user:${b.id}`, `group:${g.id}`].sort(),
    );
    expect((await db.directory.getUser(a.id)).department).toBe('Sales');
  });

  it('pages users by display name with a cursor and searches', async () => {
    for (let i = 0; i < 25; i++) await user(i);
    const first = await db.directory.listUsers({ top: 10 });
    expect(first.items).toHaveLength(10);
    const second = await db.directory.listUsers({ top: 10, cursor: first.nextCursor ?? undefined });
    expect(second.items[0]!.displayName).toBe('User 010');
    const third = await db.directory.listUsers({ top: 10, cursor: second.nextCursor ?? undefined });
    expect(third.items).toHaveLength(5);
    expect(third.nextCursor).toBeNull();
    expect(
      (await db.directory.listUsers({ top: 10, search: 'user1@' })).items.map((u) => u.userPrincipalName),
    ).toEqual(['user1@contoso.com']);
  });

  it('soft delete hides a user from lists; hard delete removes it and its assignments', async () => {
    const a = await user(1);
    await db.directory.softDeleteUser(a.id);
    expect((await db.directory.listUsers({ top: 10 })).items).toHaveLength(0);
    expect((await db.directory.getUser(a.id)).deletedDateTime).not.toBeNull();
    await db.directory.hardDeleteUser(a.id);
    expect(await db.directory.findUser(a.id)).toBeNull();
  });

  it("hard deleting a manager clears its reports' manager, each a change cycles see", async () => {
    const boss = await user(1);
    const [report, other] = [await user(2, { managerId: boss.id }), await user(3)];
    const before = await db.directory.latestChangeSeq();
    await db.directory.softDeleteUser(boss.id);
    // In the recycle bin the manager stays: it can be restored.
    expect((await db.directory.getUser(report.id)).managerId).toBe(boss.id);
    await db.directory.hardDeleteUser(boss.id);
    expect((await db.directory.getUser(report.id)).managerId).toBeNull();
    expect((await db.directory.getUser(other.id)).managerId).toBeNull();
    const changed = await db.directory.listChangedObjects(before, await db.directory.latestChangeSeq());
    expect(changed.map((c) => c.objectId).sort()).toEqual([boss.id, report.id].sort());
  });
});

describe('applications and entitlement', () => {
  freshDbEach();
  it('entitles direct assignees and direct members of assigned groups', async () => {
    const sp = await db.applications.insertServicePrincipal({ displayName: 'App' });
    const a = await user(1);
    const b = await user(2);
    const c = await user(3);
    const g = await db.directory.insertGroup({ displayName: 'G' });
    await db.directory.addMember(g.id, b.id);
    await db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: a.id,
      principalType: 'User',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    await db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: g.id,
      principalType: 'Group',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    expect([...(await db.applications.listEntitledUserIds(sp.id)).keys()].sort()).toEqual(
      [a.id, b.id].sort(),
    );
    expect((await db.applications.findEntitlement(sp.id, b.id))?.via).toBe('Group');
    expect(await db.applications.findEntitlement(sp.id, c.id)).toBeNull();
    expect(
      (await db.applications.listAssignmentsOf(sp.id)).map((x) => x.principalDisplayName).sort(),
    ).toEqual(['G', 'User 001']);
  });
});

describe('jobs', () => {
  freshDbEach();
  it('seals secrets at rest and leases a due job to one owner at a time', async () => {
    const sp = await db.applications.insertServicePrincipal({ displayName: 'App' });
    const job = await db.jobs.insertJob({
      id: 'scim.1',
      servicePrincipalId: sp.id,
      templateId: 'scim',
      schema: { id: 'scim.1', version: '1', directories: [], synchronizationRules: [] },
      intervalSeconds: 60,
    });
    await db.jobs.setSecrets(job.id, { BaseAddress: 'http://x', SecretToken: 'very-secret-token' });
    const raw = (await sql.get<{ secrets_sealed: string }>('SELECT secrets_sealed FROM provisioning_jobs'))!;
    expect(raw.secrets_sealed).not.toContain('very-secret-token');
    expect((await db.jobs.getSecrets(job.id)).SecretToken).toBe('very-secret-token');

    const now = new Date();
    expect(await db.jobs.claimDueJob('w1', now, 1000)).toBeNull(); // schedule not active yet
    await db.jobs.updateJob(job.id, { scheduleState: 'Active', runRequestedAt: now.toISOString() });
    expect((await db.jobs.claimDueJob('w1', now, 1000))?.id).toBe(job.id);
    expect(await db.jobs.claimDueJob('w2', now, 1000)).toBeNull();
    expect(await db.jobs.renewLease(job.id, 'w2', now, 1000)).toBe(false);
    const later = new Date(now.getTime() + 2000);
    expect((await db.jobs.claimDueJob('w2', later, 1000))?.leaseOwner).toBe('w2');
    expect(await db.jobs.renewLease(job.id, 'w1', later, 1000)).toBe(false);
  });
});

describe('transactions', () => {
  describe('on either dialect', () => {
    freshDbEach();
    it('hand out repositories bound to the transaction: committed together, or rolled back together', async () => {
      await db.transaction(async (tx) => {
        const a = await tx.directory.insertUser({ userPrincipalName: 'a@x.io', displayName: 'A' }, 'id-a');
        // A repository that reads through another (directory queries load users) stays inside too.
        expect((await tx.directoryQueries.queryUsers({ top: 10 })).items.map((u) => u.id)).toEqual([a.id]);
      });
      await expect(
        db.transaction(async (tx) => {
          await tx.directory.insertUser({ userPrincipalName: 'b@x.io', displayName: 'B' }, 'id-b');
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await db.directory.listUserIds()).toEqual(['id-a']);
    });
  });

  // SQLite only: on PostgreSQL the outer database is another connection of the pool, and works.
  describe('on SQLite', () => {
    const sqlite = freshSqliteEach();
    it("a transaction's own transaction is a savepoint, and the outer database is refused inside it", async () => {
      const { db } = sqlite;
      await db.transaction(async (tx) => {
        await tx.directory.insertUser({ userPrincipalName: 'a@x.io', displayName: 'A' }, 'id-a');
        await expect(
          tx.transaction(async (inner) => {
            await inner.directory.insertUser({ userPrincipalName: 'b@x.io', displayName: 'B' }, 'id-b');
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
        await expect(db.directory.listUserIds()).rejects.toThrow(/used the database outside it/);
        await expect(tx.close()).rejects.toThrow(/cannot close the database/);
      });
      expect(await db.directory.listUserIds()).toEqual(['id-a']);
      expect(db.dialect).toBe('sqlite');
    });
  });
});

describe('provisioning events', () => {
  freshDbEach();
  const event = (i: number) => ({
    id: `evt-${i}`,
    activityDateTime: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
    changeId: `change-${i}`,
    cycleId: 'cycle',
    jobId: 'scim.job',
    durationInMilliseconds: 1,
    initiatedBy: { id: '', displayName: 'Provisio', initiatorType: 'system' },
    modifiedProperties: [],
    provisioningAction: 'create' as const,
    provisioningStatusInfo: { status: 'success' as const, errorInformation: null },
    provisioningSteps: [],
    servicePrincipal: { id: 'sp', displayName: 'App' },
    sourceIdentity: { id: `u${i}`, displayName: `User ${i}`, identityType: 'User', details: {} },
    targetIdentity: { id: '', displayName: '', identityType: 'User', details: {} },
    sourceSystem: { id: 'provisio', displayName: 'Provisio Directory', details: {} },
    targetSystem: { id: 'scim', displayName: 'App', details: {} },
    tenantId: 'provisio',
  });

  it('pins a listing to the events that existed at a moment, whatever their times', async () => {
    expect(await db.events.latestProvisioningEventRow()).toBe(0);
    await db.events.insertProvisioningEvents([1, 2, 3].map(event));
    const upToRow = await db.events.latestProvisioningEventRow();
    // Written later, one of them with an earlier activity time (an object that was in flight).
    await db.events.insertProvisioningEvents([0, 4].map(event));
    const ids = async (opts: { upToRow?: number }) =>
      (await db.events.listProvisioningEvents({}, { top: 100, ...opts })).items.map((e) => e.id);
    expect(await ids({})).toEqual(['evt-4', 'evt-3', 'evt-2', 'evt-1', 'evt-0']);
    expect(await ids({ upToRow })).toEqual(['evt-3', 'evt-2', 'evt-1']);
  });

  // SQLite only: events stored as text before bodies were compressed exist only in SQLite files.
  describe('in SQLite', () => {
    const sqlite = freshSqliteEach();
    it('are stored compressed, and those stored as text before are read alike', async () => {
      const { db } = sqlite;
      await db.events.insertProvisioningEvents([event(1)]);
      // An event written before bodies were compressed: its JSON as text.
      db.sqlite
        .prepare(
          `INSERT INTO provisioning_events (id, activity_date_time, job_id, cycle_id, change_id, service_principal_id,
           action, status, source_id, source_display_name, target_id, target_display_name, body)
         SELECT 'evt-0', ?, job_id, cycle_id, 'change-0', service_principal_id, action, status, 'u0', 'User 0',
           target_id, target_display_name, ? FROM provisioning_events WHERE id = 'evt-1'`,
        )
        .run(event(0).activityDateTime, JSON.stringify(event(0)));
      const stored = db.sqlite
        .prepare('SELECT id, typeof(body) AS type FROM provisioning_events ORDER BY id')
        .all();
      expect(stored).toEqual([
        { id: 'evt-0', type: 'text' },
        { id: 'evt-1', type: 'blob' },
      ]);
      expect(await db.events.findProvisioningEvent('evt-0')).toEqual(event(0));
      expect(await db.events.findProvisioningEvent('evt-1')).toEqual(event(1));
      expect((await db.events.listProvisioningEvents({}, { top: 10 })).items).toEqual([event(1), event(0)]);
      expect(
        (await db.events.listProvisioningEventJson({}, { top: 10 })).items.map((b) =>
          JSON.parse(b.toString()),
        ),
      ).toEqual([event(1), event(0)]);
    });
  });
});

// SQLite only: EXPLAIN QUERY PLAN is SQLite's.
describe('query plans use indexes', () => {
  const sqlite = freshSqliteEach();
  const plan = (sql: string, ...params: unknown[]) =>
    (sqlite.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');

  it.each([
    [
      'deleted users, the most recently deleted first',
      'SELECT * FROM directory_users WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC LIMIT 51',
      'directory_users_deleted',
    ],
    [
      'deleted users past their days in the recycle bin',
      "SELECT * FROM directory_users WHERE deleted_at IS NOT NULL AND deleted_at < '2026-01-01' ORDER BY deleted_at, id LIMIT 100",
      'directory_users_deleted',
    ],
    [
      'provisioning log by change id',
      "SELECT id FROM provisioning_events WHERE change_id = 'c' ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'provisioning_events_change',
    ],
    [
      'audit log by who initiated',
      "SELECT id FROM audit_events WHERE initiated_by = 'admin' ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'audit_events_initiated_by',
    ],
    [
      'audit log by target name',
      "SELECT id FROM audit_events WHERE target_display_name = 'x' ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'audit_events_target_name',
    ],
    [
      'audit log by service',
      "SELECT id FROM audit_events WHERE logged_by_service = 'x' ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'audit_events_service',
    ],
    [
      'retention: the oldest provisioning events past the period',
      "SELECT id FROM provisioning_events WHERE activity_date_time < '2026-01-01' ORDER BY activity_date_time LIMIT 1000",
      'provisioning_events_time',
    ],
    [
      'retention: the oldest audit events past the period',
      "SELECT id FROM audit_events WHERE activity_date_time < '2026-01-01' ORDER BY activity_date_time LIMIT 1000",
      'audit_events_time',
    ],
    [
      'provisioning log, newest first',
      'SELECT id FROM provisioning_events ORDER BY activity_date_time DESC, id DESC LIMIT 50',
      'provisioning_events_time',
    ],
    [
      'provisioning log of one app',
      "SELECT id FROM provisioning_events WHERE service_principal_id = 'x' ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'provisioning_events_sp_time',
    ],
    [
      'identity search, newest first (names and ids read from the index)',
      "SELECT id FROM provisioning_events WHERE activity_date_time >= '2026' AND (source_display_name LIKE '%a%' OR target_display_name LIKE '%a%' OR source_id LIKE 'a%' OR target_id LIKE 'a%') ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'COVERING INDEX provisioning_events_time',
    ],
    [
      'identity search in one app',
      "SELECT id FROM provisioning_events WHERE service_principal_id = 'x' AND (source_display_name LIKE '%a%' OR target_id LIKE 'a%') ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'COVERING INDEX provisioning_events_sp_time',
    ],
    [
      'provisioning log by status',
      "SELECT id FROM provisioning_events WHERE status = 'failure' ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'provisioning_events_status_time',
    ],
    [
      'connector object lookup',
      "SELECT * FROM connector_objects WHERE job_id = 'j' AND source_id = 's'",
      'sqlite_autoindex_connector_objects_1',
    ],
    [
      'changes after a watermark',
      'SELECT object_id FROM directory_changes WHERE seq > 5 AND seq <= 10',
      'INTEGER PRIMARY KEY',
    ],
    [
      'users page',
      'SELECT * FROM directory_users WHERE deleted_at IS NULL ORDER BY display_name COLLATE NOCASE, id LIMIT 50',
      'directory_users_display_name',
    ],
    ['members of a user', "SELECT group_id FROM group_members WHERE user_id = 'u'", 'group_members_user'],
  ])('%s', (_name, sql, index) => {
    expect(plan(sql)).toContain(index);
  });

  it.each([
    ['newest first', ''],
    ['of one app', "service_principal_id = 'x' AND"],
    ['by status', "status = 'failure' AND"],
    ['by action', "action = 'Create' AND"],
  ])('the provisioning log %s, past a page, in time order without a sort', (_name, where) => {
    for (const [dir, op] of [
      ['DESC', '<'],
      ['ASC', '>'],
    ] as const) {
      const p = plan(
        `SELECT id FROM provisioning_events WHERE ${where} (activity_date_time, id) ${op} ('2026', 'e') ORDER BY activity_date_time ${dir}, id ${dir} LIMIT 50`,
      );
      expect(p).toMatch(/USING (COVERING )?INDEX provisioning_events_(sp_|status_|action_)?time/);
      expect(p).not.toContain('TEMP B-TREE');
    }
  });
});
