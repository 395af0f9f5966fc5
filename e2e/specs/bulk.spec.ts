import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { Collection, User } from '@provisio/contracts';
import { signIn } from '../support/portal';
import { adminApi, json } from '../support/stack';

// Bulk create from the Users page: the template, a small file with one bad row, the progress and
// the rejected row named by line, column and reason. The users it creates sort after the demo's.

/** The page's serious and critical WCAG 2.1 A/AA violations (as accessibility.spec.ts checks every page). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('[data-tabster-dummy]')
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help}`);
}

test('an administrator downloads the bulk create template, uploads a file with a bad row, sees the progress finish and the bad line named', async ({
  page,
}) => {
  const stamp = Date.now().toString(36);
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Users', exact: true })
    .click();
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

  // A file of 20,001 rows, long enough to watch it run: users are created 500 to a statement, and
  // 2,001 rows could end before the operation's page first asked. The third data row (line 4) has a
  // malformed user principal name.
  const blanks = ','.repeat(header.split(',').length - 2);
  const rows = [header];
  for (let n = 1; n <= 20001; n += 1) {
    const upn = n === 3 ? `zz.bulk${n}.${stamp}-at-contoso.com` : `zz.bulk${n}.${stamp}@contoso.com`;
    rows.push(`${upn},Zz Bulk ${n} ${stamp}${blanks}`);
  }
  const csv = rows.join('\r\n');
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
  const progress = page.getByRole('progressbar', { name: /^Status: / });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByText('Completed with errors', { exact: true })).toBeVisible();
  await expect(page.getByText('20,001 rows: 20,000 applied, 1 rejected.')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  const rejected = page.getByRole('table', { name: 'Rejected rows' });
  await expect(rejected.getByRole('row')).toHaveCount(2);
  const row = rejected.getByRole('row').nth(1);
  await expect(row.getByRole('cell').nth(0)).toHaveText('4');
  await expect(row.getByRole('cell').nth(1)).toHaveText('userPrincipalName');
  await expect(row.getByRole('cell').nth(2)).toHaveText(`zz.bulk3.${stamp}-at-contoso.com`);
  await expect(row.getByRole('cell').nth(3)).toContainText('userPrincipalName is not in the expected form');

  // The good rows are users of the directory; the bad one is not.
  const api = await adminApi();
  const found = await json<Collection<User>>(
    api,
    `/api/v1.0/users?$search=${encodeURIComponent(`zz.bulk1.${stamp}@`)}&$top=50`,
  );
  expect(found.value.map((u) => u.userPrincipalName)).toEqual([`zz.bulk1.${stamp}@contoso.com`]);
  const bad = await json<Collection<User>>(
    api,
    `/api/v1.0/users?$search=${encodeURIComponent(`zz.bulk3.${stamp}`)}`,
  );
  expect(bad.value).toEqual([]);

  // The operation stays listed with its counts.
  await page.getByRole('link', { name: 'Bulk operations' }).click();
  const list = page.getByRole('table', { name: 'Bulk operation results' });
  await expect(list.getByRole('row', { name: new RegExp(`new-users-${stamp}\\.csv`) })).toContainText(
    'Completed with errors',
  );
  expect(await seriousViolations(page)).toEqual([]);
});
