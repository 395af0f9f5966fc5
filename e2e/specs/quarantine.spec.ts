import { expect, test } from '@playwright/test';
import type { ServicePrincipal, User } from '@provisio/contracts';
import { adminApi } from '../support/stack';
import { jobOf, openApp, signIn, waitForQuietJob } from '../support/portal';

// This spec works on an application of its own, whose Tenant URL points at a loopback port where
// nothing listens; the other specs' application is not touched. It leaves that job paused.

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
