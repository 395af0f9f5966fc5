import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisioDb, SqlRunner } from '../src/index';
import { testDb } from './helpers';

let db: ProvisioDb;
let sql: SqlRunner;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, sql, cleanup } = await testDb());
});
afterEach(() => cleanup());

describe('bulk writes', () => {
  it('insertUsers and addMembers record each user, membership and change as the single writes do', async () => {
    const g = await db.directory.insertGroup({ displayName: 'Everyone' });
    const before = await db.directory.latestChangeSeq();
    const inputs = Array.from({ length: 1203 }, (_, i) => ({
      userPrincipalName: `u${i}@x.io`,
      displayName: `U ${i}`,
      department: 'Sales',
    }));
    const ids = await db.directory.insertUsers(inputs);
    expect(ids).toHaveLength(1203);
    expect(await db.directory.getUser(ids[1202]!)).toMatchObject({
      userPrincipalName: 'u1202@x.io',
      displayName: 'U 1202',
      department: 'Sales',
      mailNickname: 'u1202',
      accountEnabled: true,
    });
    const added = await db.directory.latestChangeSeq();
    expect(added - before).toBe(1203);
    const changed = await db.directory.listChangedObjects(before, added);
    expect(changed.map((c) => c.objectId).sort()).toEqual([...ids].sort());

    // Already a member: left as it is.
    await db.directory.addMember(g.id, ids[0]!);
    const members = await db.directory.latestChangeSeq();
    expect(await db.directory.addMembers(g.id, ids)).toBe(1202);
    expect((await db.directory.listMemberIds(g.id)).sort()).toEqual([...ids].sort());
    const upTo = await db.directory.latestChangeSeq();
    expect(
      await db.directory.listChangedObjectIdsByChangeType(members, upTo, 'user', ['membership']),
    ).toHaveLength(1202);
    expect(
      await db.directory.listChangedObjectIdsByChangeType(members, upTo, 'group', ['membership']),
    ).toEqual([g.id]);
    // Each user carries its latest change.
    const stamped = await sql.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM directory_users u WHERE change_seq = (SELECT MAX(seq) FROM directory_changes c WHERE c.object_id = u.id)',
    );
    expect(Number(stamped?.n)).toBe(1203);
    await expect(db.directory.addMembers(g.id, ['no-such-user'])).rejects.toThrow(/no-such-user/);

    // The statistics the planner reads (PostgreSQL): there after a refresh, with the new rows.
    await db.directory.refreshStatistics();
    if (db.dialect === 'postgres') {
      const stats = await sql.get<{ n: number }>(
        "SELECT reltuples AS n FROM pg_class WHERE relname = 'directory_users'",
      );
      expect(Number(stats?.n)).toBe(1203);
    }

    const sp = await db.applications.insertServicePrincipal({ displayName: 'App' });
    const role = '00000000-0000-0000-0000-000000000000';
    const assigned = await db.directory.latestChangeSeq();
    const assignments = await db.applications.insertUserAssignments({
      servicePrincipalId: sp.id,
      appRoleId: role,
      userIds: ids,
    });
    expect(assignments).toHaveLength(1203);
    expect(await db.applications.findAssignmentOf(sp.id, ids[700]!)).toMatchObject({
      principalId: ids[700],
      principalType: 'User',
      appRoleId: role,
    });
    const afterAssign = await db.directory.latestChangeSeq();
    expect(
      await db.directory.listChangedObjectIdsByChangeType(assigned, afterAssign, 'user', ['assignment']),
    ).toHaveLength(1203);
  });
});

describe('what cycles read from the directory', () => {
  it('lists user ids, soft-deleted ones only on request', async () => {
    const a = await db.directory.insertUser({ userPrincipalName: 'a@x.io', displayName: 'A' }, 'id-a');
    await db.directory.insertUser({ userPrincipalName: 'b@x.io', displayName: 'B' }, 'id-b');
    await db.directory.softDeleteUser(a.id);
    expect(await db.directory.listUserIds()).toEqual(['id-b']);
    expect(await db.directory.listUserIds({ includeDeleted: true })).toEqual(['id-a', 'id-b']);
  });

  it('lists objects changed by given kinds of change within a range', async () => {
    const sp = await db.applications.insertServicePrincipal({ displayName: 'App' });
    const g = await db.directory.insertGroup({ displayName: 'G' });
    const g2 = await db.directory.insertGroup({ displayName: 'G2' });
    const before = await db.directory.latestChangeSeq();
    await db.directory.updateGroup(g2.id, { description: 'renamed' });
    const assignment = await db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: g.id,
      principalType: 'Group',
      appRoleId: '00000000-0000-0000-0000-000000000000',
    });
    const afterAssign = await db.directory.latestChangeSeq();
    await db.applications.deleteAssignment(assignment.id);
    const upTo = await db.directory.latestChangeSeq();
    const kinds = ['assignment', 'unassignment'];
    expect(await db.directory.listChangedObjectIdsByChangeType(before, upTo, 'group', kinds)).toEqual([g.id]);
    expect(
      await db.directory.listChangedObjectIdsByChangeType(before, afterAssign, 'group', ['unassignment']),
    ).toEqual([]);
    expect(await db.directory.listChangedObjectIdsByChangeType(before, upTo, 'user', kinds)).toEqual([]);
    expect(await db.directory.listChangedObjectIdsByChangeType(before, upTo, 'group', [])).toEqual([]);
  });
});

describe('deleted users', () => {
  it('lists the recycle bin newest first, pages it, and finds those deleted before an instant', async () => {
    const ids = ['id-a', 'id-b', 'id-c'];
    for (const id of ids)
      await db.directory.insertUser({ userPrincipalName: `${id}@x.io`, displayName: id }, id);
    const at = (id: string, when: string) =>
      sql.run('UPDATE directory_users SET deleted_at = ? WHERE id = ?', [when, id]);
    await at('id-a', '2026-01-01T00:00:00.000Z');
    await at('id-b', '2026-01-03T00:00:00.000Z');

    const first = await db.directory.listDeletedUsers({ top: 1 });
    expect(first.items.map((u) => u.id)).toEqual(['id-b']);
    const second = await db.directory.listDeletedUsers({ top: 1, cursor: first.nextCursor ?? undefined });
    expect(second).toMatchObject({ items: [{ id: 'id-a' }], nextCursor: null });
    expect((await db.directory.listDeletedUsers({ top: 10, search: 'id-b' })).items.map((u) => u.id)).toEqual(
      ['id-b'],
    );

    expect(
      (await db.directory.listDeletedUsersBefore(new Date('2026-01-02T00:00:00Z'), 10)).map((u) => u.id),
    ).toEqual(['id-a']);
    expect(
      (await db.directory.listDeletedUsersBefore(new Date('2026-02-01T00:00:00Z'), 1)).map((u) => u.id),
    ).toEqual(['id-a']);
  });

  it("lists a user's direct assignments by application name", async () => {
    const user = await db.directory.insertUser({ userPrincipalName: 'u@x.io', displayName: 'U' });
    const role = '00000000-0000-0000-0000-000000000000';
    for (const name of ['Zeta', 'Alpha']) {
      const sp = await db.applications.insertServicePrincipal({ displayName: name });
      await db.applications.insertAssignment({
        servicePrincipalId: sp.id,
        principalId: user.id,
        principalType: 'User',
        appRoleId: role,
      });
    }
    expect(await db.directory.listGroupIdsOfUser(user.id)).toEqual([]);
    expect(
      (await db.applications.listAssignmentsOfPrincipal(user.id)).map((a) => a.resourceDisplayName),
    ).toEqual(['Alpha', 'Zeta']);
  });
});
