import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisioDb } from '../src/index';
import { tempDb } from './helpers';

let db: ProvisioDb;
let cleanup: () => void;
beforeEach(() => {
  ({ db, cleanup } = tempDb());
});
afterEach(() => cleanup());

describe('what cycles read from the directory', () => {
  it('lists user ids, soft-deleted ones only on request', () => {
    const a = db.directory.insertUser({ userPrincipalName: 'a@x.io', displayName: 'A' }, 'id-a');
    db.directory.insertUser({ userPrincipalName: 'b@x.io', displayName: 'B' }, 'id-b');
    db.directory.softDeleteUser(a.id);
    expect(db.directory.listUserIds()).toEqual(['id-b']);
    expect(db.directory.listUserIds({ includeDeleted: true })).toEqual(['id-a', 'id-b']);
  });

  it('lists objects changed by given kinds of change within a range', () => {
    const sp = db.applications.insertServicePrincipal({ displayName: 'App' });
    const g = db.directory.insertGroup({ displayName: 'G' });
    const g2 = db.directory.insertGroup({ displayName: 'G2' });
    const before = db.directory.latestChangeSeq();
    db.directory.updateGroup(g2.id, { description: 'renamed' });
    const assignment = db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: g.id,
      principalType: 'Group',
      appRoleId: '00000000-0000-0000-0000-000000000000',
    });
    const afterAssign = db.directory.latestChangeSeq();
    db.applications.deleteAssignment(assignment.id);
    const upTo = db.directory.latestChangeSeq();
    const kinds = ['assignment', 'unassignment'];
    expect(db.directory.listChangedObjectIdsByChangeType(before, upTo, 'group', kinds)).toEqual([g.id]);
    expect(
      db.directory.listChangedObjectIdsByChangeType(before, afterAssign, 'group', ['unassignment']),
    ).toEqual([]);
    expect(db.directory.listChangedObjectIdsByChangeType(before, upTo, 'user', kinds)).toEqual([]);
    expect(db.directory.listChangedObjectIdsByChangeType(before, upTo, 'group', [])).toEqual([]);
  });
});
