import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { ProvisioningResult } from '@provisio/contracts';
import { signIn, waitForQuietJob } from '../support/portal';
import { ok, OwnApp } from '../support/own-app';
import { adminApi, provisioningEvents } from '../support/stack';

// "Why, at a glance": the charts of provisioning events by status and of cycle durations, on an
// application's Provisioning page and on the portal's Overview, with how far back the logs go. The
// spec brings its own application (provisioning into the shared sample app) and removes it at the end.

test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36);
const APP_NAME = `Charts App ${stamp}`;
let api: APIRequestContext;
let app: OwnApp;
/** What the cycle wrote, by status, as the charts' summary says it. */
let expectedCounts: string;
let eventCount: number;

/** A user assigned to the application: enabled ones are created, a disabled one is skipped. */
async function assignedUser(name: string, accountEnabled: boolean): Promise<void> {
  const user = await app.newUser(name, {
    mail: app.upn(name),
    givenName: name,
    surname: stamp,
    accountEnabled,
  });
  await app.assign(user.id);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  api = await adminApi();
  app = await OwnApp.create(api, APP_NAME, stamp, { credentials: true });
  await assignedUser('Ana', true);
  await assignedUser('Ben', true);
  await assignedUser('Dan', false);
  // One initial cycle, then Stop: no later cycle changes the figures under the test.
  const since = new Date();
  await ok(await api.post(`${app.jobUrl}/start`), 'start');
  await waitForQuietJob(api, app.spId, since, 90_000);
  await ok(await api.post(`${app.jobUrl}/pause`), 'stop');
  const events = await provisioningEvents(api, `servicePrincipal/id eq '${app.spId}'`);
  const count = (status: ProvisioningResult) =>
    events.filter((e) => e.provisioningStatusInfo.status === status).length;
  expect(count('success')).toBe(2);
  expect(count('skipped')).toBe(1);
  eventCount = events.length;
  expectedCounts = `${count('success')} success, ${count('skipped')} skipped, ${count('failure')} failure, ${count('warning')} warning`;
});

test.afterAll(async () => {
  await app.remove();
  await api.dispose();
});

/** A chart by its title: the figure, its one-sentence summary and its figures as a table. */
function figure(page: Page, title: string) {
  const root = page.getByRole('figure', { name: title });
  return {
    root,
    summary: root.locator('figcaption'),
    chart: root.locator('svg').first(),
    async table(name: string) {
      await root.getByText('Show the figures as a table').click();
      return root.getByRole('table', { name });
    },
  };
}

const RETENTION =
  /^Provisioning logs go back to .+; events are kept for 30 days\.Audit logs go back to .+; events are kept for 30 days\.$/;

test("an application's Provisioning page charts the cycle's events by status and its duration, and says how far back the logs go", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/applications/${app.spId}/provisioning`);
  const activity = page.getByRole('region', { name: 'Provisioning activity' });
  await expect(activity).toBeVisible();

  const events = figure(page, 'Provisioning events per hour by status');
  await expect(events.summary).toHaveText(
    `${eventCount} provisioning events in the last 24 hours: ${expectedCounts}.`,
  );
  await expect(events.chart).toBeVisible();
  const hours = await events.table('Provisioning events by status');
  // A header and one row per hour.
  await expect(hours.getByRole('row')).toHaveCount(25);

  const durations = figure(page, 'Duration of the last cycles');
  await expect(durations.summary).toHaveText(
    new RegExp(`^The last finished cycle, initial of ${APP_NAME} started .+, took .+\\.$`),
  );
  await expect(durations.chart).toBeVisible();
  const cycles = await durations.table('Cycle durations');
  await expect(cycles.getByRole('row').filter({ hasText: 'Initial' })).toHaveCount(1);

  await expect(activity.getByText(/^Provisioning logs go back to/).locator('..')).toHaveText(RETENTION);

  // A longer period counts the same cycle per day.
  await activity.getByRole('radio', { name: 'Last 7 days' }).check();
  const days = figure(page, 'Provisioning events per day by status');
  await expect(days.summary).toHaveText(
    `${eventCount} provisioning events in the last 7 days: ${expectedCounts}.`,
  );
});

test("the portal's Overview charts every application's activity and lists the cycle among the last ones", async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/');
  const activity = page.getByRole('region', { name: 'Provisioning activity' });
  await expect(activity).toBeVisible();
  await expect(figure(page, 'Provisioning events per hour by status').summary).toHaveText(
    /^\d+ provisioning events in the last 24 hours: \d+ success, \d+ skipped, \d+ failure, \d+ warning\.$/,
  );
  const durations = figure(page, 'Duration of the last cycles, every application');
  await expect(durations.chart).toBeVisible();
  const cycles = await durations.table('Cycle durations');
  await expect(cycles.getByRole('row').filter({ hasText: APP_NAME })).toHaveCount(1);
  await expect(activity.getByText(/^Provisioning logs go back to/).locator('..')).toHaveText(RETENTION);
});
