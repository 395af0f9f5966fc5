import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E } from '../playwright.config';
import { openAccountMenu, openApp, openUserMapping, pickOption, signIn } from '../support/portal';

/**
 * Each invalid value of every portal form (too long, empty, wrong format), sent through the UI:
 * the message names the field in words, never a JSON path (`body/…`) or an internal pattern.
 */
test.describe.configure({ mode: 'serial' });

const INTERNALS = /\b(body|querystring|params)\/|\^\(\?:|request\.invalid|BaseAddress|SecretToken\b/;

/** The message is said, in words, and nothing internal is. */
async function says(where: Locator, words: string | RegExp) {
  await expect(where).toContainText(words);
  await expect(where).not.toContainText(INTERNALS);
}

async function openCreate(page: Page, path: string, button: string, dialogName: string) {
  await page.goto(path);
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog', { name: dialogName });
  await expect(dialog).toBeVisible();
  return dialog;
}

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('new application: an empty name and a name too long', async ({ page }) => {
  // New application opens the gallery; the non-gallery path is its "Create your own application".
  await page.goto('/applications');
  await page.getByRole('button', { name: 'New application' }).click();
  await expect(page.getByRole('heading', { name: 'Browse Provisio Gallery' })).toBeVisible();
  await page.getByRole('button', { name: 'Create your own application' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create your own application' });
  await expect(dialog).toBeVisible();
  const name = dialog.getByRole('textbox', { name: "What's the name of your app?" });
  await dialog.getByRole('button', { name: 'Create' }).click();
  await says(dialog, 'Enter the name of your application.');
  await name.fill('A'.repeat(257));
  await dialog.getByRole('button', { name: 'Create' }).click();
  await says(dialog, 'The name of your application can be at most 256 characters.');
  await expect(dialog).toBeVisible();
});

test('new user: a display name of 257 characters is too long, not missing; an empty user principal name', async ({
  page,
}) => {
  const dialog = await openCreate(page, '/users', 'New user', 'New user');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await says(dialog, 'Enter a user principal name such as adele@contoso.com.');
  await dialog.getByRole('textbox', { name: 'User principal name' }).fill('adele.long@contoso.com');
  await dialog.getByRole('textbox', { name: 'Display name' }).fill('D'.repeat(257));
  await dialog.getByRole('textbox', { name: 'Job title' }).fill('J'.repeat(300));
  await dialog.getByRole('button', { name: 'Create' }).click();
  await says(dialog, 'The display name can be at most 256 characters.');
  await says(dialog, /The job title can be at most [\d,]+ characters\./);
  await expect(dialog).not.toContainText('Enter a display name.');
});

test('new group: an empty name and a name too long', async ({ page }) => {
  const dialog = await openCreate(page, '/groups', 'New group', 'New group');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await says(dialog, 'Enter a group name.');
  await dialog.getByRole('textbox', { name: 'Group name' }).fill('G'.repeat(300));
  await dialog.getByRole('button', { name: 'Create' }).click();
  await says(dialog, 'The group name can be at most 256 characters.');
});

test('new account: a user name with spaces or too long, a password too short', async ({ page }) => {
  const dialog = await openCreate(page, '/accounts', 'New account', 'New account');
  await dialog.getByRole('textbox', { name: 'User name' }).fill('two words');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await says(dialog, 'Enter a user name without spaces (at most 100 characters).');
  await dialog.getByRole('textbox', { name: 'User name' }).fill('u'.repeat(101));
  await dialog.getByLabel(/^Password/).fill('short');
  await dialog.getByLabel(/^Confirm password/).fill('short');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await says(dialog, 'The user name can be at most 100 characters.');
  await says(dialog, /password/i);
});

test('credentials: a Tenant URL and a Secret Token too long, for Test Connection and Save; a notification email too long', async ({
  page,
}) => {
  await openApp(page, 'Provisioning');
  const tenantUrl = page.getByRole('textbox', { name: 'Tenant URL' });
  const longUrl = `https://scim.contoso.com/${'a'.repeat(4100)}`;
  await tenantUrl.fill(longUrl);
  await page.getByRole('button', { name: 'Test Connection' }).click();
  await says(page.getByRole('main'), 'The Tenant URL can be at most 4,096 characters.');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await says(page.getByRole('main'), 'The Tenant URL can be at most 4,096 characters.');

  await page.reload();
  await page.getByLabel('Secret Token').fill('t'.repeat(4100));
  await page.getByRole('button', { name: 'Test Connection' }).click();
  await says(page.getByRole('main'), 'The Secret Token can be at most 4,096 characters.');

  await page.reload();
  const email = page.getByRole('textbox', { name: 'Notification Email' });
  await email.fill(`${'n'.repeat(300)}@contoso.com`);
  const notify = page.getByRole('checkbox', { name: 'Send an email notification when a failure occurs' });
  if (!(await notify.isChecked())) await notify.check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await says(
    page.getByRole('main'),
    /The Notification Email can be at most 254 characters; this one has 312\./,
  );
  await email.fill('not an address');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await says(page.getByRole('main'), /The Notification Email '\w+' is not an email address/);
  await page.reload();
});

test('attribute mapping: an invalid expression and an unknown attribute are refused at Ok', async ({
  page,
}) => {
  await openUserMapping(page);
  await page.getByRole('button', { name: 'Edit mapping to displayName' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Attribute' });
  await pickOption(page, 'Mapping type', 'Expression');
  const expression = edit.getByRole('textbox', { name: 'Expression' });
  await expression.fill('Join(');
  await edit.getByRole('button', { name: 'Ok' }).click();
  await says(edit, /The expression mapped to 'displayName' is invalid at line 1, column \d+/);
  await expression.fill('[notAnAttribute]');
  await edit.getByRole('button', { name: 'Ok' }).click();
  await says(edit, /reads \[notAnAttribute\] \(line 1, column 1\).*the known attributes are: /);
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await expect(edit).toBeHidden();
});

test('scoping filter: an empty title, a missing value and a bad regular expression are refused at Ok', async ({
  page,
}) => {
  await openUserMapping(page);
  await page.getByRole('button', { name: /^Source Object Scope/ }).click();
  const scope = page.getByRole('dialog', { name: 'Source Object Scope' });
  await scope.getByRole('button', { name: 'Add scoping filters' }).click();
  const add = page.getByRole('dialog', { name: 'Add Scoping Filter' });
  await add.getByRole('button', { name: 'Ok' }).click();
  await says(add, /Enter a Scoping Filter Title/);
  await add.getByRole('textbox', { name: 'Scoping Filter Title' }).fill('Bad pattern');
  const clause = add.getByRole('row', { name: 'Clause 1', exact: true });
  await clause.getByRole('combobox', { name: 'Source attribute' }).click();
  await page.getByRole('option', { name: 'department', exact: true }).click();
  await add.getByRole('button', { name: 'Ok' }).click();
  await says(clause, /Enter the Clause value/);
  await clause.getByRole('combobox', { name: 'Operator' }).click();
  await page.getByRole('option', { name: 'REGEX MATCH', exact: true }).click();
  await clause.getByRole('textbox', { name: 'Clause value' }).fill('(unclosed');
  await add.getByRole('button', { name: 'Ok' }).click();
  await says(clause, "'(unclosed' is not a valid regular expression: unterminated group.");
  await add.getByRole('button', { name: 'Cancel' }).click();
  await scope.getByRole('button', { name: 'Done' }).click();
});

test('date range: a custom End before its Start is said at the End', async ({ page }) => {
  await page.goto('/provisioning-logs');
  await pickOption(page, 'Date', 'Custom time interval');
  await page.getByLabel('Start').fill('2026-03-16T10:00');
  await page.getByLabel('End').fill('2026-03-15T10:00');
  await says(
    page.getByRole('search', { name: 'Provisioning log filters' }),
    'The End is before the Start, so no event can be in this interval.',
  );
  await page.getByLabel('End').fill('2026-03-17T10:00');
  await expect(page.getByRole('search', { name: 'Provisioning log filters' })).not.toContainText(
    'The End is before the Start',
  );
});

test.describe('the remaining forms', () => {
  test('sign-in: empty fields are named; a wrong password is said without an internal code', async ({
    browser,
  }) => {
    // A fresh context: not signed in.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByRole('button', { name: 'Sign in' }).click();
    await says(form, 'Enter your user name.');
    await says(form, 'Enter your password.');
    await form.getByLabel('User name').fill(E2E.admin.userName);
    await form.getByLabel('Password').fill('not the password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await says(form, 'The user name or password is incorrect. Check them and try again.');
    await expect(page).toHaveURL(/sign-in/);
    await context.close();
  });

  test('change password: each field empty, a new password too short, two that differ', async ({ page }) => {
    await page.goto('/');
    await (await openAccountMenu(page)).getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await says(dialog, 'Enter your current password.');
    await says(dialog, /Enter a new password of at least \d+ characters\./);
    await dialog.getByLabel(/^Current password/).fill(E2E.admin.password);
    await dialog.getByLabel(/^New password/).fill('short');
    await dialog.getByLabel(/^Confirm new password/).fill('shorter');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await says(dialog, /The new password must be at least \d+ characters\./);
    await says(dialog, 'The two passwords differ. Type the same password twice.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  test('new API token: an empty name, a name too long, days out of range', async ({ page }) => {
    await page.goto('/tokens');
    // The toolbar's button (with no token yet, the empty list offers one too).
    await page.getByRole('button', { name: 'New token' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New API token' });
    const name = dialog.getByRole('textbox', { name: 'Name' });
    const days = dialog.getByRole('spinbutton', { name: 'Expires in (days)' });
    await name.fill('');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await says(dialog, 'Enter a name that says what the token is for (at most 100 characters).');
    await name.fill('t'.repeat(101));
    await days.fill('0');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await says(dialog, 'The token name can be at most 100 characters.');
    await says(dialog, 'The number of days until the token expires must be 1 or more.');
    await days.fill('');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await says(dialog, /Enter the number of days until the token expires, a whole number from 1 to [\d,]+\./);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('add assignment: Assign waits for a user or group, and says none is selected', async ({ page }) => {
    await openApp(page, 'Users and groups');
    await page.getByRole('button', { name: 'Add user/group' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add Assignment' });
    await expect(dialog.getByText('None Selected')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Assign' })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('download logs: an empty file name and one with characters a file name cannot hold', async ({
    page,
  }) => {
    for (const path of ['/provisioning-logs', '/audit-logs']) {
      await page.goto(path);
      await page.getByRole('button', { name: 'Download' }).click();
      const dialog = page.getByRole('dialog', { name: 'Download logs' });
      const fileName = dialog.getByLabel('File name');
      const cases: [string, string][] = [
        ['', 'Enter a file name without \\ / : * ? " < > | (at most 100 characters).'],
        ['logs/2026:*', 'Enter a file name without \\ / : * ? " < > | (at most 100 characters).'],
        ['x'.repeat(101), 'The file name can be at most 100 characters.'],
      ];
      for (const [bad, message] of cases) {
        await fileName.fill(bad);
        await dialog.getByRole('button', { name: 'Download' }).click();
        await says(dialog, message);
        await expect(dialog).toBeVisible();
      }
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    }
  });
});
