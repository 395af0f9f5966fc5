import { expect, test, type APIRequestContext } from '@playwright/test';
import type { Group, User } from '@provisio/contracts';
import { adminApi, findApp, sampleApp } from '../support/stack';
import { APP, jobOf, openApp, signIn, waitForQuietJob } from '../support/portal';

// This spec shares the stack with the others. The groups it assigns and their members are
// entitled through the group (the member it removes stays assigned directly), so every later check of
// "the users entitled are in the sample app" counts them as well; their display names sort after the
// demo's. It leaves provisioning off, as the on-demand spec expects to find it or sets it.

async function created<T>(api: APIRequestContext, path: string, data: object): Promise<T> {
  const res = await api.post(path, { data });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as T;
}

async function newUser(api: APIRequestContext, first: string, stamp: string): Promise<User> {
  const upn = `${first.toLowerCase()}.${stamp}@contoso.com`;
  return created<User>(api, '/api/v1.0/users', {
    userPrincipalName: upn,
    displayName: `${first} Grouper${stamp}`,
    givenName: first,
    surname: `Grouper${stamp}`,
    mail: upn,
    department: 'Sales',
    accountEnabled: true,
  });
}

async function newGroup(api: APIRequestContext, displayName: string, members: User[]): Promise<Group> {
  const group = await created<Group>(api, '/api/v1.0/groups', { displayName });
  for (const m of members) {
    const res = await api.post(`/api/v1.0/groups/${group.id}/members/$ref`, {
      data: { '@odata.id': `/api/v1.0/users/${m.id}` },
    });
    expect(res.status(), await res.text()).toBe(204);
  }
  return group;
}

test('an assigned group is provisioned with its members; a member removed leaves it; a group is provisioned on demand', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  const jobPath = `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}`;
  const stamp = Date.now().toString(36);

  // A group of three, assigned to the application.
  const members = await Promise.all(['Zadie', 'Zane', 'Zelda'].map((n) => newUser(api, n, stamp)));
  const team = await newGroup(api, `Zeta Team ${stamp}`, members);
  await created(api, `/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, { principalId: team.id });

  // Provisioning On: the group and its members reach the application.
  let since = new Date();
  expect((await api.post(`${jobPath}/start`)).status()).toBe(204);
  await waitForQuietJob(api, sp.id, since);
  await page.goto(sampleApp.pageUrl);
  const groupsTable = page.getByRole('region', { name: /^Groups/ });
  const row = groupsTable.getByRole('row', { name: new RegExp(team.displayName) });
  for (const m of members) await expect(row).toContainText(m.displayName);

  // One member removed in the directory: after the next cycle it is gone from the group. It stays
  // assigned to the application directly, so its account stays active (later specs count active accounts).
  const [leaving, ...staying] = members as [User, ...User[]];
  await created(api, `/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, { principalId: leaving.id });
  const removed = await api.delete(`/api/v1.0/groups/${team.id}/members/${leaving.id}/$ref`);
  expect(removed.status()).toBe(204);
  since = new Date();
  expect((await api.post(`${jobPath}/runNow`)).status()).toBe(204);
  await waitForQuietJob(api, sp.id, since);
  await page.reload();
  for (const m of staying) await expect(row).toContainText(m.displayName);
  await expect(row).not.toContainText(leaving.displayName);

  // The provisioning logs show the group's Update with the member change.
  await signIn(page);
  await openApp(page, 'Provisioning logs');
  await page.getByLabel('Identity').fill(team.displayName);
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Update', exact: true }).click();
  const table = page.getByRole('table', { name: 'Provisioning events' });
  // Once the list shows the group's updates alone (the identity is searched as it is typed, so a
  // list of every update may show first), the newest first: the removal (the first cycle's update
  // added the three).
  await expect(table.getByRole('row').filter({ hasNotText: team.displayName })).toHaveCount(1);
  await table.getByRole('row').nth(1).click();
  const details = page.getByRole('dialog', { name: 'Provisioning event details' });
  await details.getByRole('tab', { name: 'Modified Properties' }).click();
  await expect(details.getByRole('row', { name: /members \(removed\)/ })).toContainText(
    leaving.userPrincipalName,
  );
  await details.getByRole('button', { name: 'Close' }).click();

  // Provision on demand: a new group and two of its members, with provisioning off.
  expect((await api.post(`${jobPath}/pause`)).status()).toBe(204);
  await expect
    .poll(async () => (await jobOf(api, sp.id)).status.currentCycle, { timeout: 60_000 })
    .toBeNull();
  const pair = await Promise.all(['Zoe', 'Zubin'].map((n) => newUser(api, n, stamp)));
  const onDemand = await newGroup(api, `Zeta OnDemand ${stamp}`, pair);
  await created(api, `/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, { principalId: onDemand.id });

  await openApp(page, 'Provisioning');
  await page.getByRole('button', { name: 'Provision on demand' }).click();
  await page.getByRole('tab', { name: /A group/ }).click();
  await page.getByLabel('Search for a group').fill(onDemand.displayName);
  await page.getByRole('radio', { name: new RegExp(onDemand.displayName) }).check();
  const picker = page.getByRole('group', { name: `Members of ${onDemand.displayName}` });
  for (const m of pair) await picker.getByRole('checkbox', { name: new RegExp(m.displayName) }).check();
  await page.getByRole('button', { name: 'Provision', exact: true }).click();

  const results = page.getByRole('region', { name: `Result for ${onDemand.displayName}` });
  await expect(
    results.first().getByRole('heading', { name: `${onDemand.displayName} was created.` }),
  ).toBeVisible({
    timeout: 35_000,
  });
  for (const step of ['1. Import group', '2. Determine if group is in scope', '4. Perform action'])
    await expect(results.first().getByRole('listitem', { name: step })).toContainText('Success');
  // The members' add is the group's second result; each member has its own.
  await expect(
    results.nth(1).getByRole('heading', { name: `${onDemand.displayName} was updated.` }),
  ).toBeVisible();
  for (const m of pair)
    await expect(
      page.getByRole('region', { name: `Result for ${m.displayName}` }).getByRole('heading', {
        name: `${m.displayName} was created.`,
      }),
    ).toBeVisible();
  await page.goto(sampleApp.pageUrl);
  const onDemandRow = groupsTable.getByRole('row', { name: new RegExp(onDemand.displayName) });
  for (const m of pair) await expect(onDemandRow).toContainText(m.displayName);
});
