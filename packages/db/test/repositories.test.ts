import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_ROLE_ID } from '@provisio/contracts';
import type { ProvisioDb } from '../src/index';
import { tempDb } from './helpers';

let db: ProvisioDb;
let cleanup: () => void;
beforeEach(() => {
  ({ db, cleanup } = tempDb());
});
afterEach(() => cleanup());

const user = (n: number, extra: Record<string, unknown> = {}) =>
  db.directory.insertUser({
    userPrincipalName: `user${n}@contoso.com`,
    displayName: `User ${String(n).padStart(3, '0')}`,
    ...extra,
  });

describe('directory', () => {
  it('numbers every change and lists changed objects after a watermark', () => {
    const a = user(1);
    const mark = db.directory.latestChangeSeq();
    db.directory.updateUser(a.id, { department: 'Sales' });
    const b = user(2);
    const g = db.directory.insertGroup({ displayName: 'Sales' });
    db.directory.addMember(g.id, b.id);
    const changed = db.directory.listChangedObjects(mark, db.directory.latestChangeSeq());
    expect(changed.map((c) => `${c.objectType}:${c.objectId}`).sort()).toEqual(
      [`user:${a.id}`, `user:${b.id}`, `group:${g.id}`].sort(),
    );
    expect(db.directory.getUser(a.id).department).toBe('Sales');
  });

  it('pages users by display name with a cursor and searches', () => {
    for (let i = 0; i < 25; i++) user(i);
    const first = db.directory.listUsers({ top: 10 });
    expect(first.items).toHaveLength(10);
    const second = db.directory.listUsers({ top: 10, cursor: first.nextCursor ?? undefined });
    expect(second.items[0]!.displayName).toBe('User 010');
    const third = db.directory.listUsers({ top: 10, cursor: second.nextCursor ?? undefined });
    expect(third.items).toHaveLength(5);
    expect(third.nextCursor).toBeNull();
    expect(
      db.directory.listUsers({ top: 10, search: 'user1@' }).items.map((u) => u.userPrincipalName),
    ).toEqual(['user1@contoso.com']);
  });

  it('soft delete hides a user from lists; hard delete removes it and its assignments', () => {
    const a = user(1);
    db.directory.softDeleteUser(a.id);
    expect(db.directory.listUsers({ top: 10 }).items).toHaveLength(0);
    expect(db.directory.getUser(a.id).deletedDateTime).not.toBeNull();
    db.directory.hardDeleteUser(a.id);
    expect(db.directory.findUser(a.id)).toBeNull();
  });
});

describe('applications and entitlement', () => {
  it('entitles direct assignees and direct members of assigned groups', () => {
    const sp = db.applications.insertServicePrincipal({ displayName: 'App' });
    const a = user(1);
    const b = user(2);
    const c = user(3);
    const g = db.directory.insertGroup({ displayName: 'G' });
    db.directory.addMember(g.id, b.id);
    db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: a.id,
      principalType: 'User',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: g.id,
      principalType: 'Group',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    expect([...db.applications.listEntitledUserIds(sp.id).keys()].sort()).toEqual([a.id, b.id].sort());
    expect(db.applications.findEntitlement(sp.id, b.id)?.via).toBe('Group');
    expect(db.applications.findEntitlement(sp.id, c.id)).toBeNull();
    expect(
      db.applications
        .listAssignmentsOf(sp.id)
        .map((x) => x.principalDisplayName)
        .sort(),
    ).toEqual(['G', 'User 001']);
  });
});

describe('jobs', () => {
  it('seals secrets at rest and leases a due job to one owner at a time', () => {
    const sp = db.applications.insertServicePrincipal({ displayName: 'App' });
    const job = db.jobs.insertJob({
      id: 'scim.1',
      servicePrincipalId: sp.id,
      templateId: 'scim',
      schema: { id: 'scim.1', version: '1', directories: [], synchronizationRules: [] },
      intervalSeconds: 60,
    });
    db.jobs.setSecrets(job.id, { BaseAddress: 'http://x', SecretToken: 'very-secret-token' });
    const raw = db.sqlite.prepare('SELECT secrets_sealed FROM provisioning_jobs').get() as {
      secrets_sealed: string;
    };
    expect(raw.secrets_sealed).not.toContain('very-secret-token');
    expect(db.jobs.getSecrets(job.id).SecretToken).toBe('very-secret-token');

    const now = new Date();
    expect(db.jobs.claimDueJob('w1', now, 1000)).toBeNull(); // schedule not active yet
    db.jobs.updateJob(job.id, { scheduleState: 'Active', runRequestedAt: now.toISOString() });
    expect(db.jobs.claimDueJob('w1', now, 1000)?.id).toBe(job.id);
    expect(db.jobs.claimDueJob('w2', now, 1000)).toBeNull();
    expect(db.jobs.renewLease(job.id, 'w2', now, 1000)).toBe(false);
    const later = new Date(now.getTime() + 2000);
    expect(db.jobs.claimDueJob('w2', later, 1000)?.leaseOwner).toBe('w2');
    expect(db.jobs.renewLease(job.id, 'w1', later, 1000)).toBe(false);
  });
});

describe('provisioning events', () => {
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

  it('pins a listing to the events that existed at a moment, whatever their times', () => {
    expect(db.events.latestProvisioningEventRow()).toBe(0);
    db.events.insertProvisioningEvents([1, 2, 3].map(event));
    const upToRow = db.events.latestProvisioningEventRow();
    // Written later, one of them with an earlier activity time (an object that was in flight).
    db.events.insertProvisioningEvents([0, 4].map(event));
    const ids = (opts: { upToRow?: number }) =>
      db.events.listProvisioningEvents({}, { top: 100, ...opts }).items.map((e) => e.id);
    expect(ids({})).toEqual(['evt-4', 'evt-3', 'evt-2', 'evt-1', 'evt-0']);
    expect(ids({ upToRow })).toEqual(['evt-3', 'evt-2', 'evt-1']);
  });

  it('are stored compressed, and those stored as text before are read alike', () => {
    db.events.insertProvisioningEvents([event(1)]);
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
    expect(db.events.findProvisioningEvent('evt-0')).toEqual(event(0));
    expect(db.events.findProvisioningEvent('evt-1')).toEqual(event(1));
    expect(db.events.listProvisioningEvents({}, { top: 10 }).items).toEqual([event(1), event(0)]);
    expect(
      db.events.listProvisioningEventJson({}, { top: 10 }).items.map((b) => JSON.parse(b.toString())),
    ).toEqual([event(1), event(0)]);
  });
});

describe('query plans use indexes', () => {
  const plan = (sql: string, ...params: unknown[]) =>
    (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
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
      "SELECT id FROM provisioning_events WHERE activity_date_time >= '2026' AND (source_display_name LIKE '%a%' OR target_display_name LIKE '%a%' OR source_id LIKE '%a%' OR target_id LIKE '%a%') ORDER BY activity_date_time DESC, id DESC LIMIT 50",
      'COVERING INDEX provisioning_events_time',
    ],
    [
      'identity search in one app',
      "SELECT id FROM provisioning_events WHERE service_principal_id = 'x' AND (source_display_name LIKE '%a%' OR target_id LIKE '%a%') ORDER BY activity_date_time DESC, id DESC LIMIT 50",
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
});
