import { expect, test } from '@playwright/test';
import type { AppRoleAssignment, ServicePrincipal, User } from '@provisio/contracts';
import { adminApi, findApp, provisioningEvents, sampleApp } from '../support/stack';
import { APP, jobOf, openApp, signIn, waitForQuietJob } from '../support/portal';

// The first test works on an application of its own, whose Tenant URL points at a loopback port where
// nothing listens; it leaves that job paused. The second provisions users of its own into the sample
// app and unassigns them, leaving their accounts disabled and the job's threshold as it found it.

test('an application that cannot be reached is quarantined after its first cycle, the overview says why and what to do, and its accidental deletion threshold is set in Settings', async ({
  page,
}) => {
  const api = await adminApi();
  const stamp = Date.now().toString(36);
  const name = `Unreachable App ${stamp}`;
  const created = await api.post('/api/v1.0/servicePrincipals', { data: { displayName: name } });
  expect(created.status()).toBe(201);
  const sp = (await created.json()) as ServicePrincipal;
  expect(
    (
      await api.post(`/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs`, {
        data: { templateId: 'scim' },
      })
    ).status(),
  ).toBe(201);
  const secrets = await api.put(`/api/v1.0/servicePrincipals/${sp.id}/synchronization/secrets`, {
    data: {
      value: [
        { key: 'BaseAddress', value: 'http://127.0.0.1:1/scim/v2' },
        { key: 'SecretToken', value: 'unused-token' },
      ],
    },
  });
  expect(secrets.status(), await secrets.text()).toBe(204);
  const userRes = await api.post('/api/v1.0/users', {
    data: {
      userPrincipalName: `zack.unreachable.${stamp}@contoso.com`,
      displayName: `Zack Unreachable${stamp}`,
      accountEnabled: true,
    },
  });
  expect(userRes.status()).toBe(201);
  const user = (await userRes.json()) as User;
  expect(
    (
      await api.post(`/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, {
        data: { principalId: user.id },
      })
    ).status(),
  ).toBe(201);

  const job = await jobOf(api, sp.id);
  const since = new Date();
  expect(
    (await api.post(`/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/start`)).status(),
  ).toBe(204);
  await waitForQuietJob(api, sp.id, since);
  const quarantined = await jobOf(api, sp.id);
  expect(quarantined.status).toMatchObject({
    code: 'Quarantine',
    quarantine: { reason: 'EncounteredQuarantineException' },
  });

  await signIn(page);
  await openApp(page, 'Provisioning', name);
  const banner = page.getByText('Provisioning has been quarantined').locator('..');
  await expect(banner).toContainText('EncounteredQuarantineException');
  await expect(banner).toContainText('Check the Tenant URL and Secret Token');
  await expect(page.getByText('Quarantined', { exact: true }).first()).toBeVisible();

  // Settings → Prevent accidental deletion: the threshold is saved with the page.
  const settings = page.getByRole('button', { name: 'Settings' });
  if ((await settings.getAttribute('aria-expanded')) !== 'true') await settings.click();
  await expect(page.getByRole('checkbox', { name: 'Prevent accidental deletion' })).toBeChecked();
  // This stack runs without a mail server: the page says so, and the test email cannot be sent.
  await expect(page.getByText('Mail is not configured')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send test email' })).toBeDisabled();
  await page.getByLabel('Accidental deletion threshold').fill('3');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect
    .poll(async () => (await jobOf(api, sp.id)).synchronizationJobSettings)
    .toEqual(
      expect.arrayContaining([
        { name: 'DeleteThresholdEnabled', value: 'true' },
        { name: 'QuarantineTooManyDeletesThreshold', value: '3' },
      ]),
    );

  expect(
    (await api.post(`/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/pause`)).status(),
  ).toBe(204);
});

test('a cycle that would disable more accounts than the threshold is quarantined; Allow deletes on the overview lets the next cycle disable them', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  const jobUrl = `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}`;
  const threshold = job.synchronizationJobSettings.find(
    (s) => s.name === 'QuarantineTooManyDeletesThreshold',
  );

  // Three people of this test, assigned and provisioned (provisioning on, unless a spec turned it on).
  const stamp = Date.now().toString(36);
  const people: { user: User; assignment: AppRoleAssignment }[] = [];
  for (const name of ['Dora', 'Dan', 'Dina']) {
    const created = await api.post('/api/v1.0/users', {
      data: {
        userPrincipalName: `${name.toLowerCase()}.deletes.${stamp}@contoso.com`,
        displayName: `${name} Deletes${stamp}`,
        givenName: name,
        surname: `Deletes${stamp}`,
        department: 'Legal',
        accountEnabled: true,
      },
    });
    expect(created.status()).toBe(201);
    const user = (await created.json()) as User;
    const assigned = await api.post(`/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, {
      data: { principalId: user.id },
    });
    expect(assigned.status()).toBe(201);
    people.push({ user, assignment: (await assigned.json()) as AppRoleAssignment });
  }
  if (job.schedule.state !== 'Active') expect((await api.post(`${jobUrl}/start`)).status()).toBe(204);
  for (const { user } of people) {
    await expect
      .poll(async () => (await sampleApp.userByUserName(user.userPrincipalName))?.active, {
        timeout: 60_000,
        intervals: [1000],
      })
      .toBe(true);
  }

  // A threshold of 2, then three unassignments: the next cycle holds the removals and quarantines the job.
  const patched = await api.patch(jobUrl, {
    data: { synchronizationJobSettings: [{ name: 'QuarantineTooManyDeletesThreshold', value: '2' }] },
  });
  expect(patched.status(), await patched.text()).toBe(200);
  try {
    for (const { assignment } of people) {
      const removed = await api.delete(
        `/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo/${assignment.id}`,
      );
      expect(removed.status()).toBe(204);
    }
    await expect
      .poll(async () => (await jobOf(api, sp.id)).status.quarantine?.reason, {
        timeout: 60_000,
        intervals: [1000],
      })
      .toBe('TooManyDeletes');
    for (const { user } of people)
      expect((await sampleApp.userByUserName(user.userPrincipalName))?.active).toBe(true);

    // The overview names the reason and offers Allow deletes.
    await signIn(page);
    await openApp(page, 'Provisioning');
    const banner = page.getByText('Provisioning has been quarantined').locator('..');
    await expect(banner).toContainText('TooManyDeletes');
    await expect(banner).toContainText('accidental deletion threshold');
    const allowedAt = new Date();
    await banner.getByRole('button', { name: 'Allow deletes' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Allow deletes' });
    await expect(confirm).toContainText('StagedDelete');
    await confirm.getByRole('button', { name: 'Yes' }).click();
    await expect(
      page.getByText('Deletes allowed. The next cycle carries out the held removals.').first(),
    ).toBeVisible();

    // The next cycle disables the three accounts, and the quarantine ends.
    for (const { user } of people) {
      await expect
        .poll(async () => (await sampleApp.userByUserName(user.userPrincipalName))?.active, {
          timeout: 60_000,
          intervals: [1000],
        })
        .toBe(false);
    }
    await expect(page.getByText('Provisioning has been quarantined')).toBeHidden({ timeout: 30_000 });
    const disables = await provisioningEvents(
      api,
      `servicePrincipal/id eq '${sp.id}' and provisioningAction eq 'disable' and activityDateTime ge ${allowedAt.toISOString()}`,
    );
    const disabledIds = new Set(disables.map((e) => e.sourceIdentity.id));
    for (const { user } of people) expect(disabledIds.has(user.id)).toBe(true);

    // The provisioning logs show the Disable events.
    await openApp(page, 'Provisioning logs');
    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'Disable', exact: true }).click();
    await expect(page).toHaveURL(/action=disable/);
    const table = page.getByRole('table', { name: 'Provisioning events' });
    for (const { user } of people) {
      await expect(table.getByRole('row', { name: new RegExp(user.displayName) }).first()).toContainText(
        'Disable',
      );
    }
  } finally {
    // The threshold as it was (an empty value brings the default back).
    const restoredAt = new Date();
    const restored = await api.patch(jobUrl, {
      data: {
        synchronizationJobSettings: [
          { name: 'QuarantineTooManyDeletesThreshold', value: threshold?.value ?? '' },
        ],
      },
    });
    expect(restored.status()).toBe(200);
    const after = await jobOf(api, sp.id);
    if (after.status.quarantine) {
      const restart = await api.post(`${jobUrl}/restart`, {
        data: { criteria: { resetScope: 'ForceDeletes' } },
      });
      expect(restart.status()).toBe(204);
    }
    if (after.schedule.state === 'Active') await waitForQuietJob(api, sp.id, restoredAt);
  }
});
