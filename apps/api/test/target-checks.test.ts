import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TargetCheck, TargetCheckFinding } from '@provisio/contracts';
import {
  auditEvents,
  createAppWithJob,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';
import { startSampleAppProcess, type SampleAppProcess } from './sample-app-process';

// The target conformance check against the bundled sample app running as its own process: all green
// when it is healthy, and the matching finding (severity and fix) for each fault switch.
let t: TestContext;
let sample: SampleAppProcess;

beforeAll(async () => {
  [t, sample] = await Promise.all([startTestApp(), startSampleAppProcess()]);
});
afterAll(async () => {
  await Promise.all([t?.close(), sample?.stop()]);
});
afterEach(async () => {
  await sample.setFaults({});
  await sample.reset();
});

const checksUrl = (spId: string, jobId: string) =>
  `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/targetChecks`;

let apps = 0;
/** An application whose job points at the sample app (provisioning off: saved untested). */
async function jobOnSampleApp(options: { tenantUrl?: string; token?: string } = {}) {
  apps += 1;
  const { spId, jobId } = await createAppWithJob(t, `Checked App ${apps}`);
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
    headers: { cookie: t.admin },
    payload: {
      value: [
        { key: 'BaseAddress', value: options.tenantUrl ?? sample.scimBaseUrl },
        { key: 'SecretToken', value: options.token ?? sample.token },
      ],
    },
  });
  expect(res.statusCode).toBe(204);
  return { spId, jobId };
}

async function runCheck(options: { tenantUrl?: string; token?: string } = {}): Promise<TargetCheck> {
  const { spId, jobId } = await jobOnSampleApp(options);
  const res = await t.app.inject({
    method: 'POST',
    url: checksUrl(spId, jobId),
    headers: { cookie: t.admin },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TargetCheck>();
}

const finding = (check: TargetCheck, id: string): TargetCheckFinding | undefined =>
  check.findings.find((f) => f.id === id);
const problems = (check: TargetCheck) => check.findings.filter((f) => f.severity !== 'info');

async function expectNoTestObjectsLeft(): Promise<void> {
  expect(await sample.stats()).toMatchObject({ users: 0, groups: 0 });
}

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'POST', url: checksUrl(NO_ID, 'scim.0') },
    { method: 'GET', url: `${checksUrl(NO_ID, 'scim.0')}/latest` },
  ]);
});

describe('POST …/jobs/{jobId}/targetChecks', () => {
  it('against the healthy sample app: all green, the test objects removed, the report kept with the job', async () => {
    const { spId, jobId } = await jobOnSampleApp();
    const none = await t.app.inject({
      url: `${checksUrl(spId, jobId)}/latest`,
      headers: { cookie: t.reader },
    });
    expect(none.statusCode).toBe(404);
    expect(errorOf(none).code).toBe('target_check.not_found');

    const res = await t.app.inject({
      method: 'POST',
      url: checksUrl(spId, jobId),
      headers: { cookie: t.admin },
    });
    expect(res.statusCode, res.body).toBe(200);
    const check = res.json<TargetCheck>();
    expect(problems(check)).toEqual([]);
    expect(check).toMatchObject({
      status: 'completed',
      tenantUrl: sample.scimBaseUrl,
      summary: { errors: 0, warnings: 0 },
    });
    expect(check.completedDateTime).not.toBeNull();
    expect(check.summary.requests).toBeGreaterThan(15);
    for (const id of [
      'connection',
      'filter.userName',
      'discovery.serviceProviderConfig',
      'discovery.schemas',
      'discovery.resourceTypes',
      'users.create',
      'users.enterpriseExtension',
      'users.duplicate',
      'users.lookup',
      'paging',
      'patch.entra',
      'patch.rfc',
      'users.disable',
      'groups.create',
      'filter.group.displayName',
      'groups.members',
      'errors.body',
      'rateLimit',
      'latency',
      'cleanup',
    ]) {
      expect(finding(check, id), id).toMatchObject({ severity: 'info' });
    }
    expect(JSON.stringify(check)).not.toContain(sample.token);
    await expectNoTestObjectsLeft();

    const latest = await t.app.inject({
      url: `${checksUrl(spId, jobId)}/latest`,
      headers: { cookie: t.reader },
    });
    expect(latest.statusCode).toBe(200);
    expect(latest.json<TargetCheck>()).toEqual(check);
    const audit = (await auditEvents(t)).find((e) => e.activityDisplayName === 'Check provisioning target');
    expect(audit).toMatchObject({
      category: 'ProvisioningManagement',
      resultReason: '0 error(s), 0 warning(s)',
    });
    expect(JSON.stringify(audit)).not.toContain(sample.token);
  });

  it('with the aadOptscim062020 flag in the Tenant URL: still all green', async () => {
    const check = await runCheck({ tenantUrl: `${sample.scimBaseUrl}?aadOptscim062020` });
    expect(problems(check)).toEqual([]);
    expect(finding(check, 'patch.rfc')?.title).toBe('PATCH in the aadOptscim062020 form works');
    await expectNoTestObjectsLeft();
  });

  it('no PATCH: says updates, disables and memberships will fail and how to fix it', async () => {
    await sample.setFaults({ noPatch: '405' });
    const check = await runCheck();
    expect(finding(check, 'patch.supported')).toMatchObject({
      severity: 'error',
      title: 'The application does not support PATCH',
      fix: 'Implement PATCH (RFC 7644 §3.5.2) in the application.',
    });
    expect(finding(check, 'discovery.patch')?.severity).toBe('warning');
    expect(finding(check, 'users.disable')).toBeUndefined();
    await expectNoTestObjectsLeft();
  });

  it('filter refused on userName: names the attribute and the fix', async () => {
    await sample.setFaults({ rejectFilterAttributes: ['userName'] });
    const check = await runCheck();
    const filter = finding(check, 'filter.userName');
    expect(filter).toMatchObject({ severity: 'error', title: 'The application refuses filters on userName' });
    expect(filter?.detail).toContain('invalidFilter');
    expect(filter?.fix).toContain('Match objects using this attribute');
    expect(finding(check, 'connection')?.severity).toBe('info');
    await expectNoTestObjectsLeft();
  });

  it('enterprise extension refused: says users with enterprise attributes will fail', async () => {
    await sample.setFaults({ rejectEnterpriseExtension: 'invalidValue' });
    const check = await runCheck();
    const refused = finding(check, 'users.enterpriseExtension');
    expect(refused).toMatchObject({
      severity: 'error',
      title: 'The application refuses the enterprise extension',
    });
    expect(refused?.detail).toContain('invalidValue');
    expect(refused?.fix).toContain('remove the mappings to its attributes');
    expect(finding(check, 'discovery.enterprise')?.severity).toBe('warning');
    await expectNoTestObjectsLeft();
  });

  it('a 429 storm: says the application throttles almost every request, after waiting as asked', async () => {
    await sample.setFaults({ throttleRate: 1, retryAfterSeconds: 1 });
    const check = await runCheck();
    expect(finding(check, 'rateLimit')).toMatchObject({
      severity: 'error',
      title: 'The application throttles almost every request',
    });
    expect(finding(check, 'rateLimit')?.fix).toContain('25 requests per second');
    expect(finding(check, 'rateLimit.retryAfter')).toBeUndefined();
    expect(check.summary.durationMs).toBeGreaterThanOrEqual(1900);
  });

  it('500s: says the application fails with server errors', async () => {
    await sample.setFaults({ errorRate: 1 });
    const check = await runCheck();
    expect(finding(check, 'errors.server')).toMatchObject({
      severity: 'error',
      title: 'The application answers with server errors',
    });
    expect(finding(check, 'errors.server')?.detail).toContain('500');
    expect(finding(check, 'connection')?.severity).toBe('error');
  });

  it('no groups support: says group provisioning will not work', async () => {
    await sample.setFaults({ noGroups: true });
    const check = await runCheck();
    expect(finding(check, 'groups.supported')).toMatchObject({
      severity: 'error',
      title: 'Group provisioning will not work: the application has no groups',
    });
    expect(finding(check, 'groups.supported')?.fix).toContain('Enabled: No');
    expect(problems(check).map((f) => f.id)).toEqual(['groups.supported']);
    await expectNoTestObjectsLeft();
  });

  it('a wrong Secret Token: stops at the first request and says to enter a valid one', async () => {
    const check = await runCheck({ token: 'not-the-token' });
    expect(finding(check, 'connection')).toMatchObject({
      severity: 'error',
      title: 'The application refuses the Secret Token',
    });
    expect(check.summary.requests).toBe(1);
    expect(JSON.stringify(check)).not.toContain('not-the-token');
  });

  it('one check of a job at a time: 409 target_check.running, and the latest report reads running meanwhile', async () => {
    await sample.setFaults({ latencyMs: 100 });
    const { spId, jobId } = await jobOnSampleApp();
    const first = t.app.inject({ method: 'POST', url: checksUrl(spId, jobId), headers: { cookie: t.admin } });
    await expect
      .poll(async () => {
        const latest = await t.app.inject({
          url: `${checksUrl(spId, jobId)}/latest`,
          headers: { cookie: t.admin },
        });
        return latest.statusCode === 200 ? latest.json<TargetCheck>().status : null;
      })
      .toBe('running');
    const second = await t.app.inject({
      method: 'POST',
      url: checksUrl(spId, jobId),
      headers: { cookie: t.admin },
    });
    expect(second.statusCode).toBe(409);
    expect(errorOf(second).code).toBe('target_check.running');
    expect((await first).json<TargetCheck>()).toMatchObject({
      status: 'completed',
      summary: { errors: 0, warnings: 0 },
    });
    await expectNoTestObjectsLeft();
  });

  it('400 provisioning_job.not_configured without a Tenant URL; 404 for another job', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Unconfigured checked app');
    const res = await t.app.inject({
      method: 'POST',
      url: checksUrl(spId, jobId),
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('provisioning_job.not_configured');
    const other = await t.app.inject({
      method: 'POST',
      url: checksUrl(spId, 'scim.0'),
      headers: { cookie: t.admin },
    });
    expect(other.statusCode).toBe(404);
    expect(errorOf(other).code).toBe('provisioning_job.not_found');
  });
});
