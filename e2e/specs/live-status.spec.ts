import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E } from '../playwright.config';
import { jobOf, openApp, signIn, waitForQuietJob } from '../support/portal';
import { ok, OwnApp } from '../support/own-app';
import { adminApi, sampleApp } from '../support/stack';

// Each test works on applications of its own, provisioning users of its own into the sample app, and
// removes them, their users and their accounts at the end, with the sample app's fault switches off.

const FAULTS = `http://127.0.0.1:${E2E.samplePort}/admin/faults`;

async function setFaults(faults: Record<string, number>): Promise<void> {
  const res = await fetch(FAULTS, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`sample app PUT /admin/faults: ${res.status} ${await res.text()}`);
}

/**
 * An application provisioning into the sample app one request at a time, with `users` assigned
 * users of its own; `remove()` takes the application, its users and their accounts away again.
 */
async function sampleTarget(
  api: APIRequestContext,
  name: string,
  stamp: string,
  options: { users: number; token?: string },
): Promise<OwnApp> {
  const app = await OwnApp.create(api, name, stamp);
  await app.saveCredentials(sampleApp.baseUrl, options.token ?? sampleApp.token());
  await ok(
    await api.patch(app.jobUrl, {
      data: { synchronizationJobSettings: [{ name: 'MaxConcurrentExports', value: '1' }] },
    }),
    'one request at a time',
  );
  for (let i = 0; i < options.users; i++) {
    const user = await app.newUser(`User${i}`, {
      givenName: `User${i}`,
      surname: name,
      accountEnabled: true,
    });
    await app.assign(user.id);
  }
  return app;
}

test('after Start the overview shows Queued at once, then In progress with a moving progress bar within a second of the worker taking the job, then the result and the next cycle; Restart shows Queued then In progress again', async ({
  page,
}) => {
  const api = await adminApi();
  const stamp = Date.now().toString(36);
  // Busy apps keep every job slot of the one worker on a cycle, so Live stays queued long enough to
  // be seen; all cycles last several seconds (one request at a time, each answered after 150 ms).
  const busy: OwnApp[] = [];
  for (let i = 0; i < E2E.workerJobs; i++) {
    busy.push(await sampleTarget(api, `Busy App ${i} ${stamp}`, `${stamp}b${i}`, { users: 30 }));
  }
  const liveName = `Live App ${stamp}`;
  const live = await sampleTarget(api, liveName, `${stamp}l`, { users: 25 });
  /** Starts or restarts every busy app and waits until all of them run an initial cycle. */
  const occupyWorker = async (action: 'start' | 'restart') => {
    for (const app of busy) {
      const data = action === 'restart' ? { criteria: { resetScope: 'Watermark' } } : undefined;
      expect((await api.post(`${app.jobUrl}/${action}`, { data })).status()).toBe(204);
    }
    for (const app of busy) {
      await expect
        .poll(
          async () => {
            const { status } = await jobOf(api, app.spId);
            return status.activity === 'InProgress' ? status.currentCycle?.cycleKind : status.activity;
          },
          { timeout: 30_000, intervals: [100] },
        )
        .toBe('Initial');
    }
  };
  await setFaults({ latencyMs: 150 });
  try {
    await signIn(page);
    await openApp(page, 'Provisioning', liveName);
    const overview = page.getByRole('region', { name: 'Current cycle status' });
    await expect(overview.getByText('Next cycle: none while provisioning is off')).toBeVisible();

    await occupyWorker('start');

    // Start: Queued within a second of the click, while the worker is busy with the other jobs.
    await overview.getByRole('button', { name: 'Start provisioning', exact: true }).click();
    await expect(overview.getByLabel('Activity: Queued')).toBeVisible({ timeout: 1_500 });
    await expect(overview.getByText('A cycle is queued')).toBeVisible();
    await expect(
      overview.getByText('Next cycle: now, once the provisioning service picks it up'),
    ).toBeVisible();
    expect((await jobOf(api, live.spId)).status.activity).toBe('Queued');

    // The worker takes the job: In progress with the progress bar within a second.
    await expect
      .poll(async () => (await jobOf(api, live.spId)).status.activity, { timeout: 60_000, intervals: [100] })
      .toBe('InProgress');
    await expect(overview.getByLabel('Activity: In progress')).toBeVisible({ timeout: 1_500 });
    // The cycle's bar, by its name: a chart of the region shows a spinner (also a progressbar) while it loads.
    const bar = overview.getByRole('progressbar', { name: 'Initial cycle in progress' });
    await expect(bar).toBeVisible({ timeout: 1_500 });
    await expect(overview.getByText('Initial cycle in progress')).toBeVisible();

    // The bar moves: processed of total, as the worker saves its progress every second.
    const done = async () => Number((await bar.getAttribute('aria-valuenow')) ?? '0');
    await expect.poll(done, { timeout: 15_000, intervals: [200] }).toBeGreaterThan(0);
    const first = await done();
    await expect(bar).toHaveAttribute('aria-valuemax', '25');
    await expect.poll(done, { timeout: 15_000, intervals: [200] }).toBeGreaterThan(first);
    await expect(overview.getByText(/% complete \(\d+ of 25 users\)/)).toBeVisible();

    // The result, within a second of the cycle's end, then the next cycle's time.
    await expect
      .poll(async () => (await jobOf(api, live.spId)).status.lastExecution?.state, {
        timeout: 60_000,
        intervals: [100],
      })
      .toBe('Succeeded');
    await expect(overview.getByText(/^Initial cycle completed/)).toBeVisible({ timeout: 1_500 });
    await expect(
      overview.getByText(/^Next cycle: (in (less than a minute|\d+ minutes?), at |now)/),
    ).toBeVisible();

    // Restart, while the worker is busy again: Queued within a second of confirming, then In progress.
    await occupyWorker('restart');
    await overview.getByRole('button', { name: 'Restart provisioning' }).click();
    await page
      .getByRole('alertdialog', { name: 'Restart provisioning' })
      .getByRole('button', { name: 'Yes' })
      .click();
    await expect(overview.getByLabel('Activity: Queued')).toBeVisible({ timeout: 1_500 });
    await expect
      .poll(async () => (await jobOf(api, live.spId)).status.currentCycle?.cycleKind, {
        timeout: 60_000,
        intervals: [100],
      })
      .toBe('Initial');
    await expect(overview.getByLabel('Activity: In progress')).toBeVisible({ timeout: 1_500 });
    await expect(overview.getByRole('progressbar', { name: /cycle in progress$/ })).toBeVisible({
      timeout: 1_500,
    });
  } finally {
    await setFaults({});
    for (const app of [...busy, live]) await app.remove();
  }
});

test('an application whose cycle fails on a rejected token is listed on the Overview with the reason, and its link opens its Provisioning page', async ({
  page,
}) => {
  const api = await adminApi();
  const stamp = Date.now().toString(36);
  const name = `Wrong Token App ${stamp}`;
  const app = await sampleTarget(api, name, stamp, { users: 1, token: 'not-the-sample-app-token' });
  const since = new Date();
  try {
    expect((await api.post(`${app.jobUrl}/start`)).status()).toBe(204);
    await waitForQuietJob(api, app.spId, since);
    expect((await jobOf(api, app.spId)).status.quarantine).toMatchObject({
      reason: 'EncounteredQuarantineException',
      error: { code: 'Unauthorized' },
    });

    // The Overview, through the main navigation (the portal routes it without reloading the page).
    await signIn(page);
    const home = page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview', exact: true });
    await home.click();
    const attention = page.getByRole('list', { name: 'Applications needing attention' });
    const item = attention
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(item).toContainText(
      'The application rejects the admin credentials (Unauthorized): The target application rejected the Secret Token (HTTP 401).',
    );
    await expect(item).toContainText('Provisioning is quarantined (EncounteredQuarantineException)');
    await expect(item).toContainText('Enter a working Secret Token');

    // The Applications list says it too.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Enterprise applications' })
      .click();
    await page.getByLabel('Search applications').fill(name);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toContainText('Quarantined');
    await expect(row.getByRole('img', { name: /^Needs attention: The application rejects/ })).toBeVisible();

    await home.click();
    await item.getByRole('link', { name: 'Open Provisioning' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: `${name} | Provisioning` })).toBeVisible();
    await expect(page.getByText('Provisioning has been quarantined')).toBeVisible();
  } finally {
    await app.remove();
  }
});
