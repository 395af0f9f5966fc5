import { describe, expect, it } from 'vitest';
import { equalityFilter, queryString } from './filter.js';

describe('equalityFilter', () => {
  it.each([
    ['userName', 'ada@example.com', 'userName eq "ada@example.com"'],
    ['userName', 'say "hi"', 'userName eq "say \\"hi\\""'],
    ['userName', 'dom\\ada', 'userName eq "dom\\\\ada"'],
    ['name.familyName', "O'Brien", 'name.familyName eq "O\'Brien"'],
    ['displayName', 'a\tb\nc\u0001', 'displayName eq "a\\tb\\nc\\u0001"'],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
      '7',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"',
    ],
  ])('%s eq %j', (attribute, value, expected) => {
    expect(equalityFilter(attribute, value)).toBe(expected);
  });

  it.each(['', 'userName eq "x" or userName', 'emails[type eq "work"].value', 'a b', '"userName"'])(
    'refuses attribute %j',
    (attribute) => {
      expect(() => equalityFilter(attribute, 'x')).toThrow(/not a SCIM attribute name/);
    },
  );
});

describe('queryString', () => {
  it('encodes spaces as %20 and skips undefined', () => {
    expect(queryString({ filter: 'a eq "b c"', count: 5, skip: undefined })).toBe(
      '?filter=a%20eq%20%22b%20c%22&count=5',
    );
    expect(queryString({})).toBe('');
  });
});
