import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { User } from '@provisio/contracts';
import { signIn, waitForQuietJob } from '../support/portal';
import { ok, OwnApp } from '../support/own-app';
import { adminApi, sampleApp } from '../support/stack';

// A user's whole life as an administrator drives it from the portal, and what each state does to
// the account in the application (the sample app): Disable / Enable, Delete → disabled, Restore from
// Deleted users → active again, Delete permanently → deleted (the job's Delete action is on, as by
// default). The spec brings its own application and removes it at the end.

test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36);
let api: APIRequestContext;
let app: OwnApp;
let user: User;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  api = await adminApi();
  app = await OwnApp.create(api, `Lifecycle App ${stamp}`, stamp, { credentials: true });
  user = await app.newUser('Lena', {
    mail: app.upn('Lena'),
    givenName: 'Lena',
    surname: stamp,
    department: 'Sales',
  });
  await app.assign(user.id);
  const since = new Date();
  await ok(await api.post(`${app.jobUrl}/start`), 'start');
  await waitForQuietJob(api, app.spId, since, 90_000);
});

test.afterAll(async () => {
  await app.remove();
  await api.dispose();
});

/** The account in the sample app: `undefined` once deleted there. */
const account = () => sampleApp.userByUserName(app.upn('Lena'));
const expectAccount = (state: 'active' | 'disabled' | 'deleted') =>
  expect
    .poll(async () => {
      const a = await account();
      return a === undefined ? 'deleted' : a['active'] === false ? 'disabled' : 'active';
    })
    .toBe(state);

/** The application's Provisioning page → Run now, then wait until that cycle has ended. */
async function runNow(page: Page) {
  await page.goto(`/applications/${app.spId}/provisioning`);
  const button = page.getByRole('button', { name: 'Run now' });
  await expect(button).toBeEnabled();
  const since = new Date();
  await button.click();
  await waitForQuietJob(api, app.spId, since, 60_000);
}

/** Users → search → the user's page, as a person gets there. */
async function openUserPage(page: Page) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Users', exact: true })
    .click();
  await page.getByRole('searchbox').fill(stamp);
  await page.getByRole('link', { name: user.displayName }).click();
  await expect(page.getByRole('heading', { level: 1, name: user.displayName })).toBeVisible();
}

test("the user's page shows its properties, groups and assignment; Disable and Enable reach the application", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await expectAccount('active');
  await signIn(page);
  await openUserPage(page);
  await expect(page.getByText(app.upn('Lena')).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Groups' })).toBeVisible();
  await expect(page.getByText('Not a member of any group')).toBeVisible();
  await expect(
    page
      .getByRole('table', { name: 'Application assignments' })
      .getByRole('link', { name: `Lifecycle App ${stamp}` }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: /provisioning events across applications/ })).toBeVisible();

  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('button', { name: 'Enable' })).toBeVisible();
  await runNow(page);
  await expectAccount('disabled');

  await page.goto(`/users/${user.id}`);
  await page.getByRole('button', { name: 'Enable' }).click();
  await expect(page.getByRole('button', { name: 'Disable' })).toBeVisible();
  await runNow(page);
  await expectAccount('active');
});

test('Delete disables the account, Restore from Deleted users activates it again, Delete permanently deletes it', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page);

  // Delete on the user's page, confirmed: the user leaves Users for Deleted users.
  await openUserPage(page);
  await page.getByRole('toolbar', { name: 'User commands' }).getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete user' });
  await expect(confirm).toContainText('Deleted users');
  await confirm.getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await runNow(page);
  await expectAccount('disabled');

  // Restore from Deleted users: active again.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deleted users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deleted users' })).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(user.displayName) });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: `Restore ${user.displayName}` }).click();
  await expect(row).toHaveCount(0);
  await runNow(page);
  await expectAccount('active');

  // Delete again, from the Users list's row menu this time, then Delete permanently: gone.
  await page.goto('/users');
  await page.getByRole('searchbox').fill(stamp);
  await page.getByRole('button', { name: `Actions for ${user.displayName}` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('alertdialog', { name: 'Delete user' }).getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByRole('link', { name: user.displayName })).toHaveCount(0);
  await runNow(page);
  await expectAccount('disabled');

  await page.goto('/deleted-users');
  await page.getByRole('button', { name: `Delete ${user.displayName} permanently` }).click();
  const permanent = page.getByRole('alertdialog', { name: 'Delete permanently' });
  await expect(permanent).toContainText('cannot be restored');
  await permanent.getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByRole('row', { name: new RegExp(user.displayName) })).toHaveCount(0);
  expect((await api.get(`/api/v1.0/users/${user.id}`)).status()).toBe(404);
  await runNow(page);
  await expectAccount('deleted');
});
