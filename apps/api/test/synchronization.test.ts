import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  createAppWithJob,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';

let t: TestContext;
const TOKEN = 'super-secret-token-7f3a9c';
beforeAll(async () => {
  t = await startTestApp({ cycleIntervalSeconds: 600 });
});
afterAll(async () => {
  await t.close();
});

const jobUrl = (spId: string, jobId: string, rest = '') =>
  `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}${rest}`;
const secretsUrl = (spId: string) => `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`;

async function putSecrets(spId: string, value: { key: string; value: string }[]) {
  return t.app.inject({
    method: 'PUT',
    url: secretsUrl(spId),
    headers: { cookie: t.admin },
    payload: { value },
  });
}

describe('access', () => {
  const job = jobUrl(NO_ID, 'scim.0');
  describeAccess(it, () => t, [
    { method: 'GET', url: `/api/v1.0/servicePrincipals/${NO_ID}/synchronization/jobs` },
    {
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${NO_ID}/synchronization/jobs`,
      payload: { templateId: 'scim' },
    },
    { method: 'GET', url: job },
    { method: 'PATCH', url: job, payload: { synchronizationJobSettings: [] } },
    { method: 'DELETE', url: job },
    { method: 'POST', url: `${job}/start` },
    { method: 'POST', url: `${job}/pause` },
    { method: 'POST', url: `${job}/restart`, payload: { criteria: { resetScope: 'Full' } } },
    { method: 'POST', url: `${job}/runNow` },
    { method: 'GET', url: `${job}/cycles` },
    { method: 'GET', url: `${job}/schema` },
    { method: 'POST', url: `${job}/validateCredentials`, payload: { useSavedCredentials: true } },
    { method: 'GET', url: secretsUrl(NO_ID), readerAllowed: false },
    { method: 'PUT', url: secretsUrl(NO_ID), payload: { value: [] } },
  ]);
});

describe('job settings', () => {
  const patch = (spId: string, jobId: string, settings: { name: string; value: string }[]) =>
    t.app.inject({
      method: 'PATCH',
      url: jobUrl(spId, jobId),
      headers: { cookie: t.admin },
      payload: { synchronizationJobSettings: settings },
    });

  it('sets the accidental deletion threshold, audits the change, and an empty value restores the default', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Settings App');
    const res = await patch(spId, jobId, [
      { name: 'DeleteThresholdEnabled', value: 'true' },
      { name: 'QuarantineTooManyDeletesThreshold', value: '25' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().synchronizationJobSettings).toEqual(
      expect.arrayContaining([
        { name: 'DeleteThresholdEnabled', value: 'true' },
        { name: 'QuarantineTooManyDeletesThreshold', value: '25' },
      ]),
    );
    expect((await t.db.jobs.getJob(jobId)).settings).toMatchObject({
      QuarantineTooManyDeletesThreshold: '25',
    });
    const audit = (await auditEvents(t)).find(
      (e) =>
        e.activityDisplayName === 'Update provisioning setting or credentials' &&
        e.targetResources[0]?.id === spId,
    );
    expect(audit?.targetResources[0]?.modifiedProperties).toEqual(
      expect.arrayContaining([
        { displayName: 'QuarantineTooManyDeletesThreshold', oldValue: null, newValue: '25' },
      ]),
    );
    expect(
      (await patch(spId, jobId, [{ name: 'QuarantineTooManyDeletesThreshold', value: '' }])).statusCode,
    ).toBe(200);
    expect((await t.db.jobs.getJob(jobId)).settings).not.toHaveProperty('QuarantineTooManyDeletesThreshold');
  });

  it('refuses an unknown setting and a bad value, naming the entry, and changes nothing', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Bad Settings App');
    const unknown = await patch(spId, jobId, [{ name: 'DeleteEverything', value: 'true' }]);
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).code).toBe('provisioning_job.unknown_setting');
    expect(errorOf(unknown).details?.[0]?.target).toBe('body/synchronizationJobSettings/0/name');
    const bad = await patch(spId, jobId, [
      { name: 'DeleteThresholdEnabled', value: 'true' },
      { name: 'QuarantineTooManyDeletesThreshold', value: 'zero' },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('provisioning_job.invalid_setting');
    expect(errorOf(bad).details?.[0]?.target).toBe('body/synchronizationJobSettings/1/value');
    expect(errorOf(bad).message).toContain('QuarantineTooManyDeletesThreshold');
    expect((await t.db.jobs.getJob(jobId)).settings).toEqual({});
  });
});

describe('jobs', () => {
  it('creates a scim job (201): id scim.<32 hex>, NotConfigured, schedule Disabled; one per application (409)', async () => {
    const sp = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/servicePrincipals',
      headers: { cookie: t.admin },
      payload: { displayName: 'Job App' },
    });
    const spId = sp.json().id as string;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`,
      headers: { cookie: t.admin },
      payload: { templateId: 'scim' },
    });
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job.id).toMatch(/^scim\.[0-9a-f]{32}$/);
    expect(job).toMatchObject({
      templateId: 'scim',
      schedule: { state: 'Disabled', interval: 'P10675199DT2H48M5.4775807S', expiration: null },
      status: { code: 'NotConfigured', lastExecution: null, quarantine: null, currentCycle: null },
    });
    expect((await t.db.jobs.getJob(job.id)).intervalSeconds).toBe(600);

    const list = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`,
      headers: { cookie: t.admin },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().value.map((j: { id: string }) => j.id)).toEqual([job.id]);

    const second = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`,
      headers: { cookie: t.admin },
      payload: { templateId: 'scim' },
    });
    expect(second.statusCode).toBe(409);
    expect(errorOf(second).code).toBe('provisioning_job.conflict');

    const audit = (await auditEvents(t)).find(
      (e) => e.activityDisplayName === 'Add provisioning configuration' && e.targetResources[0]?.id === spId,
    )!;
    expect(audit).toMatchObject({
      category: 'ProvisioningManagement',
      loggedByService: 'Account Provisioning',
      initiatedBy: { user: { displayName: 'admin' }, app: null },
      targetResources: [{ id: spId, displayName: 'Job App', type: 'ServicePrincipal' }],
    });
  });

  it('answers 400 naming body/templateId for an unknown or missing template, 404 for an unknown application', async () => {
    const sp = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/servicePrincipals',
      headers: { cookie: t.admin },
      payload: { displayName: 'No Template' },
    });
    const spId = sp.json().id as string;
    for (const payload of [{ templateId: 'workday' }, {}]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`,
        headers: { cookie: t.admin },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).details?.[0]?.target).toBe('body/templateId');
    }
    const missing = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${NO_ID}/synchronization/jobs`,
      headers: { cookie: t.admin },
      payload: { templateId: 'scim' },
    });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('service_principal.not_found');
  });

  it('gets a job in Graph shape; 404 provisioning_job.not_found for an unknown job or one of another application', async () => {
    const a = await createAppWithJob(t, 'Get A');
    const b = await createAppWithJob(t, 'Get B');
    const res = await t.app.inject({ url: jobUrl(a.spId, a.jobId), headers: { cookie: t.admin } });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().status)).toEqual(
      expect.arrayContaining([
        'code',
        'countSuccessiveCompleteFailures',
        'escrowsPruned',
        'lastExecution',
        'progress',
        'quarantine',
        'steadyStateFirstAchievedTime',
        'synchronizedEntryCountByType',
        'currentCycle',
      ]),
    );
    for (const url of [jobUrl(a.spId, 'scim.nope'), jobUrl(a.spId, b.jobId)]) {
      const missing = await t.app.inject({ url, headers: { cookie: t.admin } });
      expect(missing.statusCode).toBe(404);
      expect(errorOf(missing).code).toBe('provisioning_job.not_found');
    }
  });

  it('returns the schema as stored', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Schema App');
    const res = await t.app.inject({ url: jobUrl(spId, jobId, '/schema'), headers: { cookie: t.admin } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual((await t.db.jobs.getJob(jobId)).schema);
    expect(res.json().synchronizationRules[0].objectMappings[0].attributeMappings[0]).toMatchObject({
      targetAttributeName: 'userName',
      matchingPriority: 1,
    });
    const missing = await t.app.inject({
      url: jobUrl(spId, 'scim.x', '/schema'),
      headers: { cookie: t.admin },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('starts: 400 provisioning_job.not_configured without a Tenant URL, then Active/NotRun with a run requested', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Start App');
    const refused = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/start'),
      headers: { cookie: t.admin },
    });
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).code).toBe('provisioning_job.not_configured');

    expect(
      (await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://scim.example.com/scim' }])).statusCode,
    ).toBe(204);
    const res = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/start'),
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(204);
    const stored = await t.db.jobs.getJob(jobId);
    expect(stored).toMatchObject({ scheduleState: 'Active', statusCode: 'NotRun' });
    expect(stored.runRequestedAt).toEqual(expect.any(String));
    const job = (await t.app.inject({ url: jobUrl(spId, jobId), headers: { cookie: t.admin } })).json();
    expect(job.schedule).toEqual({
      expiration: null,
      interval: 'PT10M',
      state: 'Active',
      cycleInterval: 'PT10M',
    });
    expect(
      (await auditEvents(t)).some(
        (e) =>
          e.activityDisplayName === 'Enable/start provisioning configuration' &&
          e.targetResources[0]?.id === spId,
      ),
    ).toBe(true);
  });

  it('start lifts a quarantine and shows Active once a cycle has run', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Quarantined App');
    await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://scim.example.com/' }]);
    const execution = {
      activityIdentifier: 'c1',
      countEntitled: 1,
      countEntitledForProvisioning: 1,
      countEscrowed: 0,
      countEscrowedRaw: 0,
      countExported: 1,
      countExports: 1,
      countImported: 1,
      countImportedDeltas: 0,
      countImportedReferenceDeltas: 0,
      error: null,
      state: 'Succeeded' as const,
      timeBegan: '2026-11-01T00:00:00Z',
      timeEnded: '2026-11-01T00:01:00Z',
      cycleKind: 'Initial' as const,
    };
    await t.db.jobs.mutateStatus(jobId, (s) => {
      s.lastExecution = execution;
      s.quarantine = {
        currentBegan: '2026-11-01T00:00:00Z',
        nextAttempt: '2026-11-02T00:00:00Z',
        reason: 'EncounteredQuarantineException',
        seriesBegan: '2026-11-01T00:00:00Z',
        seriesCount: 1,
        error: null,
      };
    });
    await t.db.jobs.updateJob(jobId, { statusCode: 'Quarantine', scheduleState: 'Active' });
    const res = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/start'),
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(204);
    const stored = await t.db.jobs.getJob(jobId);
    expect(stored.statusCode).toBe('Active');
    expect(stored.status.quarantine).toBeNull();
    expect(stored.status.lastExecution).toEqual(execution);
  });

  it('pauses: schedule Paused, status Paused, no run pending', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Pause App');
    await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://scim.example.com/' }]);
    await t.app.inject({ method: 'POST', url: jobUrl(spId, jobId, '/start'), headers: { cookie: t.admin } });
    const res = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/pause'),
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(204);
    expect(await t.db.jobs.getJob(jobId)).toMatchObject({
      scheduleState: 'Paused',
      statusCode: 'Paused',
      runRequestedAt: null,
    });
    expect(
      (await auditEvents(t)).some(
        (e) =>
          e.activityDisplayName === 'Disable/pause provisioning configuration' &&
          e.targetResources[0]?.id === spId,
      ),
    ).toBe(true);
    const missing = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, 'scim.x', '/pause'),
      headers: { cookie: t.admin },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('runNow: 400 provisioning_job.not_active while off, 204 and a run requested while on', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Run App');
    const off = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/runNow'),
      headers: { cookie: t.admin },
    });
    expect(off.statusCode).toBe(400);
    expect(errorOf(off).code).toBe('provisioning_job.not_active');
    await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://scim.example.com/' }]);
    await t.app.inject({ method: 'POST', url: jobUrl(spId, jobId, '/start'), headers: { cookie: t.admin } });
    await t.db.jobs.updateJob(jobId, { runRequestedAt: null });
    const on = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/runNow'),
      headers: { cookie: t.admin },
    });
    expect(on.statusCode).toBe(204);
    expect((await t.db.jobs.getJob(jobId)).runRequestedAt).toEqual(expect.any(String));
  });

  it('restarts with resetScope: Watermark resets the watermark and the cycle checkpoint, Escrows clears escrows, links are kept; Full also clears the connector data store', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Restart App');
    await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://scim.example.com/' }]);
    await t.db.jobs.updateJob(jobId, { watermark: 42 });
    await t.db.connector.saveObject({
      jobId,
      sourceId: 'u1',
      objectType: 'User',
      targetId: 't1',
      state: 'linked',
      lastExported: {},
      inScope: true,
    });

    const now = new Date().toISOString();
    await t.db.escrows.saveEscrow({
      jobId,
      sourceId: 'u2',
      objectType: 'User',
      action: 'create',
      errorCode: 'InternalServerError',
      reason: 'HTTP 500',
      attempts: 1,
      firstFailedAt: now,
      lastFailedAt: now,
      nextAttemptAt: now,
      cycleId: 'c1',
    });
    await t.db.jobs.updateJob(jobId, {
      cycleCheckpoint: {
        cycleId: 'c1',
        kind: 'Initial',
        timeBegan: now,
        after: null,
        upTo: 42,
        configHash: 'h',
        settledThrough: null,
        completed: 0,
        total: 10,
        counts: {},
      },
    });

    const res = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/restart'),
      headers: { cookie: t.admin },
      payload: { criteria: { resetScope: 'Watermark, Escrows, QuarantineState' } },
    });
    expect(res.statusCode).toBe(204);
    let stored = await t.db.jobs.getJob(jobId);
    expect(stored).toMatchObject({ watermark: null, scheduleState: 'Active', cycleCheckpoint: null });
    expect(await t.db.escrows.countEscrows(jobId)).toBe(0);
    expect(stored.runRequestedAt).toEqual(expect.any(String));
    expect(await t.db.connector.listObjects(jobId)).toHaveLength(1);
    const audit = (await auditEvents(t)).find(
      (e) =>
        e.activityDisplayName === 'Enable/restart provisioning configuration' &&
        e.targetResources[0]?.id === spId,
    )!;
    expect(audit.additionalDetails).toEqual(
      expect.arrayContaining([{ key: 'ResetScope', value: 'Watermark, Escrows, QuarantineState' }]),
    );

    await t.db.jobs.updateJob(jobId, { watermark: 43 });
    const full = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/restart'),
      headers: { cookie: t.admin },
      payload: { criteria: { resetScope: 'full' } },
    });
    expect(full.statusCode).toBe(204);
    stored = await t.db.jobs.getJob(jobId);
    expect(stored.watermark).toBeNull();
    expect(await t.db.connector.listObjects(jobId)).toHaveLength(0);

    await t.db.jobs.updateJob(jobId, { watermark: 44 });
    const portal = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/restart'),
      headers: { cookie: t.admin },
      payload: {},
    });
    expect(portal.statusCode).toBe(204);
    expect((await t.db.jobs.getJob(jobId)).watermark).toBeNull();
  });

  it('restarts with resetScope ForceDeletes (Allow deletes): the watermark stays, the next cycle removes what was held', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Allow Deletes App');
    await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://scim.example.com/' }]);
    await t.db.jobs.updateJob(jobId, { watermark: 7 });
    const res = await t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/restart'),
      headers: { cookie: t.admin },
      payload: { criteria: { resetScope: 'ForceDeletes' } },
    });
    expect(res.statusCode).toBe(204);
    expect(await t.db.jobs.getJob(jobId)).toMatchObject({
      forceDeletes: true,
      watermark: 7,
      scheduleState: 'Active',
      runRequestedAt: expect.any(String),
    });
  });

  it('answers 400 naming body/criteria/resetScope for an unknown reset scope or a malformed body', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Bad Restart App');
    for (const payload of [
      { criteria: { resetScope: 'Watermark, Everything' } },
      { criteria: { resetScope: 5 } },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: jobUrl(spId, jobId, '/restart'),
        headers: { cookie: t.admin },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).code).toBe('request.invalid');
      expect(errorOf(res).details?.[0]?.target).toBe('body/criteria/resetScope');
    }
  });

  it('lists cycles newest first with $top', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Cycles App');
    await t.sql.run(
      "INSERT INTO cycles (id, job_id, kind, state, began_at, ended_at, counts_json) VALUES (?, ?, 'Initial', 'Succeeded', ?, ?, ?)",
      [
        'c-old',
        jobId,
        '2026-11-01T00:00:00.000Z',
        '2026-11-01T00:05:00.000Z',
        JSON.stringify({ created: 3 }),
      ],
    );
    await t.sql.run(
      "INSERT INTO cycles (id, job_id, kind, state, began_at) VALUES (?, ?, 'Incremental', 'Running', ?)",
      ['c-new', jobId, '2026-11-01T01:00:00.000Z'],
    );
    const res = await t.app.inject({ url: jobUrl(spId, jobId, '/cycles'), headers: { cookie: t.admin } });
    expect(res.statusCode).toBe(200);
    const cycles = res.json().value;
    expect(cycles.map((c: { id: string }) => c.id)).toEqual(['c-new', 'c-old']);
    expect(cycles[1]).toMatchObject({
      kind: 'Initial',
      state: 'Succeeded',
      endedAt: '2026-11-01T00:05:00.000Z',
      error: null,
    });
    expect(cycles[1].counts.created).toBe(3);
    const top = await t.app.inject({
      url: jobUrl(spId, jobId, '/cycles?$top=1'),
      headers: { cookie: t.admin },
    });
    expect(top.json().value).toHaveLength(1);
    const bad = await t.app.inject({
      url: jobUrl(spId, jobId, '/cycles?$top=1000'),
      headers: { cookie: t.admin },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.target).toBe('querystring/$top');
  });

  it('deletes a job (204) and records "Delete provisioning configuration"', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Delete Job App');
    const res = await t.app.inject({
      method: 'DELETE',
      url: jobUrl(spId, jobId),
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(204);
    expect(await t.db.jobs.findJob(jobId)).toBeNull();
    expect(
      (await auditEvents(t)).some(
        (e) =>
          e.activityDisplayName === 'Delete provisioning configuration' && e.targetResources[0]?.id === spId,
      ),
    ).toBe(true);
    const again = await t.app.inject({
      method: 'DELETE',
      url: jobUrl(spId, jobId),
      headers: { cookie: t.admin },
    });
    expect(again.statusCode).toBe(404);
  });
});

describe('secrets', () => {
  it('answers 404 provisioning_job.not_found before a job exists', async () => {
    const sp = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/servicePrincipals',
      headers: { cookie: t.admin },
      payload: { displayName: 'No Job Yet' },
    });
    const spId = sp.json().id as string;
    for (const res of [
      await t.app.inject({ url: secretsUrl(spId), headers: { cookie: t.admin } }),
      await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://x.example.com' }]),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('provisioning_job.not_found');
    }
  });

  it('saves secrets encrypted; never returns the Secret Token in secrets, job or audit events', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Secret App');
    const put = await putSecrets(spId, [
      { key: 'BaseAddress', value: 'https://scim.example.com/scim?aadOptscim062020' },
      { key: 'SecretToken', value: TOKEN },
      { key: 'SyncAll', value: 'False' },
    ]);
    expect(put.statusCode).toBe(204);

    const get = await t.app.inject({ url: secretsUrl(spId), headers: { cookie: t.admin } });
    expect(get.statusCode).toBe(200);
    expect(get.json().value).toEqual([
      { key: 'BaseAddress', value: 'https://scim.example.com/scim?aadOptscim062020', hasValue: true },
      { key: 'SecretToken', value: null, hasValue: true },
      { key: 'SyncAll', value: 'false', hasValue: true },
      { key: 'SkipOutOfScopeDeletions', value: null, hasValue: false },
      { key: 'SyncNotificationSettings', value: null, hasValue: false },
    ]);
    const job = await t.app.inject({ url: jobUrl(spId, jobId), headers: { cookie: t.admin } });
    const audits = await t.app.inject({
      url: '/api/v1.0/auditLogs/directoryAudits?$top=1000',
      headers: { cookie: t.admin },
    });
    for (const body of [get.body, job.body, audits.body]) expect(body).not.toContain(TOKEN);
    const raw = (await t.sql.get<{ secrets_sealed: string }>(
      'SELECT secrets_sealed FROM provisioning_jobs WHERE id = ?',
      [jobId],
    )) as { secrets_sealed: string };
    expect(raw.secrets_sealed).not.toContain(TOKEN);
    expect((await t.db.jobs.getSecrets(jobId)).SecretToken).toBe(TOKEN);

    const audit = (await auditEvents(t)).find(
      (e) =>
        e.activityDisplayName === 'Update provisioning setting or credentials' &&
        e.targetResources[0]?.id === spId,
    )!;
    expect(audit.targetResources[0]!.modifiedProperties).toEqual([
      {
        displayName: 'BaseAddress',
        oldValue: null,
        newValue: 'https://scim.example.com/scim?aadOptscim062020',
      },
      { displayName: 'SecretToken', oldValue: null, newValue: null },
      { displayName: 'SyncAll', oldValue: null, newValue: 'false' },
    ]);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
  });

  it('keeps keys left out, clears a key set to empty, and records only what changed', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Partial Secret App');
    await putSecrets(spId, [
      { key: 'BaseAddress', value: 'https://a.example.com/scim' },
      { key: 'SecretToken', value: TOKEN },
    ]);
    const before = (await auditEvents(t)).length;
    expect(
      (await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://b.example.com/scim' }])).statusCode,
    ).toBe(204);
    expect(await t.db.jobs.getSecrets(jobId)).toEqual({
      BaseAddress: 'https://b.example.com/scim',
      SecretToken: TOKEN,
    });
    expect((await putSecrets(spId, [{ key: 'SecretToken', value: '' }])).statusCode).toBe(204);
    expect(await t.db.jobs.getSecrets(jobId)).toEqual({ BaseAddress: 'https://b.example.com/scim' });
    expect(
      (await putSecrets(spId, [{ key: 'BaseAddress', value: 'https://b.example.com/scim' }])).statusCode,
    ).toBe(204);
    const added = (await auditEvents(t)).slice(0, (await auditEvents(t)).length - before);
    expect(added.map((e) => e.additionalDetails.find((d) => d.key === 'ChangedKeys')?.value).sort()).toEqual([
      'BaseAddress',
      'SecretToken',
    ]);
  });

  it.each([
    [[{ key: 'BaseAddress', value: 'not a url' }], 'body/value/0/value'],
    [
      [
        { key: 'SecretToken', value: 't' },
        { key: 'BaseAddress', value: 'ftp://files.example.com' },
      ],
      'body/value/1/value',
    ],
    [[{ key: 'SyncAll', value: 'maybe' }], 'body/value/0/value'],
    [[{ key: 'SyncNotificationSettings', value: '{oops' }], 'body/value/0/value'],
    [[{ key: 'Password', value: 'x' }], 'body/value/0/key'],
    [[{ key: 'BaseAddress' }], 'body/value/0/value'],
  ])('answers 400 naming the field for %j', async (value, target) => {
    const { spId } = await createAppWithJob(t, 'Invalid Secret App');
    const res = await putSecrets(spId, value as { key: string; value: string }[]);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('request.invalid');
    expect(errorOf(res).details?.[0]?.target).toBe(target);
  });
});
