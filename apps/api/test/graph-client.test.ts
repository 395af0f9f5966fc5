// The official Microsoft Graph JavaScript client, pointed at Provisio with an API token: what a
// script written for Entra does, against the real server on loopback, over HTTPS as in production
// (the client sends its token to https hosts only) with a certificate made for the test.
import { Client, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiTokenCreated, ServicePrincipal } from '@provisio/contracts';
import { createAppWithJob, startTestApp, type TestContext } from './helpers';
import { event } from './log-events';

let t: TestContext;
let client: Client;
let server: Server;
let dispatcher: Agent;

/** A self-signed certificate for 127.0.0.1, made with openssl for this run. */
function certificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  t = await startTestApp();
  await t.app.ready();
  const tls = certificate();
  server = createServer(tls, (req, res) => t.app.routing(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  dispatcher = new Agent({ connect: { ca: tls.cert } });
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: { cookie: t.admin },
    payload: { displayName: 'Graph client', role: 'ApplicationAdministrator', expiresInDays: 1 },
  });
  const { token } = created.json<ApiTokenCreated>();
  client = Client.init({
    baseUrl: `https://127.0.0.1:${port}/api`,
    defaultVersion: 'v1.0',
    customHosts: new Set(['127.0.0.1']),
    authProvider: (done) => done(null, token),
    // Node's fetch takes undici's dispatcher option, which the DOM RequestInit type does not know.
    fetchOptions: { dispatcher } as unknown as RequestInit,
  });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await dispatcher.close();
  await t.close();
});

describe('the Microsoft Graph client with an API token', () => {
  it('lists service principals, starts a job and pages provisioning logs with @odata.nextLink', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Graph Client App');
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
      headers: { cookie: t.admin },
      payload: {
        value: [
          { key: 'BaseAddress', value: 'http://127.0.0.1:9/scim/v2' },
          { key: 'SecretToken', value: 'token' },
        ],
      },
    });

    const apps = (await client.api('/servicePrincipals').get()) as { value: ServicePrincipal[] };
    expect(apps.value.map((a) => a.displayName)).toContain('Graph Client App');

    await client.api(`/servicePrincipals/${spId}/synchronization/jobs/${jobId}/start`).post({});
    const job = (await client.api(`/servicePrincipals/${spId}/synchronization/jobs/${jobId}`).get()) as {
      schedule: { state: string };
    };
    expect(job.schedule.state).toBe('Active');

    for (let i = 0; i < 7; i += 1) {
      await t.db.events.insertProvisioningEvent(event(900 + i));
    }
    const first = (await client.api('/auditLogs/provisioning').top(3).get()) as PageCollection;
    expect(first.value).toHaveLength(3);
    expect(first['@odata.nextLink']).toBeTruthy();
    const seen: string[] = [];
    await new PageIterator(client, first, (item: { id: string }) => {
      seen.push(item.id);
      return true;
    }).iterate();
    expect(seen.filter((id) => /^evt-90\d$/.test(id))).toHaveLength(7);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
