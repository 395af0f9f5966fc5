// SelectUniqueValue in real cycles: on creation the target is asked which candidates are taken.
import { describe, expect, it } from 'vitest';
import type { AttributeMapping } from '@provisio/engine';
import { addUser, assign, defaultUserMappings, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

const UNIQUE_EXTERNAL_ID =
  'SelectUniqueValue(Join(".", [givenName], [surname]), Join(".", [givenName], [surname], "2"))';

/** The default user mappings, with externalId chosen by SelectUniqueValue on creation. */
function mappings(): AttributeMapping[] {
  return defaultUserMappings().map((m) =>
    m.targetAttributeName === 'externalId'
      ? {
          ...m,
          source: { type: 'Function', name: null, expression: UNIQUE_EXTERNAL_ID, parameters: [] },
          flowType: 'ObjectAddOnly',
        }
      : m,
  );
}

describe('SelectUniqueValue', () => {
  it('creates with the first candidate the target does not hold; all taken fails the object', async () => {
    // Accounts already in the target hold adele's first candidate and both of alex's.
    await t.app.createUser({ userName: 'other1@contoso.com', externalId: 'adele.vance' });
    await t.app.createUser({ userName: 'other2@contoso.com', externalId: 'alex.wilber' });
    await t.app.createUser({ userName: 'other3@contoso.com', externalId: 'alex.wilber.2' });
    const adele = await addUser(t.db, 'adele', { givenName: 'adele', surname: 'vance' });
    const alex = await addUser(t.db, 'alex', { givenName: 'alex', surname: 'wilber' });
    const { spId, jobId } = await seedJob(t.db, t.app, { mappings: mappings() });
    await assign(t.db, spId, adele.id);
    await assign(t.db, spId, alex.id);

    const report = await t.cycle(jobId);
    expect(report).toMatchObject({ state: 'EntryLevelErrors', tally: { created: 1, failed: 1 } });
    expect((await t.account('adele@contoso.com'))?.externalId).toBe('adele.vance.2');
    expect(await t.account('alex@contoso.com')).toBeUndefined();

    const [failed] = await t.events(jobId, { sourceId: alex.id });
    expect(failed?.provisioningStatusInfo).toMatchObject({
      status: 'failure',
      errorInformation: {
        errorCode: 'AttributeMappingFailed',
        reason: expect.stringContaining(
          "'externalId': SelectUniqueValue: all 2 generated values already exist in the target",
        ),
      },
    });
  });
});
