import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Explanation } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/seed/demo';
import { startTestApp, type TestContext } from './helpers';

// Explain of a group whose name matches a group in the application that another directory group
// already holds: as the cycle, it says the group will not be linked to it (DuplicateSourceEntries).

const TOKEN = 'explain-held-token';
let scim: Server;
let t: TestContext;
let base: string;

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
});
afterAll(async () => {
  scim.closeAllConnections();
  await new Promise<void>((resolve) => scim.close(() => resolve()));
  await t.close();
});

describe('Explain of a group matching a group another directory group holds', () => {
  it('says it will not be linked, why, and the fix', async () => {
    const scimUrl = `http://127.0.0.1:${(scim.address() as AddressInfo).port}/scim`;
    const demo = await seedDemo(t.db, { scimUrl, scimToken: TOKEN });
    const sample = demo.applications.find((a) => a.displayName === 'Sample SCIM App')!;
    const jobUrl = `${base}/api/v1.0/servicePrincipals/${sample.id}/synchronization/jobs/${sample.jobId}`;
    const started = await fetch(`${jobUrl}/start`, {
      method: 'POST',
      headers: { cookie: t.admin, origin: base },
    });
    expect(started.status, await started.text()).toBe(204);

    const sp = await t.db.applications.getServicePrincipal(sample.id);
    const [first, twin] = [
      await t.db.directory.insertGroup({ displayName: 'Shared' }),
      await t.db.directory.insertGroup({ displayName: 'Shared' }),
    ];
    for (const g of [first, twin])
      await t.db.applications.insertAssignment({
        servicePrincipalId: sample.id,
        principalId: g.id,
        principalType: 'Group',
        appRoleId: sp.appRoles[0]!.id,
      });
    await t.db.connector.saveObject({
      jobId: sample.jobId!,
      sourceId: first.id,
      objectType: 'Group',
      targetId: 't-shared',
      state: 'linked',
      lastExported: { displayName: 'Shared' },
      inScope: true,
    });

    const explain = async (objectId: string) => {
      const res = await fetch(`${jobUrl}/explain?objectId=${objectId}`, { headers: { cookie: t.admin } });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as Explanation;
    };
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
