import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { Collection, DirectoryAudit, Explanation, User } from '@provisio/contracts';
import { pickOption, signIn, waitForQuietJob } from '../support/portal';
import { ok, OwnApp } from '../support/own-app';
import { adminApi, json, provisioningEvents } from '../support/stack';

// "Why, at a glance": Explain from a user, from a skipped event and from provision on demand; one
// user's timeline across two cycles; the log filters and the Columns picker. The spec brings its own
// application (provisioning into the shared sample app) and removes it and its accounts at the end.

test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36);
const APP_NAME = `Explain UI App ${stamp}`;
let api: APIRequestContext;
let app: OwnApp;
let spId: string;
let jobId: string;
let jobUrl: string;
/** Not assigned: Explain says so, and provision on demand skips it. */
let una: User;
/** Assigned, then moved to another department: Create, then Update, in two cycles. */
let tim: User;

const newUser = (name: string, department: string) =>
  app.newUser(name, {
    mail: app.upn(name),
    givenName: name,
    surname: stamp,
    department,
    jobTitle: 'Engineer',
  });

const eventsOf = (userId: string) => provisioningEvents(api, `sourceIdentity/id eq '${userId}'`);

/** The rows of a table, without its header row. */
const bodyRows = (page: Page, table: string) =>
  page
    .getByRole('table', { name: table })
    .getByRole('row')
    .filter({ hasNot: page.getByRole('columnheader') });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  api = await adminApi();
  app = await OwnApp.create(api, APP_NAME, stamp, { credentials: true });
  ({ spId, jobId, jobUrl } = app);
  una = await newUser('Una', 'Sales');
  tim = await newUser('Tim', 'Sales');
  await app.assign(tim.id);
  // The initial cycle creates Tim; after the department change the next cycle updates him.
  let since = new Date();
  await ok(await api.post(`${jobUrl}/start`), 'start');
  await waitForQuietJob(api, spId, since, 90_000);
  await expect
    .poll(async () => (await eventsOf(tim.id)).map((e) => e.provisioningAction))
    .toEqual(['create']);
  since = new Date();
  await ok(await api.patch(`/api/v1.0/users/${tim.id}`, { data: { department: 'Marketing' } }), 'move Tim');
  await waitForQuietJob(api, spId, since, 90_000);
  await expect
    .poll(async () => (await eventsOf(tim.id)).map((e) => e.provisioningAction), { timeout: 60_000 })
    .toEqual(['update', 'create']);
});

test.afterAll(async () => {
  await app.remove();
  await api.dispose();
});

test('Explain from the Users page says why an unassigned user is not provisioned, and the fix', async ({
  page,
}) => {
  const said = await ok<Explanation>(await api.get(`${jobUrl}/explain?objectId=${una.id}`), 'explain');
  expect(said).toMatchObject({ willProvision: false, action: 'skip' });

  await signIn(page);
  await page.goto('/users');
  await page.getByRole('searchbox', { name: 'Search users' }).fill(una.displayName);
  await page.getByRole('button', { name: `Provisioning of ${una.displayName}` }).click();
  await page.getByRole('menuitem', { name: `Explain provisioning in ${APP_NAME}` }).click();

  await expect(page.getByRole('heading', { level: 1, name: `${APP_NAME} | Explain` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Answer' })).toContainText(
    `The next cycle will not provision ${una.displayName} in ${APP_NAME}.`,
  );
  await expect(page.getByRole('region', { name: 'Answer' })).toContainText(said.reason);
  await expect(page.getByRole('region', { name: 'Recommended action' })).toContainText(
    said.recommendedAction,
  );
  const checks = page.getByRole('list', { name: 'Checks' });
  await expect(checks.getByRole('listitem')).toHaveCount(said.checks.length);
  await expect(checks.getByRole('listitem', { name: 'Assigned: failed' })).toBeVisible();
  await expect(checks.getByRole('listitem', { name: 'Provisioning configured: passed' })).toBeVisible();
});

test('a skipped user: Explain from provision on demand and from the event in the provisioning logs', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/applications/${spId}/provisioning/on-demand`);
  await page.getByRole('textbox', { name: 'Search for a user' }).fill(una.displayName);
  await page.getByRole('radio', { name: new RegExp(una.displayName) }).check();
  await page.getByRole('button', { name: 'Provision', exact: true }).click();
  await page.getByRole('link', { name: `Explain why ${una.displayName} was skipped` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${APP_NAME} | Explain` })).toBeVisible();
  const said = await ok<Explanation>(await api.get(`${jobUrl}/explain?objectId=${una.id}`), 'explain');
  await expect(page.getByRole('region', { name: 'Answer' })).toContainText(said.reason);

  // The event the on-demand run wrote: Status Skipped, Application this one, then Why? → Explain.
  await page.goto('/provisioning-logs');
  await pickOption(page, 'Status', 'Skipped');
  await pickOption(page, 'Application', APP_NAME);
  await page.getByRole('searchbox', { name: 'Identity' }).fill(una.displayName);
  await expect(page).toHaveURL(/status=skipped/);
  await expect(page).toHaveURL(new RegExp(`app=${spId}`));
  const row = bodyRows(page, 'Provisioning events').filter({ hasText: una.displayName }).first();
  await row.click();
  const drawer = page.getByRole('dialog', { name: 'Provisioning event details' });
  await drawer.getByRole('navigation', { name: 'Why?' }).getByRole('link', { name: 'Explain' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${APP_NAME} | Explain` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Answer' })).toContainText(said.reason);
  await expect(page.getByRole('region', { name: 'Recommended action' })).toContainText(
    said.recommendedAction,
  );
});

test("a user's timeline lists its Create and Update across two cycles with the changes, from the user and from an event", async ({
  page,
}) => {
  const events = await eventsOf(tim.id);
  const [update, create] = events;
  expect(update?.cycleId).not.toBe(create?.cycleId);

  await signIn(page);
  await page.goto('/users');
  await page.getByRole('searchbox', { name: 'Search users' }).fill(tim.displayName);
  await page.getByRole('button', { name: `Provisioning of ${tim.displayName}` }).click();
  await page.getByRole('menuitem', { name: 'Timeline of this object' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Timeline of ${tim.displayName}` })).toBeVisible();
  const rows = bodyRows(page, `Provisioning events of ${tim.displayName}`);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Update');
  await expect(rows.nth(0)).toContainText(APP_NAME);
  await expect(rows.nth(0).getByRole('list', { name: 'Changes' })).toContainText(
    /department: Sales → Marketing/,
  );
  await expect(rows.nth(1)).toContainText('Create');
  await expect(rows.nth(1)).toContainText('Success');

  // From an event's details: the same timeline.
  await page.goto(`/provisioning-logs?event=${update?.id ?? ''}`);
  const drawer = page.getByRole('dialog', { name: 'Provisioning event details' });
  await drawer.getByRole('link', { name: 'Timeline of this object' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Timeline of ${tim.displayName}` })).toBeVisible();
  await expect(rows).toHaveCount(2);
});

test('the provisioning logs filter by application, job, cycle, change and systems; the Columns picker is remembered', async ({
  page,
}) => {
  // No more cycles: the counts below hold still.
  await ok(await api.post(`${jobUrl}/pause`), 'pause');
  const [update, create] = await eventsOf(tim.id);
  if (!update || !create) throw new Error('no events of Tim');
  const ofApp = await provisioningEvents(api, `servicePrincipal/id eq '${spId}'`);
  expect(ofApp.length).toBeLessThanOrEqual(50);
  const table = page.getByRole('table', { name: 'Provisioning events' });
  const rows = bodyRows(page, 'Provisioning events');

  await signIn(page);
  await page.goto('/provisioning-logs');
  // Columns: add Application, Job ID and Change ID, hide Source System.
  for (const column of ['Application', 'Job ID', 'Change ID', 'Source System']) {
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('menuitemcheckbox', { name: column }).click();
    await page.keyboard.press('Escape');
  }
  await expect(table.getByRole('columnheader', { name: 'Application' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Job ID' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Change ID' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Source System' })).toHaveCount(0);

  // Application: only this application's events.
  await pickOption(page, 'Application', APP_NAME);
  await expect(rows).toHaveCount(ofApp.length);
  for (const row of await rows.all()) await expect(row).toContainText(APP_NAME);

  // The filter is in the URL and the columns in this browser: a reload keeps both.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Application' })).toHaveText(APP_NAME);
  await expect(rows).toHaveCount(ofApp.length);
  await expect(table.getByRole('columnheader', { name: 'Job ID' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Source System' })).toHaveCount(0);

  // Job ID, without the Application filter: the same events.
  await page.getByRole('button', { name: 'Reset filters' }).first().click();
  await page.getByRole('searchbox', { name: 'Job ID' }).fill(jobId);
  await expect(page).toHaveURL(new RegExp(`jobId=${jobId}`));
  await expect(rows).toHaveCount(ofApp.length);
  for (const row of await rows.all()) await expect(row).toContainText(jobId);

  // Change ID: the one event.
  await page.getByRole('searchbox', { name: 'Change ID' }).fill(update.changeId);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(update.changeId);
  await expect(rows.first()).toContainText('Update');

  // Cycle ID: the events of Tim's first cycle.
  await page.getByRole('searchbox', { name: 'Change ID' }).fill('');
  await page.getByRole('searchbox', { name: 'Cycle ID' }).fill(create.cycleId);
  // Both boxes settle before the rows are read: in between, the list shows Tim's events of every cycle.
  await expect(page).toHaveURL(new RegExp(`cycleId=${create.cycleId}`));
  await expect(page).not.toHaveURL(/changeId=/);
  await expect(rows.filter({ hasText: tim.displayName })).toHaveCount(1);
  await expect(rows.filter({ hasText: tim.displayName })).toContainText('Create');

  // Source and Target System: the directory's name and the application's; another name matches nothing.
  await page.getByRole('searchbox', { name: 'Cycle ID' }).fill('');
  await page.getByRole('searchbox', { name: 'Job ID' }).fill('');
  await page.getByRole('searchbox', { name: 'Target System' }).fill(APP_NAME);
  await expect(page).toHaveURL(/targetSystem=/);
  await expect(rows).toHaveCount(ofApp.length);
  await page.getByRole('searchbox', { name: 'Source System' }).fill(create.sourceSystem.displayName);
  await expect(rows).toHaveCount(ofApp.length);
  await page.getByRole('searchbox', { name: 'Source System' }).fill('No such directory');
  await expect(page.getByText('No provisioning events', { exact: true })).toBeVisible();
});

test('the audit logs filter by who initiated an event, kept in the URL', async ({ page }) => {
  // Signing in writes an audit event of its own: count after it.
  await signIn(page);
  await page.goto('/audit-logs');
  const audits = await json<Collection<DirectoryAudit>>(api, '/api/v1.0/auditLogs/directoryAudits?$top=1000');
  const initiator = audits.value.find((e) => e.initiatedBy.user)?.initiatedBy.user?.displayName;
  if (!initiator) throw new Error('no audit event initiated by a user');
  const since = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const mine = await json<Collection<DirectoryAudit>>(
    api,
    `/api/v1.0/auditLogs/directoryAudits?$top=50&$filter=${encodeURIComponent(
      `initiatedBy eq '${initiator}' and activityDateTime ge ${since}`,
    )}`,
  );
  expect(mine.value.length).toBeGreaterThan(0);
  const shown = Math.min(mine.value.length, 50);

  const rows = bodyRows(page, 'Audit events');
  await page.getByRole('searchbox', { name: 'Initiated by' }).fill(initiator);
  await expect(page).toHaveURL(/initiatedBy=/);
  await expect(rows).toHaveCount(shown);
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Initiated by' })).toHaveValue(initiator);
  await expect(rows).toHaveCount(shown);
  // Nobody by that name, typed in the same moment as a target: both filters hold, and nothing matches.
  // (Both boxes change in one script, so that their pauses end in the same turn.)
  const target = await page.getByRole('searchbox', { name: 'Target' }).elementHandle();
  const initiatedBy = await page.getByRole('searchbox', { name: 'Initiated by' }).elementHandle();
  await page.evaluate(
    ([boxes, values]) => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      boxes.forEach((box, i) => {
        setValue?.call(box, values[i]);
        box?.dispatchEvent(new Event('input', { bubbles: true }));
      });
    },
    [
      [target, initiatedBy],
      [`Nothing ${stamp}`, `Nobody ${stamp}`],
    ] as const,
  );
  await expect(page).toHaveURL(new RegExp(`initiatedBy=Nobody\\+${stamp}`));
  await expect(page).toHaveURL(new RegExp(`target=Nothing\\+${stamp}`));
  await expect(page.getByText('No audit events', { exact: true })).toBeVisible();
});

test('the audit logs download as one CSV file or as JSON, with the filters on the page', async ({ page }) => {
  const filter = `targetResources/any(t: t/displayName eq '${APP_NAME}')`;
  const listed = await json<Collection<DirectoryAudit>>(
    api,
    `/api/v1.0/auditLogs/directoryAudits?$top=1000&$filter=${encodeURIComponent(filter)}`,
  );
  expect(listed.value.length).toBeGreaterThan(2);
  await signIn(page);
  await page.goto('/audit-logs');
  await page.getByRole('searchbox', { name: 'Target' }).fill(APP_NAME);
  await expect(page).toHaveURL(/target=/);
  await expect(bodyRows(page, 'Audit events')).toHaveCount(listed.value.length);

  await page.getByRole('button', { name: 'Download' }).click();
  const dialog = page.getByRole('dialog', { name: 'Download logs' });
  await expect(dialog.getByText('Saved as AuditLogs.csv')).toBeVisible();
  const saved = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const file = await saved;
  expect(file.suggestedFilename()).toBe('AuditLogs.csv');
  await expect(dialog).toBeHidden();
  const [header, ...rows] = readFileSync((await file.path())!, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(header).toMatch(/^Date \(UTC\),Activity ID,Correlation ID,Service,Category,Activity,Result,/);
  // The events of the list when the download began (later ones only add to it), each about this app.
  expect(rows.length).toBeGreaterThanOrEqual(listed.value.length);
  for (const row of rows) expect(row).toContain(APP_NAME);
  for (const e of listed.value) expect(rows.some((r) => r.includes(`,${e.id},`))).toBe(true);

  await page.getByRole('button', { name: 'Download' }).click();
  await dialog.getByRole('radio', { name: /^JSON/ }).check();
  const savedJson = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download' }).click();
  const events = JSON.parse(readFileSync((await (await savedJson).path())!, 'utf8')) as DirectoryAudit[];
  expect(events.map((e) => e.id)).toEqual(expect.arrayContaining(listed.value.map((e) => e.id)));
  expect(events.every((e) => e.targetResources.some((t) => t.displayName === APP_NAME))).toBe(true);
});
