import { expect, test } from '@playwright/test';
import { E2E } from '../playwright.config';
import { openAccountMenu, signIn } from '../support/portal';

test('an administrator creates a Reports Reader, who reads the portal without administering it and changes their password; then the account is deleted', async ({
  page,
  browser,
}) => {
  const userName = `auditor.${Date.now()}`;
  const firstPassword = 'first reader password';
  const secondPassword = 'second reader password';

  // The administrator creates the account in the portal.
  await signIn(page, E2E.admin.userName, E2E.admin.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  await expect(page.getByRole('button', { name: `Delete ${E2E.admin.userName}` })).toBeDisabled();
  await page.getByRole('button', { name: 'New account' }).click();
  const dialog = page.getByRole('dialog', { name: 'New account' });
  await dialog.getByLabel('User name').fill(userName);
  await dialog.getByLabel(/^Password/).fill('too short');
  await dialog.getByLabel('Confirm password').fill('too short');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByText('The password must be at least 12 characters.')).toBeVisible();
  await dialog.getByLabel(/^Password/).fill(firstPassword);
  await dialog.getByLabel('Confirm password').fill(firstPassword);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: new RegExp(userName) });
  await expect(row).toContainText('Reports Reader');

  // The Reports Reader signs in elsewhere: every page but Accounts and API tokens, nothing to administer.
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await signIn(reader, userName, firstPassword);
  const nav = reader.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText([
    'Overview',
    'Users',
    'Deleted users',
    'Extension attributes',
    'Groups',
    'Enterprise applications',
    'Provisioning logs',
    'Audit logs',
  ]);
  await expect(reader.getByRole('banner')).toContainText('Reports Reader');
  await nav.getByRole('link', { name: 'Provisioning logs' }).click();
  await expect(reader.getByRole('heading', { level: 1, name: 'Provisioning logs' })).toBeVisible();

  // They change their own password; a wrong current password is refused at its field.
  await (await openAccountMenu(reader)).getByRole('menuitem', { name: 'Change password' }).click();
  const change = reader.getByRole('dialog', { name: 'Change password' });
  await change.getByLabel('Current password').fill('not my password');
  await change.getByLabel(/^New password/).fill(secondPassword);
  await change.getByLabel('Confirm new password').fill(secondPassword);
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(change.getByText(/this is not your current password/)).toBeVisible();
  await change.getByLabel('Current password').fill(firstPassword);
  await change.getByRole('button', { name: 'Change password' }).click();
  await expect(change).toBeHidden();
  await (await openAccountMenu(reader)).getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await expect(reader.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await signIn(reader, userName, secondPassword);

  // The administrator deletes the account: the reader's session ends at once.
  await page.getByRole('button', { name: `Delete ${userName}` }).click();
  await page
    .getByRole('alertdialog', { name: 'Delete account' })
    .getByRole('button', { name: 'Yes' })
    .click();
  await expect(row).toHaveCount(0);
  await reader.reload();
  await expect(reader.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await readerContext.close();
});
