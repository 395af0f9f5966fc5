import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  createAppWithJob,
  createUser,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const url = '/api/v1.0/directory/extensionProperties';

async function define(name: string, dataType: string, isMultiValued = false) {
  const res = await t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: t.admin },
    payload: { name, dataType, isMultiValued },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string };
}

async function patchUser(id: string, payload: object) {
  return t.app.inject({
    method: 'PATCH',
    url: `/api/v1.0/users/${id}`,
    headers: { cookie: t.admin },
    payload,
  });
}
async function getUser(id: string) {
  return (
    await t.app.inject({ method: 'GET', url: `/api/v1.0/users/${id}`, headers: { cookie: t.admin } })
  ).json() as Record<string, unknown>;
}

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url },
    { method: 'POST', url, payload: { name: 'x', dataType: 'String' } },
    { method: 'GET', url: `${url}/${NO_ID}` },
    { method: 'DELETE', url: `${url}/${NO_ID}` },
    { method: 'GET', url: `/api/v1.0/groups/${NO_ID}/members/microsoft.graph.group` },
    { method: 'GET', url: `/api/v1.0/groups/${NO_ID}/appRoleAssignments` },
  ]);
});

describe('directory extension attributes', () => {
  it('defines one with Graph extensionProperty shape, lists it, refuses a second of that name (409) and audits it', async () => {
    const created = await define('costCenter', 'String');
    expect(created).toMatchObject({
      name: expect.stringMatching(/^extension_[0-9a-f]{32}_costCenter$/),
      dataType: 'String',
      isMultiValued: false,
      targetObjects: ['User'],
    });
    const list = await t.app.inject({ method: 'GET', url, headers: { cookie: t.reader } });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { value: { id: string }[] }).value.map((p) => p.id)).toContain(created.id);
    const again = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: t.admin },
      payload: { name: 'CostCenter', dataType: 'Integer' },
    });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('extension_property.conflict');
    expect(
      (await auditEvents(t)).find((e) => e.activityDisplayName === 'Add extension property'),
    ).toBeDefined();
  });

  it('refuses a name that is not letters, digits and underscores (400)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: t.admin },
      payload: { name: 'cost center', dataType: 'String' },
    });
    expect(res.statusCode).toBe(400);
  });

  it('users carry values of their type as top-level properties; null clears one; a wrong type or an undefined name is a 400', async () => {
    const level = await define('level', 'Integer');
    const badges = await define('badges', 'String', true);
    const id = await createUser(t, 'ext.user@contoso.com', { [level.name]: 3 });
    expect(await getUser(id)).toMatchObject({ [level.name]: 3 });

    expect((await patchUser(id, { [badges.name]: ['a', 'b'], department: 'Sales' })).statusCode).toBe(204);
    expect(await getUser(id)).toMatchObject({
      [level.name]: 3,
      [badges.name]: ['a', 'b'],
      department: 'Sales',
    });

    const wrongType = await patchUser(id, { [level.name]: 'three' });
    expect(wrongType.statusCode).toBe(400);
    expect(errorOf(wrongType).code).toBe('user.invalid_extension_attribute');
    expect(errorOf(wrongType).details?.[0]?.target).toBe(`body/${level.name}`);
    const notList = await patchUser(id, { [badges.name]: 'a' });
    expect(errorOf(notList).code).toBe('user.invalid_extension_attribute');
    const unknown = await patchUser(id, { [level.name.replace('level', 'nope')]: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).code).toBe('user.unknown_extension_attribute');

    expect((await patchUser(id, { [level.name]: null })).statusCode).toBe(204);
    expect(await getUser(id)).not.toHaveProperty(level.name);
    const audit = (await auditEvents(t)).find(
      (e) => e.activityDisplayName === 'Update user' && e.targetResources[0]?.id === id,
    );
    expect(audit?.targetResources[0]?.modifiedProperties.map((p) => p.displayName)).toContain(level.name);
  });

  it('PATCH sets every attribute incl. the manager', async () => {
    const manager = await createUser(t, 'boss@contoso.com');
    const id = await createUser(t, 'report@contoso.com');
    const all = {
      givenName: 'Rita',
      surname: 'Report',
      mail: 'rita@contoso.com',
      mailNickname: 'rita',
      employeeId: 'E-1',
      department: 'Ops',
      jobTitle: 'Analyst',
      accountEnabled: false,
      managerId: manager,
    };
    expect((await patchUser(id, all)).statusCode).toBe(204);
    expect(await getUser(id)).toMatchObject(all);
  });

  it('deleting one clears its values and leaves the source attribute list of mappings', async () => {
    const prop = await define('region', 'String');
    const id = await createUser(t, 'region.user@contoso.com', { [prop.name]: 'EMEA' });
    const { spId, jobId } = await createAppWithJob(t, 'Ext App');
    const schemaUrl = `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/schema`;
    const sourceNames = async () => {
      const schema = (
        await t.app.inject({ method: 'GET', url: schemaUrl, headers: { cookie: t.admin } })
      ).json() as {
        synchronizationRules: { sourceDirectoryName: string }[];
        directories: {
          name: string;
          objects: { name: string; attributes: { name: string; type: string }[] }[];
        }[];
      };
      const source = schema.directories.find(
        (d) => d.name === schema.synchronizationRules[0]?.sourceDirectoryName,
      );
      return source?.objects.find((o) => o.name === 'User')?.attributes ?? [];
    };
    expect(await sourceNames()).toContainEqual(expect.objectContaining({ name: prop.name, type: 'String' }));

    const del = await t.app.inject({
      method: 'DELETE',
      url: `${url}/${prop.id}`,
      headers: { cookie: t.admin },
    });
    expect(del.statusCode).toBe(204);
    expect(await getUser(id)).not.toHaveProperty(prop.name);
    expect((await sourceNames()).map((a) => a.name)).not.toContain(prop.name);
    const gone = await t.app.inject({
      method: 'GET',
      url: `${url}/${prop.id}`,
      headers: { cookie: t.admin },
    });
    expect(errorOf(gone).code).toBe('extension_property.not_found');
  });
});

describe('nested groups', () => {
  async function group(displayName: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/groups',
      headers: { cookie: t.admin },
      payload: { displayName },
    });
    return (res.json() as { id: string }).id;
  }
  const addRef = (groupId: string, ref: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1.0/groups/${groupId}/members/$ref`,
      headers: { cookie: t.admin },
      payload: { '@odata.id': ref },
    });
  const nested = async (groupId: string) =>
    (
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1.0/groups/${groupId}/members/microsoft.graph.group`,
          headers: { cookie: t.admin },
        })
      ).json() as { value: { id: string }[] }
    ).value.map((g) => g.id);

  it('adds a group as a member, lists it apart from user members, refuses loops, removes it', async () => {
    const outer = await group('Outer');
    const inner = await group('Inner');
    expect((await addRef(outer, `https://graph.example/v1.0/groups/${inner}`)).statusCode).toBe(204);
    expect(await nested(outer)).toEqual([inner]);
    const users = await t.app.inject({
      method: 'GET',
      url: `/api/v1.0/groups/${outer}/members`,
      headers: { cookie: t.admin },
    });
    expect((users.json() as { value: unknown[] }).value).toEqual([]);

    const loop = await addRef(inner, `groups/${outer}`);
    expect(loop.statusCode).toBe(400);
    expect(errorOf(loop).code).toBe('group_member.loop');
    expect(errorOf(await addRef(outer, `groups/${outer}`)).code).toBe('group_member.loop');
    expect((await addRef(outer, `groups/${inner}`)).statusCode).toBe(409);

    const remove = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/groups/${outer}/members/${inner}/$ref`,
      headers: { cookie: t.admin },
    });
    expect(remove.statusCode).toBe(204);
    expect(await nested(outer)).toEqual([]);
    const audits = (await auditEvents(t)).filter((e) => e.targetResources[0]?.id === outer);
    expect(audits.map((e) => e.activityDisplayName)).toEqual(
      expect.arrayContaining(['Add member to group', 'Remove member from group']),
    );
  });

  it("a nested group's members are not entitled through the outer group's assignment", async () => {
    const { spId } = await createAppWithJob(t, 'Nested App');
    const outer = await group('Assigned outer');
    const inner = await group('Not assigned inner');
    const member = await createUser(t, 'inner.member@contoso.com');
    await addRef(inner, `users/${member}`);
    await addRef(outer, `groups/${inner}`);
    const assign = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: outer },
    });
    expect(assign.statusCode, assign.body).toBe(201);
    expect(await t.db.applications.findEntitlement(spId, member)).toBeNull();
    const assignments = await t.app.inject({
      method: 'GET',
      url: `/api/v1.0/groups/${outer}/appRoleAssignments`,
      headers: { cookie: t.admin },
    });
    expect(
      (assignments.json() as { value: { resourceId: string }[] }).value.map((a) => a.resourceId),
    ).toEqual([spId]);
  });
});
