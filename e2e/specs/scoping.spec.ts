import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { SynchronizationSchema, User } from '@provisio/contracts';
import { adminApi, findApp, json, provisioningEvents, sampleApp } from '../support/stack';
import { APP, jobOf, openApp, openUserMapping, signIn, waitForQuietJob } from '../support/portal';

const FILTER = 'Exclude contractors';
/** The clause as the engine names it in the scoping step and the skip reason. */
const CLAUSE = `${FILTER}.department NOT EQUALS 'Contractors'`;

/** Picks an option of a Fluent dropdown (its list opens in a portal, outside the dialog). */
async function pick(page: Page, combobox: Locator, option: string) {
  await combobox.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function createUser(api: APIRequestContext, data: Record<string, string>): Promise<User> {
  const res = await api.post('/api/v1.0/users', { data });
  expect(res.status()).toBe(201);
  return (await res.json()) as User;
}

test.describe.configure({ mode: 'serial' });

let originalSchema: SynchronizationSchema;
/** Assigned after the filter is saved: one meets it, one (a contractor) does not. */
let insider: User;
let outsider: User;

test.beforeAll(async () => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  const url = `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/schema`;
  originalSchema = await json<SynchronizationSchema>(api, url);
  // The demo's own scoping filter keeps a partner's account out; this spec starts from All records,
  // and afterAll puts the demo's filter back.
  if (originalSchema.synchronizationRules[0]!.objectMappings[0]!.scope) {
    const unscoped = structuredClone(originalSchema);
    unscoped.synchronizationRules[0]!.objectMappings[0]!.scope = null;
    const since = new Date();
    const put = await api.put(url, { data: unscoped });
    expect(put.status(), await put.text()).toBe(204);
    if (job.schedule.state === 'Active') await waitForQuietJob(api, sp.id, since, 90_000);
  }
  // Every user the demo assigns has a department other than Contractors, so the filter leaves them in scope.
  const stamp = Date.now();
  insider = await createUser(api, {
    userPrincipalName: `ines.insider.${stamp}@contoso.com`,
    displayName: 'Ines Insider',
    givenName: 'Ines',
    surname: 'Insider',
    mail: `ines.insider.${stamp}@contoso.com`,
    department: 'Legal',
  });
  outsider = await createUser(api, {
    userPrincipalName: `otto.outsider.${stamp}@contoso.com`,
    displayName: 'Otto Outsider',
    givenName: 'Otto',
    surname: 'Outsider',
    mail: `otto.outsider.${stamp}@contoso.com`,
    department: 'Contractors',
  });
});

test('a scoping filter keeps an assigned contractor out: not created, logged as skipped naming the clause', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  await signIn(page);

  // Provisioning on (unless another spec turned it on already).
  await openApp(page, 'Provisioning');
  const status = page.getByRole('switch', { name: 'Provisioning Status' });
  if (!(await status.isChecked())) {
    await status.check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Provisioning is on: cycles run on the schedule.')).toBeVisible();
  }

  // Source Object Scope: All records → Add scoping filters.
  await openUserMapping(page);
  await page.getByRole('button', { name: 'Source Object Scope: All records' }).click();
  const scope = page.getByRole('dialog', { name: 'Source Object Scope' });
  await expect(scope.getByText(/No scoping filters: all records are in scope/)).toBeVisible();
  await scope.getByRole('button', { name: 'Add scoping filters' }).click();
  const add = page.getByRole('dialog', { name: 'Add Scoping Filter' });

  // Ok on the empty form says what each field needs.
  await add.getByRole('button', { name: 'Ok' }).click();
  await expect(add.getByText(/Enter a Scoping Filter Title/)).toBeVisible();
  const first = add.getByRole('row', { name: 'Clause 1', exact: true });
  await expect(first).toContainText('Pick the source attribute this clause tests.');
  await expect(first).toContainText('EQUALS compares the attribute with a value. Enter the Clause value.');

  // Title, then department NOT EQUALS Contractors.
  await add.getByRole('textbox', { name: 'Scoping Filter Title' }).fill(FILTER);
  await pick(page, first.getByRole('combobox', { name: 'Source attribute' }), 'department');
  await pick(page, first.getByRole('combobox', { name: 'Operator' }), 'NOT EQUALS');
  await first.getByRole('textbox', { name: 'Clause value' }).fill('Contractors');

  // A second clause: Greater_Than wants a whole number; IS NOT NULL takes no value; then it goes.
  await add.getByRole('button', { name: 'Add new scoping clause' }).click();
  const second = add.getByRole('row', { name: 'Clause 2', exact: true });
  await pick(page, second.getByRole('combobox', { name: 'Source attribute' }), 'employeeId');
  await pick(page, second.getByRole('combobox', { name: 'Operator' }), 'Greater_Than');
  await second.getByRole('textbox', { name: 'Clause value' }).fill('ten');
  await add.getByRole('button', { name: 'Ok' }).click();
  await expect(second).toContainText(
    'Greater_Than compares whole numbers. Enter a whole number such as 100000.',
  );
  await pick(page, second.getByRole('combobox', { name: 'Operator' }), 'IS NOT NULL');
  await expect(second.getByRole('textbox', { name: 'Clause value' })).toHaveCount(0);
  await add.getByRole('button', { name: 'Delete clause 2' }).click();
  await expect(add.getByRole('row', { name: /^Clause \d+$/ })).toHaveCount(1);
  await add.getByRole('button', { name: 'Ok' }).click();
  await expect(add).toBeHidden();

  const filters = scope.getByRole('table', { name: 'Scoping filters' });
  await expect(filters.getByRole('row', { name: `Scoping filter ${FILTER}` })).toContainText(
    'department NOT EQUALS "Contractors"',
  );
  await scope.getByRole('button', { name: 'Done' }).click();
  await expect(scope).toBeHidden();

  // The page shows the unsaved filter and Entra's warning; Save asks before resynchronizing.
  await expect(
    page.getByRole('button', { name: `Source Object Scope: 1 scoping filter: ${FILTER}` }),
  ).toBeVisible();
  await expect(
    page.getByText('Saving your changes will result in all assigned users and groups being resynchronized.'),
  ).toBeVisible();
  const savedAt = new Date();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Save scoping filters' });
  await expect(confirm).toContainText('all assigned users and groups being resynchronized');
  await confirm.getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByText(`Saved the attribute mappings of ${APP}`, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();

  const job = await jobOf(api, sp.id);
  const saved = await json<SynchronizationSchema>(
    api,
    `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/schema`,
  );
  expect(saved.synchronizationRules[0]!.objectMappings[0]!.scope?.groups).toEqual([
    {
      name: FILTER,
      clauses: [
        {
          sourceOperandName: 'department',
          operatorName: 'NOT EQUALS',
          targetOperand: { values: ['Contractors'] },
        },
      ],
    },
  ]);

  // The resynchronization the save started ends; then both people are assigned.
  await waitForQuietJob(api, sp.id, savedAt, 90_000);
  const usersBefore = (await sampleApp.users()).length;
  for (const person of [insider, outsider]) {
    const assigned = await api.post(`/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, {
      data: { principalId: person.id },
    });
    expect(assigned.status()).toBe(201);
  }

  // The next cycle creates the one who meets the filter and skips the contractor, naming the clause.
  await expect
    .poll(async () => (await sampleApp.userByUserName(insider.userPrincipalName))?.active, {
      timeout: 60_000,
      intervals: [1000],
    })
    .toBe(true);
  const skippedEvents = async () =>
    (
      await provisioningEvents(
        api,
        `servicePrincipal/id eq '${sp.id}' and provisioningStatusInfo/status eq 'skipped'`,
      )
    ).filter((e) => e.sourceIdentity.id === outsider.id);
  await expect.poll(async () => (await skippedEvents()).length, { timeout: 30_000 }).toBeGreaterThan(0);
  const [skipped] = await skippedEvents();
  expect(skipped!.provisioningStatusInfo.errorInformation).toEqual(
    expect.objectContaining({
      errorCode: 'OutOfScope',
      reason: expect.stringContaining(`scoping filter '${FILTER}' (clause ${CLAUSE} is false)`),
    }),
  );
  const scoping = skipped!.provisioningSteps.find((s) => s.provisioningStepType === 'scoping');
  expect(JSON.parse(scoping!.details['ScopeEvaluationResult'] ?? '{}')).toEqual({ [CLAUSE]: false });
  expect(await sampleApp.userByUserName(outsider.userPrincipalName)).toBeUndefined();
  expect((await sampleApp.users()).length).toBe(usersBefore + 1);

  // The portal shows the skip with its reason.
  await openApp(page, 'Provisioning logs');
  await pick(page, page.getByRole('combobox', { name: 'Status' }), 'Skipped');
  await expect(page).toHaveURL(/status=skipped/);
  const row = page
    .getByRole('table', { name: 'Provisioning events' })
    .getByRole('row', { name: /Otto Outsider/ })
    .first();
  await row.click();
  const drawer = page.getByRole('dialog', { name: 'Provisioning event details' });
  await drawer.getByRole('tab', { name: 'Troubleshooting & Recommendations' }).click();
  await expect(drawer).toContainText('OutOfScope');
  await expect(drawer).toContainText(`clause ${CLAUSE} is false`);
});

test('a clause the engine refuses is refused at Ok, with the pattern as written and what is wrong at the clause', async ({
  page,
}) => {
  await signIn(page);
  await openUserMapping(page);
  await page.getByRole('button', { name: `Source Object Scope: 1 scoping filter: ${FILTER}` }).click();
  const scope = page.getByRole('dialog', { name: 'Source Object Scope' });
  const addButton = scope.getByRole('button', { name: 'Add scoping filters' });
  await addButton.click();
  const add = page.getByRole('dialog', { name: 'Add Scoping Filter' });
  await add.getByRole('textbox', { name: 'Scoping Filter Title' }).fill('Contoso addresses');
  const clause = add.getByRole('row', { name: 'Clause 1', exact: true });
  await pick(page, clause.getByRole('combobox', { name: 'Source attribute' }), 'userPrincipalName');
  await pick(page, clause.getByRole('combobox', { name: 'Operator' }), 'REGEX MATCH');
  const value = clause.getByRole('textbox', { name: 'Clause value' });
  await value.fill('(.*@contoso\\.com');
  await add.getByRole('button', { name: 'Ok' }).click();

  // The dialog stays open; the clause says what is wrong with the pattern the person wrote.
  const message = "'(.*@contoso\\.com' is not a valid regular expression: unterminated group.";
  await expect(clause).toContainText(message);
  await expect(clause).not.toContainText('^(?:');
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await expect(add).toBeVisible();
  // Once the value changes, the message goes; a valid pattern is accepted.
  await value.fill('.*@contoso\\.com');
  await expect(clause).not.toContainText(message);
  await add.getByRole('button', { name: 'Ok' }).click();
  await expect(add).toBeHidden();
  await expect(addButton).toBeFocused();
  await scope.getByRole('button', { name: 'Done' }).click();

  // Nothing saved yet: Discard returns to the saved filter.
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(
    page.getByRole('button', { name: `Source Object Scope: 1 scoping filter: ${FILTER}` }),
  ).toBeVisible();
});

test.afterAll(async () => {
  // Leave the application as the other specs expect it: the demo's scoping filter only (the
  // contractor is then provisioned like every assigned user), every change settled.
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  const url = `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/schema`;
  const current = await json<SynchronizationSchema>(api, url);
  const restoredAt = new Date();
  const put = await api.put(url, { data: { ...originalSchema, version: current.version } });
  expect(put.status()).toBe(204);
  if (job.schedule.state === 'Active' && current.version !== originalSchema.version) {
    await waitForQuietJob(api, sp.id, restoredAt, 90_000);
  }
});
