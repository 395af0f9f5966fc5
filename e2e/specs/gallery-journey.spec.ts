import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { Collection, ServicePrincipal, TargetCheck, User } from '@provisio/contracts';
import { ok, OwnApp } from '../support/own-app';
import { signIn, waitForQuietJob } from '../support/portal';
import { adminApi, json, sampleApp } from '../support/stack';

// One administrator's way from the gallery to a provisioned role, all in the portal: find the
// bundled sample app's template by search, read its tutorial, create the application, enter the
// sample app's credentials, check the target (all green), create an app role of the application's
// own, assign a user with it, turn provisioning on, and see the role arrive in the sample app.
// The application, its job, the directory user and the accounts it provisioned are removed at the end.

const TEMPLATE = 'Provisio Sample SCIM App';
const stamp = `journey${Date.now().toString(36)}`;
const NAME = `Journey ${stamp}`;
let api: APIRequestContext;
let app: OwnApp | undefined;

/** Picks an option of a Fluent dropdown (its list opens in a portal, outside the dialog). */
async function pick(page: Page, combobox: Locator, option: string) {
  await combobox.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The application the portal created under NAME, if it was. */
async function createdApp(): Promise<ServicePrincipal | undefined> {
  const list = await json<Collection<ServicePrincipal>>(
    api,
    `/api/v1.0/servicePrincipals?$search=${encodeURIComponent(NAME)}`,
  );
  return list.value.find((s) => s.displayName === NAME);
}

function appNav(page: Page, section: string): Locator {
  return page
    .getByRole('navigation', { name: 'Application' })
    .getByRole('link', { name: section, exact: true });
}

test.beforeAll(async () => {
  api = await adminApi();
});

test.afterAll(async () => {
  // The test may have stopped after the portal created the application and before it was adopted.
  if (!app && api) {
    const sp = await createdApp();
    if (sp) app = await OwnApp.adopt(api, sp.id, stamp);
  }
  await app?.remove();
  // Nothing of it is left: no application, no account under the stamp, no user, not even a deleted one.
  expect(await createdApp()).toBeUndefined();
  const accounts = await sampleApp.users();
  expect(accounts.filter((u) => String(u.userName).endsWith(`.${stamp}@contoso.com`))).toEqual([]);
  for (const path of ['users', 'directory/deletedItems/microsoft.graph.user']) {
    const left = await json<Collection<User>>(api, `/api/v1.0/${path}?$search=${stamp}`);
    expect(left.value).toEqual([]);
  }
  await api?.dispose();
});

test('from the gallery to a provisioned role: template, tutorial, credentials, target check, app role, assignment, provisioning', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page);

  // Enterprise applications → New application → search the gallery.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Enterprise applications' })
    .click();
  await page.getByRole('button', { name: 'New application' }).click();
  await expect(page.getByRole('heading', { name: 'Browse Provisio Gallery' })).toBeVisible();
  const gallery = page.getByRole('list', { name: 'Gallery applications' });
  await page.getByRole('searchbox').fill('provisio sample');
  await expect(gallery.getByRole('link')).toHaveCount(1);
  await gallery.getByRole('link', { name: TEMPLATE }).click();

  // The template's page: what it supports and its tutorial, which says where the credentials are
  // and that the default mappings send the assignment's role.
  await expect(page.getByRole('heading', { name: TEMPLATE, exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Supported provisioning features' })).toBeVisible();
  const tutorial = page.getByRole('region', { name: 'Setup tutorial' });
  await expect(tutorial.getByRole('heading', { name: 'Find the Tenant URL and Secret Token' })).toBeVisible();
  await expect(tutorial).toContainText('sample-app.token');
  await expect(tutorial.getByRole('heading', { name: 'Default attribute mappings' })).toBeVisible();
  const users = tutorial.getByRole('table').first();
  await expect(users.getByRole('row', { name: /AssertiveAppRoleAssignmentsComplex/ })).toContainText('roles');
  await expect(tutorial.getByRole('heading', { name: 'Troubleshooting' })).toBeVisible();

  // Create: the application opens on its Provisioning page.
  const form = page.getByRole('form', { name: `Create ${TEMPLATE}` });
  await form.getByRole('textbox', { name: 'Name' }).fill(NAME);
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${NAME} | Provisioning` })).toBeVisible();
  const sp = await createdApp();
  expect(sp?.applicationTemplateId).toBe('provisio-sample-app');
  app = await OwnApp.adopt(api, sp!.id, stamp);

  // Admin Credentials: the sample app's Tenant URL and Secret Token, tested, then saved.
  const checkPanel = page.getByRole('region', { name: 'Target check' });
  await expect(checkPanel.getByRole('button', { name: 'Check the target' })).toBeDisabled();
  await page.getByLabel('Tenant URL').fill(sampleApp.baseUrl);
  await page.getByLabel('Secret Token').fill(sampleApp.token());
  await page.getByRole('button', { name: 'Test Connection' }).click();
  await expect(
    page.getByText('The supplied credentials are authorized to enable provisioning'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('A secret token is saved.', { exact: false })).toBeVisible();
  await expect(page.getByLabel('Secret Token')).toHaveValue('');
  await expect(page.getByLabel('Tenant URL')).toHaveValue(sampleApp.baseUrl);

  // Check the target: all green, no errors and no warnings.
  await checkPanel.getByRole('button', { name: 'Check the target' }).click();
  await expect(checkPanel.getByText('All checks passed')).toBeVisible({ timeout: 60_000 });
  await expect(checkPanel.getByRole('region', { name: /^Errors/ })).toHaveCount(0);
  await expect(checkPanel.getByRole('region', { name: /^Warnings/ })).toHaveCount(0);
  const check = await ok<TargetCheck>(await api.get(`${app.jobUrl}/targetChecks/latest`), 'latest check');
  expect(check.summary).toMatchObject({ errors: 0, warnings: 0 });

  // App roles: the template's roles are there; add one of the application's own.
  await appNav(page, 'App roles').click();
  await expect(page.getByRole('heading', { level: 1, name: `${NAME} | App roles` })).toBeVisible();
  const roles = page.getByRole('table', { name: 'App roles' });
  await expect(roles.getByRole('row', { name: /Administrator/ })).toContainText('Admin');
  await page.getByRole('button', { name: 'Create app role' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create app role' });
  await dialog.getByLabel('Display name').fill('Auditor');
  await dialog.getByLabel('Value').fill('Auditor');
  await dialog.getByLabel('Description').fill('Reads the books, changes nothing');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(roles.getByRole('row', { name: /Auditor/ })).toContainText('Enabled');

  // Users and groups: assign a directory user with the new role.
  const jules: User = await app.newUser('Jules', {
    givenName: 'Jules',
    surname: stamp,
    mail: app.upn('Jules'),
  });
  await appNav(page, 'Users and groups').click();
  await expect(page.getByRole('heading', { level: 1, name: `${NAME} | Users and groups` })).toBeVisible();
  await page.getByRole('button', { name: 'Add user/group' }).first().click();
  const assign = page.getByRole('dialog', { name: 'Add Assignment' });
  await assign.getByRole('searchbox').fill(jules.displayName);
  await assign.getByRole('checkbox', { name: new RegExp(jules.displayName) }).check();
  await pick(page, assign.getByRole('combobox', { name: 'Select a role' }), 'Auditor');
  await assign.getByRole('button', { name: 'Assign' }).click();
  await expect(assign).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(jules.displayName) })).toContainText('Auditor');

  // Provisioning Status On, Save: the first cycle creates Jules with the role.
  await appNav(page, 'Provisioning').click();
  await expect(page.getByRole('heading', { level: 1, name: `${NAME} | Provisioning` })).toBeVisible();
  const status = page.getByRole('switch', { name: 'Provisioning Status' });
  await expect(status).not.toBeChecked();
  const since = new Date();
  await status.check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expect(status).toBeChecked();
  await waitForQuietJob(api, app.spId, since, 90_000);
  await expect
    .poll(async () => (await sampleApp.userByUserName(jules.userPrincipalName))?.roles, { timeout: 60_000 })
    .toEqual([{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Auditor' }]);

  // The sample app's own page lists the account with its role.
  await page.goto(sampleApp.pageUrl);
  const account = new RegExp(`^${jules.userPrincipalName.replace(/[.]/g, '\\.')} `);
  await expect(page.getByRole('row', { name: account })).toContainText('Auditor');
});
