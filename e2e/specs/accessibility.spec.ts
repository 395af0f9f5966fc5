import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { Collection, Group, User } from '@provisio/contracts';
import { adminApi, findApp, json } from '../support/stack';
import { APP, jobOf, signIn } from '../support/portal';

/**
 * Every route of the portal (apps/web/src/routes.tsx) passes axe's WCAG 2.1 A and AA rules with no
 * serious or critical violation, signed out (the sign-in page) and signed in as an administrator.
 */
test.describe.configure({ mode: 'serial' });

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The serious and critical violations of the page as it is now, one line each, to read in a failure. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Tabster's focus sentinels (Fluent UI's focus management) are hidden, focusable by design and
  // hand focus on at once; axe cannot tell, so they are left out.
  const results = await new AxeBuilder({ page }).withTags(WCAG).exclude('[data-tabster-dummy]').analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`)
          .join(' | ')}`,
    );
}

/** Opens a path and waits until its page has drawn its heading and its data. */
async function visit(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 20_000 });
}

test('the sign-in page has no serious or critical accessibility violation', async ({ page }) => {
  await visit(page, '/sign-in');
  expect(await seriousViolations(page)).toEqual([]);
});

/** Visits each path signed in and collects the serious and critical violations by path. */
async function checkPages(page: Page, paths: readonly string[]) {
  await signIn(page);
  const found: Record<string, string[]> = {};
  for (const path of paths) {
    await visit(page, path);
    const violations = await seriousViolations(page);
    if (violations.length > 0) found[path] = violations;
  }
  expect(found).toEqual({});
}

// The pages are checked in two tests, each within the test time limit on a busy two-core machine.
test('every page of the directory, the logs and the settings has no serious or critical accessibility violation', async ({
  page,
}) => {
  const api = await adminApi();
  const users = await json<Collection<User>>(api, '/api/v1.0/users?$top=1');
  const groups = await json<Collection<Group>>(api, '/api/v1.0/groups?$top=1');
  const user = users.value[0];
  const group = groups.value[0];
  await checkPages(page, [
    '/',
    '/users',
    ...(user ? [`/users/${user.id}`] : []),
    '/deleted-users',
    '/extension-attributes',
    '/groups',
    ...(group ? [`/groups/${group.id}`] : []),
    '/provisioning-logs',
    ...(user ? [`/provisioning-logs/objects/${user.id}`] : []),
    '/audit-logs',
    '/accounts',
    '/tokens',
    '/no-such-page',
  ]);
});

test('every page of the applications, the gallery and provisioning has no serious or critical accessibility violation', async ({
  page,
}) => {
  const api = await adminApi();
  const sp = await findApp(api, APP);
  const job = await jobOf(api, sp.id);
  const preview = await api.post(
    `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${job.id}/previews`,
    { data: {} },
  );
  expect(preview.status(), await preview.text()).toBe(202);
  const previewId = ((await preview.json()) as { id: string }).id;

  const app = `/applications/${sp.id}`;
  await checkPages(page, [
    '/applications',
    '/applications/gallery',
    '/applications/gallery/slack',
    app,
    `${app}/users-and-groups`,
    `${app}/app-roles`,
    `${app}/provisioning`,
    `${app}/provisioning/tutorial`,
    `${app}/provisioning/mappings/0`,
    `${app}/provisioning/on-demand`,
    `${app}/provisioning/explain`,
    `${app}/provisioning/previews/${previewId}`,
    `${app}/provisioning-logs`,
    `${app}/audit-logs`,
  ]);
});

test('the audit event details drawer has no serious or critical violation, and Esc gives focus back to its row', async ({
  page,
}) => {
  // An audit event to open: adding a user is one.
  const api = await adminApi();
  const created = await api.post('/api/v1.0/users', {
    data: {
      userPrincipalName: `axe.check.${Date.now()}@contoso.com`,
      displayName: 'Axe Check',
      accountEnabled: true,
    },
  });
  expect(created.status()).toBe(201);

  await signIn(page);
  await visit(page, '/audit-logs');
  const row = page.getByRole('table', { name: 'Audit events' }).getByRole('row').nth(1);
  await row.focus();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: 'Audit event details' });
  await expect(drawer).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(row).toBeFocused();
});
