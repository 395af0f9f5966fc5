import { expect, request, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { signIn } from '../support/portal';

test('an Administrator creates an API token in the portal, a script lists the applications with it, and once revoked the token is refused', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const name = `Nightly import ${Date.now()}`;
  const script = await request.newContext({ baseURL });
  const listApps = (token: string) =>
    script.get('/api/v1.0/servicePrincipals', { headers: { authorization: `Bearer ${token}` } });

  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();

  // New token: the fields are checked before anything is sent, each problem named in words.
  await page.getByRole('button', { name: 'New token' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await expect(dialog.getByLabel(/^Expires in \(days\)/)).toHaveValue('90');
  await dialog.getByLabel(/^Expires in \(days\)/).fill('400');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByText('Enter a name that says what the token is for')).toBeVisible();
  await expect(
    dialog.getByText('The number of days until the token expires can be at most 365.'),
  ).toBeVisible();
  await dialog.getByLabel(/^Name/).fill(name);
  await dialog.getByRole('radio', { name: /^Application Administrator/ }).check();
  await dialog.getByLabel(/^Expires in \(days\)/).fill('30');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();

  // The token is shown once, with Copy, the warning and how to use it.
  const created = page.getByRole('alertdialog', { name: 'API token created' });
  await expect(created).toContainText('It will not be shown again');
  await expect(created.getByLabel('Usage example')).toContainText(
    `curl -H "Authorization: Bearer <token>" ${new URL(baseURL).origin}/api/v1.0/servicePrincipals`,
  );
  await created.getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByText('Copied the token', { exact: true })).toBeVisible();
  const token = await page.evaluate(() => navigator.clipboard.readText());
  expect(token.length).toBeGreaterThan(20);
  await expect(created.getByRole('textbox', { name: 'Token' })).toHaveValue(token);
  await created.getByRole('button', { name: 'Done' }).click();
  await expect(created).toBeHidden();

  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Application Administrator');
  await expect(row).toContainText('Active');
  await expect(row).toContainText('Never');

  // A script uses it.
  const allowed = await listApps(token);
  expect(allowed.status()).toBe(200);
  expect(((await allowed.json()) as { value: unknown[] }).value.length).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(row).not.toContainText('Never');

  // Revoked in the portal, the same call is refused.
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page
    .getByRole('alertdialog', { name: 'Revoke API token' })
    .getByRole('button', { name: 'Yes' })
    .click();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);
  const refused = await listApps(token);
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('auth.invalid_token');
  await script.dispose();
});
