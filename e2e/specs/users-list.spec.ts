import { expect, test, type APIRequestContext } from '@playwright/test';
import { pickOption, signIn } from '../support/portal';
import { OwnApp } from '../support/own-app';
import { adminApi } from '../support/stack';

// The Users list: search by employee ID, filters by department, account enabled and assigned to an
// application, each answered by the API's $search and $filter. The spec brings its own users and
// application and removes them at the end.

test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36);
const DEPARTMENT = `Dept ${stamp}`;
const APP_NAME = `Users List App ${stamp}`;
let api: APIRequestContext;
let app: OwnApp;

test.beforeAll(async () => {
  api = await adminApi();
  app = await OwnApp.create(api, APP_NAME, stamp);
  await app.newUser('Lina', { department: DEPARTMENT, employeeId: `L${stamp}`.slice(0, 16) });
  await app.newUser('Omar', { department: DEPARTMENT, accountEnabled: false });
  const pia = await app.newUser('Pia', { department: DEPARTMENT });
  await app.assign(pia.id);
});

test.afterAll(async () => {
  await app.remove();
  await api.dispose();
});

test('search by employee ID, filter by department, enabled and application, then reset', async ({ page }) => {
  await signIn(page);
  await page.goto('/users');
  const table = page.getByRole('table', { name: 'Users' });
  const rows = table.getByRole('row').filter({ hasNot: page.getByRole('columnheader') });

  await page.getByRole('searchbox', { name: 'Search users' }).fill(`L${stamp}`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`Lina ${stamp}`);
  await page.getByRole('searchbox', { name: 'Search users' }).fill('');

  const filters = page.getByRole('group', { name: 'Filters' });
  await filters.getByRole('textbox', { name: 'Department' }).fill(DEPARTMENT.toUpperCase());
  await expect(rows).toHaveCount(3);

  await pickOption(page, 'Account enabled', 'Disabled');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`Omar ${stamp}`);

  await pickOption(page, 'Account enabled', 'All');
  await pickOption(page, 'Assigned to application', APP_NAME);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`Pia ${stamp}`);

  await pickOption(page, 'Account enabled', 'Disabled');
  await expect(page.getByText('No users match these filters')).toBeVisible();

  await filters.getByRole('button', { name: 'Reset filters' }).click();
  await expect(filters.getByRole('textbox', { name: 'Department' })).toHaveValue('');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(3);
});
