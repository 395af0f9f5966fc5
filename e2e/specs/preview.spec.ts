import { expect, test } from '@playwright/test';
import type {
  AttributeMapping,
  CyclePreview,
  ErrorBody,
  SynchronizationSchema,
  User,
} from '@provisio/contracts';
import {
  adminApi,
  assignedUsers,
  findApp,
  getUser,
  json,
  provisioningEvents,
  sampleApp,
} from '../support/stack';
import { APP, jobOf, openApp, signIn, waitForQuietJob } from '../support/portal';

/** The new source of the application's `title`: every user with a job title and a department gets a new one. */
const EXPRESSION = 'Join(" / ", [jobTitle], [department])';

test.describe.configure({ mode: 'serial' });

let originalSchema: SynchronizationSchema;
/** A person whose department changes between the preview and the run, and the department to give back. */
let moved: { id: string; department: string } | undefined;

test.beforeAll(async () => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  originalSchema = await json<SynchronizationSchema>(
    api,
    `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/schema`,
  );
});

test('a preview of the next cycle shows each user’s change old → new while only reading the application; Run this plan sends them', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  const jobUrl = `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}`;

  // Three directly assigned users with a job title and a department, provisioned as they are.
  const people: User[] = [];
  for (const a of await assignedUsers(api, sp.id)) {
    if (a.principalType !== 'User') continue;
    const user = await getUser(api, a.principalId);
    if (user.jobTitle && user.department && user.accountEnabled !== false) people.push(user);
    if (people.length === 3) break;
  }
  expect(people).toHaveLength(3);
  if (job.schedule.state !== 'Active') {
    const since = new Date();
    expect((await api.post(`${jobUrl}/start`)).status()).toBe(204);
    await waitForQuietJob(api, sp.id, since);
  }
  for (const user of people) {
    await expect
      .poll(async () => (await sampleApp.userByUserName(user.userPrincipalName))?.title, {
        timeout: 60_000,
        intervals: [1000],
      })
      .toBe(user.jobTitle);
  }

  // Provisioning off, so no scheduled cycle sends the change before the plan is run; then the mapping changes.
  expect((await api.post(`${jobUrl}/pause`)).status()).toBe(204);
  await expect
    .poll(async () => (await jobOf(api, sp.id)).status.currentCycle, { timeout: 60_000 })
    .toBeNull();
  const schema = await json<SynchronizationSchema>(api, `${jobUrl}/schema`);
  const userMapping = schema.synchronizationRules[0]!.objectMappings.find(
    (m) => m.sourceObjectName === 'User',
  )!;
  userMapping.attributeMappings = userMapping.attributeMappings.map((m): AttributeMapping =>
    m.targetAttributeName === 'title'
      ? { ...m, source: { type: 'Function', name: 'Join', expression: EXPRESSION, parameters: [] } }
      : m,
  );
  const put = await api.put(`${jobUrl}/schema`, { data: schema });
  expect(put.status(), await put.text()).toBe(204);
  await sampleApp.clearRequests();

  // Provisioning → Preview next cycle.
  await signIn(page);
  await openApp(page, 'Provisioning');
  await page.getByRole('button', { name: 'Preview next cycle' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${APP} | Preview` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Preview of the next cycle' })).toBeVisible();
  const updateTab = page.getByRole('tab', { name: /^Update [1-9]/ });
  await expect(updateTab).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Initial cycle: every user and group in scope is evaluated.')).toBeVisible();
  await expect(page.getByText(`Nothing was changed in ${APP}: the preview only read it.`)).toBeVisible();

  // The Update tab lists each person with the new title, old → new.
  await updateTab.click();
  await expect(updateTab).toHaveAttribute('aria-selected', 'true');
  const table = page.getByRole('table', { name: 'Planned objects' });
  for (const user of people) {
    const row = table.getByRole('row').filter({ hasText: user.displayName });
    await expect(row.first()).toBeVisible();
    await expect(row.first()).toContainText('Update');
    await expect(row.first().getByRole('list', { name: `Changes to ${user.displayName}` })).toContainText(
      `title: ${user.jobTitle} → ${user.jobTitle} / ${user.department}`,
    );
  }
  // Search narrows the table to one person.
  const [first] = people;
  await page.getByRole('textbox', { name: 'Search objects' }).fill(first!.displayName);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText(first!.displayName);
  await page.getByRole('textbox', { name: 'Search objects' }).fill('');

  // The application received reads only.
  const requests = await sampleApp.requests();
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((r) => r.method !== 'GET')).toEqual([]);
  for (const user of people)
    expect((await sampleApp.userByUserName(user.userPrincipalName))?.title).toBe(user.jobTitle);

  // The directory changes after the preview: one person moves to another department.
  const mover = people[2]!;
  const newDepartment = mover.department === 'Legal' ? 'Research' : 'Legal';
  moved = { id: mover.id, department: mover.department! };
  expect(
    (await api.patch(`/api/v1.0/users/${mover.id}`, { data: { department: newDepartment } })).status(),
  ).toBe(204);
  const expected = (user: User) =>
    `${user.jobTitle} / ${user.id === mover.id ? newDepartment : user.department}`;

  // Run this plan: provisioning was off, so it is turned on and the cycle sends the new titles; the person
  // who moved is planned again, with the new department.
  const ranAt = new Date();
  await page.getByRole('button', { name: 'Run this plan' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Run this plan' });
  await expect(confirm).toContainText('running this plan turns provisioning On');
  await confirm.getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByText('The cycle started.')).toBeVisible();
  await expect(
    page.getByText(
      '1 object changed in the directory since this preview; it is planned again as the cycle reaches it.',
    ),
  ).toBeVisible();
  for (const user of people) {
    await expect
      .poll(async () => (await sampleApp.userByUserName(user.userPrincipalName))?.title, {
        timeout: 60_000,
        intervals: [1000],
      })
      .toBe(expected(user));
  }
  expect((await jobOf(api, sp.id)).schedule.state).toBe('Active');
  // The worker commits each event a moment after the sample app answers (its writes commit in
  // groups), so the log is read until it holds one for each of them.
  const updatesSinceRun = () =>
    provisioningEvents(
      api,
      `servicePrincipal/id eq '${sp.id}' and provisioningAction eq 'update' and activityDateTime ge ${ranAt.toISOString()}`,
    );
  await expect
    .poll(
      async () => {
        const updated = new Set((await updatesSinceRun()).map((e) => e.sourceIdentity.id));
        return people.filter((user) => !updated.has(user.id)).length;
      },
      { timeout: 10_000, intervals: [250] },
    )
    .toBe(0);
  const updates = await updatesSinceRun();
  for (const user of people) {
    const mine = updates.filter((e) => e.sourceIdentity.id === user.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.modifiedProperties).toContainEqual({
      displayName: 'title',
      oldValue: user.jobTitle,
      newValue: expected(user),
    });
  }

  // The provisioning logs, linked from the message, list the updates.
  await page.getByRole('link', { name: 'View provisioning logs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${APP} | Provisioning logs` })).toBeVisible();
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Update', exact: true }).click();
  await expect(page).toHaveURL(/action=update/);
  const events = page.getByRole('table', { name: 'Provisioning events' });
  for (const user of people)
    await expect(events.getByRole('row', { name: new RegExp(user.displayName) }).first()).toContainText(
      'Update',
    );
});

test('a preview goes stale when the mappings change: Run this plan is refused and the page says why', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  const jobUrl = `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}`;
  // Provisioning off, so no scheduled cycle makes the preview stale first.
  expect((await api.post(`${jobUrl}/pause`)).status()).toBe(204);
  await expect
    .poll(async () => (await jobOf(api, sp.id)).status.currentCycle, { timeout: 60_000 })
    .toBeNull();

  await signIn(page);
  await openApp(page, 'Provisioning');
  await page.getByRole('button', { name: 'Preview next cycle' }).click();
  const readOnly = page.getByText(`Nothing was changed in ${APP}: the preview only read it.`);
  await expect(readOnly).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Run this plan' })).toBeEnabled();
  const previewId = decodeURIComponent(page.url().split('/previews/')[1]!.split(/[?#]/)[0]!);

  // The mappings change (back to the defaults): the plan can no longer be run as previewed.
  const current = await json<SynchronizationSchema>(api, `${jobUrl}/schema`);
  const put = await api.put(`${jobUrl}/schema`, { data: { ...originalSchema, version: current.version } });
  expect(put.status()).toBe(204);
  const refused = await api.post(`${jobUrl}/previews/${previewId}/run`);
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as ErrorBody).error.code).toBe('provisioning_preview.stale');
  const stale = await json<CyclePreview>(api, `${jobUrl}/previews/${previewId}`);
  expect(stale.staleReason).toBeTruthy();

  const warning = page.getByText('This plan can no longer be run').locator('..');
  await expect(warning).toBeVisible({ timeout: 30_000 });
  await expect(warning).toContainText(stale.staleReason!);
  await expect(page.getByRole('button', { name: 'Run this plan' })).toBeDisabled();

  // Preview again makes a fresh preview that can be run.
  await page.getByRole('button', { name: 'Preview again' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/previews/${previewId}$`));
  await expect(page.getByText('This plan can no longer be run')).toBeHidden();
  await expect(readOnly).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Run this plan' })).toBeEnabled();

  // Provisioning back on, as the first test left it.
  expect((await api.post(`${jobUrl}/start`)).status()).toBe(204);
});

test.afterAll(async () => {
  // Leave the application as the other specs expect it: the default mappings, every change settled.
  const api = await adminApi();
  if (moved) {
    const back = await api.patch(`/api/v1.0/users/${moved.id}`, { data: { department: moved.department } });
    expect(back.status()).toBe(204);
  }
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  const url = `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/schema`;
  const current = await json<SynchronizationSchema>(api, url);
  const restoredAt = new Date();
  const put = await api.put(url, { data: { ...originalSchema, version: current.version } });
  expect(put.status()).toBe(204);
  if (job.schedule.state === 'Active' && current.version !== originalSchema.version) {
    await waitForQuietJob(api, sp.id, restoredAt);
  }
});
