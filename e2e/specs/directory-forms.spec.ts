import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { ExtensionProperty, Group, SynchronizationSchema, User } from '@provisio/contracts';
import { signIn, waitForQuietJob } from '../support/portal';
import { ok, OwnApp } from '../support/own-app';
import { adminApi, sampleApp } from '../support/stack';

// The directory's forms as an administrator uses them: an extension attribute defined on its page,
// a user created with it and a manager, mapped to an application of the spec's own and provisioned by
// Run now; Edit user's department reaching the application as one update; a member added to and
// removed from an assigned group on the group's page. The spec removes what it made.

test.describe.configure({ mode: 'serial' });

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const stamp = Date.now().toString(36);
const extensionName = `costCenter_${stamp}`;
let api: APIRequestContext;
let app: OwnApp;
let boss: User;
let created: User | undefined;
let extension: ExtensionProperty | undefined;
let group: Group | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  api = await adminApi();
  app = await OwnApp.create(api, `Forms App ${stamp}`, stamp, { credentials: true });
  boss = await app.newUser('Boss');
  const since = new Date();
  await ok(await api.post(`${app.jobUrl}/start`), 'start');
  await waitForQuietJob(api, app.spId, since, 90_000);
});

test.afterAll(async () => {
  await app.remove();
  if (created) await api.delete(`/api/v1.0/users/${created.id}`);
  if (group) await api.delete(`/api/v1.0/groups/${group.id}`);
  if (extension) await api.delete(`/api/v1.0/directory/extensionProperties/${extension.id}`);
  await api.dispose();
});

/** The application's Provisioning page → Run now, then wait until that cycle has ended. */
async function runNow(page: Page) {
  await page.goto(`/applications/${app.spId}/provisioning`);
  const button = page.getByRole('button', { name: 'Run now' });
  await expect(button).toBeEnabled();
  const since = new Date();
  await button.click();
  await waitForQuietJob(api, app.spId, since, 60_000);
}

/** Maps the extension attribute to the enterprise costCenter of the application's users. */
async function mapExtension(fullName: string) {
  const schema = await ok<SynchronizationSchema>(await api.get(`${app.jobUrl}/schema`), 'read schema');
  const mapping = schema.synchronizationRules
    .flatMap((r) => r.objectMappings)
    .find((m) => m.sourceObjectName.toLowerCase() === 'user');
  if (!mapping) throw new Error('the job has no user mapping');
  mapping.attributeMappings.push({
    source: { type: 'Attribute', name: fullName, expression: `[${fullName}]`, parameters: [] },
    targetAttributeName: `${ENTERPRISE}:costCenter`,
    defaultValue: null,
    flowType: 'Always',
    matchingPriority: 0,
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  });
  await ok(await api.put(`${app.jobUrl}/schema`, { data: schema }), 'save schema');
}

test('a user created in the portal with an extension attribute and a manager reaches the application with the value; Edit department sends one update', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page);

  // The extension attribute, defined on its page.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Extension attributes' })
    .click();
  await page.getByRole('button', { name: 'Add extension attribute' }).click();
  const define = page.getByRole('dialog', { name: 'Add extension attribute' });
  await define.getByRole('textbox', { name: 'Name' }).fill(extensionName);
  await define.getByRole('button', { name: 'Add' }).click();
  const row = page.getByRole('row', { name: new RegExp(extensionName) });
  await expect(row).toContainText('String');
  const list = await ok<{ value: ExtensionProperty[] }>(
    await api.get('/api/v1.0/directory/extensionProperties'),
    'list extension attributes',
  );
  extension = list.value.find((p) => p.name.endsWith(`_${extensionName}`));
  expect(extension?.name).toMatch(new RegExp(`^extension_[0-9a-f]{32}_${extensionName}$`));
  await mapExtension(extension?.name ?? '');

  // New user with every attribute, the manager picked by searching, the extension attribute set.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Users', exact: true })
    .click();
  await page.getByRole('button', { name: 'New user' }).click();
  const form = page.getByRole('dialog', { name: 'New user' });
  // A problem is said in words naming the field, before anything is sent.
  await form.getByRole('textbox', { name: /^User principal name/ }).fill('not-an-upn');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(form.getByText('Enter a user principal name such as adele@contoso.com.')).toBeVisible();
  await expect(form.getByText('Enter a display name.')).toBeVisible();

  const upn = app.upn('Ezra');
  await form.getByRole('textbox', { name: /^User principal name/ }).fill(upn);
  await form.getByRole('textbox', { name: /^Display name/ }).fill(`Ezra ${stamp}`);
  await form.getByRole('textbox', { name: 'First name' }).fill('Ezra');
  await form.getByRole('textbox', { name: 'Last name' }).fill(stamp);
  await form.getByRole('textbox', { name: 'Email' }).fill(upn);
  await form.getByRole('textbox', { name: 'Employee ID' }).fill('E-7');
  await form.getByRole('textbox', { name: 'Department' }).fill('Sales');
  await form.getByRole('textbox', { name: 'Job title' }).fill('Analyst');
  await form.getByRole('combobox', { name: 'Manager' }).pressSequentially(`Boss ${stamp}`);
  await page.getByRole('option', { name: new RegExp(`^Boss ${stamp}`) }).click();
  await form.getByRole('textbox', { name: extensionName }).fill('CC-4711');
  const answer = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1.0/users') && r.request().method() === 'POST',
  );
  await form.getByRole('button', { name: 'Create' }).click();
  created = (await (await answer).json()) as User;
  await expect(form).toBeHidden();
  expect(created).toMatchObject({
    userPrincipalName: upn,
    managerId: boss.id,
    department: 'Sales',
    [extension?.name ?? '']: 'CC-4711',
  });

  // Assigned, Run now: the account carries the extension attribute's value.
  await app.assign(created.id);
  await runNow(page);
  await expect
    .poll(async () => (await sampleApp.userByUserName(upn))?.[ENTERPRISE])
    .toMatchObject({ costCenter: 'CC-4711', department: 'Sales' });
  const account = await sampleApp.userByUserName(upn);

  // Edit user from the user's page: the department only; one update reaches the application.
  await page.goto(`/users/${created.id}`);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const edit = page.getByRole('dialog', { name: `Edit Ezra ${stamp}` });
  await expect(edit.getByRole('textbox', { name: extensionName })).toHaveValue('CC-4711');
  await expect(edit.getByRole('combobox', { name: 'Manager' })).toHaveValue(`Boss ${stamp}`);
  await edit.getByRole('textbox', { name: 'Department' }).fill('Legal');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await sampleApp.clearRequests();
  await runNow(page);
  await expect
    .poll(async () => (await sampleApp.userByUserName(upn))?.[ENTERPRISE])
    .toMatchObject({ department: 'Legal', costCenter: 'CC-4711' });
  const writes = (await sampleApp.requests()).filter(
    (r) => r.method !== 'GET' && r.path.includes(String(account?.['id'])),
  );
  expect(writes.map((r) => r.method)).toEqual(['PATCH']);
});

test("a member added to and removed from an assigned group on the group's page follows in the application's group", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const member = await app.newUser('Mira');
  group = await ok<Group>(
    await api.post('/api/v1.0/groups', { data: { displayName: `Forms Team ${stamp}` } }),
    'create group',
  );
  await app.assign(group.id);
  await signIn(page);

  const targetGroup = async () => {
    const res = await fetch(
      `${sampleApp.baseUrl}/Groups?filter=${encodeURIComponent(`displayName eq "Forms Team ${stamp}"`)}`,
      { headers: { authorization: `Bearer ${sampleApp.token()}` } },
    );
    const found = ((await res.json()) as { Resources: { members?: { value: string }[] }[] }).Resources[0];
    return found ? (found.members ?? []).map((m) => m.value) : null;
  };
  const accountId = async () => String((await sampleApp.userByUserName(member.userPrincipalName))?.['id']);

  // Groups → the group → Add members: search the user, tick, Select.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
  await page.getByRole('link', { name: `Forms Team ${stamp}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Forms Team ${stamp} | Members` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Applications' })).toContainText(`Forms App ${stamp}`);
  await page.getByRole('button', { name: 'Add members' }).click();
  const add = page.getByRole('dialog', { name: `Add members to Forms Team ${stamp}` });
  await add.getByRole('textbox', { name: 'Search users' }).fill(`Mira ${stamp}`);
  await add.getByRole('checkbox', { name: `Mira ${stamp}` }).check();
  await add.getByRole('button', { name: 'Select (1)' }).click();
  await expect(add).toBeHidden();
  await expect(page.getByRole('table', { name: 'Members' })).toContainText(`Mira ${stamp}`);

  await runNow(page);
  await expect.poll(async () => (await targetGroup()) ?? []).toContain(await accountId());

  // Remove, confirmed: the next cycle takes the member out of the application's group.
  await page.goto(`/groups/${group.id}`);
  await page.getByRole('button', { name: `Remove Mira ${stamp}` }).click();
  await page.getByRole('alertdialog', { name: 'Remove member' }).getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByText('This group has no user members')).toBeVisible();
  const id = await accountId();
  await runNow(page);
  await expect.poll(async () => (await targetGroup()) ?? []).not.toContain(id);
});
