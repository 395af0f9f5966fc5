import { expect, test } from '@playwright/test';
import type { AppRoleAssignment, Collection, ProvisioningObjectSummary, User } from '@provisio/contracts';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { adminApi, assignedUsers, findApp, json, provisioningEvents, sampleApp } from '../support/stack';
import { APP, openApp, signIn } from '../support/portal';

/** Every user entitled to the app: direct assignees and direct members of assigned groups. */
async function entitledUsers(): Promise<User[]> {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const users = new Map<string, User>();
  for (const a of await assignedUsers(api, sp.id)) {
    if (a.principalType === 'User')
      users.set(a.principalId, await json<User>(api, `/api/v1.0/users/${a.principalId}`));
    else {
      const members = await json<Collection<User>>(api, `/api/v1.0/groups/${a.principalId}/members?$top=999`);
      for (const m of members.value) users.set(m.id, m);
    }
  }
  return [...users.values()];
}

/**
 * The demo's troubleshooting examples that are assigned, with the code each one's skip carries:
 * on leave (disabled), a partner's account (out of the demo's scoping filter), one name only (no
 * family name, which the application requires). No cycle creates them.
 */
const DEMO_SKIPPED: Record<string, string> = {
  'ingrid.solberg@contoso.com': 'NotEffectivelyEntitled',
  'pieter.devries@fabrikam.com': 'OutOfScope',
  'wulandari@contoso.com': 'MandatoryFieldsMissing',
};

test.describe.configure({ mode: 'serial' });

test('an administrator tests the connection, turns provisioning on and sees every assigned user created', async ({
  page,
}) => {
  await signIn(page);
  await openApp(page, 'Provisioning');

  // The saved credentials of the demo work.
  await page.getByRole('button', { name: 'Test Connection' }).click();
  await expect(
    page.getByText('The supplied credentials are authorized to enable provisioning'),
  ).toBeVisible();

  // A wrong token fails clearly, and fast.
  await page.getByLabel('Secret Token').fill('not-the-token');
  let began = Date.now();
  await page.getByRole('button', { name: 'Test Connection' }).click();
  await expect(page.getByText(/HTTP 401/).first()).toBeVisible({ timeout: 10_000 });
  expect(Date.now() - began).toBeLessThan(10_000);

  // An unreachable Tenant URL fails clearly instead of hanging.
  await page.getByRole('button', { name: 'Discard' }).click();
  await page.getByLabel('Tenant URL').fill('http://127.0.0.1:39999/scim/v2');
  began = Date.now();
  await page.getByRole('button', { name: 'Test Connection' }).click();
  await expect(page.getByText(/could not connect|unreachable|refused/i).first()).toBeVisible({
    timeout: 12_000,
  });
  expect(Date.now() - began).toBeLessThan(12_000);
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByLabel('Tenant URL')).toHaveValue(sampleApp.baseUrl);

  // Provisioning Status On, Save (unless another spec of this run turned it on already).
  const status = page.getByRole('switch', { name: 'Provisioning Status' });
  if (!(await status.isChecked())) {
    await status.check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
  }

  const entitled = await entitledUsers();
  const skipped = entitled.filter((u) => u.userPrincipalName in DEMO_SKIPPED);
  expect(skipped.map((u) => u.userPrincipalName).sort()).toEqual(Object.keys(DEMO_SKIPPED).sort());
  const expected = entitled.filter((u) => !(u.userPrincipalName in DEMO_SKIPPED));
  expect(expected.length).toBeGreaterThan(10);
  await expect
    .poll(async () => (await sampleApp.users()).length, { timeout: 60_000, intervals: [1000] })
    .toBe(expected.length);
  const inApp = new Set((await sampleApp.users()).map((u) => String(u.userName).toLowerCase()));
  for (const u of expected) expect(inApp.has(u.userPrincipalName.toLowerCase())).toBe(true);

  // The demo's troubleshooting examples are not created: each is skipped with its problem's code.
  const api = await adminApi();
  const sp = await findApp(api, APP);
  for (const u of skipped) {
    expect(inApp.has(u.userPrincipalName.toLowerCase())).toBe(false);
    const skips = `servicePrincipal/id eq '${sp.id}' and sourceIdentity/id eq '${u.id}' and provisioningStatusInfo/status eq 'skipped'`;
    await expect
      .poll(
        async () =>
          (await provisioningEvents(api, skips)).map(
            (e) => e.provisioningStatusInfo.errorInformation?.errorCode,
          ),
        { message: u.userPrincipalName, timeout: 30_000, intervals: [1000] },
      )
      .toContain(DEMO_SKIPPED[u.userPrincipalName]);
  }

  // The sample app's own page lists them.
  await page.goto(sampleApp.pageUrl);
  await expect(page.getByText(expected[0]!.userPrincipalName, { exact: false }).first()).toBeVisible();

  // One Create / Success event per user, through the portal's logs.
  await page.goto('/');
  await openApp(page, 'Provisioning logs');
  const table = page.getByRole('table', { name: 'Provisioning events' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();

  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Create', exact: true }).click();
  await page.getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'Success', exact: true }).click();
  await expect(page).toHaveURL(/action=create/);
  const rows = table.getByRole('row');
  await expect(rows.nth(1)).toContainText('Create');
  for (const row of await rows.all()) {
    const text = await row.textContent();
    if (text?.includes('Identity')) continue; // header
    expect(text).toContain('Create');
    expect(text).toContain('Success');
  }
  const creates = await provisioningEvents(
    api,
    `servicePrincipal/id eq '${sp.id}' and provisioningAction eq 'create' and provisioningStatusInfo/status eq 'success'`,
  );
  // One per user; the assigned groups are created too (the group mapping is on by default).
  const userCreates = creates.filter((e) => e.sourceIdentity.identityType === 'User');
  expect(new Set(userCreates.map((e) => e.sourceIdentity.id)).size).toBe(expected.length);

  // A filter that matches nothing narrows the list to its empty state.
  await page.getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'Failure', exact: true }).click();
  await expect(page.getByText(/No provisioning events match these filters/)).toBeVisible();

  // Clicking an event shows its steps.
  await page.getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'Success', exact: true }).click();
  await rows.nth(1).click();
  const drawer = page.getByRole('dialog', { name: 'Provisioning event details' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText('EntryImport').first()).toBeVisible();
  await expect(drawer.getByText('EntrySynchronizationScoping')).toBeVisible();
  await expect(drawer.getByText('EntryExportAdd')).toBeVisible();
});

test('unassigning disables the account; a department change sends one update with old and new value', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const assignments = await assignedUsers(api, sp.id);
  const direct = assignments.filter((a: AppRoleAssignment) => a.principalType === 'User');
  const leaving = direct[0]!;
  const changing = await json<User>(api, `/api/v1.0/users/${direct[1]!.principalId}`);
  const untouched = await json<User>(api, `/api/v1.0/users/${direct[2]!.principalId}`);
  const newDepartment = changing.department === 'Research' ? 'Legal' : 'Research';
  // Other specs of the run may have provisioned these users before: judge only what follows this change.
  const since = new Date().toISOString();

  // The directory changes: a new department (through the API, as a script would).
  const patch = await api.patch(`/api/v1.0/users/${changing.id}`, { data: { department: newDepartment } });
  expect(patch.status()).toBe(204);

  // The administrator unassigns a user in the portal.
  await signIn(page);
  await openApp(page, 'Users and groups');
  await page.getByRole('checkbox', { name: `Select ${leaving.principalDisplayName}` }).check();
  await page.getByRole('button', { name: 'Remove' }).click();
  await page
    .getByRole('alertdialog', { name: 'Remove Assignment' })
    .getByRole('button', { name: 'Yes' })
    .click();
  await expect(page.getByRole('checkbox', { name: `Select ${leaving.principalDisplayName}` })).toHaveCount(0);

  // The next cycle (the e2e interval is 5 s) disables the unassigned account in the sample app.
  const leavingUser = await json<User>(api, `/api/v1.0/users/${leaving.principalId}`);
  await expect
    .poll(async () => (await sampleApp.userByUserName(leavingUser.userPrincipalName))?.active, {
      timeout: 60_000,
    })
    .toBe(false);
  await expect
    .poll(async () => {
      const [events] = [
        await provisioningEvents(
          api,
          `servicePrincipal/id eq '${sp.id}' and provisioningAction eq 'disable'`,
        ),
      ];
      return events.filter((e) => e.sourceIdentity.id === leaving.principalId).length;
    })
    .toBe(1);

  // Exactly one Update event for the changed user since the change (earlier specs may have updated it
  // too), with the department's old and new value.
  const updatesSince = `servicePrincipal/id eq '${sp.id}' and provisioningAction eq 'update' and activityDateTime ge ${since}`;
  await expect
    .poll(async () => {
      const events = await provisioningEvents(api, updatesSince);
      return events.filter((e) => e.sourceIdentity.id === changing.id).length;
    })
    .toBe(1);
  const [update] = (await provisioningEvents(api, updatesSince)).filter(
    (e) => e.sourceIdentity.id === changing.id,
  );
  const department = update!.modifiedProperties.find((p) => p.displayName.endsWith('department'));
  expect(department).toEqual(
    expect.objectContaining({ oldValue: changing.department, newValue: newDepartment }),
  );
  expect(
    (await sampleApp.userByUserName(changing.userPrincipalName))?.[
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
    ],
  ).toEqual(expect.objectContaining({ department: newDepartment }));

  // The untouched user was created once and not sent again since.
  const untouchedEvents = (await provisioningEvents(api, `servicePrincipal/id eq '${sp.id}'`)).filter(
    (e) => e.sourceIdentity.id === untouched.id,
  );
  expect(untouchedEvents.filter((e) => e.provisioningAction === 'create')).toHaveLength(1);
  expect(untouchedEvents.filter((e) => e.activityDateTime >= since)).toEqual([]);

  // The portal shows the Disable event and the Update's modified properties.
  await openApp(page, 'Provisioning logs');
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Disable', exact: true }).click();
  const table = page.getByRole('table', { name: 'Provisioning events' });
  await expect(page).toHaveURL(/action=disable/);
  await expect(table.getByRole('row', { name: new RegExp(leaving.principalDisplayName) })).toHaveCount(1);
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Update', exact: true }).click();
  await expect(page).toHaveURL(/action=update/);
  // Newest first: the update of this change (earlier specs may have updated the user as well).
  const updateRow = table.getByRole('row', { name: new RegExp(changing.displayName) }).first();
  await expect(updateRow).toBeVisible();
  await updateRow.click();
  const drawer = page.getByRole('dialog', { name: 'Provisioning event details' });
  await drawer.getByRole('tab', { name: 'Modified Properties' }).click();
  const props = drawer.getByRole('table', { name: 'Modified properties' });
  await expect(props).toContainText(newDepartment);
  await expect(props).toContainText(changing.department ?? '');
});

test('the logs download as CSV (three files in a ZIP) and as JSON, holding the events the filters show', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  // What the list shows with Action = Create under this application, through the API.
  const creates = await provisioningEvents(
    api,
    `servicePrincipal/id eq '${sp.id}' and provisioningAction eq 'create'`,
  );
  expect(creates.length).toBeGreaterThan(0);

  await signIn(page);
  await openApp(page, 'Provisioning logs');
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL(/action=create/);

  // CSV: the default format; the file name is the one typed.
  await page.getByRole('button', { name: 'Download' }).click();
  const dialog = page.getByRole('dialog', { name: 'Download logs' });
  await dialog.getByLabel('File name').fill('Sample app creates');
  await expect(dialog.getByText('Saved as Sample app creates.zip')).toBeVisible();
  const zipped = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const zip = await zipped;
  expect(zip.suggestedFilename()).toBe('Sample app creates.zip');
  await expect(dialog).toBeHidden();
  const files = unzipSync(new Uint8Array(readFileSync((await zip.path())!)));
  expect(Object.keys(files)).toEqual([
    'ProvisioningLogs.csv',
    'ProvisioningLogs_ProvisioningSteps.csv',
    'ProvisioningLogs_ModifiedProperties.csv',
  ]);
  const lines = (name: string) => new TextDecoder().decode(files[name]).trim().split('\r\n');
  const [header, ...rows] = lines('ProvisioningLogs.csv');
  expect(header).toMatch(/^Date \(UTC\),Change ID,Cycle ID,Job ID,Event ID,Action,Status,/);
  // One row per event the list holds (newer events only add to it), each a Create of this app.
  expect(rows.length).toBeGreaterThanOrEqual(creates.length);
  for (const row of rows) expect(row).toMatch(new RegExp(`,create,success,.*,${sp.id},`));
  for (const e of creates) expect(rows.some((r) => r.includes(`,${e.id},`))).toBe(true);
  const steps = lines('ProvisioningLogs_ProvisioningSteps.csv');
  expect(steps[0]).toBe('Change ID,Step Number,Step,Step Type,Status,Description,Details');
  expect(steps.length - 1).toBeGreaterThanOrEqual(rows.length);

  // JSON: the same events, as the API returns them.
  await page.getByRole('button', { name: 'Download' }).click();
  await dialog.getByRole('radio', { name: /^JSON/ }).check();
  await dialog.getByLabel('File name').fill('creates');
  const saved = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const json = await saved;
  expect(json.suggestedFilename()).toBe('creates.json');
  const events = JSON.parse(readFileSync((await json.path())!, 'utf8')) as ProvisioningObjectSummary[];
  expect(events.map((e) => e.id)).toEqual(expect.arrayContaining(creates.map((e) => e.id)));
  expect(events.every((e) => e.provisioningAction === 'create' && e.servicePrincipal.id === sp.id)).toBe(
    true,
  );
});
