import { ScimClient, type ScimTransport, type TransportRequest } from '@provisio/scim-client';
import { describe, expect, it } from 'vitest';
import { TargetProbes, type TargetCheckPlan } from './target-check-probes';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const list = (resources: unknown[]) => ({
  totalResults: resources.length,
  startIndex: 1,
  Resources: resources,
});
const scimError = (status: number, scimType: string, detail: string) => ({
  status,
  body: { schemas: [ERROR], status: String(status), scimType, detail },
});

/**
 * An application that speaks only the RFC's lowercase PATCH ops, as some strict servers do: Entra's
 * capitalised `Replace`/`Add`/`Remove` are refused with 400 invalidSyntax.
 */
function strictTarget(): { transport: ScimTransport; objects: () => string[] } {
  const objects = new Map<string, Record<string, unknown>>();
  let next = 0;
  const route = (r: TransportRequest): { status: number; body?: unknown } => {
    const url = new URL(r.url);
    const path = url.pathname.replace(/^\/scim/, '');
    const body = r.body === undefined ? undefined : (JSON.parse(r.body) as Record<string, unknown>);
    if (r.method === 'GET' && path === '/ServiceProviderConfig')
      return { status: 200, body: { patch: { supported: true } } };
    if (r.method === 'GET' && path === '/Schemas')
      return {
        status: 200,
        body: list([
          { id: 'urn:ietf:params:scim:schemas:core:2.0:User' },
          { id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' },
        ]),
      };
    if (r.method === 'GET' && path === '/ResourceTypes')
      return { status: 200, body: list([{ name: 'User' }, { name: 'Group' }]) };
    const [, kind, id] = path.split('/');
    if (r.method === 'GET' && id === undefined) {
      const filter = url.searchParams.get('filter');
      const all = [...objects.values()].filter((o) => o.kind === kind);
      const found =
        filter === null
          ? all.slice(0, Number(url.searchParams.get('count') ?? 100))
          : all.filter((o) => filter.includes(String(o.userName ?? o.displayName)));
      return { status: 200, body: list(found) };
    }
    if (r.method === 'POST') {
      const name = String(body!.userName ?? body!.displayName);
      if ([...objects.values()].some((o) => o.userName === name))
        return scimError(409, 'uniqueness', 'Exists.');
      next += 1;
      const created = { ...body, id: `${kind}-${next}`, kind };
      objects.set(created.id, created);
      return { status: 201, body: created };
    }
    const object = id === undefined ? undefined : objects.get(id);
    if (!object) return scimError(404, '', 'Not found.');
    if (r.method === 'GET') return { status: 200, body: object };
    if (r.method === 'DELETE') {
      objects.delete(id!);
      return { status: 204 };
    }
    const operations = body!.Operations as { op: string; path?: string; value?: unknown }[];
    if (operations.some((o) => o.op !== o.op.toLowerCase()))
      return scimError(400, 'invalidSyntax', `Unknown op ${operations[0]!.op}.`);
    for (const o of operations) {
      if (o.path === 'active') object.active = o.value;
      else if (o.path === undefined) Object.assign(object, o.value);
    }
    return { status: 200, body: object };
  };
  return {
    transport: {
      send: (request) => {
        const { status, body } = route(request);
        return Promise.resolve({
          status,
          text: body === undefined ? '' : JSON.stringify(body),
          headers: {
            get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/scim+json' : null),
          },
        });
      },
    },
    objects: () => [...objects.keys()],
  };
}

const plan: TargetCheckPlan = {
  userMatching: ['userName'],
  groupMatching: ['displayName'],
  groupsMapped: true,
  usesEnterprise: true,
  dialect: 'entra',
};

describe('TargetProbes', () => {
  it("against an application that refuses Entra's capitalised PATCH ops: says to enable the aadOptscim062020 flag", async () => {
    const target = strictTarget();
    const client = new ScimClient({
      tenantUrl: 'https://strict.example/scim',
      secretToken: 'strict-target-token',
      transport: target.transport,
    });
    const outcome = await new TargetProbes(client, plan, {
      tag: 'abcd1234',
      absentValue: 'no-such-id',
      budgetMs: 60_000,
    }).run();
    const byId = new Map(outcome.findings.map((f) => [f.id, f]));
    expect(byId.get('patch.entra')).toMatchObject({
      severity: 'error',
      title: "PATCH in Entra's default form fails",
    });
    expect(byId.get('patch.entra')?.fix).toContain('Enable the `aadOptscim062020` flag');
    expect(byId.get('patch.path.displayName')?.detail).toContain('invalidSyntax');
    expect(byId.get('users.disable')).toMatchObject({ severity: 'error', title: 'Users cannot be disabled' });
    expect(byId.get('users.disable')?.fix).toContain('`aadOptscim062020` flag');
    expect(byId.get('cleanup')?.severity).toBe('info');
    expect(target.objects()).toEqual([]);
  });

  it('with the flag on, the same application is all green', async () => {
    const target = strictTarget();
    const client = new ScimClient({
      tenantUrl: 'https://strict.example/scim?aadOptscim062020',
      secretToken: 'strict-target-token',
      transport: target.transport,
    });
    const outcome = await new TargetProbes(
      client,
      { ...plan, dialect: 'rfc' },
      { tag: 'abcd1234', absentValue: 'no-such-id', budgetMs: 60_000 },
    ).run();
    expect(outcome.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(target.objects()).toEqual([]);
  });
});
