import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser, describeAccess, errorOf, startTestApp, type TestContext } from './helpers';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

interface DeltaItem {
  id: string;
  displayName?: string;
  department?: string | null;
  '@removed'?: { reason: 'changed' | 'deleted' };
  'members@delta'?: { id: string; '@removed'?: { reason: string } }[];
  [key: string]: unknown;
}
interface DeltaPage {
  value: DeltaItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

async function get(url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: t.admin } });
}
/** The path and query of an absolute link, to call it with inject. */
const local = (link: string) => {
  const u = new URL(link);
  return `${u.pathname}${u.search}`;
};
/** Follows nextLinks to the end of a round: every item and the deltaLink. */
async function round(url: string): Promise<{ items: DeltaItem[]; deltaLink: string; pages: number }> {
  const items: DeltaItem[] = [];
  let next: string | undefined = url;
  let pages = 0;
  for (;;) {
    const res = await get(next);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as DeltaPage;
    pages += 1;
    items.push(...page.value);
    if (page['@odata.nextLink']) {
      expect(page['@odata.deltaLink']).toBeUndefined();
      next = local(page['@odata.nextLink']);
      continue;
    }
    expect(page['@odata.deltaLink']).toMatch(
      /^http:\/\/localhost(:\d+)?\/api\/v1\.0\/(users|groups)\/delta\?\$deltatoken=/,
    );
    return { items, deltaLink: local(page['@odata.deltaLink']!), pages };
  }
}
async function patch(url: string, payload: object) {
  const res = await t.app.inject({ method: 'PATCH', url, headers: { cookie: t.admin }, payload });
  expect(res.statusCode, res.body).toBe(204);
}
async function send(method: 'POST' | 'DELETE', url: string, payload?: object) {
  const res = await t.app.inject({
    method,
    url,
    headers: { cookie: t.admin },
    ...(payload ? { payload } : {}),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res;
}

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: '/api/v1.0/users/delta' },
    { method: 'GET', url: '/api/v1.0/groups/delta' },
  ]);
});

describe('GET /users/delta', () => {
  let saved: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    for (const n of ['d-alpha', 'd-bravo', 'd-charlie', 'd-delta', 'd-echo']) {
      ids[n] = await createUser(t, `${n}@contoso.com`, { department: 'Delta' });
    }
    const first = await round('/api/v1.0/users/delta?$top=2');
    expect(first.pages).toBeGreaterThanOrEqual(3);
    for (const id of Object.values(ids)) expect(first.items.map((i) => i.id)).toContain(id);
    expect(first.items.every((i) => !i['@removed'])).toBe(true);
    saved = first.deltaLink;
  });
  // Each test starts from the deltaLink the previous round handed out.
  beforeEach(async () => {
    const settle = await round(saved);
    saved = settle.deltaLink;
  });

  it('a deltaLink with nothing changed since returns nothing, and a new deltaLink', async () => {
    const r = await round(saved);
    expect(r.items).toEqual([]);
  });

  it('created: a new user is returned with its properties', async () => {
    const id = await createUser(t, 'd-new@contoso.com', { department: 'Delta' });
    const r = await round(saved);
    expect(r.items).toEqual([
      expect.objectContaining({ id, userPrincipalName: 'd-new@contoso.com', department: 'Delta' }),
    ]);
  });

  it('changed: an edited user is returned once with its new values, however often it changed', async () => {
    await patch(`/api/v1.0/users/${ids['d-alpha']}`, { jobTitle: 'Pilot' });
    await patch(`/api/v1.0/users/${ids['d-alpha']}`, { jobTitle: 'Captain' });
    const r = await round(saved);
    expect(r.items).toEqual([expect.objectContaining({ id: ids['d-alpha'], jobTitle: 'Captain' })]);
  });

  it('soft-deleted: @removed with reason changed; restored: the user again', async () => {
    await send('DELETE', `/api/v1.0/users/${ids['d-bravo']}`);
    const deleted = await round(saved);
    expect(deleted.items).toEqual([{ id: ids['d-bravo'], '@removed': { reason: 'changed' } }]);
    await send('POST', `/api/v1.0/directory/deletedItems/${ids['d-bravo']}/restore`);
    const restored = await round(deleted.deltaLink);
    expect(restored.items).toEqual([expect.objectContaining({ id: ids['d-bravo'], displayName: 'd-bravo' })]);
    expect(restored.items[0]!['@removed']).toBeUndefined();
    saved = restored.deltaLink;
  });

  it('hard-deleted: @removed with reason deleted', async () => {
    await send('DELETE', `/api/v1.0/users/${ids['d-charlie']}`);
    await send('DELETE', `/api/v1.0/directory/deletedItems/${ids['d-charlie']}`);
    const r = await round(saved);
    expect(r.items).toEqual([{ id: ids['d-charlie'], '@removed': { reason: 'deleted' } }]);
  });

  it('across paging links: exactly the users created, changed and deleted since, each once', async () => {
    const created = [
      await createUser(t, 'd-p1@contoso.com'),
      await createUser(t, 'd-p2@contoso.com'),
      await createUser(t, 'd-p3@contoso.com'),
    ];
    await patch(`/api/v1.0/users/${ids['d-delta']}`, { department: 'Moved' });
    await send('DELETE', `/api/v1.0/users/${ids['d-echo']}`);
    await patch(`/api/v1.0/users/${created[0]}`, { jobTitle: 'Twice' });
    // A membership is no change to the user's own properties.
    const g = (await send('POST', '/api/v1.0/groups', { displayName: 'Delta paging group' })).json() as {
      id: string;
    };
    await send('POST', `/api/v1.0/groups/${g.id}/members/$ref`, {
      '@odata.id': `https://localhost/api/v1.0/users/${ids['d-alpha']}`,
    });
    const r = await round(saved.replace('$deltatoken', '$top=2&$deltatoken'));
    expect(r.pages).toBe(3);
    expect(r.items.map((i) => i.id).sort()).toEqual([...created, ids['d-delta']!, ids['d-echo']!].sort());
    expect(r.items.find((i) => i.id === ids['d-delta'])).toMatchObject({ department: 'Moved' });
    expect(r.items.find((i) => i.id === ids['d-echo'])).toEqual({
      id: ids['d-echo'],
      '@removed': { reason: 'changed' },
    });
    expect(r.items.find((i) => i.id === created[0])).toMatchObject({ jobTitle: 'Twice' });
  });

  it('$select chooses the properties, and the links keep the choice', async () => {
    const first = await round('/api/v1.0/users/delta?$select=displayName,department&$top=3');
    for (const item of first.items)
      expect(Object.keys(item).sort()).toEqual(['department', 'displayName', 'id']);
    const id = await createUser(t, 'd-selected@contoso.com', { department: 'Delta', jobTitle: 'Hidden' });
    const next = await round(first.deltaLink);
    expect(next.items).toEqual([{ id, displayName: 'd-selected', department: 'Delta' }]);
  });

  it('$deltatoken=latest answers no users, only a deltaLink for what changes next', async () => {
    const res = await get('/api/v1.0/users/delta?$deltatoken=latest');
    const page = res.json() as DeltaPage;
    expect(page.value).toEqual([]);
    const id = await createUser(t, 'd-latest@contoso.com');
    const r = await round(local(page['@odata.deltaLink']!));
    expect(r.items.map((i) => i.id)).toEqual([id]);
  });

  it('a bad or foreign token answers 400 naming it and saying to start a new round', async () => {
    for (const [url, target, code] of [
      ['/api/v1.0/users/delta?$deltatoken=nonsense', 'querystring/$deltatoken', 'delta.invalid_token'],
      ['/api/v1.0/users/delta?$skiptoken=nonsense', 'querystring/$skiptoken', 'delta.invalid_token'],
      [saved.replace('/users/', '/groups/'), 'querystring/$deltatoken', 'delta.invalid_token'],
      [
        `/api/v1.0/users/delta?$deltatoken=${Buffer.from(JSON.stringify({ v: 1, type: 'user', since: 10 ** 9, select: null, top: 5 })).toString('base64url')}`,
        'querystring/$deltatoken',
        'delta.token_expired',
      ],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      const error = errorOf(res);
      expect(error.code).toBe(code);
      expect(error.details?.[0]?.target).toBe(target);
      expect(error.message).toMatch(/delta round/);
    }
  });

  it('an unknown $select property answers 400 naming $select and the supported properties', async () => {
    const res = await get('/api/v1.0/users/delta?$select=displayName,shoeSize');
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details?.[0]?.target).toBe('querystring/$select');
    expect(errorOf(res).message).toMatch(/shoeSize.*userPrincipalName/);
  });
});

describe('GET /groups/delta', () => {
  it('pages through groups with members@delta, then returns changed groups with the members that joined or left', async () => {
    const a = await createUser(t, 'gd-a@contoso.com');
    const b = await createUser(t, 'gd-b@contoso.com');
    const g = (await send('POST', '/api/v1.0/groups', { displayName: 'GD one' })).json() as { id: string };
    const h = (await send('POST', '/api/v1.0/groups', { displayName: 'GD two' })).json() as { id: string };
    await send('POST', `/api/v1.0/groups/${g.id}/members/$ref`, { '@odata.id': `users/${a}` });
    const first = await round('/api/v1.0/groups/delta?$top=1');
    expect(first.pages).toBeGreaterThanOrEqual(2);
    expect(first.items.find((i) => i.id === g.id)).toMatchObject({
      displayName: 'GD one',
      'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: a }],
    });

    await send('POST', `/api/v1.0/groups/${g.id}/members/$ref`, { '@odata.id': `users/${b}` });
    await send('DELETE', `/api/v1.0/groups/${g.id}/members/${a}/$ref`);
    await patch(`/api/v1.0/groups/${h.id}`, { description: 'Renamed' });
    const second = await round(first.deltaLink);
    expect(second.items).toHaveLength(2);
    const one = second.items.find((i) => i.id === g.id)!;
    expect(one['members@delta']).toEqual(
      expect.arrayContaining([
        { '@odata.type': '#microsoft.graph.user', id: b },
        { '@odata.type': '#microsoft.graph.user', id: a, '@removed': { reason: 'deleted' } },
      ]),
    );
    expect(second.items.find((i) => i.id === h.id)).toMatchObject({ description: 'Renamed' });
    expect(second.items.find((i) => i.id === h.id)!['members@delta']).toBeUndefined();

    await send('DELETE', `/api/v1.0/groups/${h.id}`);
    const third = await round(second.deltaLink);
    expect(third.items).toEqual([{ id: h.id, '@removed': { reason: 'deleted' } }]);
  });

  it('$select without members leaves members@delta out', async () => {
    const r = await round('/api/v1.0/groups/delta?$select=displayName');
    for (const item of r.items) expect(Object.keys(item).sort()).toEqual(['displayName', 'id']);
  });
});

describe('GET /users with Graph list parameters', () => {
  const u: Record<string, string> = {};
  beforeAll(async () => {
    const people = [
      ['lp-ada', 'Ada Lovelace', 'Math', 'E100', true],
      ['lp-alan', 'Alan Turing', 'Math', 'E200', false],
      ['lp-grace', 'Grace Hopper', 'Navy', 'E300', true],
      ['lp-kat', 'Katherine Johnson', 'NASA', 'E400', true],
    ] as const;
    for (const [upn, displayName, department, employeeId, accountEnabled] of people) {
      u[upn] = await createUser(t, `${upn}@lp.example`, {
        displayName,
        department,
        employeeId,
        accountEnabled,
        mail: `${upn}@mail.lp.example`,
      });
    }
  });
  const names = async (query: string): Promise<string[]> => {
    const res = await get(`/api/v1.0/users?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { value: { displayName: string }[] }).value.map((v) => v.displayName);
  };

  it('$filter eq (case-insensitive), on accountEnabled, and in', async () => {
    expect(await names("$filter=department eq 'math'")).toEqual(['Ada Lovelace', 'Alan Turing']);
    expect(await names("$filter=department eq 'Math' and accountEnabled eq false")).toEqual(['Alan Turing']);
    expect(await names("$filter=employeeId in ('E300','E400')")).toEqual([
      'Grace Hopper',
      'Katherine Johnson',
    ]);
    expect(await names("$filter=userPrincipalName eq 'LP-KAT@lp.example'")).toEqual(['Katherine Johnson']);
    const id = u['lp-kat'] ?? '';
    expect(await names(`$filter=id eq '${id.toUpperCase()}'`)).toEqual(['Katherine Johnson']);
    expect(await names(`$filter=id in ('${id}','${u['lp-ada'] ?? ''}')`)).toEqual([
      'Ada Lovelace',
      'Katherine Johnson',
    ]);
    expect(await names(`$filter=startswith(id,'${id.slice(0, 13).toUpperCase()}')`)).toEqual([
      'Katherine Johnson',
    ]);
  });

  it('$filter startswith, and, or', async () => {
    expect(await names("$filter=startswith(displayName,'a') and department eq 'Math'")).toEqual([
      'Ada Lovelace',
      'Alan Turing',
    ]);
    expect(await names("$filter=startswith(mail,'lp-g') or employeeId eq 'E400'")).toEqual([
      'Grace Hopper',
      'Katherine Johnson',
    ]);
    expect(
      await names("$filter=(department eq 'Navy' or department eq 'NASA') and startswith(displayName,'K')"),
    ).toEqual(['Katherine Johnson']);
  });

  it('$filter on assignment to an application (appRoleAssignments/any), directly or through a group', async () => {
    const sp = (await send('POST', '/api/v1.0/servicePrincipals', { displayName: 'LP App' })).json() as {
      id: string;
    };
    await send('POST', `/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, {
      principalId: u['lp-ada'],
    });
    const g = (await send('POST', '/api/v1.0/groups', { displayName: 'LP group' })).json() as { id: string };
    await send('POST', `/api/v1.0/groups/${g.id}/members/$ref`, { '@odata.id': `users/${u['lp-kat']}` });
    await send('POST', `/api/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, { principalId: g.id });
    expect(await names(`$filter=appRoleAssignments/any(a:a/resourceId eq '${sp.id}')`)).toEqual([
      'Ada Lovelace',
      'Katherine Johnson',
    ]);
  });

  it('$search: plain text in names, addresses and employee id; "property:text" in one property', async () => {
    expect(await names('$search=lovelace')).toEqual(['Ada Lovelace']);
    expect(await names('$search=E20')).toEqual(['Alan Turing']);
    expect(await names("$search=mail.lp.example&$filter=department eq 'Navy'")).toEqual(['Grace Hopper']);
    expect(await names('$search="displayName:hopper"')).toEqual(['Grace Hopper']);
    expect(await names('$search="employeeId:lp-"')).toEqual([]);
    // Typed into a search box: a word before a colon that is no property is just text.
    expect(await names('$search=shoeSize:42')).toEqual([]);
  });

  it('$select, $top with paging links that keep the parameters, and $count', async () => {
    const res = await get(
      "/api/v1.0/users?$filter=startswith(userPrincipalName,'lp-')&$select=displayName,employeeId&$top=3&$count=true",
    );
    const page = res.json() as { value: object[]; '@odata.count': number; '@odata.nextLink': string };
    expect(page['@odata.count']).toBe(4);
    expect(page.value).toHaveLength(3);
    for (const v of page.value) expect(Object.keys(v).sort()).toEqual(['displayName', 'employeeId', 'id']);
    const rest = await get(local(page['@odata.nextLink']));
    const second = rest.json() as { value: { displayName: string }[]; '@odata.nextLink'?: string };
    expect(second.value).toEqual([expect.objectContaining({ displayName: 'Katherine Johnson' })]);
    expect(Object.keys(second.value[0]!).sort()).toEqual(['displayName', 'employeeId', 'id']);
    expect(second['@odata.nextLink']).toBeUndefined();
  });

  it('bad parameters answer 400 naming the parameter and the supported properties', async () => {
    for (const [query, target, pattern] of [
      [
        "$filter=shoeSize eq '42'",
        'querystring/$filter',
        /shoeSize.*Supported properties: id, userPrincipalName/,
      ],
      ["$filter=department ne 'Math'", 'querystring/$filter', /'ne'.*eq or startswith/],
      ["$filter=contains(displayName,'a')", 'querystring/$filter', /\$search/],
      ["$filter=accountEnabled eq 'yes'", 'querystring/$filter', /true or false/],
      ['$filter=department eq', 'querystring/$filter', /Expected a value/],
      ['$search="shoeSize:42"', 'querystring/$search', /shoeSize.*Supported properties: displayName/],
      ['$select=displayName,shoeSize', 'querystring/$select', /shoeSize.*Supported properties/],
      ['$skiptoken=not-a-token', 'querystring/$skiptoken', /@odata.nextLink/],
      ['$top=0', 'querystring/$top', /./],
    ] as const) {
      const res = await get(`/api/v1.0/users?${query}`);
      expect(res.statusCode, query).toBe(400);
      const error = errorOf(res);
      expect(error.details?.[0]?.target, query).toBe(target);
      expect(error.details?.[0]?.message ?? error.message, query).toMatch(pattern);
    }
  });
});

describe('GET /groups with Graph list parameters', () => {
  it('$filter on displayName and mailNickname, $search, $select, $count; others answer 400', async () => {
    await send('POST', '/api/v1.0/groups', { displayName: 'Finance EMEA', mailNickname: 'fin-emea' });
    await send('POST', '/api/v1.0/groups', { displayName: 'Finance US', mailNickname: 'fin-us' });
    const res = await get(
      "/api/v1.0/groups?$filter=startswith(displayName,'finance') or mailNickname eq 'x'&$select=mailNickname&$count=true",
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      '@odata.count': 2,
      value: [
        { id: expect.any(String), mailNickname: 'fin-emea' },
        { id: expect.any(String), mailNickname: 'fin-us' },
      ],
    });
    const search = (await get('/api/v1.0/groups?$search="mailNickname:fin-u"')).json() as {
      value: { displayName: string }[];
    };
    expect(search.value.map((g) => g.displayName)).toEqual(['Finance US']);
    const bad = await get("/api/v1.0/groups?$filter=department eq 'x'");
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).message).toMatch(/Supported properties: id, displayName, mailNickname/);
  });
});
