import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { Account, Collection, Cycle, Role, SynchronizationJob } from '@provisio/contracts';
import { E2E } from '../playwright.config';
import { json } from './stack';

/** The application the demo directory configures, which the specs provision into. */
export const APP = 'Sample SCIM App';
export const USER_MAPPING = 'Provision Provisio Directory Users';

/** Signs in through the sign-in page (the e2e administrator unless told otherwise). */
export async function signIn(page: Page, userName = E2E.admin.userName, password = E2E.admin.password) {
  await page.goto('/sign-in');
  await page.getByLabel('User name').fill(userName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Opens the account menu of the top bar (Change password, Sign out, Sign out everywhere). */
export async function openAccountMenu(page: Page) {
  await page
    .getByRole('banner')
    .getByRole('button', { name: /^Account:/ })
    .click();
  return page.getByRole('menu');
}

/** A portal account with a role, created through the API by the e2e administrator. */
export async function createAccount(
  api: APIRequestContext,
  role: Role,
  prefix: string,
): Promise<Account & { password: string }> {
  const password = `${prefix} password ${Date.now()}`;
  const res = await api.post('/api/accounts', {
    data: { userName: `${prefix}.${Date.now()}`, role, password },
  });
  if (res.status() !== 201) throw new Error(`POST /api/accounts: ${res.status()} ${await res.text()}`);
  return { ...((await res.json()) as Account), password };
}

/** Enterprise applications → the application → one of its sections, as a person clicks there. */
export async function openApp(
  page: Page,
  section: 'Provisioning' | 'Users and groups' | 'Provisioning logs',
  app = APP,
) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Enterprise applications' })
    .click();
  await page.getByRole('link', { name: app, exact: true }).click();
  await page
    .getByRole('navigation', { name: 'Application' })
    .getByRole('link', { name: section, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: `${app} | ${section}` })).toBeVisible();
}

/** Provisioning → Mappings → the user mapping's Attribute Mapping page. */
export async function openUserMapping(page: Page) {
  await openApp(page, 'Provisioning');
  await page.getByRole('link', { name: USER_MAPPING }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${APP} | Attribute Mapping` })).toBeVisible();
  await expect(page.getByRole('heading', { name: USER_MAPPING })).toBeVisible();
}

export async function jobOf(api: APIRequestContext, spId: string): Promise<SynchronizationJob> {
  const jobs = await json<Collection<SynchronizationJob>>(
    api,
    `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`,
  );
  const job = jobs.value[0];
  if (!job) throw new Error(`application ${spId} has no provisioning job`);
  return job;
}

/** Waits until no cycle is running and one has ended after `since`: the worker has settled every change. */
export async function waitForQuietJob(api: APIRequestContext, spId: string, since: Date, timeout = 60_000) {
  await expect
    .poll(
      async () => {
        const job = await jobOf(api, spId);
        const cycles = await json<Collection<Cycle>>(
          api,
          `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${job.id}/cycles?$top=1`,
        );
        const last = cycles.value[0];
        return (
          job.status.currentCycle === null &&
          last !== undefined &&
          last.endedAt !== null &&
          new Date(last.beganAt) > since
        );
      },
      { timeout, intervals: [1000] },
    )
    .toBe(true);
}

/** Picks an option of a Fluent dropdown (its list opens in a portal, outside the field). */
export async function pickOption(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}
