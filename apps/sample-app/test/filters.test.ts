import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGroup,
  ENTERPRISE,
  expectScimError,
  scimClient,
  startApp,
  USER,
  type Running,
  type ScimClient,
} from './helpers';

let r: Running;
let c: ScimClient;
const ids: Record<string, string> = {};

async function seed(key: string, body: Record<string, unknown>): Promise<void> {
  const res = await c.post('/Users', { schemas: [USER, ENTERPRISE], ...body });
  if (res.status !== 201) throw new Error(res.text);
  ids[key] = res.body.id;
}

beforeAll(async () => {
  r = await startApp();
  c = scimClient(r);
  await seed('ann', {
    userName: 'Ann.Lee@Contoso.com',
    externalId: 'EXT-ann',
    displayName: 'Ann Lee',
    title: 'Engineer',
    active: true,
    emails: [
      { value: 'ann@contoso.com', type: 'work', primary: true },
      { value: 'ann@home.example', type: 'home' },
    ],
    [ENTERPRISE]: { department: 'Engineering', employeeNumber: '100' },
  });
  await seed('bob', {
    userName: 'bob@contoso.com',
    externalId: 'ext-bob',
    displayName: 'Bob Stone',
    active: false,
    emails: [{ value: 'bob@home.example', type: 'home' }],
    [ENTERPRISE]: { department: 'Sales', employeeNumber: '200', manager: { value: 'placeholder' } },
  });
  await seed('cat', {
    userName: 'cat@fabrikam.com',
    externalId: 'ext-cat',
    displayName: 'Cat Moss',
    title: 'Manager',
    active: true,
    [ENTERPRISE]: { department: 'Sales', employeeNumber: '300' },
  });
  // Bob reports to Cat: the manager reference is filterable by id.
  await c.patch(`/Users/${ids.bob}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: `${ENTERPRISE}:manager`, value: ids.cat }],
  });
  await createGroup(c, 'Sales Team', [ids.bob!, ids.cat!]);
  await createGroup(c, 'Engineering', [ids.ann!]);
});
afterAll(() => r.close());

async function names(filter: string): Promise<string[]> {
  const res = await c.filter('Users', filter);
  if (res.status !== 200) throw new Error(`${filter}: ${res.status} ${res.text}`);
  expect(res.body.totalResults).toBe(res.body.Resources.length);
  return res.body.Resources.map((u: { displayName: string }) => u.displayName.split(' ')[0]).sort();
}

describe('filter operators', () => {
  it.each([
    ['eq', 'displayName eq "Ann Lee"', ['Ann']],
    ['ne', 'title ne "Engineer"', ['Bob', 'Cat']],
    ['co', 'userName co "contoso"', ['Ann', 'Bob']],
    ['sw', 'userName sw "b"', ['Bob']],
    ['ew', 'userName ew "fabrikam.com"', ['Cat']],
    ['pr', 'title pr', ['Ann', 'Cat']],
    ['gt', `${ENTERPRISE}:employeeNumber gt "100"`, ['Bob', 'Cat']],
    ['ge', `${ENTERPRISE}:employeeNumber ge "200"`, ['Bob', 'Cat']],
    ['lt', `${ENTERPRISE}:employeeNumber lt "200"`, ['Ann']],
    ['le', `${ENTERPRISE}:employeeNumber le "200"`, ['Ann', 'Bob']],
  ])('%s: %s', async (_op, filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });

  it('compares booleans with eq and ne', async () => {
    expect(await names('active eq true')).toEqual(['Ann', 'Cat']);
    expect(await names('active ne true')).toEqual(['Bob']);
  });

  it('compares dateTime attributes as instants (meta.created gt …)', async () => {
    expect(await names('meta.created gt "2000-01-01T00:00:00Z"')).toEqual(['Ann', 'Bob', 'Cat']);
    expect(await names('meta.lastModified lt "2000-01-01T00:00:00+00:00"')).toEqual([]);
  });
});

describe('logical operators and grouping', () => {
  it('and', async () => {
    expect(await names(`active eq true and ${ENTERPRISE}:department eq "Sales"`)).toEqual(['Cat']);
  });

  it('or', async () => {
    expect(await names('displayName eq "Ann Lee" or displayName eq "Cat Moss"')).toEqual(['Ann', 'Cat']);
  });

  it('not', async () => {
    expect(await names('not (userName co "contoso")')).toEqual(['Cat']);
  });

  it('and binds tighter than or; parentheses change that', async () => {
    expect(await names('title eq "Manager" or active eq false and userName sw "b"')).toEqual(['Bob', 'Cat']);
    expect(await names('(title eq "Manager" or active eq false) and userName sw "b"')).toEqual(['Bob']);
  });

  it('operators and logical words are case-insensitive', async () => {
    expect(await names('userName SW "b" AND NOT (active EQ true)')).toEqual(['Bob']);
  });
});

describe('value paths and sub-attributes', () => {
  it('emails[type eq "work"] selects users with a work email', async () => {
    expect(await names('emails[type eq "work"]')).toEqual(['Ann']);
  });

  it('requires one element to satisfy the whole bracket filter', async () => {
    expect(await names('emails[type eq "home" and value co "contoso"]')).toEqual([]);
    expect(await names('emails[type eq "home" and value co "home"]')).toEqual(['Ann', 'Bob']);
  });

  it('emails[type eq "work"].value eq "…" reads as one element', async () => {
    expect(await names('emails[type eq "work"].value eq "ann@contoso.com"')).toEqual(['Ann']);
    expect(await names('emails[type eq "home"].value eq "ann@contoso.com"')).toEqual([]);
  });

  it('a dotted sub-attribute matches any value of a multi-valued attribute', async () => {
    expect(await names('emails.value ew "home.example"')).toEqual(['Ann', 'Bob']);
  });

  it('a complex attribute compared directly compares its value (emails co, manager eq)', async () => {
    expect(await names('emails co "bob@"')).toEqual(['Bob']);
    expect(await names(`${ENTERPRISE}:manager eq "${ids.cat}"`)).toEqual(['Bob']);
  });

  it('Entra’s manager check: id eq … and manager eq …', async () => {
    expect(await names(`id eq "${ids.bob}" and manager eq "${ids.cat}"`)).toEqual(['Bob']);
    expect(await names(`id eq "${ids.bob}" and manager eq "${ids.ann}"`)).toEqual([]);
  });

  it('groups is filterable on users', async () => {
    const res = await c.filter('Groups', 'displayName eq "Sales Team"');
    const gid = res.body.Resources[0].id;
    expect(await names(`groups.value eq "${gid}"`)).toEqual(['Bob', 'Cat']);
  });
});

describe('case rules', () => {
  it('attribute names are case-insensitive, schema URNs too', async () => {
    expect(await names('USERNAME eq "bob@contoso.com"')).toEqual(['Bob']);
    expect(await names(`${ENTERPRISE.toUpperCase()}:DEPARTMENT eq "Engineering"`)).toEqual(['Ann']);
  });

  it('userName values compare case-insensitively (caseExact false)', async () => {
    expect(await names('userName eq "ann.lee@contoso.com"')).toEqual(['Ann']);
    expect(await names('userName eq "BOB@CONTOSO.COM"')).toEqual(['Bob']);
  });

  it('externalId and id values compare case-sensitively (caseExact true)', async () => {
    expect(await names('externalId eq "EXT-ann"')).toEqual(['Ann']);
    expect(await names('externalId eq "ext-ann"')).toEqual([]);
    expect(await names(`id eq "${ids.ann!.toUpperCase()}"`)).toEqual([]);
  });

  it('a string with escapes is decoded as JSON', async () => {
    const res = await c.post('/Users', { schemas: [USER], userName: 'DOMAIN\\quote"d' });
    expect(res.status).toBe(201);
    const found = await c.filter('Users', 'userName eq "domain\\\\QUOTE\\"d"');
    expect(found.body.totalResults).toBe(1);
    await c.delete(`/Users/${res.body.id}`);
  });
});

describe('Entra queries', () => {
  it('Test Connection: a random GUID on the matching attribute answers 200 with an empty list', async () => {
    const res = await c.filter('Users', `userName eq "${randomUUID()}"`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('match by externalId, also with an unquoted value as in Entra’s documentation', async () => {
    expect(await names('externalId eq "ext-bob"')).toEqual(['Bob']);
    expect(await names('externalId eq ext-bob')).toEqual(['Bob']);
  });

  it('groups by displayName with excludedAttributes=members', async () => {
    const res = await c.filter('Groups', 'displayName eq "sales team"', '&excludedAttributes=members');
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0].displayName).toBe('Sales Team');
    expect(res.body.Resources[0].members).toBeUndefined();
  });
});

describe('invalid filters', () => {
  it.each([
    ['a syntax error', 'userName eq'],
    ['an unknown operator', 'userName is "x"'],
    ['an unknown attribute', 'shoeSize eq "9"'],
    ['an unclosed parenthesis', '(userName eq "x"'],
    ['an unterminated string', 'userName eq "x'],
    ['gt on a boolean', 'active gt true'],
    ['a trailing token', 'userName eq "x" "y"'],
    ['an unknown sub-attribute', 'name.shoe eq "x"'],
    ['a bracket on a single-valued attribute', 'userName[value eq "x"]'],
    ['nesting deeper than 64 levels', '('.repeat(5000) + 'userName eq "x"' + ')'.repeat(5000)],
    ['a nested value filter', 'emails[type eq "work" and emails[value pr]]'],
  ])('answers %s with 400 invalidFilter', async (_what, filter) => {
    expectScimError(await c.filter('Users', filter), 400, 'invalidFilter');
  });
});
