import { describe, expect, it } from 'vitest';
import { parseHeader, parseRow, templateColumns } from './bulk-rows';

describe('parseHeader', () => {
  it.each([
    ['create', ['userPrincipalName', 'displayName'], []],
    ['create', ['USERPRINCIPALNAME', ' Name [displayName] Required '], []],
    ['create', ['userPrincipalName'], ['displayName']],
    ['create', ['userPrincipalName', 'displayName', 'password'], ['password']],
    ['create', ['userPrincipalName', 'displayName', 'displayName'], ['displayName']],
    ['update', ['id', 'department'], []],
    ['update', ['department'], ['id or userPrincipalName']],
    ['delete', ['userPrincipalName'], []],
    ['delete', ['id', 'department'], ['department']],
  ] as const)('%s %j → problems with %j', (kind, cells, columns) => {
    expect(parseHeader(kind, cells).problems.map((p) => p.column)).toEqual(columns);
  });

  it('offers no password and starts create with the required columns', () => {
    expect(templateColumns('create').slice(0, 2)).toEqual(['userPrincipalName', 'displayName']);
    expect(templateColumns('create')).not.toContain('password');
    expect(templateColumns('delete')).toEqual(['id', 'userPrincipalName']);
  });
});

describe('parseRow', () => {
  const create = ['userPrincipalName', 'displayName', 'accountEnabled', 'employeeId'];
  it('turns a row into the body POST /users takes', () => {
    expect(parseRow('create', create, ['a@contoso.com', 'A', 'FALSE', ''], 2)).toMatchObject({
      key: 'a@contoso.com',
      body: { userPrincipalName: 'a@contoso.com', displayName: 'A', accountEnabled: false },
      problems: [],
    });
  });
  it.each([
    [['a@contoso.com', '', '', ''], 'displayName', 'displayName is required: fill in this column.'],
    [['a@contoso.com', 'A', 'maybe', ''], 'accountEnabled', 'accountEnabled must be a boolean.'],
    [
      ['a@contoso.com', 'A', '', '12345678901234567'],
      'employeeId',
      'employeeId must be at most 16 characters long; shorten it.',
    ],
    [['a@contoso.com', 'A', '', '', 'x'], null, expect.stringContaining('has 5 values')],
  ])('%j → %s: %s', (cells, column, reason) => {
    const [problem] = parseRow('create', create, cells, 7).problems;
    expect(problem).toMatchObject({ line: 7, column, reason });
  });
  it('names the user of an update by id, else by userPrincipalName, and needs a change', () => {
    const columns = ['id', 'userPrincipalName', 'jobTitle'];
    expect(parseRow('update', columns, ['u1', 'new@contoso.com', ''], 2)).toMatchObject({
      target: { id: 'u1' },
      body: { userPrincipalName: 'new@contoso.com' },
    });
    expect(parseRow('update', columns, ['', 'b@contoso.com', 'Boss'], 3)).toMatchObject({
      target: { userPrincipalName: 'b@contoso.com' },
      body: { jobTitle: 'Boss' },
    });
    expect(parseRow('update', columns, ['', 'b@contoso.com', ''], 4).problems[0]?.code).toBe(
      'bulk_operation.nothing_to_update',
    );
  });
});
