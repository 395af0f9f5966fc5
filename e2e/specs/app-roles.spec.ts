import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { ServicePrincipal, SynchronizationSchema, User } from '@provisio/contracts';
import { ok, OwnApp } from '../support/own-app';
import { signIn, waitForQuietJob } from '../support/portal';
import { adminApi, sampleApp } from '../support/stack';

const stamp = `roles${Date.now().toString(36)}`;
let api: APIRequestContext;
let app: OwnApp;
let rolf: User;

/** Picks an option of a Fluent dropdown (its list opens in a portal, outside the dialog). */
async function pick(page: Page, combobox: Locator, option: string) {
  await combobox.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Adds `roles` to the application's user attributes and maps the assignment's role to it. */
async function mapRoles() {
  const schema = await ok<SynchronizationSchema>(await api.get(`${app.jobUrl}/schema`), 'read schema');
  const mapping = schema.synchronizationRules
    .flatMap((r) => r.objectMappings)
    .find((m) => m.sourceObjectName.toLowerCase() === 'user');
  if (!mapping) throw new Error('the job has no user mapping');
  const target = schema.directories
    .flatMap((d) => d.objects)
    .find((o) => o.name === mapping.targetObjectName);
  const like = target?.attributes.find((a) => a.name === 'displayName');
  if (!target || !like) throw new Error('the job has no target user object');
  target.attributes.push({ ...like, name: 'roles', multivalued: true });
  mapping.attributeMappings.push({
    source: {
      type: 'Function',
      name: null,
      expression: 'AssertiveAppRoleAssignmentsComplex([appRoleAssignments])',
      parameters: [],
    },
    targetAttributeName: 'roles',
    defaultValue: null,
    flowType: 'Always',
    matchingPriority: 0,
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  });
  await ok(await api.put(`${app.jobUrl}/schema`, { data: schema }), 'save schema');
}

test.beforeAll(async () => {
  api = await adminApi();
  app = await OwnApp.create(api, `Roles App ${stamp}`, stamp, { credentials: true });
  rolf = await app.newUser('Rolf');
  await mapRoles();
});

test.afterAll(async () => {
  await app.remove();
  await api.dispose();
});

test('an administrator creates an app role, assigns a user with it, and the role arrives in the application; a disabled role says to reassign, Change role fixes it, and the role can then be deleted', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  await page.goto(`/applications/${app.spId}`);
  await page
    .getByRole('navigation', { name: 'Application' })
    .getByRole('link', { name: 'App roles' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: `Roles App ${stamp} | App roles` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'App roles' }).getByRole('row')).toHaveCount(2);

  // Create: a value with a space is refused in the form, with the fix.
  await page.getByRole('button', { name: 'Create app role' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create app role' });
  await dialog.getByLabel('Display name').fill('Approver');
  await dialog.getByLabel('Value').fill('expense approver');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByText(/may not contain spaces/)).toBeVisible();
  await dialog.getByLabel('Value').fill('ExpenseApprover');
  await dialog.getByLabel('Description').fill('Approves expense reports');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Approver/ });
  await expect(row).toContainText('ExpenseApprover');
  await expect(row).toContainText('Users/Groups');
  await expect(row).toContainText('Enabled');

  // Users and groups: assign Rolf with the new role.
  await page
    .getByRole('navigation', { name: 'Application' })
    .getByRole('link', { name: 'Users and groups' })
    .click();
  await page.getByRole('button', { name: 'Add user/group' }).first().click();
  const assign = page.getByRole('dialog', { name: 'Add Assignment' });
  await assign.getByRole('searchbox').fill(`Rolf ${stamp}`);
  await assign.getByRole('checkbox', { name: new RegExp(`Rolf ${stamp}`) }).check();
  await pick(page, assign.getByRole('combobox', { name: 'Select a role' }), 'Approver');
  await assign.getByRole('button', { name: 'Assign' }).click();
  await expect(assign).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(`Rolf ${stamp}`) })).toContainText('Approver');

  // Provisioning: the role arrives in the application.
  const since = new Date();
  await ok(await api.post(`${app.jobUrl}/start`), 'start');
  await waitForQuietJob(api, app.spId, since, 90_000);
  await expect
    .poll(async () => (await sampleApp.userByUserName(rolf.userPrincipalName))?.roles, { timeout: 60_000 })
    .toEqual([{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'ExpenseApprover' }]);
  await page.goto(sampleApp.pageUrl);
  const account = new RegExp(`^${rolf.userPrincipalName.replace(/[.]/g, '\\.')} `);
  await expect(page.getByRole('row', { name: account })).toContainText('ExpenseApprover');

  // Disable the role: Rolf's assignment says to reassign; then the role can be deleted.
  await page.goto(`/applications/${app.spId}/app-roles`);
  await expect(page.getByRole('button', { name: 'Delete Approver' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Disable Approver' }).click();
  await expect(page.getByRole('row', { name: /Approver/ })).toContainText('Disabled');
  await page.goto(`/applications/${app.spId}/users-and-groups`);
  await expect(page.getByRole('row', { name: new RegExp(`Rolf ${stamp}`) })).toContainText(
    'Approver (disabled): reassign',
  );
  // The fix the page names: Change role gives the assignment an enabled role in one step.
  await page.getByRole('checkbox', { name: `Select Rolf ${stamp}` }).check();
  await page.getByRole('button', { name: 'Change role' }).click();
  const change = page.getByRole('dialog', { name: 'Change role' });
  await pick(page, change.getByRole('combobox', { name: 'Select a role' }), 'User');
  await change.getByRole('button', { name: 'Save' }).click();
  await expect(change).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(`Rolf ${stamp}`) })).toContainText('Default Access');

  await page.goto(`/applications/${app.spId}/app-roles`);
  await page.getByRole('button', { name: 'Delete Approver' }).click();
  await page
    .getByRole('alertdialog', { name: 'Delete app role' })
    .getByRole('button', { name: 'Yes' })
    .click();
  await expect(page.getByRole('row', { name: /Approver/ })).toHaveCount(0);
  const sp = await ok<ServicePrincipal>(await api.get(`/api/v1.0/servicePrincipals/${app.spId}`), 'read app');
  expect(sp.appRoles.map((r) => r.displayName)).toEqual(['User']);
});
