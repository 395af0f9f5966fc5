import { expect, test, type Page } from '@playwright/test';
import type { Collection, Group } from '@provisio/contracts';
import { APP, createAccount, jobOf, openAccountMenu, openApp, signIn } from '../support/portal';
import { adminApi, findApp, json } from '../support/stack';

const READ_PAGES = [
  'Overview',
  'Users',
  'Deleted users',
  'Extension attributes',
  'Groups',
  'Enterprise applications',
  'Provisioning logs',
  'Audit logs',
];

/** `/accounts` or `/tokens` typed in the address bar by a role that may not open them. */
async function expectNotAllowed(page: Page, path: string, title: string) {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('You are not allowed to open this page')).toBeVisible();
  await expect(page.getByText(/Only Administrators manage/)).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^New / })).toHaveCount(0);
}

test('an Application Administrator configures provisioning of an application but sees no Accounts or API tokens, which answer "not allowed" when typed', async ({
  page,
}) => {
  const api = await adminApi();
  const account = await createAccount(api, 'ApplicationAdministrator', 'appadmin');
  const sp = await findApp(api, APP);
  const before = await jobOf(api, sp.id);
  const threshold = before.synchronizationJobSettings.find(
    (s) => s.name === 'QuarantineTooManyDeletesThreshold',
  );
  const jobUrl = `/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${before.id}`;

  try {
    await signIn(page, account.userName, account.password);
    await expect(page.getByRole('banner')).toContainText('Application Administrator');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link')).toHaveText(READ_PAGES);

    // Provisioning → Settings: the threshold is saved with the page, as an Administrator would.
    await openApp(page, 'Provisioning');
    await expect(page.getByRole('button', { name: /^(Stop|Start) provisioning$/ })).toBeEnabled();
    await expect(page.getByText(/can read this page but not change it/)).toHaveCount(0);
    const settings = page.getByRole('button', { name: 'Settings' });
    if ((await settings.getAttribute('aria-expanded')) !== 'true') await settings.click();
    await expect(page.getByRole('checkbox', { name: 'Prevent accidental deletion' })).toBeChecked();
    await page.getByLabel('Accidental deletion threshold').fill('777');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(async () => (await jobOf(api, sp.id)).synchronizationJobSettings)
      .toEqual(expect.arrayContaining([{ name: 'QuarantineTooManyDeletesThreshold', value: '777' }]));
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();

    // The mappings open with their editing controls.
    await page.getByRole('link', { name: /Provision Provisio Directory Users/ }).click();
    await expect(page.getByRole('button', { name: 'Add New Mapping' })).toBeEnabled();
    await expect(page.getByRole('button', { name: /^Edit mapping to / }).first()).toBeEnabled();

    // Accounts and API tokens are for Administrators only, even typed in the address bar.
    await expectNotAllowed(page, '/accounts', 'Accounts');
    await expectNotAllowed(page, '/tokens', 'API tokens');
  } finally {
    const restored = await api.patch(jobUrl, {
      data: {
        synchronizationJobSettings: [
          { name: 'QuarantineTooManyDeletesThreshold', value: threshold?.value ?? '' },
        ],
      },
    });
    expect(restored.status()).toBe(200);
    await api.delete(`/api/accounts/${account.id}`);
  }
});

/** Every command that changes something, by the names the pages give them. */
const WRITE_NAME =
  /^(New (user|group|application|account|token)|Add user\/group|Remove|(Start|Stop|Restart) provisioning|Run now|Preview next cycle|Provision on demand|Provision|Retry|Save|Discard|Test Connection|Send test email|Allow deletes|Add New Mapping|Add scoping filters|Edit attribute list.*|Expression builder|Run this plan|Preview again|Edit.*|Delete.*|Revoke.*|Change role.*)$/;

async function expectNoWriteControl(page: Page) {
  const writes = page
    .getByRole('main')
    .getByRole('button', { name: WRITE_NAME })
    .or(page.getByRole('main').getByRole('link', { name: /^(Edit attribute list|Expression builder)/ }))
    .or(page.getByRole('menuitem', { name: WRITE_NAME }));
  await expect(writes).toHaveCount(0);
}

test('a Reports Reader reads every page of the portal and finds no command that changes anything', async ({
  page,
}) => {
  const api = await adminApi();
  const account = await createAccount(api, 'ReportsReader', 'reader');
  const sp = await findApp(api, APP);
  const groups = await json<Collection<Group>>(api, '/api/v1.0/groups?$top=1');
  const forbidden: string[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/') && res.status() === 403) forbidden.push(res.url());
  });

  try {
    await signIn(page, account.userName, account.password);
    await expect(page.getByRole('banner')).toContainText('Reports Reader');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(READ_PAGES);
    const note = page.getByText('Your role (Reports Reader) can read this page but not change it');

    const app = `/applications/${sp.id}`;
    // A list is ready once it shows its rows or says it has none.
    const list = (name: string) => () => page.getByRole('table', { name }).or(page.getByRole('status'));
    const visits: { path: string; ready: () => ReturnType<Page['getByRole']>; note?: boolean }[] = [
      { path: '/', ready: () => page.getByRole('group', { name: 'Applications' }).getByText(/^\d/) },
      { path: '/users', ready: list('Users'), note: true },
      {
        path: '/extension-attributes',
        ready: () =>
          page
            .getByRole('table', { name: 'Extension attributes' })
            .or(page.getByText('No extension attributes yet')),
        note: true,
      },
      { path: '/groups', ready: list('Groups'), note: true },
      ...(groups.value[0]
        ? [
            {
              path: `/groups/${groups.value[0].id}`,
              ready: () => page.getByRole('heading', { name: 'Direct members' }),
            },
          ]
        : []),
      {
        path: '/applications',
        ready: list('Enterprise applications'),
        note: true,
      },
      { path: app, ready: () => page.getByRole('heading', { name: 'Getting Started' }) },
      {
        path: `${app}/users-and-groups`,
        ready: list('Assigned users and groups'),
        note: true,
      },
      { path: `${app}/provisioning`, ready: () => page.getByRole('table', { name: 'Mappings' }), note: true },
      {
        path: `${app}/provisioning/on-demand`,
        ready: () => page.getByText(/Provision on demand creates or updates accounts/),
        note: true,
      },
      {
        path: `${app}/provisioning/mappings/0`,
        ready: () => page.getByRole('table', { name: 'Attribute Mappings' }),
        note: true,
      },
      { path: `${app}/provisioning-logs`, ready: list('Provisioning events') },
      { path: `${app}/audit-logs`, ready: list('Audit events') },
      { path: '/provisioning-logs', ready: list('Provisioning events') },
      { path: '/audit-logs', ready: list('Audit events') },
    ];
    for (const visit of visits) {
      await test.step(visit.path, async () => {
        await page.goto(visit.path);
        await expect(visit.ready().first()).toBeVisible();
        if (visit.note) await expect(note).toBeVisible();
        await expectNoWriteControl(page);
      });
    }

    // The Attribute Mapping page reads as text: its choices are shown, not offered.
    await page.goto(`${app}/provisioning/mappings/0`);
    await expect(page.getByRole('table', { name: 'Attribute Mappings' })).toBeVisible();
    for (const action of ['Create', 'Update', 'Delete'])
      await expect(page.getByRole('checkbox', { name: action })).toBeDisabled();
    await page.getByRole('checkbox', { name: 'Show advanced options' }).check();
    await expect(page.getByRole('button', { name: /Review your schema/ })).toBeVisible();
    await expectNoWriteControl(page);

    // The account menu has nothing but the reader's own session in it.
    const menu = await openAccountMenu(page);
    await expect(menu.getByRole('menuitem')).toHaveText([
      'Change password',
      'Sign out',
      'Sign out everywhere',
    ]);
    await page.keyboard.press('Escape');

    await expectNotAllowed(page, '/accounts', 'Accounts');
    await expectNotAllowed(page, '/tokens', 'API tokens');
    // The portal never asked for what the role may not read.
    expect(forbidden).toEqual([]);
  } finally {
    await api.delete(`/api/accounts/${account.id}`);
  }
});

test("an Administrator changes an account's role: its session ends and it signs in with the new role; Sign out everywhere ends every session of an account", async ({
  page,
  browser,
}) => {
  const api = await adminApi();
  const account = await createAccount(api, 'ReportsReader', 'promoted');
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  try {
    await signIn(other, account.userName, account.password);
    await expect(other.getByRole('banner')).toContainText('Reports Reader');

    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: `Change role of ${account.userName}` }).click();
    const dialog = page.getByRole('alertdialog', { name: `Change role of ${account.userName}` });
    await expect(dialog).toContainText('Every session of');
    await expect(dialog.getByRole('button', { name: 'Change role' })).toBeDisabled();
    await dialog.getByRole('radio', { name: /^Application Administrator/ }).check();
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await expect(dialog).toBeHidden();
    const row = page
      .getByRole('table', { name: 'Accounts' })
      .getByRole('row', { name: new RegExp(account.userName) });
    await expect(row).toContainText('Application Administrator');

    // Their session ended: they sign in again, now an Application Administrator.
    await other.reload();
    await expect(other.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await signIn(other, account.userName, account.password);
    await expect(other.getByRole('banner')).toContainText('Application Administrator');

    // Signed in twice, they sign out everywhere from one browser: both sessions end.
    await (await openAccountMenu(page)).getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await signIn(page, account.userName, account.password);
    await (await openAccountMenu(page)).getByRole('menuitem', { name: 'Sign out everywhere' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Sign out everywhere' });
    await expect(confirm).toContainText('every other browser');
    await confirm.getByRole('button', { name: 'Yes' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await other.reload();
    await expect(other.getByRole('button', { name: 'Sign in' })).toBeVisible();
  } finally {
    await otherContext.close();
    await api.delete(`/api/accounts/${account.id}`);
  }
});
