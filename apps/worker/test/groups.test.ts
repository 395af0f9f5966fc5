// Groups and memberships against the real sample app: groups created without members, members
// added and removed by PATCH in batches, only the difference sent, in both SCIM dialects.
import { describe, expect, it } from 'vitest';
import { addUser, assign, mapInOrder, type RequestLogEntry, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

const groupRequests = (requests: RequestLogEntry[], method?: string) =>
  requests.filter((r) => r.path.includes('/Groups') && (method === undefined || r.method === method));

async function targetGroup(displayName: string) {
  return (await t.app.groups()).find((g) => g.displayName === displayName);
}

/** The userNames of a target group's members. */
async function memberNames(displayName: string): Promise<string[]> {
  const group = await targetGroup(displayName);
  const users = new Map((await t.app.users()).map((u) => [u.id, u.userName]));
  return (group?.members ?? []).map((m) => users.get(m.value) ?? m.value).sort();
}

async function addGroup(displayName: string, members: { id: string }[]) {
  const group = await t.db.directory.insertGroup({ displayName });
  for (const m of members) await t.db.directory.addMember(group.id, m.id);
  return group;
}

describe('groups and memberships', () => {
  it('creates a group without members, then adds them by one PATCH per batch', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      groups: true,
      settings: { MembershipBatchSize: '2' },
    });
    const users = await mapInOrder(['ana', 'ben', 'cai', 'dee', 'eve'], (n) => addUser(t.db, n));
    const sales = await addGroup('Sales', users);
    await assign(t.db, spId, sales.id, 'Group');

    const report = await t.cycle(jobId);
    expect(report.state).toBe('Succeeded');
    // Six objects created: the group's members are part of its creation, not an update of it.
    expect(report.tally).toMatchObject({ created: 6, updated: 0, exported: 6 });

    const requests = groupRequests(await t.app.requests());
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.body).toMatchObject({ displayName: 'Sales', externalId: sales.id });
    expect(post?.body).not.toHaveProperty('members');
    const patches = requests.filter((r) => r.method === 'PATCH');
    // Five members, two per PATCH: three requests, each one Add op.
    expect(
      patches.map((p) => (p.body as { Operations: { value: unknown[] }[] }).Operations[0]?.value.length),
    ).toEqual([2, 2, 1]);
    expect(await memberNames('Sales')).toEqual(users.map((u) => u.userPrincipalName).sort());

    const groupEvents = (await t.events(jobId)).filter((e) => e.sourceIdentity.identityType === 'Group');
    expect(groupEvents.map((e) => e.provisioningAction).sort()).toEqual(['create', 'update']);
    const update = groupEvents.find((e) => e.provisioningAction === 'update');
    expect(update?.modifiedProperties).toEqual([
      {
        displayName: 'members (added)',
        oldValue: null,
        newValue: JSON.stringify(users.map((u) => u.userPrincipalName)),
      },
    ]);
    expect((await t.db.jobs.getJob(jobId)).status.synchronizedEntryCountByType).toEqual(
      expect.arrayContaining([
        { key: 'User', value: 5 },
        { key: 'Group', value: 1 },
      ]),
    );

    // Another batch size changes how members are sent, not what the application holds: the next
    // cycle is incremental and, with nothing changed, sends nothing.
    await t.db.jobs.updateJob(jobId, { settings: { MembershipBatchSize: '100' } });
    await t.app.clearRequests();
    expect(await t.cycle(jobId)).toMatchObject({ kind: 'Incremental', state: 'Succeeded' });
    expect(await t.app.requests()).toEqual([]);
  });

  it('moving 3 users between 2 groups sends exactly one removal and one addition', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { groups: true });
    const users = await mapInOrder(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'], (n) => addUser(t.db, n));
    const a = await addGroup('Group A', users.slice(0, 5));
    const b = await addGroup('Group B', users.slice(5));
    await assign(t.db, spId, a.id, 'Group');
    await assign(t.db, spId, b.id, 'Group');
    await t.cycle(jobId);
    const before = await t.app.groups();
    const idOf = (name: string) => before.find((g) => g.displayName === name)?.id;
    const targetUsers = new Map((await t.app.users()).map((u) => [u.userName, u.id]));
    await t.app.clearRequests();

    for (const u of users.slice(0, 3)) {
      await t.db.directory.removeMember(a.id, u.id);
      await t.db.directory.addMember(b.id, u.id);
    }
    const report = await t.cycle(jobId);
    expect(report).toMatchObject({ kind: 'Incremental', state: 'Succeeded' });

    const patches = groupRequests(await t.app.requests(), 'PATCH');
    const moved = users
      .slice(0, 3)
      .map((u) => targetUsers.get(u.userPrincipalName))
      .sort();
    expect(patches.map((p) => p.path).sort()).toEqual(
      [`/scim/v2/Groups/${idOf('Group A')}`, `/scim/v2/Groups/${idOf('Group B')}`].sort(),
    );
    type Op = { op: string; path: string; value: { value: string }[] };
    const opsOf = (name: string) =>
      (patches.find((p) => p.path.endsWith(`/${idOf(name)}`))?.body as { Operations: Op[] }).Operations;
    const [removal] = opsOf('Group A');
    expect(opsOf('Group A')).toHaveLength(1);
    expect(removal).toMatchObject({ op: 'Remove', path: 'members' });
    expect(removal?.value.map((m) => m.value).sort()).toEqual(moved);
    const [addition] = opsOf('Group B');
    expect(opsOf('Group B')).toHaveLength(1);
    expect(addition).toMatchObject({ op: 'Add', path: 'members' });
    expect(addition?.value.map((m) => m.value).sort()).toEqual(moved);
    // No group was created, read or renamed again.
    expect(groupRequests(await t.app.requests()).filter((r) => r.method !== 'PATCH')).toEqual([]);
    expect(await memberNames('Group A')).toEqual(['u4@contoso.com', 'u5@contoso.com']);
    expect(await memberNames('Group B')).toEqual(
      users
        .slice(5)
        .concat(users.slice(0, 3))
        .map((u) => u.userPrincipalName)
        .sort(),
    );
    // Each group's event names the members it lost or gained, by the names they were exported with.
    const movedNames = JSON.stringify(users.slice(0, 3).map((u) => u.userPrincipalName));
    const changesOf = async (group: { id: string }) =>
      (await t.events(jobId, { cycleId: report.cycleId }))
        .filter((e) => e.sourceIdentity.id === group.id)
        .map((e) => [e.provisioningAction, e.modifiedProperties]);
    expect(await changesOf(a)).toEqual([
      ['update', [{ displayName: 'members (removed)', oldValue: movedNames, newValue: null }]],
    ]);
    expect(await changesOf(b)).toEqual([
      ['update', [{ displayName: 'members (added)', oldValue: null, newValue: movedNames }]],
    ]);
  });

  it('a member provisioned after its group was created is added in the same cycle', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { groups: true });
    const ana = await addUser(t.db, 'ana');
    const team = await addGroup('Team', [ana]);
    await assign(t.db, spId, team.id, 'Group');
    await t.cycle(jobId);
    expect(await memberNames('Team')).toEqual(['ana@contoso.com']);

    // Entitled through the group from now on: created in the users phase, added in the memberships phase.
    const ben = await addUser(t.db, 'ben');
    await t.db.directory.addMember(team.id, ben.id);
    const report = await t.cycle(jobId);
    expect(report).toMatchObject({ kind: 'Incremental', state: 'Succeeded' });
    expect(report.tally.created).toBe(1);
    expect(await memberNames('Team')).toEqual(['ana@contoso.com', 'ben@contoso.com']);
  });

  it('accounts matched that needed no change are named by their user names in member changes, and once deleted for good', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { groups: true });
    const ana = await addUser(t.db, 'ana');
    const ben = await addUser(t.db, 'ben');
    const team = await addGroup('Team', [ana]);
    await assign(t.db, spId, team.id, 'Group');
    await assign(t.db, spId, ben.id);
    await t.cycle(jobId);
    // The job forgets its links (Restart, resetScope Full): the next cycle matches every object
    // again, finds it as the directory wants it, and links it without creating anything.
    await t.db.connector.clear(jobId);
    await t.db.jobs.updateJob(jobId, { watermark: null });
    await t.app.clearRequests();
    const relinked = await t.cycle(jobId);
    expect(relinked).toMatchObject({ kind: 'Initial', state: 'Succeeded' });
    expect((await t.app.requests()).filter((r) => r.method === 'POST')).toHaveLength(0);
    // The group's member is sent again (the job no longer knows what the application holds): the
    // group's one event of the cycle is that update, in the place of its "already match".
    const relinkedTeam = await t.events(jobId, { cycleId: relinked.cycleId, sourceId: team.id });
    expect(relinkedTeam.map((e) => [e.provisioningAction, e.provisioningStatusInfo.status])).toEqual([
      ['update', 'success'],
    ]);
    expect(relinked.tally).toMatchObject({ skipped: 2, updated: 1 });
    expect(await t.events(jobId, { cycleId: relinked.cycleId })).toHaveLength(3);

    await t.db.directory.addMember(team.id, ben.id);
    await t.db.directory.removeMember(team.id, ana.id);
    const moved = await t.cycle(jobId);
    const [update] = await t.events(jobId, { cycleId: moved.cycleId, sourceId: team.id });
    expect(update?.modifiedProperties).toEqual([
      { displayName: 'members (added)', oldValue: null, newValue: JSON.stringify(['ben@contoso.com']) },
      { displayName: 'members (removed)', oldValue: JSON.stringify(['ana@contoso.com']), newValue: null },
    ]);

    await t.db.directory.hardDeleteUser(ben.id);
    await t.app.clearRequests();
    const gone = await t.cycle(jobId);
    // The account is deleted, and the application takes it out of its groups with it: no removal
    // is sent for it, and the job no longer holds it as a member.
    expect(groupRequests(await t.app.requests(), 'PATCH')).toHaveLength(0);
    expect([
      ...((await t.db.connector.listMembershipsOf(jobId, [team.id])).get(team.id)?.keys() ?? []),
    ]).toEqual([]);
    const [deleted] = await t.events(jobId, { cycleId: gone.cycleId, sourceId: ben.id });
    expect(deleted?.provisioningAction).toBe('delete');
    expect(deleted?.sourceIdentity.displayName).toBe('ben@contoso.com');
    expect(deleted?.targetIdentity.displayName).toBe('ben@contoso.com');
  });

  it('a member whose account is disabled leaves the group; a group that leaves scope is deleted', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { groups: true });
    const ana = await addUser(t.db, 'ana');
    const ben = await addUser(t.db, 'ben');
    const team = await addGroup('Team', [ana, ben]);
    const assignment = await assign(t.db, spId, team.id, 'Group');
    await assign(t.db, spId, ana.id);
    await assign(t.db, spId, ben.id);
    await t.cycle(jobId);

    await t.db.directory.updateUser(ben.id, { accountEnabled: false });
    await t.cycle(jobId);
    expect(await memberNames('Team')).toEqual(['ana@contoso.com']);

    await t.db.applications.deleteAssignment(assignment);
    const report = await t.cycle(jobId);
    expect(report.tally.deleted).toBe(1);
    expect(await targetGroup('Team')).toBeUndefined();
    const deleted = (await t.events(jobId)).find((e) => e.provisioningAction === 'delete');
    expect(deleted).toMatchObject({
      sourceIdentity: { identityType: 'Group', id: team.id },
      provisioningStatusInfo: { status: 'success' },
    });
  });

  it('a group holding a nested group says in its events that it is not expanded, and sends only its direct members', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { groups: true });
    const ana = await addUser(t.db, 'ana');
    const ben = await addUser(t.db, 'ben');
    const engineering = await addGroup('Engineering', [ana]);
    const leads = await addGroup('Leads', [ben]);
    await t.db.directoryExtensions.addMemberGroup(engineering.id, leads.id);
    await assign(t.db, spId, engineering.id, 'Group');
    const report = await t.cycle(jobId);
    expect(report.state).toBe('Succeeded');

    // Only the direct user member: Leads and its member are not entitled through Engineering.
    expect((await t.app.groups()).map((g) => g.displayName)).toEqual(['Engineering']);
    expect(await memberNames('Engineering')).toEqual(['ana@contoso.com']);
    expect((await t.app.users()).map((u) => u.userName)).toEqual(['ana@contoso.com']);

    const events = await t.events(jobId, { sourceId: engineering.id });
    expect(events.map((e) => e.provisioningAction).sort()).toEqual(['create', 'update']);
    for (const e of events) {
      // Done, with a warning: the log's status filter finds it under Warning.
      expect(e.provisioningStatusInfo).toEqual({ status: 'warning', errorInformation: null });
      const step = e.provisioningSteps.find((s) => s.name === 'NestedGroupsNotExpanded');
      expect(step).toMatchObject({
        provisioningStepType: 'processing',
        status: 'warning',
        details: { NestedGroups: 'Leads', NestedGroupIds: leads.id },
      });
      expect(step?.description).toContain("holds a nested group in Provisio Directory ('Leads')");
      expect(step?.description).toContain('assign the nested group to');
    }
    // A user's events, and a group's without nested groups, have no such step.
    expect(
      (await t.events(jobId)).filter((e) =>
        e.provisioningSteps.some((s) => s.name === 'NestedGroupsNotExpanded'),
      ),
    ).toHaveLength(2);
  });

  it('nesting a group in an assigned group, taking it out, renaming or deleting it, is seen by the next incremental cycle', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { groups: true });
    const engineering = await addGroup('Engineering', [await addUser(t.db, 'ana')]);
    const leads = await addGroup('Leads', [await addUser(t.db, 'ben')]);
    await assign(t.db, spId, engineering.id, 'Group');
    await t.cycle(jobId);
    const nestedSteps = (events: Awaited<ReturnType<typeof t.events>>) =>
      events.flatMap((e) => e.provisioningSteps.filter((s) => s.name === 'NestedGroupsNotExpanded'));

    // Nested after Engineering was provisioned: the next cycle visits Engineering and says so.
    await t.db.directoryExtensions.addMemberGroup(engineering.id, leads.id);
    const nested = await t.cycle(jobId);
    expect(nested.tally.failed).toBe(0);
    const events = await t.events(jobId, { cycleId: nested.cycleId });
    expect(events.map((e) => e.sourceIdentity.id)).toEqual([engineering.id]);
    // Nothing to change in the application: a skip that says why, with the warning.
    expect(events[0]?.provisioningStatusInfo).toMatchObject({
      status: 'skipped',
      errorInformation: {
        errorCode: 'RedundantExport',
        reason: 'The state of the group in both the source and target systems already match.',
      },
    });
    expect(nestedSteps(events)).toEqual([
      expect.objectContaining({
        status: 'warning',
        details: { NestedGroups: 'Leads', NestedGroupIds: leads.id },
      }),
    ]);
    expect(await memberNames('Engineering')).toEqual(['ana@contoso.com']);

    // Taken out again: the next cycle visits Engineering once more, and its event has no warning.
    await t.db.directoryExtensions.removeMemberGroup(engineering.id, leads.id);
    const unnested = await t.cycle(jobId);
    const after = await t.events(jobId, { cycleId: unnested.cycleId });
    expect(after.map((e) => e.sourceIdentity.id)).toEqual([engineering.id]);
    expect(nestedSteps(after)).toEqual([]);

    // Nested once more, then renamed: the next cycle visits Engineering as well as Leads (which
    // changed, and is not assigned), and Engineering's event names it by its new name.
    await t.db.directoryExtensions.addMemberGroup(engineering.id, leads.id);
    await t.cycle(jobId);
    await t.db.directory.updateGroup(leads.id, { displayName: 'Team leads' });
    const renamed = await t.cycle(jobId);
    const ofEngineering = async (cycleId: string) =>
      (await t.events(jobId, { cycleId })).filter((e) => e.sourceIdentity.id === engineering.id);
    const afterRename = await ofEngineering(renamed.cycleId);
    expect(afterRename).toHaveLength(1);
    expect(nestedSteps(afterRename)).toEqual([
      expect.objectContaining({ details: { NestedGroups: 'Team leads', NestedGroupIds: leads.id } }),
    ]);

    // Deleted: Engineering's next event no longer warns of it.
    await t.db.directory.deleteGroup(leads.id);
    const deleted = await t.cycle(jobId);
    const afterDelete = await ofEngineering(deleted.cycleId);
    expect(afterDelete).toHaveLength(1);
    expect(nestedSteps(afterDelete)).toEqual([]);
    expect(await memberNames('Engineering')).toEqual(['ana@contoso.com']);
  });

  it('a group matching a group another directory group holds is not linked to it (DuplicateSourceEntries): nothing of the other changes, nor is deleted', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { groups: true });
    const users = await mapInOrder(['ana', 'bo'], (n) => addUser(t.db, n));
    const sales = await addGroup('Sales', users.slice(0, 1));
    await assign(t.db, spId, sales.id, 'Group');
    await t.cycle(jobId);
    const before = await t.app.groups();
    expect(before).toHaveLength(1);
    await t.app.clearRequests();

    // A second directory group of the same name: matched by displayName to the first's group.
    const twin = await addGroup('Sales', users.slice(1));
    const twinAssignment = await assign(t.db, spId, twin.id, 'Group');
    const report = await t.cycle(jobId);
    expect(report).toMatchObject({ state: 'EntryLevelErrors', tally: { failed: 1 } });
    const events = await t.events(jobId, { cycleId: report.cycleId, sourceId: twin.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      provisioningAction: 'other',
      provisioningStatusInfo: {
        status: 'failure',
        errorInformation: { errorCode: 'DuplicateSourceEntries' },
      },
    });
    const error = events[0]?.provisioningStatusInfo.errorInformation;
    expect(error?.reason).toContain(`already provisioned from another group of the directory (${sales.id})`);
    expect(error?.recommendedAction).toContain('Give one of the two groups a different value');
    // The group in the app is still the first's: no write reached it, its externalId and members stand.
    expect(groupRequests(await t.app.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await t.app.groups()).toEqual(before);
    expect(await memberNames('Sales')).toEqual(['ana@contoso.com']);

    // Unassigned, the twin deletes nothing: it never held the group.
    await t.db.applications.deleteAssignment(twinAssignment);
    await t.cycle(jobId);
    expect(groupRequests(await t.app.requests(), 'DELETE')).toEqual([]);
    expect(await t.app.groups()).toEqual(before);
  });

  it.each([
    ['empty', ''],
    ['blank', ' \t '],
  ])('a group with an %s display name is skipped with the reason and the fix', async (_, name) => {
    const { spId, jobId } = await seedJob(t.db, t.app, { groups: true });
    const nameless = await addGroup(name, [await addUser(t.db, 'ana')]);
    await assign(t.db, spId, nameless.id, 'Group');
    const report = await t.cycle(jobId);
    expect(report.state).toBe('Succeeded');
    expect(await t.app.groups()).toEqual([]);
    const skipped = await t.events(jobId, { sourceId: nameless.id });
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({
      provisioningAction: 'other',
      provisioningStatusInfo: {
        status: 'skipped',
        errorInformation: { errorCode: 'ImportSkipped' },
      },
    });
    expect(skipped[0]?.provisioningStatusInfo.errorInformation?.reason).toContain('displayName');
    expect(skipped[0]?.provisioningStatusInfo.errorInformation?.recommendedAction).toContain(
      'Give the group',
    );
  });

  it.each([
    {
      dialect: 'Entra (default)',
      flag: '',
      post: {
        schemas: [
          'urn:ietf:params:scim:schemas:core:2.0:Group',
          'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
        ],
      },
      add: (id: string) => [{ op: 'Add', path: 'members', value: [{ $ref: null, value: id }] }],
      remove: (id: string) => [{ op: 'Remove', path: 'members', value: [{ value: id }] }],
    },
    {
      dialect: 'RFC (aadOptscim062020)',
      flag: '?aadOptscim062020',
      post: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] },
      add: (id: string) => [{ op: 'add', path: 'members', value: [{ $ref: null, value: id }] }],
      remove: (id: string) => [{ op: 'remove', path: `members[value eq "${id}"]` }],
    },
  ])('sends the reference’s group requests in the $dialect dialect', async ({ flag, post, add, remove }) => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      groups: true,
      secrets: { BaseAddress: `${t.app.scimBaseUrl}${flag}` },
    });
    const ana = await addUser(t.db, 'ana');
    const team = await addGroup('Team', [ana]);
    await assign(t.db, spId, team.id, 'Group');
    await assign(t.db, spId, ana.id);
    await t.cycle(jobId);
    await t.db.directory.removeMember(team.id, ana.id);
    await t.cycle(jobId);

    const anaId = (await t.app.users())[0]?.id ?? '';
    const requests = groupRequests(await t.app.requests());
    const created = requests.find((r) => r.method === 'POST');
    expect(created?.body).toEqual({
      ...post,
      displayName: 'Team',
      externalId: team.id,
      meta: { resourceType: 'Group' },
    });
    const patches = requests.filter((r) => r.method === 'PATCH').map((r) => r.body);
    expect(patches).toEqual([
      { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: add(anaId) },
      { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: remove(anaId) },
    ]);
  });

  it('a group whose creation was escrowed gets its members in the cycle that retries it', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      groups: true,
      settings: { ExportRetryAttempts: '1', EscrowRetrySchedule: 'PT0.2S' },
    });
    const ana = await addUser(t.db, 'ana');
    const team = await addGroup('Team', [ana]);
    await assign(t.db, spId, team.id, 'Group');
    await t.app.setFaults({ errorRate: 1, errorStatus: 503 });
    expect((await t.cycle(jobId)).tally.escrowed).toBe(2);
    await t.app.clearFaults();
    await new Promise((r) => setTimeout(r, 300));

    const retry = await t.cycle(jobId);
    expect(retry).toMatchObject({ kind: 'Incremental', state: 'Succeeded' });
    expect(await memberNames('Team')).toEqual(['ana@contoso.com']);
  });
});
