import { describe, expect, it } from 'vitest';
import {
  buildAddMembersPatch,
  buildDisablePatch,
  buildRemoveMembersPatch,
  buildUpdatePatch,
} from './patch.js';

const schemas = ['urn:ietf:params:scim:api:messages:2.0:PatchOp'];

describe('buildUpdatePatch', () => {
  it('entra: Replace per change, Remove for null and undefined, active as a string', () => {
    expect(
      buildUpdatePatch('entra', [
        { path: 'displayName', value: 'Ada' },
        { path: 'nickName', value: null },
        { path: 'title', value: undefined },
        { path: 'active', value: false },
        { path: 'x:flag', value: true },
      ]),
    ).toEqual({
      schemas,
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Ada' },
        { op: 'Remove', path: 'nickName' },
        { op: 'Remove', path: 'title' },
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Replace', path: 'x:flag', value: true },
      ],
    });
  });

  it('an app role change keeps its op: Add (or replace) with the path, in each dialect', () => {
    const single = {
      path: 'roles',
      op: 'add' as const,
      value: [{ value: '{"id":"r1","value":"Admin","displayName":"Administrator"}' }],
    };
    const assertive = {
      path: 'roles',
      op: 'replace' as const,
      value: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }],
    };
    expect(buildUpdatePatch('entra', [single, { path: 'displayName', value: 'Ada' }]).Operations).toEqual([
      { op: 'Add', path: 'roles', value: single.value },
      { op: 'Replace', path: 'displayName', value: 'Ada' },
    ]);
    expect(
      buildUpdatePatch('rfc', [{ path: 'displayName', value: 'Ada' }, single, assertive]).Operations,
    ).toEqual([
      { op: 'replace', value: { displayName: 'Ada' } },
      { op: 'add', path: 'roles', value: single.value },
      { op: 'replace', path: 'roles', value: assertive.value },
    ]);
  });

  it('rfc: only path ops when every change is filtered or a removal', () => {
    expect(
      buildUpdatePatch('rfc', [
        { path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' },
        { path: 'nickName', value: null },
      ]),
    ).toEqual({
      schemas,
      Operations: [
        { op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' },
        { op: 'remove', path: 'nickName' },
      ],
    });
  });

  it('rfc: complex values go into the path-less replace as they are', () => {
    expect(
      buildUpdatePatch('rfc', [{ path: 'emails', value: [{ type: 'work', value: 'a@b.c', primary: true }] }]),
    ).toEqual({
      schemas,
      Operations: [{ op: 'replace', value: { emails: [{ type: 'work', value: 'a@b.c', primary: true }] } }],
    });
  });

  it('refuses an empty path', () => {
    expect(() => buildUpdatePatch('entra', [{ path: ' ', value: 1 }])).toThrow(/non-empty path/);
  });
});

describe('membership and disable patches', () => {
  it('disable', () => {
    expect(buildDisablePatch('entra').Operations).toEqual([
      { op: 'Replace', path: 'active', value: 'False' },
    ]);
    expect(buildDisablePatch('rfc').Operations).toEqual([{ op: 'replace', path: 'active', value: false }]);
  });

  it('add members', () => {
    expect(buildAddMembersPatch('entra', ['a']).Operations).toEqual([
      { op: 'Add', path: 'members', value: [{ $ref: null, value: 'a' }] },
    ]);
    expect(buildAddMembersPatch('rfc', ['a']).Operations).toEqual([
      { op: 'add', path: 'members', value: [{ $ref: null, value: 'a' }] },
    ]);
  });

  it('remove members', () => {
    expect(buildRemoveMembersPatch('entra', ['a', 'b']).Operations).toEqual([
      { op: 'Remove', path: 'members', value: [{ value: 'a' }, { value: 'b' }] },
    ]);
    expect(buildRemoveMembersPatch('rfc', ['a\\b']).Operations).toEqual([
      { op: 'remove', path: 'members[value eq "a\\\\b"]' },
    ]);
  });
});
