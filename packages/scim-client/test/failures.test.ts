import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScimClient, ScimFailure, type ScimExchange } from '../src/index.js';
import {
  closedPort,
  emptyList,
  scimError,
  send,
  startScriptedServer,
  type ScriptedServer,
} from './scripted-server.js';

const TOKEN = 'tok-8d2e77_failures-secret';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const client = (extra: Partial<ConstructorParameters<typeof ScimClient>[0]> = {}) =>
  new ScimClient({ tenantUrl: `${server.url}/scim`, secretToken: TOKEN, ...extra });

/** Runs a call that must fail and returns its ScimFailure. */
async function failure(call: Promise<unknown>): Promise<ScimFailure> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ScimFailure);
    return error as ScimFailure;
  }
  throw new Error('Expected the call to fail.');
}

describe('HTTP status classification', () => {
  const table: { status: number; kind: ScimFailure['kind']; code: ScimFailure['code'] }[] = [
    { status: 400, kind: 'rejected', code: 'BadRequest' },
    { status: 401, kind: 'unauthorized', code: 'Unauthorized' },
    { status: 403, kind: 'unauthorized', code: 'InsufficientRights' },
    { status: 405, kind: 'rejected', code: 'MethodNotAllowed' },
    { status: 409, kind: 'conflict', code: 'EntryConflict' },
    { status: 410, kind: 'rejected', code: 'WebExceptionProtocolError' },
    { status: 412, kind: 'conflict', code: 'Conflict' },
    { status: 422, kind: 'rejected', code: 'UnprocessableEntity' },
    { status: 429, kind: 'transient', code: 'TooManyRequests' },
    { status: 500, kind: 'transient', code: 'InternalServerError' },
    { status: 501, kind: 'rejected', code: 'NotImplemented' },
    { status: 502, kind: 'transient', code: 'WebExceptionProtocolError' },
    { status: 503, kind: 'transient', code: 'WebExceptionProtocolError' },
    { status: 504, kind: 'transient', code: 'Timeout' },
    { status: 507, kind: 'transient', code: 'WebExceptionProtocolError' },
  ];
  it.each(table)('$status → $kind / $code', async ({ status, kind, code }) => {
    server.handler = (_request, response) =>
      send(response, status, scimError(status, `status ${status} from the target`));
    const failed = await failure(client().updateUser('u1', [{ path: 'title', value: 'x' }]));
    expect(failed).toMatchObject({
      kind,
      code,
      status,
      method: 'PATCH',
      url: `${server.url}/scim/Users/u1`,
      detail: `status ${status} from the target`,
    });
    expect(failed.retryAfterMs).toBeUndefined();
  });

  it('explains a 401 and how to fix it', async () => {
    server.handler = (_request, response) => send(response, 401, scimError(401, 'bad token'));
    const failed = await failure(client().testConnection());
    expect(failed.message).toBe(
      'The target application rejected the Secret Token (HTTP 401). Check the Secret Token under Admin Credentials and Test Connection again.',
    );
  });

  it('keeps scimType and detail of a SCIM error', async () => {
    server.handler = (_request, response) =>
      send(response, 409, scimError(409, 'userName ada is taken', 'uniqueness'));
    const failed = await failure(client().createUser({ userName: 'ada' }));
    expect(failed).toMatchObject({
      kind: 'conflict',
      code: 'EntryConflict',
      scimType: 'uniqueness',
      detail: 'userName ada is taken',
    });
    expect(failed.message).toContain('userName ada is taken');
  });

  it('reads 404 on one object as InvalidAnchor and 404 on a collection as a wrong Tenant URL', async () => {
    server.handler = (_request, response) => send(response, 404, scimError(404, 'Resource u1 not found'));
    const calls = [
      () => client().getUser('u1'),
      () => client().deleteUser('u1'),
      () => client().disableUser('u1'),
      () => client().getGroup('g1'),
      () => client().addMembers('g1', ['u1']),
    ];
    for (const call of calls) {
      expect(await failure(call())).toMatchObject({ kind: 'notFound', code: 'InvalidAnchor', status: 404 });
    }
    const collection = await failure(client().findUsers('userName', 'ada'));
    expect(collection).toMatchObject({ kind: 'notFound', code: 'NotFound' });
    expect(collection.message).toMatch(/Tenant URL/);
  });

  it('takes the title of an HTML error page as the detail', async () => {
    server.handler = (_request, response) =>
      send(
        response,
        502,
        '<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>',
        { 'Content-Type': 'text/html' },
      );
    expect(await failure(client().getUser('u1'))).toMatchObject({
      kind: 'transient',
      status: 502,
      detail: '502 Bad Gateway',
    });
  });

  it('does not follow redirects', async () => {
    server.handler = (_request, response) =>
      send(response, 301, undefined, { Location: 'https://elsewhere.example.com/scim/Users' });
    const failed = await failure(client().findUsers('userName', 'ada'));
    expect(failed).toMatchObject({ kind: 'rejected', status: 301 });
    expect(failed.message).toContain('https://elsewhere.example.com/scim/Users');
    expect(server.requests).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('parses delay-seconds on 429', async () => {
    server.handler = (_request, response) =>
      send(response, 429, scimError(429, 'slow down'), { 'Retry-After': '30' });
    const failed = await failure(client().getUser('u1'));
    expect(failed).toMatchObject({
      kind: 'transient',
      code: 'TooManyRequests',
      status: 429,
      retryAfterMs: 30_000,
    });
    expect(failed.message).toContain('30 s');
  });

  it('parses an HTTP date on 429', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    server.handler = (_request, response) => send(response, 429, undefined, { 'Retry-After': at });
    const failed = await failure(client().getUser('u1'));
    expect(failed.retryAfterMs).toBeGreaterThan(115_000);
    expect(failed.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('is absent when the 429 carries none', async () => {
    server.handler = (_request, response) => send(response, 429);
    expect((await failure(client().getUser('u1'))).retryAfterMs).toBeUndefined();
  });

  it('is kept on 503', async () => {
    server.handler = (_request, response) => send(response, 503, undefined, { 'Retry-After': '5' });
    expect(await failure(client().getUser('u1'))).toMatchObject({ kind: 'transient', retryAfterMs: 5000 });
  });
});

describe('network failures', () => {
  it('classifies a dropped connection as transient', async () => {
    server.handler = (_request, response) => {
      response.socket?.destroy();
    };
    const failed = await failure(client().createUser({ userName: 'ada' }));
    expect(failed).toMatchObject({ kind: 'transient', code: 'WebExceptionConnectionClosed', method: 'POST' });
    expect(failed.status).toBeUndefined();
  });

  it('classifies a connection dropped in the middle of the body as transient', async () => {
    server.handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/scim+json', 'Content-Length': '500' });
      response.write('{"id":"u1",');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    expect(await failure(client().getUser('u1'))).toMatchObject({
      kind: 'transient',
      code: 'WebExceptionConnectionClosed',
      status: 200,
    });
  });

  it('times out a target that never answers', async () => {
    server.handler = () => {
      // Never answers.
    };
    const started = performance.now();
    const failed = await failure(client({ timeoutMs: 300 }).getUser('u1'));
    expect(failed).toMatchObject({ kind: 'transient', code: 'Timeout' });
    expect(failed.message).toContain('0.3 s');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('times out a body that never finishes', async () => {
    server.handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/scim+json' });
      response.write('{"id":');
    };
    expect(await failure(client({ timeoutMs: 300 }).getUser('u1'))).toMatchObject({
      kind: 'transient',
      code: 'Timeout',
    });
  });

  it('fails fast on a port nobody listens on', async () => {
    const port = await closedPort();
    const started = performance.now();
    const failed = await failure(
      new ScimClient({ tenantUrl: `http://127.0.0.1:${port}/scim`, secretToken: TOKEN }).testConnection(),
    );
    expect(failed).toMatchObject({ kind: 'transient', code: 'WebExceptionConnectFailure', method: 'GET' });
    expect(failed.message).toMatch(/refused/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses ports that fetch blocks', async () => {
    const failed = await failure(new ScimClient({ tenantUrl: 'http://127.0.0.1:6000/scim' }).getUser('u1'));
    expect(failed).toMatchObject({ kind: 'rejected', code: 'WebExceptionConnectFailure' });
  });

  it('gives testConnection a 10 s limit by default', async () => {
    server.handler = () => {
      // Never answers.
    };
    const started = performance.now();
    const failed = await failure(client().testConnection());
    const elapsed = performance.now() - started;
    expect(failed).toMatchObject({ kind: 'transient', code: 'Timeout' });
    expect(failed.message).toContain('10 s');
    expect(elapsed).toBeGreaterThan(9_500);
    expect(elapsed).toBeLessThan(12_000);
  }, 20_000);
});

describe('incompatible answers', () => {
  const html = '<!doctype html><html><head><title>Sign in</title></head><body>Please sign in</body></html>';

  it('rejects a 200 with an HTML body', async () => {
    server.handler = (_request, response) => send(response, 200, html, { 'Content-Type': 'text/html' });
    const calls = [
      () => client().testConnection(),
      () => client().getUser('u1'),
      () => client().findGroups('Sales'),
      () => client().createUser({ userName: 'ada' }),
    ];
    for (const call of calls) {
      const failed = await failure(call());
      expect(failed).toMatchObject({
        kind: 'incompatible',
        code: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
        status: 200,
      });
      expect(failed.message).toContain('not JSON');
    }
  });

  it('rejects JSON that is not a ListResponse', async () => {
    server.handler = (_request, response) => send(response, 200, { users: [] });
    expect(await failure(client().findUsers('userName', 'ada'))).toMatchObject({ kind: 'incompatible' });
  });

  it('rejects an empty body where a resource is needed', async () => {
    server.handler = (_request, response) => send(response, 204);
    expect(await failure(client().getUser('u1'))).toMatchObject({ kind: 'incompatible', status: 204 });
  });

  it('rejects a created resource without an id', async () => {
    server.handler = (_request, response) => send(response, 201, { userName: 'ada' });
    const failed = await failure(client().createUser({ userName: 'ada' }));
    expect(failed).toMatchObject({ kind: 'incompatible' });
    expect(failed.message).toContain('no id');
  });

  it('names a list returned for one object', async () => {
    server.handler = (_request, response) =>
      send(response, 200, { ...emptyList, totalResults: 2, Resources: [{ id: 'g1' }, { id: 'g2' }] });
    expect(await failure(client().getGroup('g1'))).toMatchObject({
      kind: 'incompatible',
      code: 'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse',
    });
  });

  it('fails testConnection when the target ignores the filter', async () => {
    server.handler = (_request, response) =>
      send(response, 200, { ...emptyList, totalResults: 1, Resources: [{ id: 'u1' }] });
    const failed = await failure(client().testConnection());
    expect(failed).toMatchObject({ kind: 'incompatible' });
    expect(failed.message).toContain('ignore the filter');
  });

  it('does not need a body after PATCH or DELETE', async () => {
    server.handler = (_request, response) => send(response, 200, 'OK');
    await expect(client().disableUser('u1')).resolves.toBeUndefined();
    await expect(client().deleteGroup('g1')).resolves.toBeUndefined();
  });
});

describe('the Secret Token', () => {
  it('never appears in failures or exchanges, even when the target echoes it', async () => {
    const exchanges: ScimExchange[] = [];
    const failures: ScimFailure[] = [];
    const echo = (authorization: string | undefined) => `you sent ${authorization ?? ''}`;
    const scripted = [
      (response: Parameters<typeof send>[0], auth: string | undefined) =>
        send(response, 401, scimError(401, echo(auth))),
      (response: Parameters<typeof send>[0], auth: string | undefined) => send(response, 400, echo(auth)),
      (response: Parameters<typeof send>[0], auth: string | undefined) =>
        send(response, 301, undefined, { Location: `https://x.example.com/?t=${auth ?? ''}` }),
      (response: Parameters<typeof send>[0], auth: string | undefined) =>
        send(response, 200, `<html>${echo(auth)}</html>`),
      (response: Parameters<typeof send>[0]) => response.socket?.destroy(),
    ];
    const onExchange = (exchange: ScimExchange) => exchanges.push(exchange);
    // A short limit only where the target never answers: a busy machine may take longer than
    // 0.3 s to deliver an answer that does come.
    const c = client({ onExchange });
    for (const answer of scripted) {
      server.handler = (request, response) => answer(response, request.headers.authorization);
      failures.push(await failure(c.getUser('u1')));
    }
    server.handler = () => {
      // Never answers: a timeout.
    };
    failures.push(await failure(client({ onExchange, timeoutMs: 300 }).getUser('u1')));
    server.handler = (request, response) =>
      send(response, 200, { id: 'u1', note: echo(request.headers.authorization) });
    await c.getUser('u1');

    expect(server.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(
      true,
    );
    expect(exchanges).toHaveLength(7);
    for (const failed of failures) {
      const everything = [
        failed.message,
        failed.detail,
        failed.stack,
        JSON.stringify(failed),
        String(failed),
        failed.url,
      ].join('\n');
      expect(everything).not.toContain(TOKEN);
    }
    expect(JSON.stringify(exchanges)).not.toContain(TOKEN);
    expect(JSON.stringify(exchanges)).toContain('[redacted]');
    expect(exchanges.slice(0, 6).every((exchange) => typeof exchange.error === 'string')).toBe(true);
  });

  it('refuses a token that cannot be sent as a header without quoting it', () => {
    const attempt = () => new ScimClient({ tenantUrl: server.url, secretToken: 'abc\ndef-secret' });
    expect(attempt).toThrow(/cannot be sent in an HTTP header/);
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain('def-secret');
    }
  });

  it('is not visible on the client object', () => {
    const c = client();
    expect(JSON.stringify(c)).not.toContain(TOKEN);
    expect(Object.values(c).join(' ')).not.toContain(TOKEN);
  });
});

describe('exchanges on failure', () => {
  it('carry the status, the answer and the failure message', async () => {
    const exchanges: ScimExchange[] = [];
    server.handler = (_request, response) => send(response, 409, scimError(409, 'taken', 'uniqueness'));
    const failed = await failure(
      client({ onExchange: (exchange) => exchanges.push(exchange) }).createUser({ userName: 'ada' }),
    );
    expect(exchanges).toEqual([
      expect.objectContaining({
        method: 'POST',
        status: 409,
        requestBody: expect.objectContaining({ userName: 'ada' }) as unknown,
        responseBody: scimError(409, 'taken', 'uniqueness'),
        error: failed.message,
      }),
    ]);
  });
});
