import { expect, test, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { ProvisioningConfiguration, SynchronizationSchema } from '@provisio/contracts';
import { ok, OwnApp } from '../support/own-app';
import { openApp, signIn, USER_MAPPING } from '../support/portal';
import { adminApi, json } from '../support/stack';

const EXPRESSION = 'Join(" ", [givenName], [surname])';
const stamp = `cfg${Date.now().toString(36)}`;
const SOURCE = `Export source ${stamp}`;
const TARGET = `Import target ${stamp}`;

let api: APIRequestContext;
let source: OwnApp;
let targetId: string | undefined;

test.beforeAll(async () => {
  api = await adminApi();
  // Two applications of this spec's own, neither with credentials: nothing is sent to the sample app. The
  // target is new: its provisioning is not set up, so it has no job until the import creates one.
  source = await OwnApp.create(api, SOURCE, stamp);
  targetId = (
    await ok<{ id: string }>(
      await api.post('/api/v1.0/servicePrincipals', { data: { displayName: TARGET } }),
      'create target',
    )
  ).id;
  const schema = await json<SynchronizationSchema>(api, `${source.jobUrl}/schema`);
  const display = schema.synchronizationRules[0]!.objectMappings[0]!.attributeMappings.find(
    (m) => m.targetAttributeName === 'displayName',
  )!;
  display.source = { type: 'Function', name: null, expression: EXPRESSION, parameters: [] };
  await ok(await api.put(`${source.jobUrl}/schema`, { data: schema }), 'save source mappings');
  await ok(
    await api.patch(source.jobUrl, {
      data: { synchronizationJobSettings: [{ name: 'QuarantineTooManyDeletesThreshold', value: '42' }] },
    }),
    'save source settings',
  );
});

test.afterAll(async () => {
  await source?.remove();
  if (targetId) await api.delete(`/api/v1.0/servicePrincipals/${targetId}`);
});

test('a configuration exported from one application and imported into another brings its mappings along', async ({
  page,
}) => {
  await signIn(page);

  // Export from the source: a JSON file named after the application, without credentials.
  await openApp(page, 'Provisioning', SOURCE);
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export configuration' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    /^provisioning-configuration-export-source-cfg[a-z0-9]+-\d{4}-\d{2}-\d{2}\.json$/,
  );
  const file = await download.path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as ProvisioningConfiguration;
  expect(exported.format).toBe('provisio.provisioningConfiguration');
  expect(exported.settings.synchronizationJobSettings).toContainEqual({
    name: 'QuarantineTooManyDeletesThreshold',
    value: '42',
  });

  // Import into the target: the file is checked and what changes is listed before anything is applied.
  await openApp(page, 'Provisioning', TARGET);
  await expect(page.getByText('The mappings appear once the admin credentials are saved.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export configuration' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Import configuration' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Import provisioning configuration' });
  await dialog.getByLabel('Configuration file').setInputFiles(file);
  const planned = dialog.getByRole('table', { name: 'Changes the import makes' });
  await expect(planned).toContainText(EXPRESSION);
  await expect(planned).toContainText('QuarantineTooManyDeletesThreshold');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.getByText('Imported', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('table', { name: 'Changes the import made' })).toContainText(EXPRESSION);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The target's user mapping now has the expression.
  await page.getByRole('link', { name: USER_MAPPING }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${TARGET} | Attribute Mapping` })).toBeVisible();
  await expect(
    page
      .getByRole('table', { name: 'Attribute Mappings' })
      .getByRole('row', { name: 'Mapping to displayName' }),
  ).toContainText(EXPRESSION);

  // A file that is not a configuration is refused, naming what is wrong, and nothing changes.
  await openApp(page, 'Provisioning', TARGET);
  await page.getByRole('button', { name: 'Import configuration' }).click();
  await dialog.getByLabel('Configuration file').setInputFiles({
    name: 'schema.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...exported, format: 'something.else' })),
  });
  await expect(dialog.getByRole('list', { name: 'Problems in the file' })).toContainText(
    'format: this is not a Provisio provisioning configuration',
  );
  await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
