/**
 * Every repository's methods on the dialect of the run (`PROVISIO_TEST_DB`): the same assertions
 * hold on SQLite and on PostgreSQL — case-insensitive names and orders, LIKE searches, insertion
 * order, JSON, counts as numbers, unique keys as DbConflictError — and, where processes meet, the
 * claims and directory writes of decision 0010.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCESS_ROLE_ID,
  type DirectoryAudit,
  type ProvisioningObjectSummary,
} from '@provisio/contracts';
import { DbConflictError, provisioningEventRow, type ProvisioDb, type SqlRunner } from '../src/index';
import { testDb } from './helpers';

let db: ProvisioDb;
let sql: SqlRunner;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, sql, cleanup } = await testDb());
});
afterEach(() => cleanup());

const OTHER_ROLE = '11111111-1111-1111-1111-111111111111';
const schema = { id: 's', version: '1', directories: [], synchronizationRules: [] };
const by = { id: 'a1', userName: 'admin' };

async function app(name: string, jobId = `scim.${name}`): Promise<{ spId: string; jobId: string }> {
  const sp = await db.applications.insertServicePrincipal({ displayName: name });
  await db.jobs.insertJob({
    id: jobId,
    servicePrincipalId: sp.id,
    templateId: 'scim',
    schema,
    intervalSeconds: 60,
  });
  return { spId: sp.id, jobId };
}

const event = (
  i: number,
  over: {
    status?: 'success' | 'failure' | 'skipped' | 'warning';
    action?: 'create' | 'update';
    sp?: string;
    cycleId?: string;
    second?: number;
    source?: string;
  } = {},
): ProvisioningObjectSummary => ({
  id: `evt-${i}`,
  activityDateTime: new Date(Date.UTC(2026, 10, 1, 0, 0, over.second ?? i)).toISOString(),
  changeId: `change-${i}`,
  cycleId: over.cycleId ?? 'cycle',
  jobId: 'scim.job',
  durationInMilliseconds: 1,
  initiatedBy: { id: '', displayName: 'Provisio', initiatorType: 'system' },
  modifiedProperties: [],
  provisioningAction: over.action ?? 'create',
  provisioningStatusInfo: { status: over.status ?? 'success', errorInformation: null },
  provisioningSteps: [],
  servicePrincipal: { id: over.sp ?? 'sp', displayName: 'App' },
  sourceIdentity: { id: `u${i}`, displayName: over.source ?? `User ${i}`, identityType: 'User', details: {} },
  targetIdentity: { id: `t${i}`, displayName: '', identityType: 'User', details: {} },
  sourceSystem: { id: 'provisio', displayName: 'Provisio Directory', details: {} },
  targetSystem: { id: 'scim', displayName: 'App', details: {} },
  tenantId: 'provisio',
});

const audit = (i: number, over: Partial<DirectoryAudit> = {}): DirectoryAudit => ({
  id: `aud-${i}`,
  category: 'UserManagement',
  correlationId: `c-${i}`,
  result: 'success',
  resultReason: '',
  activityDisplayName: 'Add user',
  activityDateTime: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
  loggedByService: 'Core Directory',
  operationType: 'Add',
  initiatedBy: { user: { id: 'a1', displayName: 'Admin', userPrincipalName: 'admin' }, app: null },
  targetResources: [{ id: `u${i}`, displayName: `User ${i}`, type: 'User', modifiedProperties: [] }],
  additionalDetails: [],
  ...over,
});

describe('accounts and tokens', () => {
  it('find an account by its name in any case, list by name, and end sessions on password and role changes', async () => {
    const ada = await db.accounts.insertAccount({
      userName: 'ada',
      passwordHash: 'h1',
      role: 'Administrator',
    });
    await db.accounts.insertAccount({ userName: 'Bob', passwordHash: 'h2', role: 'ReportsReader' });
    expect(await db.accounts.countAccounts()).toBe(2);
    expect((await db.accounts.findAccountByUserName('ADA'))?.id).toBe(ada.id);
    expect((await db.accounts.listAccounts()).map((a) => a.userName)).toEqual(['ada', 'Bob']);

    const now = new Date('2026-01-01T00:00:00.000Z');
    const end = new Date('2026-01-02T00:00:00.000Z');
    await db.accounts.insertSession('s1', ada.id, end, now);
    await db.accounts.insertSession('s2', ada.id, end, now);
    expect((await db.accounts.findSessionAccount('s1', new Date('2026-01-01T00:05:00.000Z')))?.id).toBe(
      ada.id,
    );
    await db.accounts.updatePassword(ada.id, 'h3', 's1');
    expect(await db.accounts.findSessionAccount('s2', now)).toBeNull();
    expect((await db.accounts.findSessionAccount('s1', now))?.passwordHash).toBe('h3');
    await db.accounts.updatePassword(ada.id, 'h4');
    expect(await db.accounts.findSessionAccount('s1', now)).toBeNull();

    await db.accounts.insertSession('s3', ada.id, end, now);
    await db.accounts.updateRole(ada.id, 'ReportsReader');
    expect(await db.accounts.findSessionAccount('s3', now)).toBeNull();
    expect((await db.accounts.findAccount(ada.id))?.role).toBe('ReportsReader');

    await db.accounts.insertSession('s4', ada.id, new Date('2026-01-01T01:00:00.000Z'), now);
    await db.accounts.deleteExpiredSessions(new Date('2026-01-01T02:00:00.000Z'));
    expect(await db.accounts.findSessionAccount('s4', now)).toBeNull();
    await db.accounts.insertSession('s5', ada.id, end, now);
    expect(await db.accounts.deleteSessionsOf(ada.id)).toBe(1);
    await db.accounts.insertSession('s6', ada.id, end, now);
    await db.accounts.deleteSession('s6');
    expect(await db.accounts.findSessionAccount('s6', now)).toBeNull();
    await db.accounts.deleteAccount(ada.id);
    expect(await db.accounts.findAccount(ada.id)).toBeNull();
  });

  it('list tokens newest first, record their use, and refuse them once revoked', async () => {
    for (const [id, hash, createdAt] of [
      ['t1', 'hash-1', '2026-01-01T00:00:00.000Z'],
      ['t2', 'hash-2', '2026-01-02T00:00:00.000Z'],
    ] as const)
      await db.tokens.insertToken({
        id,
        displayName: id,
        role: 'Administrator',
        createdBy: by,
        createdAt,
        expiresAt: '2027-01-01T00:00:00.000Z',
        tokenHash: hash,
      });
    expect((await db.tokens.listTokens()).map((t) => t.id)).toEqual(['t2', 't1']);
    const now = new Date('2026-02-01T00:00:00.000Z');
    expect((await db.tokens.useToken('hash-1', now, '10.0.0.1'))?.id).toBe('t1');
    expect(await db.tokens.findToken('t1')).toMatchObject({
      lastUsedAt: now.toISOString(),
      lastUsedFrom: '10.0.0.1',
    });
    expect(await db.tokens.revokeToken('t1', now)).toBe(true);
    expect(await db.tokens.revokeToken('t1', now)).toBe(false);
    expect(await db.tokens.useToken('hash-1', now, '10.0.0.1')).toBeNull();
  });
});

describe('directory', () => {
  it('finds users by principal name in any case, pages and searches users, groups and members', async () => {
    const names = ['carol', 'Bob', 'alice', 'Dave'];
    const users = [];
    for (const name of names)
      users.push(
        await db.directory.insertUser({
          userPrincipalName: `${name.toLowerCase()}@contoso.com`,
          displayName: name,
          mail: `${name.toLowerCase()}@mail.contoso.com`,
        }),
      );
    const [carol, bob, alice, dave] = users;
    expect((await db.directory.findUserByPrincipalName('ALICE@Contoso.com'))?.id).toBe(alice!.id);
    expect(await db.directory.countUsers()).toBe(4);

    const first = await db.directory.listUsers({ top: 3 });
    expect(first.items.map((u) => u.displayName)).toEqual(['alice', 'Bob', 'carol']);
    const rest = await db.directory.listUsers({ top: 3, cursor: first.nextCursor ?? undefined });
    expect(rest).toMatchObject({ items: [{ displayName: 'Dave' }], nextCursor: null });
    expect((await db.directory.listUsers({ top: 10, search: 'BO' })).items.map((u) => u.id)).toEqual([
      bob!.id,
    ]);
    expect((await db.directory.listUsers({ top: 10, search: '%' })).items).toEqual([]);

    const sales = await db.directory.insertGroup({ displayName: 'sales', mailNickname: 'sales' });
    const admins = await db.directory.insertGroup({ displayName: 'Admins', description: 'x' });
    expect((await db.directory.listGroups({ top: 1 })).items.map((g) => g.displayName)).toEqual(['Admins']);
    const groups2 = await db.directory.listGroups({
      top: 1,
      cursor: (await db.directory.listGroups({ top: 1 })).nextCursor ?? undefined,
    });
    expect(groups2).toMatchObject({ items: [{ displayName: 'sales' }], nextCursor: null });
    expect((await db.directory.listGroups({ top: 5, search: 'SAL' })).items.map((g) => g.id)).toEqual([
      sales.id,
    ]);
    expect((await db.directory.listGroupIds()).sort()).toEqual([sales.id, admins.id].sort());
    expect((await db.directory.listGroupsByIds([admins.id, 'nobody'])).map((g) => g.displayName)).toEqual([
      'Admins',
    ]);

    for (const u of [carol, bob, alice]) expect(await db.directory.addMember(sales.id, u!.id)).toBe(true);
    expect(await db.directory.addMember(sales.id, bob!.id)).toBe(false);
    expect(await db.directory.removeMember(sales.id, dave!.id)).toBe(false);
    expect((await db.directory.getGroup(sales.id)).memberCount).toBe(3);
    const members = await db.directory.listMembers(sales.id, { top: 2 });
    expect(members.items.map((u) => u.displayName)).toEqual(['alice', 'Bob']);
    expect(
      (
        await db.directory.listMembers(sales.id, { top: 2, cursor: members.nextCursor ?? undefined })
      ).items.map((u) => u.displayName),
    ).toEqual(['carol']);
    expect((await db.directory.listMemberIds(sales.id)).sort()).toEqual(
      [carol!.id, bob!.id, alice!.id].sort(),
    );
    expect(await db.directory.listMemberIdsOf([sales.id, admins.id])).toEqual(
      new Map([
        [sales.id, [carol!.id, bob!.id, alice!.id].sort()],
        [admins.id, []],
      ]),
    );
    expect(await db.directory.listGroupIdsOfUsers([bob!.id, dave!.id])).toEqual([sales.id]);
    expect(await db.directory.listGroupIdsOfUser(alice!.id)).toEqual([sales.id]);

    await db.directory.updateUser(dave!.id, { managerId: bob!.id, accountEnabled: false });
    expect(await db.directory.listDirectReportIds([bob!.id])).toEqual([dave!.id]);
    expect((await db.directory.getUser(dave!.id)).accountEnabled).toBe(false);
    expect((await db.directory.listUsersByIds([dave!.id, 'nobody'])).map((u) => u.id)).toEqual([dave!.id]);

    await db.directory.softDeleteUser(carol!.id);
    expect(await db.directory.countUsers()).toBe(3);
    await db.directory.restoreUser(carol!.id);
    expect((await db.directory.getUser(carol!.id)).deletedDateTime).toBeNull();

    const updated = await db.directory.updateGroup(sales.id, {
      displayName: 'Sales EMEA',
      securityEnabled: false,
    });
    expect(updated).toMatchObject({ displayName: 'Sales EMEA', securityEnabled: false, memberCount: 3 });
    const before = await db.directory.latestChangeSeq();
    await db.directory.deleteGroup(sales.id);
    expect(await db.directory.findGroup(sales.id)).toBeNull();
    const changed = await db.directory.listChangedObjects(before, await db.directory.latestChangeSeq());
    expect(changed.map((c) => `${c.objectType}:${c.objectId}`).sort()).toEqual(
      [`group:${sales.id}`, ...[carol, bob, alice].map((u) => `user:${u!.id}`)].sort(),
    );
    expect(changed.map((c) => c.seq)).toEqual([...changed.map((c) => c.seq)].sort((a, b) => a - b));
  });

  it('refuses a second user with the same principal name in another case, naming the column', async () => {
    await db.directory.insertUser({ userPrincipalName: 'ada@contoso.com', displayName: 'Ada' });
    const again = db.directory.insertUser({ userPrincipalName: 'ADA@contoso.com', displayName: 'Ada 2' });
    await expect(again).rejects.toBeInstanceOf(DbConflictError);
    await expect(again).rejects.toMatchObject({ table: 'directory_users', columns: ['user_principal_name'] });
    // The failed write recorded nothing: its change went with it.
    expect(await db.directory.listUserIds()).toHaveLength(1);
    expect(await db.directory.latestChangeSeq()).toBe(1);
  });
});

describe('directory queries', () => {
  async function people() {
    const ada = await db.directory.insertUser({
      userPrincipalName: 'ada@x.test',
      displayName: 'Ada Lovelace',
      surname: 'Lovelace',
      department: 'Sales',
      mail: 'ada@mail.test',
      employeeId: 'E1',
    });
    const alan = await db.directory.insertUser({
      userPrincipalName: 'alan@x.test',
      displayName: 'alan Turing',
      surname: 'Turing',
      department: 'sales',
      accountEnabled: false,
    });
    const grace = await db.directory.insertUser({
      userPrincipalName: 'grace@x.test',
      displayName: 'Grace Hopper',
      surname: 'Hopper',
      department: 'Engineering',
      mail: 'grace@mail.test',
    });
    return { ada, alan, grace };
  }
  const names = (page: { items: { displayName: string }[] }) => page.items.map((u) => u.displayName);

  it('filter case-insensitively, in display name order, whatever the path to the rows', async () => {
    const { grace } = await people();
    const q = (filter?: Parameters<typeof db.directoryQueries.queryUsers>[0]['filter']) =>
      db.directoryQueries.queryUsers({ top: 10, filter, count: true });
    expect(names(await q())).toEqual(['Ada Lovelace', 'alan Turing', 'Grace Hopper']);
    expect(names(await q({ kind: 'eq', property: 'department', value: 'SALES' }))).toEqual([
      'Ada Lovelace',
      'alan Turing',
    ]);
    expect(names(await q({ kind: 'startsWith', property: 'surname', value: 'lo' }))).toEqual([
      'Ada Lovelace',
    ]);
    expect(names(await q({ kind: 'startsWith', property: 'surname', value: 'L_' }))).toEqual([]);
    expect(names(await q({ kind: 'eq', property: 'accountEnabled', value: false }))).toEqual(['alan Turing']);
    expect(names(await q({ kind: 'eq', property: 'mail', value: null }))).toEqual(['alan Turing']);
    expect(
      names(
        await q({
          kind: 'or',
          conditions: [
            { kind: 'eq', property: 'userPrincipalName', value: 'GRACE@x.test' },
            { kind: 'eq', property: 'employeeId', value: 'e1' },
          ],
        }),
      ),
    ).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(
      await q({
        kind: 'and',
        conditions: [
          { kind: 'eq', property: 'department', value: 'sales' },
          { kind: 'or', conditions: [{ kind: 'eq', property: 'accountEnabled', value: true }] },
        ],
      }),
    ).toMatchObject({ items: [{ displayName: 'Ada Lovelace' }], count: 1 });
    expect((await q({ kind: 'eq', property: 'id', value: grace.id.toUpperCase() })).count).toBe(1);

    const sp = await db.applications.insertServicePrincipal({ displayName: 'App' });
    const g = await db.directory.insertGroup({ displayName: 'G' });
    await db.directory.addMember(g.id, grace.id);
    await db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: g.id,
      principalType: 'Group',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    expect(names(await q({ kind: 'assignedTo', servicePrincipalId: sp.id }))).toEqual(['Grace Hopper']);

    const page1 = await db.directoryQueries.queryUsers({ top: 2 });
    expect(names(page1)).toEqual(['Ada Lovelace', 'alan Turing']);
    const page2 = await db.directoryQueries.queryUsers({ top: 2, cursor: page1.nextCursor ?? undefined });
    expect(page2).toMatchObject({ items: [{ displayName: 'Grace Hopper' }], nextCursor: null });

    expect(
      (
        await db.directoryQueries.queryGroups({
          top: 5,
          filter: { kind: 'startsWith', property: 'displayName', value: 'g' },
          count: true,
        })
      ).count,
    ).toBe(1);
  });

  it('search text anywhere in the columns asked, in any case, short texts too, never across two columns', async () => {
    await people();
    const search = async (text: string, properties: string[], top = 10) =>
      db.directoryQueries.queryUsers({ top, search: { text, properties }, count: true });
    expect(await search('LOVEL', ['displayName', 'mail'])).toMatchObject({
      items: [{ displayName: 'Ada Lovelace' }],
      count: 1,
    });
    expect(names(await search('ce', ['displayName']))).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(names(await search('@MAIL.', ['mail']))).toEqual(['Ada Lovelace', 'Grace Hopper']);
    // In the display name, not in the mail asked for; across two columns the text is in neither.
    expect((await search('hopper', ['mail'])).items).toEqual([]);
    expect((await search('lovelace ada', ['displayName', 'userPrincipalName', 'mail'])).items).toEqual([]);
    // LIKE's wildcards are taken literally.
    expect((await search('a_a', ['displayName'])).items).toEqual([]);
    const first = await search('a', ['displayName'], 2);
    expect(names(first)).toEqual(['Ada Lovelace', 'alan Turing']);
    expect(first.count).toBe(3);
  });

  it('report live ids, changes and memberships of a delta round', async () => {
    const { ada, alan } = await people();
    const all = await db.directory.listUserIds();
    expect(await db.directoryQueries.listLiveIds('user', '', 10)).toEqual(all);
    expect(await db.directoryQueries.listLiveIds('user', all[0]!, 1)).toEqual([all[1]]);
    const range = await db.directoryQueries.changeRange();
    expect(range).toEqual({ first: 1, last: 3 });
    const g = await db.directory.insertGroup({ displayName: 'G' });
    await db.directory.addMember(g.id, ada.id);
    expect(await db.directoryQueries.listMemberChanges([g.id])).toEqual([
      { groupId: g.id, userId: ada.id, member: true },
    ]);
    expect(await db.directoryQueries.listMemberChanges([g.id], { since: 0, upTo: 100 })).toEqual([
      { groupId: g.id, userId: ada.id, member: true },
    ]);
    expect((await db.directoryQueries.listUsersAnyState([alan.id])).map((u) => u.id)).toEqual([alan.id]);
  });
});

describe('extension attributes and nested groups', () => {
  it('define attributes, set and clear their values, and delete them from every user', async () => {
    expect(await db.directoryExtensions.extensionAppId()).toMatch(/^[0-9a-f]{32}$/);
    const cost = await db.directoryExtensions.insertExtensionProperty({
      name: 'extension_abc_costCenter',
      dataType: 'String',
      isMultiValued: false,
    });
    await db.directoryExtensions.insertExtensionProperty({
      name: 'extension_abc_Badge',
      dataType: 'Integer',
      isMultiValued: false,
    });
    expect((await db.directoryExtensions.listExtensionProperties()).map((p) => p.name)).toEqual([
      'extension_abc_Badge',
      'extension_abc_costCenter',
    ]);
    expect((await db.directoryExtensions.findExtensionPropertyByName('EXTENSION_ABC_COSTCENTER'))?.id).toBe(
      cost.id,
    );
    const again = db.directoryExtensions.insertExtensionProperty({
      name: 'EXTENSION_ABC_costcenter',
      dataType: 'String',
      isMultiValued: false,
    });
    await expect(again).rejects.toMatchObject({ table: 'directory_extension_properties', columns: ['name'] });

    const u1 = await db.directory.insertUser({ userPrincipalName: 'u1@x.test', displayName: 'U1' });
    const u2 = await db.directory.insertUser({ userPrincipalName: 'u2@x.test', displayName: 'U2' });
    const values = { extension_abc_costCenter: 'CC-1', extension_abc_Badge: 7 };
    expect(await db.directoryExtensions.setUserExtensionAttributes(u1.id, values)).toBe(true);
    expect(await db.directoryExtensions.setUserExtensionAttributes(u1.id, values)).toBe(false);
    // A value that only holds the name is not the attribute.
    await db.directoryExtensions.setUserExtensionAttributes(u2.id, {
      extension_abc_Badge: 1,
      extension_abc_note: '"extension_abc_costCenter":',
    });
    expect(await db.directoryExtensions.deleteExtensionProperty(cost.id)).toEqual([u1.id]);
    expect((await db.directory.getUser(u1.id)).extensionAttributes).toEqual({ extension_abc_Badge: 7 });
    expect((await db.directory.getUser(u2.id)).extensionAttributes).toMatchObject({ extension_abc_Badge: 1 });
    expect(
      await db.directoryExtensions.setUserExtensionAttributes(u1.id, { extension_abc_Badge: null }),
    ).toBe(true);
    expect((await db.directory.getUser(u1.id)).extensionAttributes).toEqual({});
    await expect(db.directoryExtensions.setUserExtensionAttributes('nobody', {})).rejects.toThrow(
      /does not exist/,
    );
  });

  it('nest groups, find them at any depth, and list them by name', async () => {
    const [top, mid, low] = [
      await db.directory.insertGroup({ displayName: 'top' }),
      await db.directory.insertGroup({ displayName: 'Mid' }),
      await db.directory.insertGroup({ displayName: 'low' }),
    ];
    expect(await db.directoryExtensions.addMemberGroup(top.id, mid.id)).toBe(true);
    expect(await db.directoryExtensions.addMemberGroup(top.id, mid.id)).toBe(false);
    await db.directoryExtensions.addMemberGroup(top.id, low.id);
    await db.directoryExtensions.addMemberGroup(mid.id, low.id);
    expect(await db.directoryExtensions.containsGroup(top.id, low.id)).toBe(true);
    expect(await db.directoryExtensions.containsGroup(low.id, top.id)).toBe(false);
    expect((await db.directoryExtensions.listMemberGroups(top.id)).map((g) => g.displayName)).toEqual([
      'low',
      'Mid',
    ]);
    // Of several groups at once, by name; a group without nested groups is absent.
    expect(await db.directoryExtensions.listMemberGroupsOf([top.id, mid.id, low.id])).toEqual(
      new Map([
        [
          top.id,
          [
            { id: low.id, displayName: 'low' },
            { id: mid.id, displayName: 'Mid' },
          ],
        ],
        [mid.id, [{ id: low.id, displayName: 'low' }]],
      ]),
    );
    expect(await db.directoryExtensions.removeMemberGroup(top.id, low.id)).toBe(true);
    expect(await db.directoryExtensions.removeMemberGroup(top.id, low.id)).toBe(false);
  });
});

describe('applications', () => {
  it('page and search applications by name, update them, and delete them with their assignments', async () => {
    for (const name of ['beta', 'Alpha', 'gamma'])
      await db.applications.insertServicePrincipal({ displayName: name });
    const first = await db.applications.listServicePrincipals({ top: 2 });
    expect(first.items.map((s) => s.displayName)).toEqual(['Alpha', 'beta']);
    const rest = await db.applications.listServicePrincipals({
      top: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(rest).toMatchObject({ items: [{ displayName: 'gamma' }], nextCursor: null });
    expect((await db.applications.listServicePrincipals({ top: 5, search: 'ALP' })).items).toHaveLength(1);
    const alpha = first.items[0]!;
    expect(await db.applications.updateServicePrincipal(alpha.id, { notes: 'n' })).toMatchObject({
      displayName: 'Alpha',
      notes: 'n',
      appRoles: alpha.appRoles,
    });
    await expect(db.applications.updateServicePrincipal('nobody', { notes: 'n' })).rejects.toThrow(
      /does not exist/,
    );

    const zed = await db.directory.insertUser({ userPrincipalName: 'zed@x.test', displayName: 'Zed' });
    const g = await db.directory.insertGroup({ displayName: 'alpha group' });
    await db.directory.addMember(g.id, zed.id);
    const direct = await db.applications.insertAssignment({
      servicePrincipalId: alpha.id,
      principalId: zed.id,
      principalType: 'User',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    await db.applications.insertAssignment({
      servicePrincipalId: alpha.id,
      principalId: g.id,
      principalType: 'Group',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    // A principal that is gone has no name: it comes first.
    await db.applications.insertAssignment({
      servicePrincipalId: alpha.id,
      principalId: 'gone',
      principalType: 'User',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    expect((await db.applications.listAssignmentsOf(alpha.id)).map((a) => a.principalDisplayName)).toEqual([
      '',
      'alpha group',
      'Zed',
    ]);
    expect((await db.applications.findAssignmentOf(alpha.id, zed.id))?.id).toBe(direct.id);
    const mark = await db.directory.latestChangeSeq();
    expect((await db.applications.updateAssignmentRole(direct.id, OTHER_ROLE)).appRoleId).toBe(OTHER_ROLE);
    expect(
      await db.directory.listChangedObjectIdsByChangeType(
        mark,
        await db.directory.latestChangeSeq(),
        'user',
        ['assignment'],
      ),
    ).toEqual([zed.id]);
    expect(await db.applications.listAssignedGroupIds(alpha.id)).toEqual([g.id]);
    expect([...(await db.applications.listGroupAssignmentsOf(alpha.id, [g.id, 'x'])).entries()]).toEqual([
      [g.id, { appRoleId: DEFAULT_ACCESS_ROLE_ID, via: 'Group' }],
    ]);
    expect((await db.applications.listEntitledUserIds(alpha.id)).get(zed.id)).toEqual({
      appRoleId: OTHER_ROLE,
      via: 'User',
    });

    const duplicate = db.applications.insertAssignment({
      servicePrincipalId: alpha.id,
      principalId: zed.id,
      principalType: 'User',
      appRoleId: OTHER_ROLE,
    });
    await expect(duplicate).rejects.toMatchObject({
      table: 'app_role_assignments',
      columns: ['service_principal_id', 'principal_id', 'app_role_id'],
    });

    const before = await db.directory.latestChangeSeq();
    await db.applications.deleteServicePrincipal(alpha.id);
    expect(await db.applications.findServicePrincipal(alpha.id)).toBeNull();
    expect(await db.applications.listAssignmentsOfPrincipal(zed.id)).toEqual([]);
    expect(
      await db.directory.listChangedObjectIdsByChangeType(
        before,
        await db.directory.latestChangeSeq(),
        'user',
        ['unassignment'],
      ),
    ).toHaveLength(2);
  });
});

describe('provisioning jobs, cycles and the connector', () => {
  it('keep jobs, mutate their status, fingerprint their configuration, and go with them', async () => {
    const a = await app('Alpha');
    await app('Beta');
    expect((await db.jobs.listJobs()).map((j) => j.id).sort()).toEqual(['scim.Alpha', 'scim.Beta']);
    expect((await db.jobs.listJobsOf(a.spId)).map((j) => j.id)).toEqual([a.jobId]);
    const status = await db.jobs.mutateStatus(a.jobId, (s) => {
      s.steadyStateLastAchievedTime = '2026-01-01T00:00:00.000Z';
    });
    expect(status.steadyStateLastAchievedTime).toBe('2026-01-01T00:00:00.000Z');
    await expect(db.jobs.mutateStatus('nobody', () => {})).rejects.toThrow(/does not exist/);
    const fingerprint = await db.jobs.configurationFingerprint(a.jobId);
    await db.jobs.setSecrets(a.jobId, { SyncNotificationSettings: '{}' });
    expect(await db.jobs.configurationFingerprint(a.jobId)).toBe(fingerprint);
    await db.jobs.setSecrets(a.jobId, { SecretToken: 't' });
    expect(await db.jobs.configurationFingerprint(a.jobId)).not.toBe(fingerprint);
    expect(await db.jobs.updateJob(a.jobId, { forceDeletes: true, watermark: 2 ** 40 })).toMatchObject({
      forceDeletes: true,
      watermark: 2 ** 40,
    });
    await expect(app('Alpha', a.jobId)).rejects.toMatchObject({
      table: 'provisioning_jobs',
      columns: ['id'],
    });
    await db.jobs.deleteJob(a.jobId);
    expect(await db.jobs.findJob(a.jobId)).toBeNull();
  });

  it('list cycles newest first and fail the running ones', async () => {
    const { jobId } = await app('App');
    for (const [i, id] of ['c1', 'c2', 'c3'].entries())
      await db.cycles.insertCycle({
        id,
        jobId,
        kind: 'Incremental',
        beganAt: `2026-01-0${i + 1}T00:00:00.000Z`,
      });
    const done = await db.cycles.finishCycle(
      'c1',
      'Succeeded',
      { ...(await db.cycles.getCycle('c1')).counts, created: 2 },
      null,
    );
    expect(done).toMatchObject({ state: 'Succeeded', counts: { created: 2 }, error: null });
    expect((await db.cycles.listCycles(jobId, 2)).map((c) => c.id)).toEqual(['c3', 'c2']);
    expect(await db.cycles.failRunningCycles(jobId, { code: 'X', message: 'x' })).toBe(2);
    expect(await db.cycles.findCycle('c3')).toMatchObject({ state: 'Failed', error: { code: 'X' } });
  });

  it('remember objects and memberships a job exported', async () => {
    const { jobId } = await app('App');
    const save = (
      sourceId: string,
      objectType: string,
      state: 'linked' | 'pendingCreate' | 'deleted',
      inScope = true,
    ) =>
      db.connector.saveObject({
        jobId,
        sourceId,
        objectType,
        targetId: `t-${sourceId}`,
        state,
        lastExported: { userName: sourceId },
        inScope,
      });
    await save('u1', 'User', 'linked');
    await save('u2', 'User', 'pendingCreate');
    await save('u3', 'User', 'linked', false);
    await save('g1', 'Group', 'linked');
    await save('u4', 'User', 'deleted');
    // Many at once, as a group commit saves them: the last record of an object wins.
    const record = (sourceId: string, state: 'linked' | 'pendingCreate', targetId: string | null) => ({
      jobId,
      sourceId,
      objectType: 'User',
      targetId,
      state,
      lastExported: { userName: sourceId },
      inScope: true,
    });
    await db.connector.saveObjects([
      record('b1', 'pendingCreate', null),
      ...Array.from({ length: 600 }, (_, i) => record(`bulk${i}`, 'linked', `t-bulk${i}`)),
      record('b1', 'linked', 't-b1'),
    ]);
    expect(await db.connector.findObject(jobId, 'b1')).toMatchObject({ state: 'linked', targetId: 't-b1' });
    expect(await db.connector.findObject(jobId, 'bulk599')).toMatchObject({ targetId: 't-bulk599' });
    expect(await db.connector.countLinked(jobId, 'User')).toBe(603);
    for (const id of ['b1', ...Array.from({ length: 600 }, (_, i) => `bulk${i}`)])
      await db.connector.deleteObject(jobId, id);
    expect(await db.connector.findObject(jobId, 'u1')).toMatchObject({
      targetId: 't-u1',
      lastExported: { userName: 'u1' },
      inScope: true,
    });
    expect([...(await db.connector.listObjectsBySourceIds(jobId, ['u1', 'x'])).keys()]).toEqual(['u1']);
    // A group exported with its displayName and no userName.
    await db.connector.saveObject({
      jobId,
      sourceId: 'g2',
      objectType: 'Group',
      targetId: null,
      state: 'pendingCreate',
      lastExported: { displayName: 'Sales' },
      inScope: true,
    });
    expect(await db.connector.listExportedNames(jobId, ['u1', 'g2', 'x'])).toEqual(
      new Map([
        ['u1', { state: 'linked', targetId: 't-u1', userName: 'u1', displayName: null }],
        ['g2', { state: 'pendingCreate', targetId: null, userName: null, displayName: 'Sales' }],
      ]),
    );
    // Only records linked to a target object: u2 and g2 are pending, u4 deleted, x unknown.
    expect(await db.connector.listLinkedTargetIds(jobId, ['u1', 'u2', 'u4', 'g2', 'x'])).toEqual(
      new Map([['u1', 't-u1']]),
    );
    // Who holds each target object of a type: u4 is deleted, g2 has no target id yet.
    expect(await db.connector.listHoldersByTargetId(jobId, 'User')).toEqual(
      new Map([
        ['t-u1', 'u1'],
        ['t-u2', 'u2'],
        ['t-u3', 'u3'],
      ]),
    );
    expect(await db.connector.listHoldersByTargetId(jobId, 'Group')).toEqual(new Map([['t-g1', 'g1']]));
    await db.connector.deleteObject(jobId, 'g2');
    expect(await db.connector.listObjects(jobId)).toHaveLength(5);
    expect((await db.connector.listActiveSourceIds(jobId)).sort()).toEqual(['g1', 'u1', 'u2']);
    expect((await db.connector.listActiveSourceIds(jobId, 'User')).sort()).toEqual(['u1', 'u2']);
    expect(await db.connector.countLinked(jobId)).toBe(3);
    expect(await db.connector.countLinked(jobId, 'Group')).toBe(1);
    expect(await db.connector.hasLinked(jobId, 'Group')).toBe(true);
    expect(await db.connector.hasLinked(jobId, 'Reference')).toBe(false);
    expect((await db.connector.countByType(jobId)).sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: 'Group', value: 1 },
      { key: 'User', value: 3 },
    ]);

    await db.connector.saveMembershipChanges(jobId, 'g1', {
      add: [
        { sourceId: 'u1', targetId: 't-u1' },
        { sourceId: 'u2', targetId: 't-u2' },
      ],
      remove: [],
    });
    await db.connector.saveMembershipChanges(jobId, 'g1', { add: [], remove: [{ sourceId: 'u2' }] });
    expect([...(await db.connector.listMemberships(jobId, 'g1'))]).toEqual([['u1', 't-u1']]);
    expect(await db.connector.listGroupsHoldingMembers(jobId, ['u1', 'u2'])).toEqual(['g1']);
    // Many members each way, past one statement's rows; a member added twice keeps its last target
    // id, and one removed and added in the same change is held.
    const many = Array.from({ length: 1201 }, (_, k) => `m${String(k).padStart(4, '0')}`);
    await db.connector.saveMembershipChanges(jobId, 'g2', {
      add: [
        ...many.map((m) => ({ sourceId: m, targetId: `t-${m}` })),
        { sourceId: 'm0000', targetId: 't-again' },
      ],
      remove: [],
    });
    await db.connector.saveMembershipChanges(jobId, 'g2', {
      add: [{ sourceId: 'm0001', targetId: 't-back' }],
      remove: many.slice(1, 1101).map((m) => ({ sourceId: m })),
    });
    const g2 = await db.connector.listMemberships(jobId, 'g2');
    expect(g2.size).toBe(102);
    expect(g2.get('m0000')).toBe('t-again');
    expect(g2.get('m0001')).toBe('t-back');
    expect(g2.has('m1100')).toBe(false);
    expect(g2.get('m1101')).toBe('t-m1101');
    // Several groups at once, past one statement's groups; one without members has an empty map.
    const groupIds = ['g1', 'g2', ...Array.from({ length: 600 }, (_, k) => `empty${k}`)];
    const of = await db.connector.listMembershipsOf(jobId, groupIds);
    expect(of.size).toBe(602);
    expect([...(of.get('g1') ?? [])]).toEqual([['u1', 't-u1']]);
    expect(of.get('g2')).toEqual(g2);
    expect(of.get('empty599')?.size).toBe(0);
    await db.connector.clearMemberships(jobId, 'g2');
    await db.connector.clearMemberships(jobId, 'g1');
    expect((await db.connector.listMemberships(jobId, 'g1')).size).toBe(0);
    await db.connector.deleteObject(jobId, 'u4');
    await db.connector.clear(jobId);
    expect(await db.connector.listObjects(jobId)).toEqual([]);
  });

  it('keep escrows by type and list the due ones of a type', async () => {
    const { jobId } = await app('App');
    const escrow = (sourceId: string, objectType: string, nextAttemptAt: string) =>
      db.escrows.saveEscrow({
        jobId,
        sourceId,
        objectType,
        action: 'create',
        errorCode: 'Timeout',
        reason: 'x',
        attempts: 1,
        firstFailedAt: '2026-01-01T00:00:00.000Z',
        lastFailedAt: '2026-01-01T00:00:00.000Z',
        nextAttemptAt,
        cycleId: 'c1',
      });
    await escrow('u1', 'User', '2026-01-01T02:00:00.000Z');
    await escrow('g1', 'Group', '2026-01-01T01:00:00.000Z');
    expect(await db.escrows.countEscrowsByType(jobId)).toEqual({ Group: 1, User: 1 });
    expect(await db.escrows.listDueSourceIds(jobId, '2026-01-01T03:00:00.000Z')).toEqual(['g1', 'u1']);
    expect(await db.escrows.listDueSourceIds(jobId, '2026-01-01T03:00:00.000Z', 'User')).toEqual(['u1']);
    expect(await db.escrows.listSourceIds(jobId, 'Group')).toEqual(['g1']);
    expect((await db.escrows.listEscrows(jobId, 1)).map((e) => e.sourceId)).toEqual(['g1']);
  });
});

describe('provisioning and audit logs', () => {
  it('write many events at once, in their order, as one at a time would', async () => {
    const rows = Array.from({ length: 250 }, (_, i) =>
      provisioningEventRow(event(1000 + i, { cycleId: 'bulk', second: 0 })),
    );
    await db.events.insertEventRows(rows);
    const listed = await db.events.listProvisioningEvents({ cycleId: 'bulk' }, { top: 300, ascending: true });
    expect(listed.items).toHaveLength(250);
    expect(listed.items[249]).toEqual(event(1249, { cycleId: 'bulk', second: 0 }));
    // Insertion order is kept: the last event written for an object is the one a resumed cycle reads.
    await db.events.insertEventRows([
      provisioningEventRow({
        ...event(2000, { cycleId: 'bulk' }),
        sourceIdentity: { id: 'u1000', displayName: 'Again', identityType: 'User', details: {} },
      }),
    ]);
    expect((await db.events.listLastEventsOfCycle('bulk', null)).get('u1000')?.id).toBe('evt-2000');
  });

  it('filter, page and count provisioning events, and purge the oldest', async () => {
    const { spId } = await app('Target App');
    await db.events.insertProvisioningEvents([
      event(1, { status: 'failure', source: 'Ada Lovelace' }),
      event(2, { action: 'update', sp: spId, cycleId: 'c2' }),
      event(3, { status: 'skipped' }),
    ]);
    await db.events.insertProvisioningEvent(event(4, { sp: spId, cycleId: 'c2' }));
    const ids = async (filter: Parameters<typeof db.events.listProvisioningEvents>[0], ascending = false) =>
      (await db.events.listProvisioningEvents(filter, { top: 10, ascending })).items.map((e) => e.id);
    expect(await ids({})).toEqual(['evt-4', 'evt-3', 'evt-2', 'evt-1']);
    expect(await ids({}, true)).toEqual(['evt-1', 'evt-2', 'evt-3', 'evt-4']);
    expect(await ids({ statuses: ['failure', 'skipped'] })).toEqual(['evt-3', 'evt-1']);
    expect(await ids({ actions: ['update'] })).toEqual(['evt-2']);
    expect(await ids({ ids: ['evt-1', 'evt-4'] })).toEqual(['evt-4', 'evt-1']);
    expect(
      await ids({
        time: [
          { op: 'ge', value: event(2).activityDateTime },
          { op: 'lt', value: event(4).activityDateTime },
        ],
      }),
    ).toEqual(['evt-3', 'evt-2']);
    expect(await ids({ servicePrincipalId: spId, cycleId: 'c2' })).toEqual(['evt-4', 'evt-2']);
    expect(await ids({ targetSystemName: 'Target App' })).toEqual(['evt-4', 'evt-2']);
    expect(await ids({ jobId: 'scim.job', changeId: 'change-3', sourceId: 'u3' })).toEqual(['evt-3']);
    expect(await ids({ identityContains: 'LOVELACE' })).toEqual(['evt-1']);
    expect(await ids({ identityContains: '_' })).toEqual([]);
    // Ids match from their start (t3, any case); a part further in does not ('1' is inside u1 and t1).
    expect(await ids({ identityContains: 'T3' })).toEqual(['evt-3']);
    expect(await ids({ identityContains: '1' })).toEqual([]);
    expect((await db.events.listSourceIdsOfCycle('c2')).sort()).toEqual(['u2', 'u4']);
    // The last event of each object of a cycle, after a source id.
    const last = await db.events.listLastEventsOfCycle('c2', 'u2');
    expect([...last.keys()]).toEqual(['u4']);
    expect([...(await db.events.listLastEventsOfCycle('c2', null)).keys()].sort()).toEqual(['u2', 'u4']);

    const page = await db.events.listProvisioningEvents({}, { top: 3 });
    expect(page.nextCursor).not.toBeNull();
    expect(
      (
        await db.events.listProvisioningEvents({}, { top: 3, cursor: page.nextCursor ?? undefined })
      ).items.map((e) => e.id),
    ).toEqual(['evt-1']);
    expect(await db.events.countProvisioningEvents({})).toBe(4);
    expect(await db.events.countProvisioningEvents({}, { atMost: 1 })).toBe(2);
    expect(
      await db.events.countProvisioningEvents({}, { upToRow: await db.events.latestProvisioningEventRow() }),
    ).toBe(4);
    expect(await db.events.findProvisioningEvent('evt-2')).toEqual(
      event(2, { action: 'update', sp: spId, cycleId: 'c2' }),
    );
    expect(
      JSON.parse(
        (await db.events.listProvisioningEventJson({ ids: ['evt-3'] }, { top: 1 })).items[0]!.toString(),
      ),
    ).toEqual(event(3, { status: 'skipped' }));

    expect(await db.events.oldestEventTimes()).toEqual({
      provisioning: event(1).activityDateTime,
      audit: null,
    });
    expect(await db.events.purgeProvisioningEvents(new Date(event(3).activityDateTime), 1)).toBe(1);
    expect(await ids({}, true)).toEqual(['evt-2', 'evt-3', 'evt-4']);
  });

  it("each object's last event of a cycle, a skip's reason with it, and an event rewritten in place", async () => {
    const skip = (i: number, cycleId: string, errorCode: string): ProvisioningObjectSummary => ({
      ...event(i, { cycleId, status: 'skipped' }),
      provisioningAction: 'other',
      provisioningStatusInfo: {
        status: 'skipped',
        errorInformation: {
          errorCode,
          reason: 'The state of the user in both the source and target systems already match.',
          additionalDetails: null,
          errorCategory: 'nonServiceFailure',
          recommendedAction: null,
        },
      },
    });
    const of = (e: ProvisioningObjectSummary, source: string) => ({
      ...e,
      sourceIdentity: { ...e.sourceIdentity, id: source },
    });
    await db.events.insertProvisioningEvents([
      skip(1, 'c1', 'RedundantExport'),
      event(2, { cycleId: 'c1' }),
      skip(3, 'c1', 'NotEffectivelyEntitled'),
      skip(4, 'c0', 'RedundantExport'),
      // u5: skipped, then updated in the same cycle: its last event is not a skip.
      of(skip(5, 'c1', 'RedundantExport'), 'u5'),
      of(event(6, { cycleId: 'c1', action: 'update' }), 'u5'),
    ]);
    const last = await db.events.listLastEventsOfObjects('scim.job', 'c1', [
      'u1',
      'u2',
      'u3',
      'u4',
      'u5',
      'u9',
    ]);
    expect(Object.fromEntries(last)).toEqual({
      u1: { id: 'evt-1', action: 'other', status: 'skipped', skipReason: 'RedundantExport' },
      u2: { id: 'evt-2', action: 'create', status: 'success', skipReason: null },
      u3: { id: 'evt-3', action: 'other', status: 'skipped', skipReason: 'NotEffectivelyEntitled' },
      u5: { id: 'evt-6', action: 'update', status: 'success', skipReason: null },
    });

    const update = { ...event(1, { cycleId: 'c1', action: 'update', second: 30 }) };
    await db.events.replaceEventRow(provisioningEventRow(update));
    expect(await db.events.findProvisioningEvent('evt-1')).toEqual(update);
    expect(await db.events.countProvisioningEvents({ cycleId: 'c1' })).toBe(5);
    expect((await db.events.listLastEventsOfObjects('scim.job', 'c1', ['u1'])).get('u1')).toEqual({
      id: 'evt-1',
      action: 'update',
      status: 'success',
      skipReason: null,
    });
  });

  it('filter, page, pin and count audit events, and purge the oldest', async () => {
    await db.events.insertAuditEvent(audit(1));
    await db.events.insertAuditEvent(audit(2, { result: 'failure', category: 'ApplicationManagement' }));
    const upToRow = await db.events.latestAuditEventRow();
    await db.events.insertAuditEvent(audit(3, { loggedByService: 'Account Provisioning' }));
    const ids = async (filter: Parameters<typeof db.events.listAuditEvents>[0], upTo?: number) =>
      (
        await db.events.listAuditEvents(filter, { top: 10, ...(upTo === undefined ? {} : { upToRow: upTo }) })
      ).items.map((e) => e.id);
    expect(await ids({})).toEqual(['aud-3', 'aud-2', 'aud-1']);
    expect(await ids({}, upToRow)).toEqual(['aud-2', 'aud-1']);
    expect(await ids({ result: 'failure' })).toEqual(['aud-2']);
    expect(await ids({ category: 'ApplicationManagement' })).toEqual(['aud-2']);
    expect(await ids({ service: 'Account Provisioning' })).toEqual(['aud-3']);
    expect(await ids({ targetId: 'u1', initiatedBy: 'Admin', activity: 'Add user' })).toEqual(['aud-1']);
    expect(
      await ids({ targetName: 'User 2', time: [{ op: 'eq', value: audit(2).activityDateTime }] }),
    ).toEqual(['aud-2']);
    const page = await db.events.listAuditEvents({}, { top: 2 });
    expect(
      (await db.events.listAuditEvents({}, { top: 2, cursor: page.nextCursor ?? undefined })).items.map(
        (e) => e.id,
      ),
    ).toEqual(['aud-1']);
    expect(await db.events.countAuditEvents({}, { upToRow })).toBe(2);
    expect(await db.events.findAuditEvent('aud-2')).toEqual(
      audit(2, { result: 'failure', category: 'ApplicationManagement' }),
    );
    expect(
      JSON.parse((await db.events.listAuditEventJson({ result: 'success' }, { top: 1 })).items[0]!.toString())
        .id,
    ).toBe('aud-3');
    expect(await db.events.purgeAuditEvents(new Date(audit(3).activityDateTime), 10)).toBe(2);
    expect(await ids({})).toEqual(['aud-3']);
  });
});

describe('bulk operations, previews and target checks', () => {
  it('bulk operations: progress, rejected rows page by page, lookups in any case, and unfinished ones fail', async () => {
    for (const [id, createdAt] of [
      ['op1', '2026-01-01T00:00:00.000Z'],
      ['op2', '2026-01-02T00:00:00.000Z'],
    ] as const)
      await db.bulkOperations.insertOperation({
        id,
        kind: 'create',
        fileName: `${id}.csv`,
        requestedBy: by,
        createdAt,
      });
    const first = await db.bulkOperations.listOperations({ top: 1 });
    expect(first.items.map((o) => o.id)).toEqual(['op2']);
    expect(
      (await db.bulkOperations.listOperations({ top: 1, cursor: first.nextCursor ?? undefined })).items.map(
        (o) => o.id,
      ),
    ).toEqual(['op1']);
    await db.bulkOperations.updateProgress('op1', {
      status: 'succeeded',
      total: 3,
      processed: 3,
      succeeded: 2,
      failed: 1,
      completedAt: '2026-01-01T00:01:00.000Z',
      error: null,
    });
    expect(await db.bulkOperations.getOperation('op1')).toMatchObject({
      status: 'succeeded',
      total: 3,
      failed: 1,
    });
    await db.bulkOperations.insertResults('op1', 0, [
      { line: 2, column: 'mail', code: 'invalid', reason: 'x', key: 'a' },
      { line: 3, column: null, code: 'duplicate', reason: 'y', key: null },
    ]);
    const results = await db.bulkOperations.listResults('op1', { top: 1 });
    expect(results.items).toEqual([{ line: 2, column: 'mail', code: 'invalid', reason: 'x', key: 'a' }]);
    expect(
      (
        await db.bulkOperations.listResults('op1', { top: 1, cursor: results.nextCursor ?? undefined })
      ).items.map((r) => r.line),
    ).toEqual([3]);
    // Past one statement's rows, numbered on from the last one recorded.
    await db.bulkOperations.insertResults(
      'op1',
      2,
      Array.from({ length: 1001 }, (_, k) => ({
        line: 4 + k,
        column: null,
        code: 'invalid',
        reason: 'z',
        key: null,
      })),
    );
    const lines: number[] = [];
    for (let cursor: string | undefined; ;) {
      const page = await db.bulkOperations.listResults('op1', { top: 400, cursor });
      lines.push(...page.items.map((r) => r.line));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(lines).toEqual(Array.from({ length: 1003 }, (_, k) => 2 + k));
    expect(
      await db.bulkOperations.failUnfinished({ code: 'Stopped', message: 'x' }, '2026-01-03T00:00:00.000Z'),
    ).toBe(1);
    expect((await db.bulkOperations.getOperation('op2')).error).toEqual({ code: 'Stopped', message: 'x' });

    const ada = await db.directory.insertUser({ userPrincipalName: 'Ada@contoso.com', displayName: 'Ada' });
    expect(await db.bulkOperations.findUsersByPrincipalNames(['ADA@CONTOSO.COM', 'nobody@x'])).toEqual([
      { id: ada.id, userPrincipalName: 'Ada@contoso.com', deleted: false },
    ]);
    expect(await db.bulkOperations.findUsersByIds([ada.id])).toHaveLength(1);
  });

  it('previews: recorded, claimed, planned, searched, and run once', async () => {
    const { jobId } = await app('App');
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    await db.previews.insertPreview({ id: 'p1', jobId, requestedBy: by, createdAt: at(0).toISOString() });
    const claimed = await db.previews.claimPreview('w1', at(1), 30_000);
    expect(claimed).toMatchObject({ id: 'p1', workerId: 'w1' });
    expect((await db.jobs.getJob(jobId)).leaseOwner).toBe('w1');
    await db.previews.describePreview('p1', 'w1', {
      cycleKind: 'Initial',
      configHash: 'h',
      watermark: { seq: 3 },
      upTo: 3,
    });
    const object = (id: string, action: 'create' | 'skip') => ({
      objectType: 'User',
      sourceId: id,
      searchText: `${id.toLowerCase()} user`,
      object: {
        sourceIdentity: { id, displayName: id, identityType: 'User' },
        targetIdentity: { id: '', displayName: '', identityType: 'User' },
        action,
        reason: 'r',
        modifiedProperties: [],
      },
    });
    await db.previews.insertObjects('p1', 0, [
      object('U-1', 'create'),
      object('U-2', 'skip'),
      object('U-3', 'create'),
    ]);
    const counts = { create: 2, update: 0, disable: 0, delete: 0, skip: 1, staged: 0, failed: 0 };
    await db.previews.saveProgress('p1', 'w1', counts, { completed: 3, total: 3, units: 'Users' });
    const creates = await db.previews.listObjects('p1', { action: 'create', top: 1 });
    expect(creates.items.map((o) => o.sourceIdentity.id)).toEqual(['U-1']);
    expect(
      (
        await db.previews.listObjects('p1', {
          action: 'create',
          top: 1,
          cursor: creates.nextCursor ?? undefined,
        })
      ).items.map((o) => o.sourceIdentity.id),
    ).toEqual(['U-3']);
    expect((await db.previews.listObjects('p1', { search: 'U-2', top: 10 })).items).toHaveLength(1);
    expect(
      await db.previews.completePreview('p1', 'w2', { status: 'succeeded', counts, error: null }, at(2)),
    ).toBe(false);
    expect(
      await db.previews.completePreview('p1', 'w1', { status: 'succeeded', counts, error: null }, at(2)),
    ).toBe(true);
    expect(await db.previews.getPreview('p1')).toMatchObject({
      status: 'succeeded',
      cycleKind: 'Initial',
      watermark: { seq: 3 },
      upTo: 3,
      counts,
      progress: { completed: 3, total: 3, units: 'Users' },
    });
    await db.directory.insertUser({ userPrincipalName: 'x@x.test', displayName: 'X' }, 'U-2');
    expect(await db.previews.countChangedObjects('p1', 0)).toBe(1);
    expect(await db.previews.markRun('p1', { at: at(3).toISOString(), by, changed: 1 })).toBe(true);
    expect(await db.previews.markRun('p1', { at: at(3).toISOString(), by, changed: 1 })).toBe(false);
    for (let i = 2; i <= 6; i += 1)
      await db.previews.insertPreview({
        id: `p${i}`,
        jobId,
        requestedBy: by,
        createdAt: at(i * 10).toISOString(),
      });
    // A job keeps its five newest previews.
    expect((await db.previews.listPreviews(jobId)).map((p) => p.id)).toEqual(['p6', 'p5', 'p4', 'p3', 'p2']);
  });

  it('target checks: the newest of a job, the later of two started at once', async () => {
    const { jobId } = await app('App');
    const start = (id: string) =>
      db.targetChecks.insertTargetCheck({
        id,
        jobId,
        initiatedBy: by,
        tenantUrl: 'https://scim.test',
        startedAt: '2026-01-01T00:00:00.000Z',
      });
    await start('k1');
    await start('k2');
    expect((await db.targetChecks.findLatestTargetCheck(jobId))?.id).toBe('k2');
    expect(
      await db.targetChecks.completeTargetCheck('k2', {
        status: 'completed',
        findings: [{ id: 'f', severity: 'info', title: 't', detail: 'd', fix: '' }],
        requests: 12,
        durationMs: 1500.4,
        completedAt: '2026-01-01T00:00:02.000Z',
      }),
    ).toMatchObject({ status: 'completed', requests: 12, durationMs: 1500, findings: [{ id: 'f' }] });
  });

  it('the log summary and job health read on both', async () => {
    const { spId, jobId } = await app('App');
    await db.cycles.insertCycle({ id: 'c1', jobId, kind: 'Initial', beganAt: '2026-01-01T00:00:00.000Z' });
    expect(await db.logSummary.listRecentCycles(5, spId)).toEqual([
      {
        id: 'c1',
        jobId,
        servicePrincipalId: spId,
        servicePrincipalName: 'App',
        kind: 'Initial',
        state: 'Running',
        beganAt: '2026-01-01T00:00:00.000Z',
        endedAt: null,
      },
    ]);
    expect(await db.jobHealth.listJobHealth()).toEqual([
      expect.objectContaining({ jobId, cycleCheckpoint: null, countEscrowed: 0 }),
    ]);
  });
});

describe('unique keys the API maps', () => {
  it('are DbConflictErrors naming the table and the columns', async () => {
    const conflict = async (write: Promise<unknown>, table: string, columns: string[]) => {
      await expect(write).rejects.toBeInstanceOf(DbConflictError);
      await expect(write).rejects.toMatchObject({ table, columns });
    };
    await db.accounts.insertAccount({ userName: 'admin', passwordHash: 'h', role: 'Administrator' });
    await conflict(
      db.accounts.insertAccount({ userName: 'ADMIN', passwordHash: 'h', role: 'Administrator' }),
      'admin_accounts',
      ['user_name'],
    );
    const g = await db.directory.insertGroup({ displayName: 'G' }, 'group-1');
    await conflict(db.directory.insertGroup({ displayName: 'G' }, 'group-1'), 'directory_groups', ['id']);
    const u = await db.directory.insertUser({ userPrincipalName: 'u@x.test', displayName: 'U' });
    await db.directory.addMember(g.id, u.id);
    await conflict(
      sql.run('INSERT INTO group_members (group_id, user_id, created_at) VALUES (?, ?, ?)', [
        g.id,
        u.id,
        'now',
      ]),
      'group_members',
      ['group_id', 'user_id'],
    );
    const a = await db.applications.insertServicePrincipal({ displayName: 'A' });
    const b = await db.applications.insertServicePrincipal({ displayName: 'B' });
    await conflict(
      sql.run('UPDATE service_principals SET app_id = ? WHERE id = ?', [a.appId, b.id]),
      'service_principals',
      ['app_id'],
    );
  });
});

describe('where processes meet (decision 0010)', () => {
  it('workers claiming at once take different jobs, requests and previews', async () => {
    const now = new Date();
    const jobs = [await app('A'), await app('B'), await app('C'), await app('D')];
    for (const { jobId } of jobs.slice(0, 2))
      await db.jobs.updateJob(jobId, { scheduleState: 'Active', runRequestedAt: now.toISOString() });
    const claimed = await Promise.all(['w1', 'w2', 'w3'].map((w) => db.jobs.claimDueJob(w, now, 60_000)));
    expect(claimed.map((j) => j?.id ?? null).sort()).toEqual([jobs[0]!.jobId, jobs[1]!.jobId, null].sort());
    expect(new Set(claimed.map((j) => j?.leaseOwner)).size).toBe(3);

    const [c, d] = [jobs[2]!, jobs[3]!];
    for (const [id, jobId] of [
      ['r1', c.jobId],
      ['r2', d.jobId],
    ] as const)
      await db.onDemand.insertRequest({
        id,
        jobId,
        servicePrincipalId: 'sp',
        ruleId: 'rule',
        subjects: [{ objectId: 'u1', objectTypeName: 'User' }],
        requestedBy: by,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      });
    const requests = await Promise.all(
      ['w1', 'w2', 'w3'].map((w) => db.onDemand.claimRequest(w, now, 60_000)),
    );
    expect(requests.map((r) => r?.id ?? null).sort()).toEqual(['r1', 'r2', null].sort());
    await db.jobs.releaseLease(c.jobId, requests.find((r) => r?.jobId === c.jobId)!.workerId!);
    await db.jobs.releaseLease(d.jobId, requests.find((r) => r?.jobId === d.jobId)!.workerId!);

    for (const [id, jobId] of [
      ['p1', c.jobId],
      ['p2', d.jobId],
    ] as const)
      await db.previews.insertPreview({ id, jobId, requestedBy: by, createdAt: now.toISOString() });
    const previews = await Promise.all(
      ['w1', 'w2', 'w3'].map((w) => db.previews.claimPreview(w, now, 60_000)),
    );
    expect(previews.map((p) => p?.id ?? null).sort()).toEqual(['p1', 'p2', null].sort());
  });

  it('a directory change waits for one not yet committed: numbers follow commit order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstSeq = 0;
    const first = db.transaction(async (tx) => {
      firstSeq = (await tx.directory.insertUser({ userPrincipalName: 'a@x.test', displayName: 'A' }))
        .changeSeq;
      await gate;
    });
    // Give the first transaction time to record its change.
    await new Promise((resolve) => setTimeout(resolve, 100));
    let secondDone = false;
    const second = db.directory
      .insertUser({ userPrincipalName: 'b@x.test', displayName: 'B' })
      .then((u) => ((secondDone = true), u));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const secondDoneBeforeCommit = secondDone;
    release();
    await first;
    expect(secondDoneBeforeCommit).toBe(false);
    const b = await second;
    expect(firstSeq).toBeGreaterThan(0);
    expect(b.changeSeq).toBeGreaterThan(firstSeq);
    expect(await db.directory.listChangedObjects(0, b.changeSeq)).toHaveLength(2);
  });
});
