import { expect, test, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';
import type { SecretsView, ServicePrincipal, SynchronizationSchema } from '@provisio/contracts';
import { adminApi, json, sampleApp } from '../support/stack';
import { jobOf, openApp, signIn } from '../support/portal';

// Each test works on an application of its own with no assignments, so turning its provisioning on
// sends the sample app nothing but Test Connection's lookups; the job is left paused.

test.describe.configure({ mode: 'serial' });

let api: APIRequestContext;
let name: string;
let spId: string;
let jobUrl: string;

async function ok(res: APIResponse, what: string): Promise<void> {
  if (!res.ok()) throw new Error(`${what}: ${res.status()} ${await res.text()}`);
}

test.beforeAll(async () => {
  api = await adminApi();
  name = `Save Checks App ${Date.now().toString(36)}`;
  const created = await api.post('/api/v1.0/servicePrincipals', { data: { displayName: name } });
  await ok(created, 'create application');
  spId = ((await created.json()) as ServicePrincipal).id;
  await ok(
    await api.post(`/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`, {
      data: { templateId: 'scim' },
    }),
    'create job',
  );
  await ok(
    await api.put(`/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`, {
      data: {
        value: [
          { key: 'BaseAddress', value: sampleApp.baseUrl },
          { key: 'SecretToken', value: sampleApp.token() },
        ],
      },
    }),
    'save credentials',
  );
  jobUrl = `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${(await jobOf(api, spId)).id}`;
});

test.afterAll(async () => {
  await api.post(`${jobUrl}/pause`);
  await api.dispose();
});

/** Whether the saved credentials pass Test Connection. */
async function savedCredentialsWork(): Promise<boolean> {
  const res = await api.post(`${jobUrl}/validateCredentials`, { data: { useSavedCredentials: true } });
  return res.status() === 204;
}

const saveButton = (page: Page) => page.getByRole('button', { name: 'Save', exact: true });
const credentialsRefusal = (page: Page) =>
  page.getByRole('alert').filter({ hasText: 'The credentials were not saved' });

test('with provisioning On, Save tests the credentials and refuses a wrong token with the reason; Off saves it', async ({
  page,
}) => {
  await signIn(page);
  await openApp(page, 'Provisioning', name);
  const status = page.getByRole('switch', { name: 'Provisioning Status' });
  await expect(status).not.toBeChecked();

  // Turning provisioning On with a wrong token: tested first, nothing saved, provisioning not started.
  await page.getByLabel('Secret Token').fill('not-the-token');
  await status.check();
  await saveButton(page).click();
  await expect(credentialsRefusal(page)).toBeVisible();
  await expect(credentialsRefusal(page)).toContainText('HTTP 401');
  await expect(credentialsRefusal(page)).toContainText('Provisioning Status Off');
  expect((await jobOf(api, spId)).schedule.state).not.toBe('Active');
  expect(await savedCredentialsWork()).toBe(true);

  // The saved token works: provisioning turns On.
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(credentialsRefusal(page)).toHaveCount(0);
  await status.check();
  await saveButton(page).click();
  await expect(page.getByText('Provisioning is on: cycles run on the schedule.')).toBeVisible();
  expect((await jobOf(api, spId)).schedule.state).toBe('Active');

  // While On, a new wrong token is refused by the API with the reason, shown beside the credentials.
  await page.getByLabel('Secret Token').fill('still-not-the-token');
  await saveButton(page).click();
  await expect(credentialsRefusal(page)).toContainText('HTTP 401');
  expect(await savedCredentialsWork()).toBe(true);

  // Off: the administrator can still save them.
  await status.uncheck();
  await saveButton(page).click();
  await expect(
    page.getByText('Provisioning is off: nothing is created, updated or removed in the application.'),
  ).toBeVisible();
  await expect(credentialsRefusal(page)).toHaveCount(0);
  expect((await jobOf(api, spId)).schedule.state).toBe('Paused');
  expect(await savedCredentialsWork()).toBe(false);

  // Put the working token back for the other tests (Off: saved untested).
  await page.getByLabel('Secret Token').fill(sampleApp.token());
  await saveButton(page).click();
  await expect.poll(savedCredentialsWork).toBe(true);
});

test('the cycle interval and Skip out of scope deletions are saved with the page and shown again after a reload', async ({
  page,
}) => {
  await signIn(page);
  await openApp(page, 'Provisioning', name);
  const interval = page.getByLabel('Cycle interval (minutes)');
  const skip = page.getByRole('checkbox', { name: 'Skip out of scope deletions' });
  await expect(skip).not.toBeChecked();

  await interval.fill('5');
  await saveButton(page).click();
  await expect(
    page.getByText('Enter the cycle interval in whole minutes, from 20 (20 minutes) to 1440 (24 hours).'),
  ).toBeVisible();

  await interval.fill('90');
  await skip.check();
  await saveButton(page).click();
  await expect(saveButton(page)).toBeDisabled();
  await expect.poll(async () => (await jobOf(api, spId)).schedule.cycleInterval).toBe('PT1H30M');
  const secrets = await json<SecretsView>(api, `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`);
  expect(secrets.value.find((s) => s.key === 'SkipOutOfScopeDeletions')?.value).toBe('true');

  await page.reload();
  await expect(page.getByLabel('Cycle interval (minutes)')).toHaveValue('90');
  await expect(page.getByRole('checkbox', { name: 'Skip out of scope deletions' })).toBeChecked();
});

test("Restore default mappings lists what changes and brings back the template's mappings", async ({
  page,
}) => {
  const schema = await json<SynchronizationSchema>(api, `${jobUrl}/schema`);
  const users = schema.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
  users.attributeMappings = users.attributeMappings.filter((a) => a.targetAttributeName !== 'displayName');
  const title = users.attributeMappings.find((a) => a.targetAttributeName === 'title')!;
  title.source = { type: 'Constant', name: 'Engineer', expression: null, parameters: [] };
  await ok(
    await api.put(`${jobUrl}/schema`, {
      data: { synchronizationRules: schema.synchronizationRules, directories: schema.directories },
    }),
    'edit mappings',
  );

  await signIn(page);
  await openApp(page, 'Provisioning', name);
  await page.getByRole('button', { name: 'Restore default mappings' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Restore default mappings' });
  const changes = dialog.getByRole('table', { name: 'Changes a restore makes' });
  await expect(changes.getByRole('row')).toHaveCount(3);
  await expect(changes.getByRole('row').filter({ hasText: `${users.name}: displayName` })).toContainText(
    'Added',
  );
  const titleRow = changes.getByRole('row').filter({ hasText: `${users.name}: title` });
  await expect(titleRow).toContainText('Changed');
  await expect(titleRow).toContainText('Constant "Engineer"');
  await expect(titleRow).toContainText('[jobTitle]');

  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Restored the default mappings of ${name}`, { exact: true })).toBeVisible();

  const restored = await json<SynchronizationSchema>(api, `${jobUrl}/schema`);
  const rows = restored.synchronizationRules[0]!.objectMappings.find(
    (m) => m.sourceObjectName === 'User',
  )!.attributeMappings;
  expect(rows.find((a) => a.targetAttributeName === 'displayName')?.source).toMatchObject({
    type: 'Attribute',
    name: 'displayName',
  });
  expect(rows.find((a) => a.targetAttributeName === 'title')?.source).toMatchObject({
    type: 'Attribute',
    name: 'jobTitle',
  });

  // Nothing more to restore: the confirmation says so and offers nothing to apply.
  await page.getByRole('button', { name: 'Restore default mappings' }).click();
  await expect(dialog.getByText('are already the defaults')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Restore' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
