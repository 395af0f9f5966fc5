import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAppWithJob, describeAccess, errorOf, NO_ID, startTestApp, type TestContext } from './helpers';

/** A small HTTP server that answers like a SCIM endpoint, in the mode a test sets. */
let scim: Server;
let scimUrl: string;
let mode: 'ok' | 'unauthorized' | 'not-scim' | 'hang' = 'ok';
const received: { method: string; url: string; authorization: string | undefined }[] = [];

const TOKEN = 'scim-test-token-d41d8cd9';
let t: TestContext;

beforeAll(async () => {
  scim = createServer((req: IncomingMessage, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    if (mode === 'hang') return; // never answers
    if (mode === 'unauthorized' || req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/scim+json' });
      res.end(
        JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '401',
          detail: 'Bad token',
        }),
      );
      return;
    }
    if (mode === 'not-scim') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><title>Welcome</title></html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    res.end(
      JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      }),
    );
  });
  await new Promise<void>((resolve) => scim.listen(0, '127.0.0.1', resolve));
  scimUrl = `http://127.0.0.1:${(scim.address() as AddressInfo).port}/scim`;
  t = await startTestApp();
});
afterAll(async () => {
  scim.closeAllConnections();
  await new Promise<void>((resolve) => scim.close(() => resolve()));
  await t.close();
});
beforeEach(() => {
  mode = 'ok';
  received.length = 0;
});

async function validate(spId: string, jobId: string, payload: object) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/validateCredentials`,
    headers: { cookie: t.admin },
    payload,
  });
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('access', () => {
  describeAccess(it, () => t, [
    {
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${NO_ID}/synchronization/jobs/scim.0/validateCredentials`,
      payload: { useSavedCredentials: true },
    },
  ]);
});

describe('POST …/jobs/{jobId}/validateCredentials', () => {
  it('answers 204 when the endpoint returns an empty ListResponse for a random userName', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const res = await validate(spId, jobId, {
      credentials: [
        { key: 'BaseAddress', value: scimUrl },
        { key: 'SecretToken', value: TOKEN },
      ],
    });
    expect(res.statusCode).toBe(204);
    expect(received).toHaveLength(1);
    const request = received[0]!;
    expect(request.method).toBe('GET');
    expect(decodeURIComponent(request.url)).toMatch(/^\/scim\/Users\?filter=userName eq "[0-9a-f-]{36}"$/);
    expect(request.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('uses the saved credentials, letting given values win', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
      headers: { cookie: t.admin },
      payload: {
        value: [
          { key: 'BaseAddress', value: scimUrl },
          { key: 'SecretToken', value: TOKEN },
        ],
      },
    });
    expect((await validate(spId, jobId, { useSavedCredentials: true })).statusCode).toBe(204);
    const overridden = await validate(spId, jobId, {
      useSavedCredentials: true,
      credentials: [{ key: 'SecretToken', value: 'wrong-token' }],
    });
    expect(overridden.statusCode).toBe(400);
    expect(errorOf(overridden).code).toBe('synchronization.credentials_invalid');
    expect(received.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`, 'Bearer wrong-token']);
  });

  it('answers 400 credentials_invalid saying the token was rejected on HTTP 401, without echoing the token', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    mode = 'unauthorized';
    const res = await validate(spId, jobId, {
      credentials: [
        { key: 'BaseAddress', value: scimUrl },
        { key: 'SecretToken', value: TOKEN },
      ],
    });
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('synchronization.credentials_invalid');
    expect(error.message).toContain('rejected the Secret Token (HTTP 401)');
    expect(res.body).not.toContain(TOKEN);
  });

  it('answers 400 quickly when nothing listens at the Tenant URL', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const port = await closedPort();
    const started = Date.now();
    const res = await validate(spId, jobId, {
      credentials: [{ key: 'BaseAddress', value: `http://127.0.0.1:${port}/scim` }],
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('synchronization.credentials_invalid');
    expect(errorOf(res).message).toContain('Could not connect to');
  });

  it('answers 400 when the endpoint does not speak SCIM', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    mode = 'not-scim';
    const res = await validate(spId, jobId, {
      credentials: [
        { key: 'BaseAddress', value: scimUrl },
        { key: 'SecretToken', value: TOKEN },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('synchronization.credentials_invalid');
  });

  it('gives up within about ten seconds when the endpoint never answers', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    mode = 'hang';
    const started = Date.now();
    const res = await validate(spId, jobId, {
      credentials: [
        { key: 'BaseAddress', value: scimUrl },
        { key: 'SecretToken', value: TOKEN },
      ],
    });
    const elapsed = Date.now() - started;
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('synchronization.credentials_invalid');
    expect(elapsed).toBeGreaterThanOrEqual(9_000);
    expect(elapsed).toBeLessThan(12_500);
  }, 20_000);

  it('answers 400 naming the field for a missing or malformed Tenant URL and a malformed body', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const missing = await validate(spId, jobId, { credentials: [{ key: 'SecretToken', value: TOKEN }] });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).code).toBe('synchronization.credentials_invalid');
    expect(errorOf(missing).details?.[0]?.target).toBe('body/credentials');
    const nothingSaved = await validate(spId, jobId, { useSavedCredentials: true });
    expect(errorOf(nothingSaved).code).toBe('synchronization.credentials_invalid');
    const malformed = await validate(spId, jobId, {
      credentials: [
        { key: 'SecretToken', value: 'x' },
        { key: 'BaseAddress', value: 'scim.example.com' },
      ],
    });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).details?.[0]?.target).toBe('body/credentials/1/value');
    const body = await validate(spId, jobId, { useSavedCredentials: 'yes' });
    expect(body.statusCode).toBe(400);
    expect(errorOf(body).code).toBe('request.invalid');
    expect(errorOf(body).details?.[0]?.target).toBe('body/useSavedCredentials');
    expect(received).toHaveLength(0);
  });

  it('answers 404 for an unknown job', async () => {
    const { spId } = await createAppWithJob(t);
    const res = await validate(spId, 'scim.unknown', { useSavedCredentials: true });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('provisioning_job.not_found');
  });
});
