import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Collection, Explanation } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleConfigurationHash } from '@provisio/db';
import { describeJobConfiguration } from '@provisio/engine';
import { seedDemo, type DemoSummary } from '../src/seed/demo';
import type { DemoProblem } from '../src/seed/troubleshooting';
import { startTestApp, type TestContext } from './helpers';

// The demo's troubleshooting examples, explained over the real HTTP server as the portal asks:
// each will not be provisioned, and Explain says why and what to do, in the words of its event.

const TOKEN = 'demo-explain-token';
let scim: Server;
const received: { method: string; url: string }[] = [];
let t: TestContext;
let base: string;
let demo: DemoSummary;
let explainUrl: (objectId: string) => string;

beforeAll(async () => {
  // The application: it holds no account yet, so every lookup finds nothing.
  scim = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '' });
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/scim+json' });
    res.end(
      JSON.stringify(
        authorized
          ? {
              schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
              totalResults: 0,
              startIndex: 1,
              itemsPerPage: 0,
              Resources: [],
            }
          : { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'Bad token' },
      ),
    );
  });
  await new Promise<void>((resolve) => scim.listen(0, '127.0.0.1', resolve));
  const scimUrl = `http://127.0.0.1:${(scim.address() as AddressInfo).port}/scim`;

  t = await startTestApp();
  demo = await seedDemo(t.db, { scimUrl, scimToken: TOKEN });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const sample = demo.applications.find((a) => a.displayName === 'Sample SCIM App')!;
  explainUrl = (objectId) =>
    `${base}/api/v1.0/servicePrincipals/${sample.id}/synchronization/jobs/${sample.jobId}/explain?objectId=${objectId}`;
});
afterAll(async () => {
  scim.closeAllConnections();
  await new Promise<void>((resolve) => scim.close(() => resolve()));
  await t.close();
});

async function explain(objectId: string): Promise<Explanation> {
  const res = await fetch(explainUrl(objectId), { headers: { cookie: t.admin } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Explanation;
}

const check = (answer: Explanation, name: string) => answer.checks.find((c) => c.name.startsWith(name));

describe('the demo explains each troubleshooting problem', () => {
  it('says first that provisioning is Off, for every example, until someone starts it', async () => {
    for (const id of Object.values(demo.troubleshooting)) {
      expect(await explain(id)).toMatchObject({
        willProvision: false,
        action: 'none',
        reason: 'Provisioning of Sample SCIM App is Off: no cycle runs.',
      });
    }
    const sample = demo.applications.find((a) => a.displayName === 'Sample SCIM App')!;
    const started = await fetch(
      `${base}/api/v1.0/servicePrincipals/${sample.id}/synchronization/jobs/${sample.jobId}/start`,
      { method: 'POST', headers: { cookie: t.admin, origin: base } },
    );
    expect(started.status, await started.text()).toBe(204);
  });

  const cases: {
    problem: DemoProblem;
    reason: string;
    recommendedAction: string;
    failing: { name: string; detail: string };
  }[] = [
    {
      problem: 'NotAssigned',
      reason:
        "The User 'nomvula.dlamini@contoso.com' will be skipped: this object does not have the required entitlement for provisioning because it is not assigned to the application, directly or through a group it is a direct member of.",
      recommendedAction:
        "Assign the user to the application (Users and groups), or add it to an assigned group, or change Scope to 'Sync all users and groups'.",
      failing: {
        name: 'Assigned',
        detail:
          'Not assigned: it is not assigned to the application, directly or through a group it is a direct member of.',
      },
    },
    {
      problem: 'AccountDisabled',
      reason:
        "The User 'ingrid.solberg@contoso.com' will be skipped: this object does not have the required entitlement for provisioning because its account is disabled in the directory (accountEnabled is false).",
      recommendedAction:
        'Enable the account in the directory if the user should have access; disabled users are not provisioned.',
      failing: {
        name: 'Active',
        detail: 'its account is disabled in the directory (accountEnabled is false)',
      },
    },
    {
      problem: 'OutOfScope',
      reason:
        "The User 'pieter.devries@fabrikam.com' is out of scope: it does not meet scoping filter 'Contoso accounts' (clause Contoso accounts.userPrincipalName REGEX MATCH '.*@contoso\\.com' is false).",
      recommendedAction:
        'If the user should be provisioned, change its attributes so that it meets a scoping filter, or change the scoping filters under Mappings > Source Object Scope (saving them starts an initial cycle).',
      failing: {
        name: "Scoping filter 'Contoso accounts'",
        detail: 'userPrincipalName is "pieter.devries@fabrikam.com".',
      },
    },
    {
      problem: 'RequiredAttributeMissing',
      reason:
        "The User 'wulandari@contoso.com' cannot be created in Sample SCIM App: a required target attribute has no value. Missing: name.familyName.",
      recommendedAction:
        'Give the user a value for the source attribute mapped to the required attribute, or set a Default value if null on that mapping.',
      failing: { name: 'Required attributes', detail: 'No value for name.familyName.' },
    },
  ];

  it.each(cases)(
    '$problem: the reason and the fix',
    async ({ problem, reason, recommendedAction, failing }) => {
      const answer = await explain(demo.troubleshooting[problem]);
      expect(answer).toMatchObject({ willProvision: false, action: 'skip', reason, recommendedAction });
      expect(check(answer, failing.name)).toEqual({
        name: expect.stringContaining(failing.name),
        passed: false,
        detail: failing.detail,
      });
      // The job itself is fine: only the object stands in the way.
      for (const name of ['Provisioning configured', 'Provisioning On', 'Not in quarantine'])
        expect(check(answer, name)?.passed, name).toBe(true);
    },
  );

  it('explains the other assigned people as created by the next cycle, and only reads the application', async () => {
    const sample = demo.applications.find((a) => a.displayName === 'Sample SCIM App')!;
    const res = await fetch(`${base}/api/v1.0/servicePrincipals/${sample.id}/appRoleAssignedTo?$top=100`, {
      headers: { cookie: t.admin },
    });
    const assignments = ((await res.json()) as Collection<{ principalId: string; principalType: string }>)
      .value;
    const examples = new Set(Object.values(demo.troubleshooting));
    const others = assignments.filter((a) => a.principalType === 'User' && !examples.has(a.principalId));
    expect(others).toHaveLength(12);
    for (const a of others) {
      expect(await explain(a.principalId)).toMatchObject({ willProvision: true, action: 'create' });
    }
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.method === 'GET')).toBe(true);
  });

  it('says a manager reference waits while the manager is not provisioned, and is set once it is', async () => {
    const sample = demo.applications.find((a) => a.displayName === 'Sample SCIM App')!;
    const MANAGER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager';
    const examples = new Set(Object.values(demo.troubleshooting));
    const assigned = await t.db.applications.listAssignmentsOf(sample.id);
    const users = await t.db.directory.listUsersByIds(
      assigned
        .filter((a) => a.principalType === 'User' && !examples.has(a.principalId))
        .map((a) => a.principalId),
    );
    // The job maps the manager, as the reference's default mappings for such an application do.
    const job = await t.db.jobs.getJob(sample.jobId!);
    const schema = structuredClone(job.schema);
    const userMapping = schema.synchronizationRules[0]!.objectMappings.find(
      (m) => m.sourceObjectName === 'User',
    )!;
    userMapping.attributeMappings.push({
      source: { type: 'Attribute', name: 'manager', expression: '[manager]', parameters: [] },
      targetAttributeName: MANAGER,
      defaultValue: null,
      flowType: 'Always',
      matchingPriority: 0,
      flowBehavior: 'FlowWhenChanged',
      exportMissingReferences: false,
    });
    await t.db.jobs.updateJob(job.id, { schema });
    const report = users.find((u) => u.managerId !== null)!;
    const manager = await t.db.directory.findUser(report.managerId!);
    const waiting = check(await explain(report.id), 'Reference manager');
    expect(waiting).toEqual({
      name: 'Reference manager',
      passed: false,
      detail: `The ${MANAGER} of the User '${report.userPrincipalName}' is User '${manager!.userPrincipalName}', which is not provisioned in Sample SCIM App: the reference is set in the cycle that provisions it. If it should be there, assign it to the application (directly or through a group) and keep it in scope.`,
    });

    // Once the manager is provisioned, the next cycle sets the reference to its id in the application.
    await t.db.connector.saveObject({
      jobId: sample.jobId!,
      sourceId: manager!.id,
      objectType: 'User',
      targetId: 't-manager',
      state: 'linked',
      lastExported: { userName: manager!.userPrincipalName },
      inScope: true,
    });
    expect(check(await explain(report.id), 'Reference manager')).toMatchObject({
      passed: true,
      detail: `The ${MANAGER} of the User '${report.userPrincipalName}' is User '${manager!.userPrincipalName}', whose id in Sample SCIM App is 't-manager': the next cycle sets it.`,
    });
    // A failed update of the user's references waits in escrow for six hours, after an initial
    // cycle: the first cycle after that retry sets the reference, not the next one.
    await t.db.jobs.updateJob(job.id, {
      watermark: await t.db.directory.latestChangeSeq(),
      configHash: cycleConfigurationHash(describeJobConfiguration(schema, { syncAll: false })),
    });
    const failedAt = new Date();
    const retryAt = new Date(failedAt.getTime() + 6 * 3600_000).toISOString();
    await t.db.escrows.saveEscrow({
      jobId: sample.jobId!,
      sourceId: `${report.id}/references`,
      objectType: 'User',
      action: 'update',
      errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
      reason: 'Sample SCIM App answered HTTP 500.',
      attempts: 1,
      firstFailedAt: failedAt.toISOString(),
      lastFailedAt: failedAt.toISOString(),
      nextAttemptAt: retryAt,
      cycleId: 'c-1',
    });
    expect(check(await explain(report.id), 'Reference manager')).toMatchObject({
      passed: true,
      detail: `The ${MANAGER} of the User '${report.userPrincipalName}' is User '${manager!.userPrincipalName}', whose id in Sample SCIM App is 't-manager': the first cycle after ${retryAt}, which retries the User's failed update (or the next, if the User changes in the directory), sets it.`,
    });
    // A user without a manager has nothing to wait for.
    const alone = users.find((u) => u.managerId === null)!;
    expect(check(await explain(alone.id), 'Reference manager')).toMatchObject({
      passed: true,
      detail: `The ${MANAGER} of the User '${alone.userPrincipalName}' has no value: nothing is sent.`,
    });
  });
});
