// The Tenant URL policy in the API: saving the job's secrets and Test Connection refuse a Tenant URL
// that would send the Secret Token somewhere it must not go (cloud metadata, private and other
// non-public addresses, http to a non-loopback host), unless PROVISIO_TARGET_ALLOW allows it.
// Names resolve through a table and the connector opens loopback connections only: no packet
// leaves the machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { parseTargetAllowList, type TargetLookup } from '@provisio/scim-client';
import { buildConnector } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config';
import { createAppWithJob, errorOf, startTestApp, type TestContext } from './helpers';

const NAMES: Record<string, string[]> = {
  'scim.corp.example': ['10.0.0.5'],
  'metadata.example.com': ['93.184.215.14', '169.254.169.254'],
  'sample.corp.example': ['127.0.0.1'],
};
const lookups: string[] = [];
const lookup: TargetLookup = (hostname, _options, callback) => {
  lookups.push(hostname);
  const addresses = NAMES[hostname];
  if (!addresses) {
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    return;
  }
  callback(
    null,
    addresses.map((address) => ({ address, family: isIP(address) })),
  );
};

/** Where the API asked to connect; anything but loopback fails the test and is never opened. */
const connects: string[] = [];
const strayConnects: string[] = [];
const loopbackConnector = buildConnector({});
const connect: buildConnector.connector = (options, callback) => {
  connects.push(options.hostname);
  if (options.hostname !== '127.0.0.1' && options.hostname !== '::1') {
    strayConnects.push(options.hostname);
    callback(new Error(`test: a connection to ${options.hostname} was attempted`), null);
    return;
  }
  loopbackConnector(options, callback);
};

/** A SCIM endpoint on loopback that answers Test Connection's lookup. */
let scim: Server;
let port: number;
let t: TestContext;
/** The same API with PROVISIO_TARGET_ALLOW set. */
let allowing: TestContext;

beforeAll(async () => {
  scim = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    res.end(
      JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 0,
        Resources: [],
      }),
    );
  });
  await new Promise<void>((resolve) => scim.listen(0, '127.0.0.1', resolve));
  port = (scim.address() as AddressInfo).port;
  t = await startTestApp({
    targets: { policy: parseTargetAllowList('sample.corp.example'), lookup, connect },
  });
  allowing = await startTestApp({
    targets: {
      policy: parseTargetAllowList('169.254.169.254, 10.0.0.0/8, scim.example.com'),
      lookup,
      connect,
    },
  });
});
afterAll(async () => {
  scim.closeAllConnections();
  await new Promise<void>((resolve) => scim.close(() => resolve()));
  await t.close();
  await allowing.close();
});
beforeEach(() => {
  lookups.length = 0;
  connects.length = 0;
  strayConnects.length = 0;
});

const putSecrets = (ctx: TestContext, spId: string, value: { key: string; value: string }[]) =>
  ctx.app.inject({
    method: 'PUT',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
    headers: { cookie: ctx.admin },
    payload: { value },
  });

const validate = (ctx: TestContext, spId: string, jobId: string, payload: object) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/validateCredentials`,
    headers: { cookie: ctx.admin },
    payload,
  });

describe('PUT …/synchronization/secrets with a BaseAddress', () => {
  it('refuses a cloud metadata address, saying why and how to allow it; nothing is saved', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const res = await putSecrets(t, spId, [
      { key: 'SecretToken', value: 'token-1' },
      { key: 'BaseAddress', value: 'http://169.254.169.254/scim' },
    ]);
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('synchronization.tenant_url_refused');
    expect(error.details?.[0]).toMatchObject({
      code: 'synchronization.tenant_url_refused',
      target: 'body/value/1/value',
    });
    expect(error.message).toBe(
      'The Tenant URL points at 169.254.169.254, a link-local address used by cloud metadata services; Provisio does not send tokens there. ' +
        'If this application really lives there, an administrator can allow it by adding 169.254.169.254 to PROVISIO_TARGET_ALLOW (a comma-separated list).',
    );
    expect(await t.db.jobs.getSecrets(jobId)).toEqual({});
  });

  it.each([
    ['http://10.0.0.5/scim', /10\.0\.0\.5, a private-network address/],
    ['https://192.168.1.20/scim', /192\.168\.1\.20, a private-network address/],
    ['http://[::ffff:a9fe:a9fe]/scim', /::ffff:a9fe:a9fe \(169\.254\.169\.254\), a link-local address/],
    ['http://2852039166/scim', /169\.254\.169\.254, a link-local address used by cloud metadata/],
    ['http://0251.0376.0251.0376/scim', /169\.254\.169\.254/],
    ['https://0.0.0.0/scim', /the unspecified address/],
    ['https://100.64.0.1/scim', /carrier-grade NAT/],
    ['http://scim.example.com/scim', /uses http:\/\/.*unencrypted/],
  ])('refuses %s', async (url, message) => {
    const { spId } = await createAppWithJob(t);
    const res = await putSecrets(t, spId, [{ key: 'BaseAddress', value: url }]);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('synchronization.tenant_url_refused');
    expect(errorOf(res).details?.[0]?.target).toBe('body/value/0/value');
    expect(errorOf(res).message).toMatch(message);
    expect(errorOf(res).message).toContain('PROVISIO_TARGET_ALLOW');
  });

  it.each([
    'https://scim.example.com/scim',
    'http://127.0.0.1:8080/scim',
    'http://localhost:4000/scim/v2',
    'http://[::1]:4000/scim',
    // A name that does not resolve from here is saved: the worker checks it before each connection.
    'https://not-resolvable.example/scim',
  ])('saves %s', async (url) => {
    const { spId, jobId } = await createAppWithJob(t);
    expect((await putSecrets(t, spId, [{ key: 'BaseAddress', value: url }])).statusCode).toBe(204);
    expect((await t.db.jobs.getSecrets(jobId)).BaseAddress).toBe(url);
    expect(
      lookups.filter((name) => !['localhost', 'not-resolvable.example', 'scim.example.com'].includes(name)),
    ).toEqual([]);
    expect(connects).toEqual([]);
  });

  it('refuses on save a name that resolves to a private address, with the reason; nothing is connected to', async () => {
    const { spId } = await createAppWithJob(t);
    const res = await putSecrets(t, spId, [{ key: 'BaseAddress', value: 'https://scim.corp.example/scim' }]);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({
      code: 'synchronization.tenant_url_refused',
      details: [expect.objectContaining({ target: 'body/value/0/value' })],
    });
    expect(errorOf(res).message).toContain("The Tenant URL's host scim.corp.example resolves to 10.0.0.5");
    expect(lookups).toEqual(['scim.corp.example']);
    expect(connects).toEqual([]);
  });

  it.each([
    'http://169.254.169.254/scim',
    'http://2852039166/scim',
    'http://10.1.2.3/scim',
    'http://scim.example.com/scim',
  ])('saves %s when PROVISIO_TARGET_ALLOW allows it', async (url) => {
    const { spId } = await createAppWithJob(allowing);
    expect((await putSecrets(allowing, spId, [{ key: 'BaseAddress', value: url }])).statusCode).toBe(204);
  });

  it('still refuses what the allow-list does not cover', async () => {
    const { spId } = await createAppWithJob(allowing);
    const res = await putSecrets(allowing, spId, [{ key: 'BaseAddress', value: 'https://192.168.0.7/scim' }]);
    expect(errorOf(res).code).toBe('synchronization.tenant_url_refused');
    expect(errorOf(res).message).toContain('by adding 192.168.0.7 to PROVISIO_TARGET_ALLOW');
  });
});

describe('POST …/jobs/{jobId}/validateCredentials (Test Connection)', () => {
  it('refuses a metadata address as given, without resolving or connecting', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const res = await validate(t, spId, jobId, {
      credentials: [
        { key: 'SecretToken', value: 'token-1' },
        { key: 'BaseAddress', value: 'http://[::ffff:a9fe:a9fe]/latest' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('synchronization.tenant_url_refused');
    expect(errorOf(res).details?.[0]?.target).toBe('body/credentials/1/value');
    expect(lookups).toEqual([]);
    expect(connects).toEqual([]);
  });

  it('refuses a name that resolves to a private address; no connection is attempted', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const res = await validate(t, spId, jobId, {
      credentials: [
        { key: 'BaseAddress', value: 'https://scim.corp.example/scim' },
        { key: 'SecretToken', value: 'token-1' },
      ],
    });
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('synchronization.tenant_url_refused');
    expect(error.details?.[0]?.target).toBe('body/credentials/0/value');
    expect(error.message).toBe(
      "The Tenant URL's host scim.corp.example resolves to 10.0.0.5, a private-network address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); " +
        'Provisio does not send tokens there. If this application really lives there, an administrator can allow it by adding scim.corp.example to PROVISIO_TARGET_ALLOW (a comma-separated list).',
    );
    expect(lookups).toEqual(['scim.corp.example']);
    expect(connects).toEqual([]);
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const res = await validate(t, spId, jobId, {
      credentials: [{ key: 'BaseAddress', value: 'https://metadata.example.com/scim' }],
    });
    expect(errorOf(res).code).toBe('synchronization.tenant_url_refused');
    expect(errorOf(res).message).toContain(
      'resolves to 169.254.169.254, a link-local address used by cloud metadata',
    );
    expect(connects).toEqual([]);
  });

  it('refuses saved credentials that were saved before the policy existed', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    await t.db.jobs.setSecrets(jobId, {
      BaseAddress: 'https://scim.corp.example/scim',
      SecretToken: 'token-1',
    });
    const res = await validate(t, spId, jobId, { useSavedCredentials: true });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('synchronization.tenant_url_refused');
    expect(errorOf(res).message).toContain('10.0.0.5');
    expect(connects).toEqual([]);
  });

  it('connects to the checked address of an allowed name, which reaches the application', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const res = await validate(t, spId, jobId, {
      credentials: [{ key: 'BaseAddress', value: `http://sample.corp.example:${port}/scim` }],
    });
    expect(res.statusCode).toBe(204);
    expect(lookups).toEqual(['sample.corp.example']);
    expect(connects).toEqual(['127.0.0.1']);
  });

  it('reaches an application on loopback as before', async () => {
    const { spId, jobId } = await createAppWithJob(t);
    const res = await validate(t, spId, jobId, {
      credentials: [{ key: 'BaseAddress', value: `http://127.0.0.1:${port}/scim` }],
    });
    expect(res.statusCode).toBe(204);
    expect(lookups).toEqual([]);
    expect(connects).toEqual(['127.0.0.1']);
    expect(strayConnects).toEqual([]);
  });
});

describe('PROVISIO_TARGET_ALLOW in the configuration', () => {
  it('is read into the policy', () => {
    const config = readConfig({ PROVISIO_TARGET_ALLOW: 'scim.corp.example, 10.20.0.0/16' }, '/srv');
    expect(config.targetPolicy.hosts).toEqual(['scim.corp.example']);
    expect(config.targetPolicy.ranges.map((r) => r.text)).toEqual(['10.20.0.0/16']);
    expect(readConfig({}, '/srv').targetPolicy).toEqual({ hosts: [], ranges: [] });
  });

  it('stops the start naming the variable and the entry it cannot read', () => {
    expect(() => readConfig({ PROVISIO_TARGET_ALLOW: 'https://scim.corp.example' }, '/srv')).toThrow(
      ConfigError,
    );
    expect(() => readConfig({ PROVISIO_TARGET_ALLOW: 'https://scim.corp.example' }, '/srv')).toThrow(
      /PROVISIO_TARGET_ALLOW .*"https:\/\/scim\.corp\.example"/,
    );
  });
});
