import { describe, expect, it } from 'vitest';
import type { ExpressionValue } from '@provisio/expressions';
import {
  diffAttributes,
  flattenScimResource,
  parseTargetPath,
  readScimAttribute,
  SCIM_CORE_USER,
  SCIM_ENTERPRISE_USER,
  toScimResource,
} from './scim-resource';
import { ENTERPRISE } from './test-fixtures';

describe('parseTargetPath', () => {
  it.each([
    ['userName', { schema: null, attribute: 'userName', filter: null, subAttribute: null }],
    ['name.givenName', { schema: null, attribute: 'name', filter: null, subAttribute: 'givenName' }],
    [
      'emails[type eq "work"].value',
      {
        schema: null,
        attribute: 'emails',
        filter: { attribute: 'type', value: 'work' },
        subAttribute: 'value',
      },
    ],
    [
      `${ENTERPRISE}:department`,
      { schema: ENTERPRISE, attribute: 'department', filter: null, subAttribute: null },
    ],
    [
      `${ENTERPRISE}:manager.value`,
      { schema: ENTERPRISE, attribute: 'manager', filter: null, subAttribute: 'value' },
    ],
    [`${SCIM_CORE_USER}:userName`, { schema: null, attribute: 'userName', filter: null, subAttribute: null }],
  ])('%s', (path, expected) => {
    expect(parseTargetPath(path)).toEqual(expected);
  });
});

describe('toScimResource', () => {
  it('builds the create body: schemas, nested name, typed emails, extension, active as boolean', () => {
    const body = toScimResource(
      {
        userName: 'adele@contoso.com',
        active: 'True',
        displayName: 'Adele Vance',
        'name.givenName': 'Adele',
        'name.familyName': 'Vance',
        'emails[type eq "work"].value': 'adele@contoso.com',
        externalId: 'adele',
        [`${ENTERPRISE}:department`]: 'Sales',
        [`${ENTERPRISE}:employeeNumber`]: '1001',
      },
      ENTERPRISE,
    );
    expect(body).toEqual({
      schemas: [SCIM_CORE_USER, SCIM_ENTERPRISE_USER],
      userName: 'adele@contoso.com',
      active: true,
      displayName: 'Adele Vance',
      name: { givenName: 'Adele', familyName: 'Vance' },
      emails: [{ type: 'work', primary: true, value: 'adele@contoso.com' }],
      externalId: 'adele',
      [ENTERPRISE]: { department: 'Sales', employeeNumber: '1001' },
    });
  });

  it.each([
    [{ active: 'False' }, { active: false }],
    [{ active: true }, { active: true }],
    [{ title: 'True' }, { title: 'True' }],
  ])('%j → %j', (flat, expected) => {
    expect(toScimResource(flat, ENTERPRISE)).toMatchObject(expected);
  });

  it('uses the core schema only when no extension attribute is mapped, and types from the schema', () => {
    const body = toScimResource({ userName: 'a', level: '3' }, 'User', {
      level: { type: 'Integer', caseExact: false, required: false, multivalued: false },
    });
    expect(body).toEqual({ schemas: [SCIM_CORE_USER], userName: 'a', level: 3 });
  });
});

describe('readScimAttribute', () => {
  const resource = {
    id: '42',
    UserName: 'Adele@Contoso.com',
    active: false,
    name: { GivenName: 'Adele' },
    emails: [
      { type: 'home', value: 'a@home.example' },
      { type: 'Work', value: 'adele@contoso.com', primary: true },
    ],
    [ENTERPRISE]: { department: 'Sales' },
  };
  it.each([
    ['userName', 'Adele@Contoso.com'],
    ['active', false],
    ['name.givenName', 'Adele'],
    ['name.familyName', undefined],
    ['emails[type eq "work"].value', 'adele@contoso.com'],
    ['phoneNumbers[type eq "work"].value', undefined],
    [`${ENTERPRISE}:department`, 'Sales'],
    [`${ENTERPRISE.toUpperCase()}:DEPARTMENT`, 'Sales'],
    [`${ENTERPRISE}:employeeNumber`, undefined],
  ])('%s → %j', (path, expected) => {
    expect(readScimAttribute(resource, path)).toEqual(expected);
  });

  it('flattens a resource for the logs', () => {
    expect(flattenScimResource(resource)).toEqual({
      id: '42',
      UserName: 'Adele@Contoso.com',
      active: 'False',
      'name.GivenName': 'Adele',
      'emails[type eq "home"].value': 'a@home.example',
      'emails[type eq "Work"].value': 'adele@contoso.com',
      [`${ENTERPRISE}:department`]: 'Sales',
    });
  });
});

describe('diffAttributes', () => {
  it.each<{
    name: string;
    desired: Record<string, ExpressionValue>;
    current: Record<string, unknown>;
    caseExact: Record<string, boolean>;
    changed: string[];
  }>([
    {
      name: 'equal strings',
      desired: { displayName: 'A' },
      current: { displayName: 'A' },
      caseExact: {},
      changed: [],
    },
    {
      name: 'userName differs only in case',
      desired: { userName: 'A@x.io' },
      current: { userName: 'a@x.io' },
      caseExact: {},
      changed: [],
    },
    {
      name: 'case matters when caseExact',
      desired: { userName: 'A@x.io' },
      current: { userName: 'a@x.io' },
      caseExact: { userName: true },
      changed: ['userName'],
    },
    {
      name: 'boolean vs "True"',
      desired: { active: 'True' },
      current: { active: true },
      caseExact: {},
      changed: [],
    },
    {
      name: 'boolean vs "False"',
      desired: { active: 'True' },
      current: { active: false },
      caseExact: {},
      changed: ['active'],
    },
    { name: 'number vs text', desired: { level: '3' }, current: { level: 3 }, caseExact: {}, changed: [] },
    {
      name: 'missing in target',
      desired: { title: 'Boss' },
      current: { title: undefined },
      caseExact: {},
      changed: ['title'],
    },
    {
      name: 'different value',
      desired: { department: 'Sales' },
      current: { department: 'Finance' },
      caseExact: {},
      changed: ['department'],
    },
    {
      name: 'multi-valued as sets',
      desired: { roles: ['a', 'b'] },
      current: { roles: ['b', 'a'] },
      caseExact: {},
      changed: [],
    },
  ])('$name', ({ desired, current, caseExact, changed }) => {
    expect(diffAttributes(desired, current, caseExact).map((d) => d.path)).toEqual(changed);
  });

  it('reports old and new values', () => {
    expect(diffAttributes({ department: 'Sales' }, { department: 'Finance' })).toEqual([
      { path: 'department', oldValue: 'Finance', newValue: 'Sales' },
    ]);
  });
});
