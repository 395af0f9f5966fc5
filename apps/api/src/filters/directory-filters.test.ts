import { describe, expect, it } from 'vitest';
import {
  GROUP_VOCABULARY,
  parseDirectoryFilter,
  parseDirectorySearch,
  parseDirectorySelect,
  USER_VOCABULARY,
} from './directory-filters';

describe('parseDirectoryFilter', () => {
  it.each([
    ["department eq 'Sales'", { kind: 'eq', property: 'department', value: 'Sales' }],
    ['accountEnabled eq false', { kind: 'eq', property: 'accountEnabled', value: false }],
    ['mail eq null', { kind: 'eq', property: 'mail', value: null }],
    ["startswith(DisplayName,'Ad')", { kind: 'startsWith', property: 'displayName', value: 'Ad' }],
    [
      "employeeId in ('1','2')",
      {
        kind: 'or',
        conditions: [
          { kind: 'eq', property: 'employeeId', value: '1' },
          { kind: 'eq', property: 'employeeId', value: '2' },
        ],
      },
    ],
    [
      "jobTitle eq 'A' and (surname eq 'B' or givenName eq 'C')",
      {
        kind: 'and',
        conditions: [
          { kind: 'eq', property: 'jobTitle', value: 'A' },
          {
            kind: 'or',
            conditions: [
              { kind: 'eq', property: 'surname', value: 'B' },
              { kind: 'eq', property: 'givenName', value: 'C' },
            ],
          },
        ],
      },
    ],
    ["appRoleAssignments/any(a:a/resourceId eq 'sp-1')", { kind: 'assignedTo', servicePrincipalId: 'sp-1' }],
  ])('%s', (text, expected) => {
    expect(parseDirectoryFilter(text, USER_VOCABULARY)).toEqual(expected);
  });

  it.each([
    ["shoeSize eq '1'", /Unknown property 'shoeSize'.*Supported properties: id, userPrincipalName/],
    ["department ne 'x'", /'ne'.*eq or startswith/],
    ["endswith(mail,'x')", /\$search/],
    ["accountEnabled eq 'yes'", /true or false/],
    ['department eq 42', /single quotes/],
    ["appRoleAssignments/any(a:a/principalId eq 'x')", /not supported/],
  ])('%s is refused', (text, message) => {
    expect(() => parseDirectoryFilter(text, USER_VOCABULARY)).toThrow(message);
  });

  it('groups know displayName and mailNickname, not users’ properties', () => {
    expect(() => parseDirectoryFilter("department eq 'x'", GROUP_VOCABULARY)).toThrow(
      /Supported properties: id, displayName, mailNickname\./,
    );
    expect(() =>
      parseDirectoryFilter("appRoleAssignments/any(a:a/resourceId eq 'x')", GROUP_VOCABULARY),
    ).toThrow(/not supported/);
  });
});

describe('parseDirectorySearch', () => {
  it.each([
    ['ada', { text: 'ada', properties: USER_VOCABULARY.searchDefault }],
    ['"ada lovelace"', { text: 'ada lovelace', properties: USER_VOCABULARY.searchDefault }],
    ['"displayName:ada"', { text: 'ada', properties: ['displayName'] }],
    ['MAIL:contoso', { text: 'contoso', properties: ['mail'] }],
    ['note:x', { text: 'note:x', properties: USER_VOCABULARY.searchDefault }],
    ['  ', undefined],
  ])('%s', (search, expected) => {
    expect(parseDirectorySearch(search, USER_VOCABULARY)).toEqual(expected);
  });
  it('refuses a quoted unknown property', () => {
    expect(() => parseDirectorySearch('"note:x"', USER_VOCABULARY)).toThrow(/Supported properties/);
  });
});

describe('parseDirectorySelect', () => {
  it('keeps id, spells properties as Graph does, and allows extension attributes', () => {
    expect(
      parseDirectorySelect('DISPLAYNAME, mail,extension_abc123_costCenter', ['id', 'displayName', 'mail']),
    ).toEqual(['id', 'displayName', 'mail', 'extension_abc123_costCenter']);
    expect(parseDirectorySelect(undefined, ['id'])).toBeNull();
    expect(() => parseDirectorySelect('shoeSize', ['id', 'mail'])).toThrow(
      /shoeSize.*Supported properties: id, mail/,
    );
  });
});
