import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTERPRISE,
  expectScimError,
  GROUP,
  http,
  LIST,
  scimClient,
  startApp,
  USER,
  type Running,
  type ScimClient,
} from './helpers';

let r: Running;
let c: ScimClient;

beforeAll(async () => {
  r = await startApp();
  c = scimClient(r);
});
afterAll(() => r.close());

describe('bearer authentication', () => {
  it('answers 401 with a SCIM error and WWW-Authenticate when no token is sent', async () => {
    const res = await http('GET', `${r.scim}/Users`);
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 to a wrong token, also on discovery endpoints', async () => {
    for (const path of ['/Users', '/Groups/x', '/ServiceProviderConfig', '/Schemas', '/nope']) {
      const res = await http('GET', r.scim + path, { headers: { authorization: 'Bearer wrong' } });
      expectScimError(res, 401);
    }
  });

  it('answers 401 to another scheme carrying the right token', async () => {
    const res = await http('GET', `${r.scim}/Users`, { headers: { authorization: `Basic ${r.token}` } });
    expectScimError(res, 401);
  });

  it('accepts the scheme in any case', async () => {
    const res = await http('GET', `${r.scim}/Users`, { headers: { authorization: `bearer ${r.token}` } });
    expect(res.status).toBe(200);
  });
});

describe('discovery', () => {
  it('serves /ServiceProviderConfig describing what is supported', async () => {
    const res = await c.get('/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(res.body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
    expect(res.body.patch).toEqual({ supported: true });
    expect(res.body.bulk.supported).toBe(false);
    expect(res.body.filter).toEqual({ supported: true, maxResults: 1000 });
    expect(res.body.sort.supported).toBe(false);
    expect(res.body.etag.supported).toBe(true);
    expect(res.body.changePassword.supported).toBe(false);
    expect(res.body.authenticationSchemes[0].type).toBe('oauthbearertoken');
  });

  it('serves /Schemas with User, the enterprise extension and Group', async () => {
    const res = await c.get('/Schemas');
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([LIST]);
    expect(res.body.Resources.map((s: { id: string }) => s.id)).toEqual([USER, ENTERPRISE, GROUP]);
    expect(res.body.totalResults).toBe(3);
  });

  it('describes userName as required, caseExact false and unique', async () => {
    const res = await c.get(`/Schemas/${USER}`);
    expect(res.status).toBe(200);
    const userName = res.body.attributes.find((a: { name: string }) => a.name === 'userName');
    expect(userName).toMatchObject({
      type: 'string',
      required: true,
      caseExact: false,
      uniqueness: 'server',
    });
    const ent = await c.get(`/Schemas/${ENTERPRISE}`);
    expect(ent.body.attributes.map((a: { name: string }) => a.name)).toEqual([
      'employeeNumber',
      'costCenter',
      'organization',
      'division',
      'department',
      'manager',
    ]);
    expectScimError(await c.get('/Schemas/urn:nope'), 404);
  });

  it('serves /ResourceTypes with the enterprise extension on User', async () => {
    const res = await c.get('/ResourceTypes');
    expect(res.status).toBe(200);
    const user = res.body.Resources.find((t: { id: string }) => t.id === 'User');
    expect(user).toMatchObject({
      endpoint: '/Users',
      schema: USER,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    });
    const group = await c.get('/ResourceTypes/Group');
    expect(group.body).toMatchObject({ endpoint: '/Groups', schema: GROUP, schemaExtensions: [] });
  });
});

describe('HTTP conventions', () => {
  it('answers an unknown endpoint with a SCIM 404', async () => {
    expectScimError(await c.get('/Widgets'), 404);
  });

  it('matches endpoint names case-insensitively and ignores a trailing slash', async () => {
    expect((await c.get('/users/')).status).toBe(200);
  });

  it('accepts application/json request bodies as well as application/scim+json', async () => {
    const res = await c.post(
      '/Users',
      { schemas: [USER], userName: 'json@example.com' },
      { 'content-type': 'application/json' },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  });

  it('answers 415 to other content types', async () => {
    const res = await http('POST', `${r.scim}/Users`, {
      raw: 'userName=x',
      headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectScimError(res, 415);
  });

  it('answers malformed JSON with 400 invalidSyntax', async () => {
    const res = await http('POST', `${r.scim}/Users`, {
      raw: '{"userName": ',
      headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/scim+json' },
    });
    expectScimError(res, 400, 'invalidSyntax');
  });

  it('answers /Bulk with 501 since bulk is not supported', async () => {
    expectScimError(
      await c.post('/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [],
      }),
      501,
    );
  });
});
