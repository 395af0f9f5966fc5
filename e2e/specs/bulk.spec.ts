import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { Collection, User } from '@provisio/contracts';
import { signIn } from '../support/portal';
import { adminApi, json } from '../support/stack';

// Bulk create from the Users page: the template, a small file with one bad row, the progress and
// the rejected row named by line, column and reason. The users it creates sort after the demo's.

test('an administrator downloads the bulk create template, uploads a file with a bad row, sees the progress finish and the bad line named', async ({
  page,
}) => {
  const stamp = Date.now().toString(36);
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users', exact: true }).click();
  await page
    .getByRole('toolbar', { name: 'Users commands' })
    .getByRole('button', { name: 'Bulk operations' })
    .click();
  await page.getByRole('menuitem', { name: 'Bulk create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bulk operations' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Bulk create' })).toBeChecked();

  // The template: its header row names the user attributes, userPrincipalName and displayName first.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the bulk create template' }).click();
  const template = await downloading;
  expect(template.suggestedFilename()).toBe('UserCreateTemplate.csv');
  const header = readFileSync(await template.path(), 'utf8').trim();
  expect(header.split(',').slice(0, 2)).toEqual(['userPrincipalName', 'displayName']);

  // A file of four rows; the third data row (line 4) has a malformed user principal name.
  const rows = [
    header,
    `zz.bulk1.${stamp}@contoso.com,Zz Bulk One ${stamp}`,
    `zz.bulk2.${stamp}@contoso.com,Zz Bulk Two ${stamp}`,
    `zz.bulk3.${stamp}-at-contoso.com,Zz Bulk Three ${stamp}`,
    `zz.bulk4.${stamp}@contoso.com,Zz Bulk Four ${stamp}`,
  ];
  const csv = rows
    .map((r, i) => (i === 0 ? r : `${r}${','.repeat(header.split(',').length - 2)}`))
    .join('\r\n');
  await page.getByLabel('CSV file').setInputFiles({
    name: `new-users-${stamp}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  await page.getByRole('button', { name: 'Submit' }).click();

  // The operation's page: the progress bar, then the result and the rejected line.
  await expect(
    page.getByRole('heading', { level: 1, name: `Bulk create: new-users-${stamp}.csv` }),
  ).toBeVisible();
  await expect(page.getByRole('progressbar', { name: /^Status: / })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Status: Completed with errors' })).toBeVisible();
  await expect(page.getByText('4 rows: 3 applied, 1 rejected.')).toBeVisible();
  const rejected = page.getByRole('table', { name: 'Rejected rows' });
  await expect(rejected.getByRole('row')).toHaveCount(2);
  const row = rejected.getByRole('row').nth(1);
  await expect(row.getByRole('cell').nth(0)).toHaveText('4');
  await expect(row.getByRole('cell').nth(1)).toHaveText('userPrincipalName');
  await expect(row.getByRole('cell').nth(2)).toHaveText(`zz.bulk3.${stamp}-at-contoso.com`);
  await expect(row.getByRole('cell').nth(3)).toContainText('userPrincipalName is not in the expected form');

  // The three good rows are users of the directory; the bad one is not.
  const api = await adminApi();
  const found = await json<Collection<User>>(
    api,
    `/api/v1.0/users?$search=${encodeURIComponent(stamp)}&$top=50`,
  );
  const names = found.value.map((u) => u.userPrincipalName).filter((n) => n.includes(stamp));
  expect(names.sort()).toEqual([1, 2, 4].map((n) => `zz.bulk${n}.${stamp}@contoso.com`));

  // The operation stays listed with its counts.
  await page.getByRole('link', { name: 'Bulk operations' }).click();
  const list = page.getByRole('table', { name: 'Bulk operation results' });
  await expect(list.getByRole('row', { name: new RegExp(`new-users-${stamp}\\.csv`) })).toContainText(
    'Completed with errors',
  );
});
