import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Explanation } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/seed/demo';
import { cycleConfigurationHash } from '@provisio/db';
import { describeJobConfiguration } from '@provisio/engine';
import { createUser, startTestApp, type TestContext } from './helpers';

// Explain against an application that holds one group, 'Shared', and no user:
// - a group whose name matches that group, which another directory group already holds: as the
//   cycle, it says the group will not be linked to it (DuplicateSourceEntries);
// - a user whose failed creation waits in escrow: the cycle that retries it creates it, not the next.

const TOKEN = 'explain-held-token';
let scim: Server;
let t: TestContext;
let base: string;
/** The demo's Sample SCIM App, provisioning into the stub: its id, job and app roles. */
let sample: { id: string; jobId: string; appRoleId: string; jobUrl: string };

beforeAll(async () => {
  // The application holds one group, 'Shared': read by its id, and found by any query for groups.
  const shared = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: 't-shared',
    displayName: 'Shared',
  };
  scim = createServer((req, res) => {
    const groups = req.url?.includes('/Groups') ? [shared] : [];
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    res.end(
      JSON.stringify(
        req.url?.startsWith('/scim/Groups/t-shared')
          ? shared
          : {
              schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
              totalResults: groups.length,
              startIndex: 1,
              itemsPerPage: groups.length,
              Resources: groups,
            },
      ),
    );
  });
  await new Promise<void>((resolve) => scim.listen(0, '127.0.0.1', resolve));
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const scimUrl = `http://127.0.0.1:${(scim.address() as AddressInfo).port}/scim`;
  const demo = await seedDemo(t.db, { scimUrl, scimToken: TOKEN });
  const app = demo.applications.find((a) => a.displayName === 'Sample SCIM App')!;
  sample = {
    id: app.id,
    jobId: app.jobId!,
    appRoleId: (await t.db.applications.getServicePrincipal(app.id)).appRoles[0]!.id,
    jobUrl: `${base}/api/v1.0/servicePrincipals/${app.id}/synchronization/jobs/${app.jobId}`,
  };
  const started = await fetch(`${sample.jobUrl}/start`, {
    method: 'POST',
    headers: { cookie: t.admin, origin: base },
  });
  expect(started.status, await started.text()).toBe(204);
});

const explain = async (objectId: string) => {
  const res = await fetch(`${sample.jobUrl}/explain?objectId=${objectId}`, { headers: { cookie: t.admin } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Explanation;
};
afterAll(async () => {
  scim.closeAllConnections();
  await new Promise<void>((resolve) => scim.close(() => resolve()));
  await t.close();
});

describe('Explain of a group matching a group another directory group holds', () => {
  it('says it will not be linked, why, and the fix', async () => {
    const [first, twin] = [
      await t.db.directory.insertGroup({ displayName: 'Shared' }),
      await t.db.directory.insertGroup({ displayName: 'Shared' }),
    ];
    for (const g of [first, twin])
      await t.db.applications.insertAssignment({
        servicePrincipalId: sample.id,
        principalId: g.id,
        principalType: 'Group',
        appRoleId: sample.appRoleId,
      });
    await t.db.connector.saveObject({
      jobId: sample.jobId,
      sourceId: first.id,
      objectType: 'Group',
      targetId: 't-shared',
      state: 'linked',
      lastExported: { displayName: 'Shared' },
      inScope: true,
    });

    const answer = await explain(twin.id);
    expect(answer).toMatchObject({ willProvision: false, action: 'skip' });
    expect(answer.reason).toBe(
      `The Group 'Shared' matches the group t-shared in Sample SCIM App by displayName 'Shared', but that group is already provisioned from another group of the directory (${first.id}). Two groups of the directory cannot share one group in the application.`,
    );
    expect(answer.recommendedAction).toContain('Give one of the two groups a different value');
    expect(answer.checks.find((c) => c.name === 'In Sample SCIM App')).toEqual({
      name: 'In Sample SCIM App',
      passed: false,
      detail: `Matches t-shared by displayName "Shared", which is already provisioned from ${first.id}.`,
    });
    // The group that holds it is explained as before.
    expect((await explain(first.id)).checks.find((c) => c.name === 'In Sample SCIM App')?.passed).toBe(true);
  });
});

describe('Explain of a user whose failed creation waits in escrow', () => {
  it('says the first cycle after the retry time creates it, and how to retry sooner', async () => {
    const userId = await createUser(t, 'escrowed@contoso.com', { givenName: 'Esme', surname: 'Crowe' });
    await t.db.applications.insertAssignment({
      servicePrincipalId: sample.id,
      principalId: userId,
      principalType: 'User',
      appRoleId: sample.appRoleId,
    });
    // An initial cycle has completed; the user's creation failed and is retried in six hours.
    const job = await t.db.jobs.getJob(sample.jobId);
    const configuration = (schema: typeof job.schema) =>
      cycleConfigurationHash(describeJobConfiguration(schema, { syncAll: false }));
    await t.db.jobs.updateJob(sample.jobId, {
      watermark: await t.db.directory.latestChangeSeq(),
      configHash: configuration(job.schema),
    });
    const failedAt = new Date();
    const escrow = {
      jobId: sample.jobId,
      sourceId: userId,
      objectType: 'User',
      action: 'create',
      errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
      reason: 'Sample SCIM App answered HTTP 500.',
      attempts: 1,
      firstFailedAt: failedAt.toISOString(),
      lastFailedAt: failedAt.toISOString(),
      nextAttemptAt: new Date(failedAt.getTime() + 6 * 3600_000).toISOString(),
      cycleId: 'c-1',
    };
    await t.db.escrows.saveEscrow(escrow);

    const waiting = await explain(userId);
    expect(waiting).toMatchObject({ willProvision: true, action: 'create', retryAt: escrow.nextAttemptAt });
    expect(waiting.reason).toBe(
      `The User 'escrowed@contoso.com' is assigned, active and in scope, and no User in Sample SCIM App matches it: the first cycle after ${escrow.nextAttemptAt}, which retries its failed export, creates it.`,
    );
    expect(waiting.recommendedAction).toBe(
      'None. To retry it now, provision the User on demand; a change to it in the directory also has the next cycle retry it.',
    );
    expect(waiting.checks.find((c) => c.name === 'No escrow')).toEqual({
      name: 'No escrow',
      passed: false,
      detail: `Failed 1 time(s) (Sample SCIM App answered HTTP 500.); retried at ${escrow.nextAttemptAt}.`,
    });

    // Once the retry is due, the next cycle creates it.
    await t.db.escrows.saveEscrow({ ...escrow, nextAttemptAt: failedAt.toISOString() });
    const due = await explain(userId);
    expect(due).not.toHaveProperty('retryAt');
    expect(due.reason).toMatch(/: the next cycle creates it\.$/);
    expect(due.recommendedAction).toBe('None.');

    // After a mapping change the next cycle is initial: it visits every escrowed object.
    await t.db.escrows.saveEscrow(escrow);
    const changed = structuredClone(job.schema);
    changed.synchronizationRules[0]!.objectMappings[0]!.attributeMappings.pop();
    await t.db.jobs.updateJob(sample.jobId, { schema: changed });
    expect(configuration(changed)).not.toBe(configuration(job.schema));
    const remapped = await explain(userId);
    expect(remapped).not.toHaveProperty('retryAt');
    expect(remapped.reason).toMatch(/: the next cycle creates it\.$/);
    expect(remapped.checks.find((c) => c.name === 'Initial cycle completed')).toEqual({
      name: 'Initial cycle completed',
      passed: false,
      detail:
        'The mappings, scoping filters or scope changed since the last cycle: the next cycle is initial again and evaluates every assigned object.',
    });
  });
});
