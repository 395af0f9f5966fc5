import { expect, test, type APIRequestContext } from '@playwright/test';
import type { User } from '@provisio/contracts';
import { E2E } from '../playwright.config';
import { adminApi, findApp, provisioningEvents, sampleApp } from '../support/stack';
import { APP, jobOf, signIn } from '../support/portal';

// This spec shares the stack with the others and runs before provisioning.spec.ts and scoping.spec.ts.
// What it leaves is consistent with what they check: its assigned user is provisioned (one Create
// event, its account in the sample app, like every other assigned user once provisioning is on);
// its unassigned user is not entitled, so no cycle ever touches it. Its display names sort after the
// demo's, so the specs that take "the first direct assignments" never pick them. Provisioning is
// left off, as a fresh stack has it; the later specs turn it on themselves.

async function createUser(api: APIRequestContext, upn: string, displayName: string): Promise<User> {
  const res = await api.post('/api/v1.0/users', {
    data: {
      userPrincipalName: upn,
      displayName,
      givenName: displayName.split(' ')[0],
      surname: displayName.split(' ')[1],
      mail: upn,
      department: 'Sales',
      accountEnabled: true,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as User;
}

test('an administrator provisions a new user on demand while provisioning is off, and sees why another is skipped', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);

  // Provisioning Off (another spec may have turned it on), and no cycle under way.
  const pause = await api.post(`/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/pause`);
  expect(pause.status()).toBe(204);
  await expect
    .poll(async () => (await jobOf(api, sp.id)).status.currentCycle, { timeout: 60_000 })
    .toBeNull();

  const stamp = Date.now().toString(36);
  const assigned = await createUser(api, `zyta.ondemand.${stamp}@contoso.com`, `Zyta Ondemand${stamp}`);
  const unassigned = await createUser(api, `zeno.unassigned.${stamp}@contoso.com`, `Zeno Unassigned${stamp}`);
  const assignment = await api.post(`/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, {
    data: { principalId: assigned.id },
  });
  expect(assignment.status()).toBe(201);
  expect(await sampleApp.userByUserName(assigned.userPrincipalName)).toBeUndefined();

  // Provisioning → Provision on demand.
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Enterprise applications' })
    .click();
  await page.getByRole('link', { name: APP, exact: true }).click();
  await page
    .getByRole('navigation', { name: 'Application' })
    .getByRole('link', { name: 'Provisioning', exact: true })
    .click();
  await page.getByRole('button', { name: 'Provision on demand' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${APP} | Provision on demand` })).toBeVisible();

  // Pick the new user and provision it.
  await page.getByLabel('Search for a user').fill(assigned.displayName);
  await page.getByRole('radio', { name: new RegExp(assigned.displayName) }).check();
  await page.getByRole('button', { name: 'Provision', exact: true }).click();
  const result = page.getByRole('region', { name: `Result for ${assigned.displayName}` });
  await expect(result.getByRole('heading', { name: `${assigned.displayName} was created.` })).toBeVisible({
    timeout: 35_000,
  });
  for (const step of [
    '1. Import user',
    '2. Determine if user is in scope',
    '3. Match user between source and target system',
    '4. Perform action',
  ])
    await expect(result.getByRole('listitem', { name: step })).toContainText('Success');
  // Perform action → View details: the attributes sent, old → new.
  const action = result.getByRole('listitem', { name: '4. Perform action' });
  await action.getByRole('button', { name: 'View details' }).click();
  await expect(
    action.getByRole('table', { name: 'Modified properties' }).getByRole('row', { name: /userName/ }),
  ).toContainText(assigned.userPrincipalName);

  // The account exists in the sample app, and the event is in the logs, initiated on demand.
  const account = await sampleApp.userByUserName(assigned.userPrincipalName);
  expect(account).toMatchObject({ userName: assigned.userPrincipalName, active: true });
  const events = await provisioningEvents(api, `sourceIdentity/id eq '${assigned.id}'`);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    provisioningAction: 'create',
    provisioningStatusInfo: { status: 'success' },
    initiatedBy: { displayName: `${E2E.admin.userName} (Provision on demand)`, initiatorType: 'user' },
  });
  // Provisioning stayed off.
  expect((await jobOf(api, sp.id)).schedule.state).not.toBe('Active');

  // A user who is not assigned is skipped, with the reason and what to do.
  await page.getByLabel('Search for a user').fill(unassigned.displayName);
  await page.getByRole('radio', { name: new RegExp(unassigned.displayName) }).check();
  await page.getByRole('button', { name: 'Provision', exact: true }).click();
  const skipped = page.getByRole('region', { name: `Result for ${unassigned.displayName}` });
  await expect(
    skipped.getByRole('heading', { name: new RegExp(`^${unassigned.displayName} was skipped: .+`) }),
  ).toBeVisible({
    timeout: 35_000,
  });
  const scope = skipped.getByRole('listitem', { name: '2. Determine if user is in scope' });
  await expect(scope).toContainText('Skipped');
  await expect(scope).toContainText('NotEffectivelyEntitled');
  await expect(scope).toContainText('Recommended action');
  expect(await sampleApp.userByUserName(unassigned.userPrincipalName)).toBeUndefined();

  // Retry runs it again: still skipped.
  await skipped.page().getByRole('button', { name: 'Retry' }).click();
  await expect(
    skipped.getByRole('heading', { name: new RegExp(`^${unassigned.displayName} was skipped: .+`) }),
  ).toBeVisible({
    timeout: 35_000,
  });
});
