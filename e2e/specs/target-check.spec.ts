import { expect, test, type APIRequestContext } from '@playwright/test';
import type { TargetCheck } from '@provisio/contracts';
import { openApp, signIn } from '../support/portal';
import { ok, OwnApp } from '../support/own-app';
import { adminApi, sampleApp } from '../support/stack';

// Check the target from the Provisioning page against the bundled sample app: every check passes,
// the report stays on the page, and the test user and group it made are gone from the sample app.
// The spec brings its own application and removes it at the end.

const stamp = Date.now().toString(36);
const APP_NAME = `Target Check App ${stamp}`;
let api: APIRequestContext;
let app: OwnApp;

test.beforeAll(async () => {
  api = await adminApi();
  app = await OwnApp.create(api, APP_NAME, stamp, { credentials: true });
});
test.afterAll(async () => {
  await app?.remove();
  await api?.dispose();
});

test('Check the target: all green against the sample app, the test objects removed', async ({ page }) => {
  await signIn(page);
  await openApp(page, 'Provisioning', APP_NAME);
  const panel = page.getByRole('region', { name: 'Target check' });
  await expect(panel.getByText('The application has not been checked yet.')).toBeVisible();

  await panel.getByRole('button', { name: 'Check the target' }).click();
  await expect(panel.getByText('All checks passed')).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByRole('region', { name: /^Errors/ })).toHaveCount(0);
  await expect(panel.getByRole('region', { name: /^Warnings/ })).toHaveCount(0);
  await panel.getByRole('button', { name: /^Passed/ }).click();
  const passed = panel.getByRole('list', { name: 'Passed checks' });
  for (const title of [
    'Users can be matched on userName',
    "PATCH in Entra's default form works",
    'Users can be disabled',
    'Group members can be added and removed',
    'A duplicate user is refused with 409',
    'The test objects were removed',
  ]) {
    await expect(passed.getByText(title)).toBeVisible();
  }

  const latest = await ok<TargetCheck>(await api.get(`${app.jobUrl}/targetChecks/latest`), 'latest check');
  expect(latest.summary).toMatchObject({ errors: 0, warnings: 0 });
  const left = (await sampleApp.users()).filter((u) => String(u.userName).startsWith('provisio-check-'));
  expect(left).toEqual([]);

  // The report is kept with the job: it is there when the page opens again.
  await page.reload();
  await expect(
    page.getByRole('region', { name: 'Target check' }).getByText('All checks passed'),
  ).toBeVisible();
});
