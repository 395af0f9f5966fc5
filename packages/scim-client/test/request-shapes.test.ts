import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScimClient, type ScimExchange } from '../src/index.js';
import { emptyList, send, startScriptedServer, type ScriptedServer } from './scripted-server.js';

const TOKEN = 'tok-3f9a1c_request-shapes';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.handler = (_request, response) => send(response, 200, emptyList);
});

const entraClient = (extra: Partial<ConstructorParameters<typeof ScimClient>[0]> = {}) =>
  new ScimClient({ tenantUrl: `${server.url}/scim/`, secretToken: TOKEN, ...extra });
const rfcClient = () =>
  new ScimClient({ tenantUrl: `${server.url}/scim?aadOptscim062020`, secretToken: TOKEN });
const patchBody = (operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });

describe('client set-up', () => {
  it('derives the base URL and the dialect from the Tenant URL', () => {
    expect(entraClient().baseUrl).toBe(`${server.url}/scim`);
    expect(entraClient().dialect).toBe('entra');
    expect(rfcClient().baseUrl).toBe(`${server.url}/scim`);
    expect(rfcClient().dialect).toBe('rfc');
    expect(entraClient({ dialect: 'rfc' }).dialect).toBe('rfc');
  });

  it('sends the SCIM media type, the bearer token and a user agent', async () => {
    server.handler = (_request, response) => send(response, 201, { id: 'u1' });
    await entraClient({ userAgent: 'provisio-test' }).createUser({ userName: 'ada' });
    const { headers } = server.last();
    expect(headers['content-type']).toBe('application/scim+json');
    expect(headers.accept).toBe('application/scim+json');
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers['user-agent']).toBe('provisio-test');
  });

  it('sends no Content-Type without a body and no Authorization without a token', async () => {
    await new ScimClient({ tenantUrl: server.url }).findUsers('userName', 'ada');
    const { headers } = server.last();
    expect(headers['content-type']).toBeUndefined();
    expect(headers.authorization).toBeUndefined();
    expect(headers.accept).toBe('application/scim+json');
  });

  it('trims a pasted token and a leading "Bearer "', async () => {
    await new ScimClient({ tenantUrl: server.url, secretToken: `  Bearer ${TOKEN}\n` }).findUsers(
      'userName',
      'ada',
    );
    expect(server.last().headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe('users', () => {
  it('testConnection looks up a random value of the matching attribute', async () => {
    await entraClient().testConnection();
    await entraClient().testConnection('externalId');
    const [first, second] = server.requests;
    expect(first?.method).toBe('GET');
    expect(first?.path).toBe('/scim/Users');
    expect(first?.query.get('filter')).toMatch(/^userName eq "[0-9a-f-]{36}"$/);
    expect(second?.query.get('filter')).toMatch(/^externalId eq "[0-9a-f-]{36}"$/);
    expect(first?.query.get('filter')).not.toBe(second?.query.get('filter'));
    // %20 rather than "+": not every SCIM server decodes "+" in a filter.
    expect(first?.url).toContain('filter=userName%20eq%20%22');
  });

  it('getUser reads one user, optionally with selected attributes', async () => {
    server.handler = (_request, response) =>
      send(response, 200, {
        id: 'u1',
        userName: 'ada',
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      });
    const user = await entraClient().getUser('u1');
    expect(user).toMatchObject({ id: 'u1', userName: 'ada' });
    expect(server.last()).toMatchObject({ method: 'GET', url: '/scim/Users/u1' });

    await entraClient().getUser('u1', { attributes: ['userName', 'active'] });
    expect(server.last().query.get('attributes')).toBe('userName,active');
  });

  it('encodes ids in paths', async () => {
    server.handler = (_request, response) => send(response, 200, { id: 'a/b c' });
    await entraClient().getUser('a/b c');
    expect(server.last().url).toBe('/scim/Users/a%2Fb%20c');
  });

  it('accepts numeric ids and returns them as strings', async () => {
    server.handler = (_request, response) => send(response, 201, { id: 42, userName: 'ada' });
    await expect(entraClient().createUser({ userName: 'ada' })).resolves.toMatchObject({ id: '42' });
  });

  it('findUsers filters on one attribute and escapes quotes and backslashes', async () => {
    server.handler = (_request, response) =>
      send(response, 200, {
        ...emptyList,
        totalResults: 1,
        itemsPerPage: 1,
        Resources: [{ id: 'u1', userName: 'a"b\\c' }],
      });
    const found = await entraClient().findUsers('userName', 'a"b\\c');
    expect(found).toEqual([{ id: 'u1', userName: 'a"b\\c' }]);
    expect(server.last().query.get('filter')).toBe('userName eq "a\\"b\\\\c"');

    await entraClient().findUsers(`${ENTERPRISE}:employeeNumber`, '7');
    expect(server.last().query.get('filter')).toBe(`${ENTERPRISE}:employeeNumber eq "7"`);
  });

  it('findUsers refuses an attribute name that would change the filter', async () => {
    await expect(entraClient().findUsers('userName eq "x" or userName', 'y')).rejects.toThrow(
      /not a SCIM attribute name/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('listUsers pages with startIndex and count', async () => {
    server.handler = (_request, response) =>
      send(response, 200, {
        totalResults: 3,
        startIndex: 2,
        itemsPerPage: 2,
        Resources: [{ id: 'u2' }, { id: 'u3' }],
      });
    const page = await entraClient().listUsers(2, 2);
    expect(page).toEqual({
      totalResults: 3,
      startIndex: 2,
      itemsPerPage: 2,
      Resources: [{ id: 'u2' }, { id: 'u3' }],
    });
    expect(server.last().url).toBe('/scim/Users?startIndex=2&count=2');
  });

  it('listUsers accepts an empty ListResponse without Resources', async () => {
    server.handler = (_request, response) =>
      send(response, 200, { schemas: emptyList.schemas, totalResults: 0 });
    await expect(entraClient().listUsers(1, 100)).resolves.toEqual({
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('createUser posts the resource with the schema URNs and meta Entra sends', async () => {
    server.handler = (request, response) => send(response, 201, { ...(request.body as object), id: 'u9' });
    const created = await entraClient().createUser({
      externalId: 'e1',
      userName: 'ada@example.com',
      active: true,
      [`${ENTERPRISE}`]: { department: 'R&D' },
    });
    expect(created.id).toBe('u9');
    expect(server.last().method).toBe('POST');
    expect(server.last().path).toBe('/scim/Users');
    expect(server.last().body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      externalId: 'e1',
      userName: 'ada@example.com',
      active: true,
      [ENTERPRISE]: { department: 'R&D' },
      meta: { resourceType: 'User' },
    });
  });

  it('createUser keeps schemas and meta it is given', async () => {
    server.handler = (_request, response) => send(response, 201, { id: 'u9' });
    await entraClient().createUser({
      schemas: ['urn:example:custom'],
      userName: 'ada',
      meta: { resourceType: 'Person' },
    });
    expect(server.last().body).toEqual({
      schemas: ['urn:example:custom', 'urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada',
      meta: { resourceType: 'Person' },
    });
  });

  const changes = [
    { path: 'userName', value: 'ada@example.com' },
    { path: 'name.givenName', value: 'Ada' },
    { path: 'emails[type eq "work"].value', value: 'ada@example.com' },
    { path: `${ENTERPRISE}:department`, value: 'R&D' },
    { path: 'title', value: null },
    { path: 'active', value: true },
  ];

  it('updateUser (entra) sends one Replace per change and Remove for null', async () => {
    server.handler = (_request, response) => send(response, 204);
    await entraClient().updateUser('u1', changes);
    expect(server.last()).toMatchObject({ method: 'PATCH', path: '/scim/Users/u1' });
    expect(server.last().headers['content-type']).toBe('application/scim+json');
    expect(server.last().body).toEqual(
      patchBody([
        { op: 'Replace', path: 'userName', value: 'ada@example.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Ada' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'ada@example.com' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'R&D' },
        { op: 'Remove', path: 'title' },
        { op: 'Replace', path: 'active', value: 'True' },
      ]),
    );
  });

  it('updateUser (rfc) merges plain paths into one path-less replace and keeps filtered paths apart', async () => {
    server.handler = (_request, response) => send(response, 200, { id: 'u1' });
    await rfcClient().updateUser('u1', changes);
    expect(server.last().body).toEqual(
      patchBody([
        {
          op: 'replace',
          value: {
            userName: 'ada@example.com',
            'name.givenName': 'Ada',
            [`${ENTERPRISE}:department`]: 'R&D',
            active: true,
          },
        },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@example.com' },
        { op: 'remove', path: 'title' },
      ]),
    );
  });

  it('updateUser sends nothing when nothing changes', async () => {
    await entraClient().updateUser('u1', []);
    expect(server.requests).toHaveLength(0);
  });

  it('disableUser sends "False" (entra) or false (rfc)', async () => {
    server.handler = (_request, response) => send(response, 204);
    await entraClient().disableUser('u1');
    expect(server.last()).toMatchObject({ method: 'PATCH', path: '/scim/Users/u1' });
    expect(server.last().body).toEqual(patchBody([{ op: 'Replace', path: 'active', value: 'False' }]));
    await rfcClient().disableUser('u1');
    expect(server.last().body).toEqual(patchBody([{ op: 'replace', path: 'active', value: false }]));
  });

  it('deleteUser sends DELETE and accepts 204', async () => {
    server.handler = (_request, response) => send(response, 204);
    await entraClient().deleteUser('u1');
    expect(server.last()).toMatchObject({ method: 'DELETE', url: '/scim/Users/u1', rawBody: '' });
  });
});

describe('groups', () => {
  it('getGroup excludes members', async () => {
    server.handler = (_request, response) => send(response, 200, { id: 'g1', displayName: 'Sales' });
    await expect(entraClient().getGroup('g1')).resolves.toEqual({ id: 'g1', displayName: 'Sales' });
    expect(server.last().url).toBe('/scim/Groups/g1?excludedAttributes=members');
  });

  it('findGroups filters on displayName and excludes members', async () => {
    server.handler = (_request, response) =>
      send(response, 200, {
        ...emptyList,
        totalResults: 1,
        Resources: [{ id: 'g1', displayName: 'Sales "EU"' }],
      });
    await expect(entraClient().findGroups('Sales "EU"')).resolves.toEqual([
      { id: 'g1', displayName: 'Sales "EU"' },
    ]);
    expect(server.last().path).toBe('/scim/Groups');
    expect(server.last().query.get('excludedAttributes')).toBe('members');
    expect(server.last().query.get('filter')).toBe('displayName eq "Sales \\"EU\\""');
  });

  it('createGroup (entra) adds the legacy group schema URN', async () => {
    server.handler = (_request, response) => send(response, 201, { id: 'g1' });
    await entraClient().createGroup({ externalId: 'x1', displayName: 'Sales' });
    expect(server.last()).toMatchObject({ method: 'POST', path: '/scim/Groups' });
    expect(server.last().body).toEqual({
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
      ],
      externalId: 'x1',
      displayName: 'Sales',
      meta: { resourceType: 'Group' },
    });
  });

  it('createGroup (rfc) sends only the core group schema', async () => {
    server.handler = (_request, response) => send(response, 201, { id: 'g1' });
    await rfcClient().createGroup({ displayName: 'Sales' });
    expect(server.last().body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Sales',
      meta: { resourceType: 'Group' },
    });
  });

  it('updateGroup sends the dialect form', async () => {
    server.handler = (_request, response) => send(response, 204);
    await entraClient().updateGroup('g1', [{ path: 'displayName', value: 'Sales EU' }]);
    expect(server.last()).toMatchObject({ method: 'PATCH', path: '/scim/Groups/g1' });
    expect(server.last().body).toEqual(
      patchBody([{ op: 'Replace', path: 'displayName', value: 'Sales EU' }]),
    );
    await rfcClient().updateGroup('g1', [{ path: 'displayName', value: 'Sales EU' }]);
    expect(server.last().body).toEqual(patchBody([{ op: 'replace', value: { displayName: 'Sales EU' } }]));
  });

  it('addMembers sends all members in one Add', async () => {
    server.handler = (_request, response) => send(response, 204);
    await entraClient().addMembers('g1', ['u1', 'u2']);
    expect(server.last()).toMatchObject({ method: 'PATCH', path: '/scim/Groups/g1' });
    expect(server.last().body).toEqual(
      patchBody([
        {
          op: 'Add',
          path: 'members',
          value: [
            { $ref: null, value: 'u1' },
            { $ref: null, value: 'u2' },
          ],
        },
      ]),
    );
    await rfcClient().addMembers('g1', ['u1']);
    expect(server.last().body).toEqual(
      patchBody([{ op: 'add', path: 'members', value: [{ $ref: null, value: 'u1' }] }]),
    );
  });

  it('removeMembers uses a value list (entra) or one filtered path per member (rfc)', async () => {
    server.handler = (_request, response) => send(response, 204);
    await entraClient().removeMembers('g1', ['u1', 'u2']);
    expect(server.last().body).toEqual(
      patchBody([{ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }]),
    );
    await rfcClient().removeMembers('g1', ['u1', 'u"2']);
    expect(server.last().body).toEqual(
      patchBody([
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'remove', path: 'members[value eq "u\\"2"]' },
      ]),
    );
  });

  it('sends no membership PATCH for an empty list', async () => {
    await entraClient().addMembers('g1', []);
    await entraClient().removeMembers('g1', []);
    expect(server.requests).toHaveLength(0);
  });

  it('deleteGroup sends DELETE', async () => {
    server.handler = (_request, response) => send(response, 204);
    await entraClient().deleteGroup('g1');
    expect(server.last()).toMatchObject({ method: 'DELETE', url: '/scim/Groups/g1' });
  });
});

describe('exchanges', () => {
  it('reports every request with its body, status, answer and duration', async () => {
    const exchanges: ScimExchange[] = [];
    const client = entraClient({ onExchange: (exchange) => exchanges.push(exchange) });
    server.handler = (_request, response) => send(response, 201, { id: 'u1', userName: 'ada' });
    await client.createUser({ userName: 'ada', password: 'hunter2' });
    server.handler = (_request, response) => send(response, 204);
    await client.updateUser('u1', [{ path: 'password', value: 'hunter3' }]);

    expect(exchanges).toHaveLength(2);
    expect(exchanges[0]).toMatchObject({
      method: 'POST',
      url: `${server.url}/scim/Users`,
      requestBody: { userName: 'ada', password: '[redacted]' },
      status: 201,
      responseBody: { id: 'u1', userName: 'ada' },
    });
    expect(exchanges[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(exchanges[0]?.error).toBeUndefined();
    expect(exchanges[1]).toMatchObject({
      method: 'PATCH',
      status: 204,
      requestBody: patchBody([{ op: 'Replace', path: 'password', value: '[redacted]' }]),
    });
    expect(exchanges[1]?.responseBody).toBeUndefined();
    // The request itself carries the real values.
    expect(server.last().body).toEqual(patchBody([{ op: 'Replace', path: 'password', value: 'hunter3' }]));
    // The text sent is reported only when nothing was redacted: it would carry the password.
    expect(exchanges[0]?.requestText).toBeUndefined();
    expect(exchanges[1]?.requestText).toBeUndefined();
  });

  it('reports the body as sent when nothing in it is redacted', async () => {
    const exchanges: ScimExchange[] = [];
    const client = entraClient({ onExchange: (exchange) => exchanges.push(exchange) });
    server.handler = (_request, response) => send(response, 201, { id: 'u1', userName: 'ada' });
    await client.createUser({ userName: 'ada', displayName: 'Ada' });
    expect(JSON.parse(exchanges[0]?.requestText ?? '')).toEqual(server.last().body);
    expect(JSON.parse(exchanges[0]?.requestText ?? '')).toEqual(exchanges[0]?.requestBody);
  });
});

describe('argument errors', () => {
  it('reject instead of throwing synchronously, before any request', async () => {
    const client = entraClient();
    const calls = [
      () => client.getUser(''),
      () => client.listUsers(0, 10),
      () => client.deleteGroup(''),
      () => client.updateUser('u1', [{ path: '', value: 1 }]),
    ];
    for (const call of calls) {
      const pending = call();
      expect(pending).toBeInstanceOf(Promise);
      await expect(pending).rejects.toThrow();
    }
    expect(server.requests).toHaveLength(0);
  });
});
