import { expect, test } from '@playwright/test';
import type { SynchronizationSchema, User } from '@provisio/contracts';
import { adminApi, findApp, json, provisioningEvents, sampleApp } from '../support/stack';
import { APP, jobOf, openApp, openUserMapping, signIn, waitForQuietJob } from '../support/portal';

const EXPRESSION = 'Join(" ", [givenName], [surname])';

test.describe.configure({ mode: 'serial' });

let person: User;
let originalSchema: SynchronizationSchema;

test.beforeAll(async () => {
  // A person whose display name is not "given name + surname", so the expression changes it alone.
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const created = await api.post('/api/v1.0/users', {
    data: {
      userPrincipalName: `zuzana.mapping.${Date.now()}@contoso.com`,
      displayName: 'Zuzana Mapping (contractor)',
      givenName: 'Zuzana',
      surname: 'Mapping',
      mail: 'zuzana.mapping@contoso.com',
      department: 'Legal',
      jobTitle: 'Counsel',
    },
  });
  expect(created.status()).toBe(201);
  person = (await created.json()) as User;
  const assigned = await api.post(`/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, {
    data: { principalId: person.id },
  });
  expect(assigned.status()).toBe(201);
  const job = await jobOf(api, sp.id);
  originalSchema = await json<SynchronizationSchema>(
    api,
    `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/schema`,
  );
});

test('an expression built and tested in the builder is saved; the next cycle sends the new value, logged old → new', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  await signIn(page);

  // Provisioning on (unless another spec turned it on already); the person is provisioned as is.
  await openApp(page, 'Provisioning');
  const status = page.getByRole('switch', { name: 'Provisioning Status' });
  if (!(await status.isChecked())) {
    await status.check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Provisioning is on: cycles run on the schedule.')).toBeVisible();
  }
  await expect
    .poll(async () => (await sampleApp.userByUserName(person.userPrincipalName))?.displayName, {
      timeout: 60_000,
      intervals: [1000],
    })
    .toBe('Zuzana Mapping (contractor)');

  // Mappings → the user mapping → Edit the displayName row.
  await openUserMapping(page);
  const table = page.getByRole('table', { name: 'Attribute Mappings' });
  await expect(table.getByRole('row', { name: 'Mapping to displayName', exact: true })).toContainText(
    'displayName',
  );
  await expect(page.getByRole('button', { name: 'Delete mapping to userName' })).toBeDisabled();
  await page.getByRole('button', { name: 'Edit mapping to displayName' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Attribute' });
  await edit.getByRole('combobox', { name: 'Mapping type' }).click();
  await page.getByRole('option', { name: 'Expression', exact: true }).click();
  await edit.getByRole('button', { name: 'Expression builder' }).click();

  // Assemble the expression: the function from the picker, the attributes from theirs.
  const builder = page.getByRole('dialog', { name: 'Expression builder' });
  const editor = builder.getByRole('textbox', { name: 'Expression' });
  await builder.getByRole('combobox', { name: 'Function' }).fill('Join');
  await page.getByRole('option', { name: 'Join', exact: true }).click();
  await expect(builder.getByText('Join(separator, source, …)')).toBeVisible();
  await builder.getByRole('button', { name: 'Insert function' }).click();
  await expect(editor).toHaveValue('Join()');
  await expect(editor).toBeFocused();
  await page.keyboard.type('" ", ');
  for (const [attribute, after] of [
    ['givenName', ', '],
    ['surname', ''],
  ] as const) {
    await builder.getByRole('combobox', { name: 'Attribute' }).click();
    await page.getByRole('option', { name: attribute, exact: true }).click();
    await builder.getByRole('button', { name: 'Insert attribute' }).click();
    await expect(editor).toBeFocused();
    if (after) await page.keyboard.type(after);
  }
  await expect(editor).toHaveValue(EXPRESSION);

  // Test it against the person, picked by search.
  await builder.getByRole('combobox', { name: 'Directory user' }).fill('Zuzana');
  await page
    .getByRole('option', { name: new RegExp(person.userPrincipalName.replace(/\./g, '\\.')) })
    .click();
  await builder.getByRole('button', { name: 'Test expression' }).click();
  const output = builder.getByRole('region', { name: 'Expression output' });
  await expect(output.getByText('Zuzana Mapping', { exact: true })).toBeVisible();
  const read = output.getByRole('list', { name: 'Attributes read' });
  await expect(read).toContainText('[givenName] = Zuzana');
  await expect(read).toContainText('[surname] = Mapping');

  // Use it, Ok, Save.
  await builder.getByRole('button', { name: 'Use this expression' }).click();
  await expect(builder).toBeHidden();
  await expect(edit.getByRole('textbox', { name: 'Expression' })).toHaveValue(EXPRESSION);
  await edit.getByRole('button', { name: 'Ok' }).click();
  await expect(edit).toBeHidden();
  await expect(table.getByRole('row', { name: 'Mapping to displayName', exact: true })).toContainText(
    EXPRESSION,
  );
  const savedAt = new Date();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(`Saved the attribute mappings of ${APP}`, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();

  // The next cycle sends the new value to the sample app…
  await expect
    .poll(async () => (await sampleApp.userByUserName(person.userPrincipalName))?.displayName, {
      timeout: 60_000,
      intervals: [1000],
    })
    .toBe('Zuzana Mapping');
  // …and only to the person whose value changed: the demo users' display names already read so.
  // The worker commits the event a moment after the sample app answers (its writes commit in
  // groups), so the log is read until it holds it.
  const updatesOfPerson = async () =>
    (
      await provisioningEvents(
        api,
        `servicePrincipal/id eq '${sp.id}' and provisioningAction eq 'update' and activityDateTime ge ${savedAt.toISOString()}`,
      )
    ).filter((e) => e.sourceIdentity.id === person.id);
  await expect.poll(updatesOfPerson, { timeout: 10_000, intervals: [250] }).toHaveLength(1);
  const mine = await updatesOfPerson();
  expect(mine).toHaveLength(1);
  expect(mine[0]!.modifiedProperties).toEqual([
    { displayName: 'displayName', oldValue: 'Zuzana Mapping (contractor)', newValue: 'Zuzana Mapping' },
  ]);

  // The portal shows the update with its old and new value.
  await openApp(page, 'Provisioning logs');
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Update', exact: true }).click();
  await expect(page).toHaveURL(/action=update/);
  const row = page
    .getByRole('table', { name: 'Provisioning events' })
    .getByRole('row', { name: /Zuzana Mapping/ });
  await expect(row).toHaveCount(1);
  await row.click();
  const drawer = page.getByRole('dialog', { name: 'Provisioning event details' });
  await drawer.getByRole('tab', { name: 'Modified Properties' }).click();
  const property = drawer
    .getByRole('table', { name: 'Modified properties' })
    .getByRole('row', { name: /displayName/ });
  await expect(property).toContainText('Zuzana Mapping (contractor)');
  await expect(property.getByRole('cell').nth(2)).toHaveText('Zuzana Mapping');
});

test('Ok on Edit Attribute refuses an invalid expression with its position, and an unknown attribute with the known ones; focus returns after Esc', async ({
  page,
}) => {
  await signIn(page);
  await openUserMapping(page);
  const editButton = page.getByRole('button', { name: 'Edit mapping to displayName' });
  await editButton.click();
  const edit = page.getByRole('dialog', { name: 'Edit Attribute' });
  const expression = edit.getByRole('textbox', { name: 'Expression' });

  // A missing parenthesis: the dialog stays open, the error is marked where it is.
  await expression.fill('Join(');
  await edit.getByRole('button', { name: 'Ok' }).click();
  await expect(edit.getByText(/is invalid at line 1, column \d+/)).toBeVisible();
  await expect(
    edit.getByRole('group', { name: /^Expression with the error at line 1, column \d+ highlighted$/ }),
  ).toBeVisible();
  await expect(edit).toBeVisible();

  // A misspelt function: marked at its name.
  await expression.fill('Joinn(",", [givenName])');
  await edit.getByRole('button', { name: 'Ok' }).click();
  await expect(edit.getByText(/did you mean "Join"/).first()).toBeVisible();
  await expect(edit.locator('mark')).toHaveText('Joinn');

  // An attribute the directory does not have: flagged at its place, with the attributes that exist.
  await expression.fill('Join(" ", [givenName], [notAnAttribute])');
  await edit.getByRole('button', { name: 'Ok' }).click();
  await expect(edit.getByText(/reads \[notAnAttribute\] \(line 1, column 24\)/)).toBeVisible();
  await expect(edit.getByText(/the known attributes are: .*givenName/)).toBeVisible();
  await expect(edit.locator('mark')).toHaveText('[notAnAttribute]');
  await expect(edit).toBeVisible();

  // Esc closes without a change, and focus is back on the button that opened the dialog.
  await page.keyboard.press('Escape');
  await expect(edit).toBeHidden();
  await expect(editButton).toBeFocused();
  await expect(page.getByRole('button', { name: 'Discard' })).toBeDisabled();
  await expect(
    page
      .getByRole('table', { name: 'Attribute Mappings' })
      .getByRole('row', { name: 'Mapping to displayName', exact: true }),
  ).toContainText(EXPRESSION);
});

test.afterAll(async () => {
  // Leave the application as the other specs expect it: the default mappings, every change settled.
  const api = await adminApi();
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
