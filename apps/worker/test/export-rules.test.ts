// Matching, diff and export rules, one scenario per rule, against the real sample app.
import { describe, expect, it } from 'vitest';
import type { AttributeMapping } from '@provisio/engine';
import { addUser, assign, defaultUserMappings, ENTERPRISE, mapInOrder, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

/** userName (precedence 1) and externalId (precedence 2) are matching attributes. */
const twoMatchingAttributes = (): AttributeMapping[] =>
  defaultUserMappings().map((m) =>
    m.targetAttributeName === 'externalId' ? { ...m, matchingPriority: 2 } : m,
  );

const filters = async () =>
  (await t.app.requests())
    .filter((r) => r.method === 'GET' && r.query.includes('filter='))
    .map((r) => decodeURIComponent(r.query.replace(/^.*filter=/, '').replace(/&.*$/, '')));

describe('matching', () => {
  it('tries the matching attributes in precedence order and stops at the first match', async () => {
    const adele = await addUser(db(), 'adele');
    const alex = await addUser(db(), 'alex');
    const { spId, jobId } = await seedJob(db(), t.app, { mappings: twoMatchingAttributes() });
    await assign(db(), spId, adele.id);
    await assign(db(), spId, alex.id);
    // adele's account has another userName but her externalId; alex's has his userName.
    const adeleAccount = await t.app.createUser({ userName: 'adele.old@contoso.com', externalId: 'adele' });
    const alexAccount = await t.app.createUser({ userName: 'alex@contoso.com', externalId: 'someone-else' });
    await t.app.clearRequests();

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ imported: 2, updated: 2, created: 0, failed: 0 });
    expect((await filters()).sort()).toEqual(
      ['externalId eq "adele"', 'userName eq "adele@contoso.com"', 'userName eq "alex@contoso.com"'].sort(),
    );
    const requests = await t.app.requests();
    const adeleFilters = requests.filter((r) => r.query.includes('adele')).map((r) => r.query);
    expect(adeleFilters[0]).toContain('userName');
    expect(adeleFilters[1]).toContain('externalId');
    // Linked, not created: the ids are those of the existing accounts, and the links are kept.
    expect(await t.db.connector.findObject(jobId, adele.id)).toMatchObject({
      state: 'linked',
      targetId: adeleAccount.id,
    });
    expect(await t.db.connector.findObject(jobId, alex.id)).toMatchObject({
      state: 'linked',
      targetId: alexAccount.id,
    });
    expect((await t.account('adele@contoso.com'))?.id).toBe(adeleAccount.id);
    const [event] = await t.events(jobId, { sourceId: adele.id });
    expect(
      event?.provisioningSteps.find((s) => s.provisioningStepType === 'matching')?.details,
    ).toMatchObject({
      MatchedBy: 'externalId eq "adele"',
    });

    // Later cycles GET the linked account by id instead of filtering.
    await t.app.clearRequests();
    await db().directory.updateUser(adele.id, { jobTitle: 'Director' });
    await t.cycle(jobId);
    expect(await filters()).toEqual([]);
    expect((await t.app.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /scim/v2/Users/${adeleAccount.id}`,
      `PATCH /scim/v2/Users/${adeleAccount.id}`,
    ]);
  });

  it('an initial cycle can list the target once and match in memory, with the same outcome', async () => {
    const { spId, jobId } = await seedJob(db(), t.app, {
      mappings: twoMatchingAttributes(),
      settings: { InitialCycleMatching: 'List' },
    });
    const users = await mapInOrder(['adele', 'alex', 'megan', 'nestor'], (n) => addUser(db(), n));
    for (const u of users) await assign(db(), spId, u.id);
    const byExternalId = await t.app.createUser({ userName: 'adele.old@contoso.com', externalId: 'adele' });
    const byUserName = await t.app.createUser({ userName: 'ALEX@contoso.com' });
    await t.app.createUser({ userName: 'megan@contoso.com', externalId: 'x1' });
    await t.app.createUser({ userName: 'megan.b@contoso.com', externalId: 'megan' });
    await t.app.clearRequests();

    const report = await t.cycle(jobId);
    expect(report).toMatchObject({ listed: true, state: 'Succeeded' });
    expect(report.tally).toMatchObject({ imported: 4, created: 1, updated: 3, failed: 0 });
    // One page lists every account (ids and matching attributes only); no filter query at all.
    const requests = await t.app.requests();
    expect(requests.filter((r) => r.query.includes('filter='))).toEqual([]);
    const listing = requests.filter((r) => r.method === 'GET' && r.path === '/scim/v2/Users');
    expect(listing).toHaveLength(1);
    expect(decodeURIComponent(listing[0]?.query ?? '')).toContain('attributes=userName,externalId');
    expect((await t.db.connector.findObject(jobId, users[0]!.id))?.targetId).toBe(byExternalId.id);
    expect((await t.db.connector.findObject(jobId, users[1]!.id))?.targetId).toBe(byUserName.id);
    // megan matches one account by userName: precedence stops there, the externalId match is not a duplicate.
    expect((await t.db.connector.findObject(jobId, users[2]!.id))?.state).toBe('linked');
    expect(
      requests.filter((r) => r.method === 'POST').map((r) => (r.body as { userName: string }).userName),
    ).toEqual(['nestor@contoso.com']);
  });

  it('several accounts matching the first attribute is DuplicateTargetEntries, in list mode too', async () => {
    const { spId, jobId } = await seedJob(db(), t.app, {
      mappings: twoMatchingAttributes().map((m) =>
        m.targetAttributeName === 'userName' ? { ...m, matchingPriority: 3 } : m,
      ),
      settings: { InitialCycleMatching: 'List' },
    });
    const adele = await addUser(db(), 'adele');
    await assign(db(), spId, adele.id);
    await t.app.createUser({ userName: 'one@contoso.com', externalId: 'adele' });
    await t.app.createUser({ userName: 'two@contoso.com', externalId: 'adele' });

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ failed: 1, created: 0 });
    const [event] = await t.events(jobId);
    expect(event?.provisioningStatusInfo).toMatchObject({
      status: 'failure',
      errorInformation: { errorCode: 'DuplicateTargetEntries' },
    });
    expect((await t.app.users()).map((u) => u.userName).sort()).toEqual([
      'one@contoso.com',
      'two@contoso.com',
    ]);
  });
});

describe('diff and export', () => {
  it('an object whose account already matches is skipped as RedundantExport and nothing is sent', async () => {
    const adele = await addUser(db(), 'adele');
    const { spId, jobId } = await seedJob(db(), t.app);
    await assign(db(), spId, adele.id);
    await t.cycle(jobId);
    const account = await t.account('adele@contoso.com');
    // The directory changes to what the account already says (case aside: displayName is not exact-case).
    await db().directory.updateUser(adele.id, { displayName: 'ADELE TEST' });
    await t.app.clearRequests();

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ imported: 1, skipped: 1, redundant: 1, exported: 0 });
    expect((await t.app.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /scim/v2/Users/${account?.id}`,
    ]);
    const [event] = await t.events(jobId, { cycleId: report.cycleId });
    expect(event).toMatchObject({
      provisioningAction: 'other',
      provisioningStatusInfo: { status: 'skipped', errorInformation: { errorCode: 'RedundantExport' } },
    });
    expect(event?.provisioningSteps.at(-1)?.details).toMatchObject({ SkipReason: 'RedundantExport' });
  });

  it('a PATCH carries only the attributes that differ, in one request', async () => {
    const adele = await addUser(db(), 'adele');
    const { spId, jobId } = await seedJob(db(), t.app);
    await assign(db(), spId, adele.id);
    await t.cycle(jobId);
    await db().directory.updateUser(adele.id, {
      jobTitle: 'Director',
      surname: 'Vance',
      department: 'Sales',
    });
    await t.app.clearRequests();

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ updated: 1 });
    const patches = (await t.app.requests()).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect((patches[0]?.body as { Operations: unknown[] }).Operations).toEqual([
      { op: 'Replace', path: 'title', value: 'Director' },
      { op: 'Replace', path: 'name.familyName', value: 'Vance' },
    ]);
    expect((await t.events(jobId, { cycleId: report.cycleId }))[0]?.modifiedProperties).toEqual([
      { displayName: 'title', oldValue: 'Engineer', newValue: 'Director' },
      { displayName: 'name.familyName', oldValue: 'Test', newValue: 'Vance' },
    ]);
  });

  it('a mapping applied "Only during object creation" is sent on create and never on update', async () => {
    const mappings = defaultUserMappings().map((m) =>
      m.targetAttributeName === 'title' ? { ...m, flowType: 'ObjectAddOnly' as const } : m,
    );
    const adele = await addUser(db(), 'adele', { jobTitle: 'Engineer' });
    const { spId, jobId } = await seedJob(db(), t.app, { mappings });
    await assign(db(), spId, adele.id);
    await t.cycle(jobId);
    expect((await t.account('adele@contoso.com'))?.title).toBe('Engineer');

    await db().directory.updateUser(adele.id, { jobTitle: 'Director' });
    await t.app.clearRequests();
    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ redundant: 1, updated: 0 });
    expect((await t.app.requests()).filter((r) => r.method === 'PATCH')).toEqual([]);
    expect((await t.account('adele@contoso.com'))?.title).toBe('Engineer');
  });

  it('"Default value if null" fills a creation only; an update never sends the default', async () => {
    const mappings = defaultUserMappings().map((m) =>
      m.targetAttributeName === `${ENTERPRISE}:department` ? { ...m, defaultValue: 'Unassigned' } : m,
    );
    const adele = await addUser(db(), 'adele', { department: null });
    const alex = await addUser(db(), 'alex', { department: 'Sales' });
    const { spId, jobId } = await seedJob(db(), t.app, { mappings });
    await assign(db(), spId, adele.id);
    await assign(db(), spId, alex.id);
    await t.cycle(jobId);
    expect((await t.account('adele@contoso.com'))?.[ENTERPRISE]).toMatchObject({ department: 'Unassigned' });

    // alex loses his department and adele changes title: neither update sends 'Unassigned'.
    await db().directory.updateUser(alex.id, { department: null });
    await db().directory.updateUser(adele.id, { jobTitle: 'Director' });
    await t.app.clearRequests();
    await t.cycle(jobId);
    const sent = JSON.stringify(
      (await t.app.requests()).filter((r) => r.method === 'PATCH').map((r) => r.body),
    );
    expect(sent).toContain('Director');
    expect(sent).not.toContain('Unassigned');
    expect((await t.account('alex@contoso.com'))?.[ENTERPRISE]).toMatchObject({ department: 'Sales' });
  });
});

describe('target object actions', () => {
  it('without Create, a new user is skipped (CreateActionDisabled) and nothing is POSTed', async () => {
    const adele = await addUser(db(), 'adele');
    const { spId, jobId } = await seedJob(db(), t.app, { flowTypes: ['Update', 'Delete'] });
    await assign(db(), spId, adele.id);
    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ skipped: 1, created: 0 });
    expect((await t.app.requests()).filter((r) => r.method === 'POST')).toEqual([]);
    expect((await t.events(jobId))[0]?.provisioningStatusInfo.errorInformation?.errorCode).toBe(
      'CreateActionDisabled',
    );
  });

  it('without Update, a change and a disable are skipped (UpdateActionDisabled) and nothing is PATCHed', async () => {
    const adele = await addUser(db(), 'adele');
    const alex = await addUser(db(), 'alex');
    const { spId, jobId } = await seedJob(db(), t.app, { flowTypes: ['Add', 'Delete'] });
    await assign(db(), spId, adele.id);
    const alexAssignment = await assign(db(), spId, alex.id);
    await t.cycle(jobId);
    await db().directory.updateUser(adele.id, { jobTitle: 'Director' });
    await db().applications.deleteAssignment(alexAssignment);
    await t.app.clearRequests();

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ skipped: 2, updated: 0, disabled: 0 });
    expect((await t.app.requests()).filter((r) => r.method === 'PATCH')).toEqual([]);
    const codes = (await t.events(jobId, { cycleId: report.cycleId })).map(
      (e) => e.provisioningStatusInfo.errorInformation?.errorCode,
    );
    expect(codes).toEqual(['UpdateActionDisabled', 'UpdateActionDisabled']);
  });

  it('without Delete, a hard-deleted user keeps its account (DeleteActionDisabled) and nothing is DELETEd', async () => {
    const adele = await addUser(db(), 'adele');
    const { spId, jobId } = await seedJob(db(), t.app, { flowTypes: ['Add', 'Update'] });
    await assign(db(), spId, adele.id);
    await t.cycle(jobId);
    await db().directory.hardDeleteUser(adele.id);
    await t.app.clearRequests();

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ skipped: 1, deleted: 0 });
    expect((await t.app.requests()).filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(await t.account('adele@contoso.com')).toBeDefined();
    expect(
      (await t.events(jobId, { cycleId: report.cycleId }))[0]?.provisioningStatusInfo.errorInformation
        ?.errorCode,
    ).toBe('DeleteActionDisabled');
  });
});

function db() {
  return t.db;
}
