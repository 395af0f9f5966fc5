import { describe, expect, it } from 'vitest';
import { scopingOperators, type ScopeFilter } from '@provisio/contracts';
import {
  buildScopedGroupView,
  buildScopedUserView,
  compileScopeFilter,
  evaluateScope,
  SCOPING_OPERATORS,
} from './scoping';
import { describeSkip } from './skip-reasons';
import { buildUserSourceView } from './source-view';
import { user } from './test-fixtures';

const filter = (
  groups: { name: string; clauses: [attribute: string, operator: string, values?: string[]][] }[],
): ScopeFilter => ({
  groups: groups.map((g) => ({
    name: g.name,
    clauses: g.clauses.map(([sourceOperandName, operatorName, values]) => ({
      sourceOperandName,
      operatorName,
      targetOperand: values ? { values } : null,
    })),
  })),
  inputFilterGroups: [],
  categoryFilterGroups: [],
});

const clauseOutcome = (operator: string, values: string[] | undefined, attributeValue: string | null) => {
  const compiled = compileScopeFilter(filter([{ name: 'F', clauses: [['attr', operator, values]] }]));
  expect(compiled.errors).toEqual([]);
  const view = { attr: attributeValue };
  const result = evaluateScope({
    view,
    accountEnabled: true,
    softDeleted: false,
    entitlement: null,
    syncAll: true,
    scope: compiled.scope,
  });
  return result.passesScopingFilters;
};

describe('scoping operators', () => {
  it.each([
    ['EQUALS', ['Sales'], 'Sales', true],
    ['EQUALS', ['Sales'], 'sales', false],
    ['EQUALS', ['Sales'], null, false],
    ['EQUALS', ['Sales', 'Marketing'], 'Marketing', true],
    ['NOT EQUALS', ['Sales'], 'Marketing', true],
    ['NOT EQUALS', ['Sales'], 'Sales', false],
    ['NOT EQUALS', ['Sales'], null, false],
    ['NOT EQUALS', ['Sales'], '', false],
    ['IS TRUE', undefined, 'True', true],
    ['IS TRUE', undefined, 'true', true],
    ['IS TRUE', undefined, 'False', false],
    ['IS FALSE', undefined, 'False', true],
    ['IS FALSE', undefined, null, false],
    ['IS NULL', undefined, null, true],
    ['IS NULL', undefined, '', true],
    ['IS NULL', undefined, 'x', false],
    ['IS NOT NULL', undefined, 'x', true],
    ['IS NOT NULL', undefined, '', false],
    ['REGEX MATCH', ['.*@contoso\\.com'], 'adele@contoso.com', true],
    ['REGEX MATCH', ['.*@contoso\\.com'], 'adele@fabrikam.com', false],
    ['REGEX MATCH', ['([1-9][0-9])'], '42', true],
    ['REGEX MATCH', ['([1-9][0-9])'], '420', false],
    ['REGEX MATCH', ['(1[0-9][0-9][0-9][0-9][0-9][0-9])'], '1234567', true],
    ['REGEX MATCH', ['.*'], null, false],
    ['NOT REGEX MATCH', ['.*@contoso\\.com'], 'adele@fabrikam.com', true],
    ['NOT REGEX MATCH', ['.*@contoso\\.com'], 'adele@contoso.com', false],
    ['NOT REGEX MATCH', ['.*'], null, false],
    ['Includes', ['ale'], 'Sales', true],
    ['Includes', ['ALE'], 'Sales', false],
    ['ENDS_WITH', ['@contoso.com'], 'adele@contoso.com', true],
    ['ENDS_WITH', ['@contoso.com'], 'adele@contoso.org', false],
    ['Greater_Than', ['10'], '11', true],
    ['Greater_Than', ['10'], '10', false],
    ['Greater_Than', ['10'], 'eleven', false],
    ['Greater_Than_OR_EQUALS', ['10'], '10', true],
    ['Greater_Than_OR_EQUALS', ['10'], '9', false],
    ['&', ['Sales,Marketing'], 'Sales', true],
    ['&', ['Sales,Marketing'], 'Finance', false],
    ['!&', ['Sales,Marketing'], 'Finance', true],
    ['!&', ['Sales,Marketing'], 'Sales', false],
    ['!&', ['Sales,Marketing'], null, false],
  ] as const)('%s %j on %j → %s', (operator, values, attributeValue, expected) => {
    expect(clauseOutcome(operator, values ? [...values] : undefined, attributeValue)).toBe(expected);
  });

  it.each([
    ['LIKE', ['x'], 'scoping_filter.unknown_operator'],
    ['EQUALS', undefined, 'scoping_filter.missing_value'],
    ['REGEX MATCH', ['(unclosed'], 'scoping_filter.invalid_value'],
    ['Greater_Than', ['ten'], 'scoping_filter.invalid_value'],
  ])('%s %j is a configuration error %s', (operator, values, code) => {
    const { errors } = compileScopeFilter(
      filter([{ name: 'F', clauses: [['department', operator, values]] }]),
    );
    expect(errors.map((e) => e.code)).toEqual([code]);
  });
});

it('a bad regular expression is described by the pattern as written, not as compiled', () => {
  const { errors } = compileScopeFilter(
    filter([{ name: 'F', clauses: [['department', 'REGEX MATCH', ['(unclosed']]] }]),
  );
  expect(errors[0]?.message).toContain("'(unclosed' is not a valid regular expression: unterminated group.");
  expect(errors[0]?.message).not.toContain('^(?:');
});

describe('the operator list of the contracts (what the portal offers)', () => {
  it('names exactly the operators the editor offers', () => {
    expect(scopingOperators.map((o) => o.name)).toEqual([...SCOPING_OPERATORS]);
  });

  it.each(scopingOperators.map((o) => [o.name, o.operand] as const))(
    '%s takes a %s value, as the engine compiles it',
    (operator, operand) => {
      const errors = (values?: string[]) =>
        compileScopeFilter(filter([{ name: 'F', clauses: [['department', operator, values]] }])).errors.map(
          (e) => e.code,
        );
      if (operand === 'none') {
        expect(errors()).toEqual([]);
        return;
      }
      expect(errors()).toEqual(['scoping_filter.missing_value']);
      expect(errors(['12'])).toEqual([]);
      expect(errors(['twelve'])).toEqual(operand === 'integer' ? ['scoping_filter.invalid_value'] : []);
      expect(errors(['(twelve'])).toEqual(operand === 'text' ? [] : ['scoping_filter.invalid_value']);
    },
  );
});

describe('evaluateScope', () => {
  const sales = compileScopeFilter(
    filter([
      {
        name: 'Sales only',
        clauses: [
          ['department', 'EQUALS', ['Sales']],
          ['jobTitle', 'IS NOT NULL'],
        ],
      },
      { name: 'Contractors', clauses: [['employeeId', 'REGEX MATCH', ['C[0-9]+']]] },
    ]),
  ).scope;
  const noFilters = compileScopeFilter(null).scope;
  const assigned = { appRoleId: 'r', via: 'User' as const };

  it.each([
    {
      name: 'assigned and active, no filters',
      u: user(),
      entitlement: assigned,
      syncAll: false,
      scope: noFilters,
      inScope: true,
      skip: null,
    },
    {
      name: 'not assigned',
      u: user(),
      entitlement: null,
      syncAll: false,
      scope: noFilters,
      inScope: false,
      skip: { reason: 'NotEffectivelyEntitled', causes: ['NotAssigned'] },
    },
    {
      name: 'not assigned but Sync all',
      u: user(),
      entitlement: null,
      syncAll: true,
      scope: noFilters,
      inScope: true,
      skip: null,
    },
    {
      name: 'assigned but disabled',
      u: user({ accountEnabled: false }),
      entitlement: assigned,
      syncAll: false,
      scope: noFilters,
      inScope: false,
      skip: { reason: 'NotEffectivelyEntitled', causes: ['AccountDisabled'] },
    },
    {
      name: 'soft-deleted and not assigned',
      u: user({ deletedDateTime: '2026-01-01T00:00:00Z' }),
      entitlement: null,
      syncAll: false,
      scope: noFilters,
      inScope: false,
      skip: { reason: 'NotEffectivelyEntitled', causes: ['NotAssigned', 'SoftDeleted'] },
    },
    {
      name: 'first filter passes',
      u: user(),
      entitlement: assigned,
      syncAll: false,
      scope: sales,
      inScope: true,
      skip: null,
    },
    {
      name: 'second filter passes (filters are ORed)',
      u: user({ department: 'Finance', employeeId: 'C77' }),
      entitlement: assigned,
      syncAll: false,
      scope: sales,
      inScope: true,
      skip: null,
    },
    {
      name: 'no filter passes (clauses are ANDed)',
      u: user({ jobTitle: null }),
      entitlement: assigned,
      syncAll: false,
      scope: sales,
      inScope: false,
      skip: {
        reason: 'OutOfScope',
        failing: [
          { filter: 'Sales only', clause: 'Sales only.jobTitle IS NOT NULL' },
          { filter: 'Contractors', clause: "Contractors.employeeId REGEX MATCH 'C[0-9]+'" },
        ],
      },
    },
  ])('$name', ({ u, entitlement, syncAll, scope, inScope, skip }) => {
    const view = buildUserSourceView(u, { entitlement });
    const result = evaluateScope({
      view,
      accountEnabled: u.accountEnabled,
      softDeleted: u.deletedDateTime !== null,
      entitlement,
      syncAll,
      scope,
    });
    expect(result.inScope).toBe(inScope);
    expect(result.skip).toEqual(skip);
  });

  it('reports details the way Entra names them, with clause keys', () => {
    const u = user();
    const result = evaluateScope({
      view: buildUserSourceView(u, { entitlement: assigned }),
      accountEnabled: true,
      softDeleted: false,
      entitlement: assigned,
      syncAll: false,
      scope: sales,
    });
    expect(result.details).toEqual({
      IsActive: 'True',
      Assigned: 'True',
      HasRequiredRole: 'True',
      ScopeSyncAll: 'False',
      IsEffectivelyEntitledForProvisioning: 'True',
      IsInProvisioningScope: 'True',
      ScopeEvaluationResult: JSON.stringify({
        "Sales only.department EQUALS 'Sales'": true,
        'Sales only.jobTitle IS NOT NULL': true,
        "Contractors.employeeId REGEX MATCH 'C[0-9]+'": false,
      }),
    });
  });
});

describe('buildScopedGroupView', () => {
  const group = {
    id: 'g1',
    displayName: 'Sales',
    description: null,
    mailNickname: 'sales',
    deletedDateTime: null,
  };
  const scope = compileScopeFilter(null).scope;

  it('an assigned group is in scope; its view has what the group mapping reads', () => {
    const { view, scope: result } = buildScopedGroupView({
      group,
      entitlement: { appRoleId: 'r', via: 'Group' },
      syncAll: false,
      scope,
    });
    expect(result.inScope).toBe(true);
    expect(view).toMatchObject({ objectId: 'g1', displayName: 'Sales', IsSoftDeleted: 'False' });
  });

  it('an unassigned or soft-deleted group is not entitled, with the cause', () => {
    expect(buildScopedGroupView({ group, entitlement: null, syncAll: false, scope }).scope.skip).toEqual({
      reason: 'NotEffectivelyEntitled',
      causes: ['NotAssigned'],
    });
    const deleted = { ...group, deletedDateTime: '2026-01-01T00:00:00Z' };
    expect(
      buildScopedGroupView({ group: deleted, entitlement: null, syncAll: true, scope }).scope.skip,
    ).toEqual({
      reason: 'NotEffectivelyEntitled',
      causes: ['SoftDeleted'],
    });
  });
});

describe('an assignment whose app role the application no longer has', () => {
  const noFilters = compileScopeFilter(null).scope;
  const editor = { id: '6f1c2a7e-3b9d-4c1e-9a55-0d2f8b7c4e11', displayName: 'Editor', value: 'editor' };
  const viaUser = { appRoleId: editor.id, via: 'User' as const };

  it.each([
    { name: 'role enabled', appRoles: [{ ...editor, isEnabled: true }], inScope: true },
    { name: 'role disabled', appRoles: [{ ...editor, isEnabled: false }], inScope: false },
    { name: 'role removed', appRoles: [], inScope: false },
  ])('$name → in scope: $inScope', ({ appRoles, inScope }) => {
    const { view, scope } = buildScopedUserView({
      user: user(),
      entitlement: viaUser,
      appRoles,
      syncAll: false,
      scope: noFilters,
    });
    expect(scope.inScope).toBe(inScope);
    expect(scope.assigned).toBe(true);
    expect(scope.hasRequiredRole).toBe(inScope);
    expect(scope.details.HasRequiredRole).toBe(inScope ? 'True' : 'False');
    expect(scope.skip).toEqual(
      inScope ? null : { reason: 'NotEffectivelyEntitled', causes: ['AppRoleNotAvailable'] },
    );
    expect(view.IsSoftDeleted).toBe(inScope ? 'False' : 'True');
  });

  it('role ids compare ignoring case, and the role value is what [appRoleAssignments] holds', () => {
    const { view, scope } = buildScopedUserView({
      user: user(),
      entitlement: { appRoleId: editor.id.toUpperCase(), via: 'Group' },
      appRoles: [editor],
      syncAll: false,
      scope: noFilters,
    });
    expect(scope.inScope).toBe(true);
    expect(view.appRoleAssignments).toEqual(['editor']);
  });

  it('the default access role counts as there when not listed, but not when listed disabled', () => {
    const defaultRole = { appRoleId: '00000000-0000-0000-0000-000000000000', via: 'User' as const };
    const listed = (isEnabled: boolean) => [
      { id: defaultRole.appRoleId, displayName: 'User', value: null, isEnabled },
    ];
    const scoped = (appRoles: Parameters<typeof buildScopedUserView>[0]['appRoles']) =>
      buildScopedUserView({
        user: user(),
        entitlement: defaultRole,
        appRoles,
        syncAll: false,
        scope: noFilters,
      }).scope.inScope;
    expect(scoped([])).toBe(true);
    expect(scoped(listed(true))).toBe(true);
    expect(scoped(listed(false))).toBe(false);
  });

  it("with 'Sync all users and groups' an assignment is not needed, so neither is its role", () => {
    const { scope } = buildScopedUserView({
      user: user(),
      entitlement: viaUser,
      appRoles: [],
      syncAll: true,
      scope: noFilters,
    });
    expect(scope.inScope).toBe(true);
  });

  it('a group assigned with a removed role is not entitled either, and the fix names the group', () => {
    const { scope } = buildScopedGroupView({
      group: { id: 'g1', displayName: 'Sales', description: null, mailNickname: null, deletedDateTime: null },
      entitlement: { appRoleId: editor.id, via: 'Group' },
      appRoles: [{ ...editor, isEnabled: false }],
      syncAll: false,
      scope: noFilters,
    });
    expect(scope.skip).toEqual({ reason: 'NotEffectivelyEntitled', causes: ['AppRoleNotAvailable'] });
    const explained = describeSkip('NotEffectivelyEntitled', {
      objectType: 'Group',
      identity: 'Sales',
      appName: 'Contoso',
      scope,
      match: { kind: 'none', tried: [] },
      matchingValues: [],
      mappingErrors: [],
      note: null,
    });
    expect(explained.recommendedAction).toMatch(/^Reassign the group to an existing role/);
  });

  it("a group's skips name a group, where a user's name a user", () => {
    const explain = (
      reason: 'RedundantExport' | 'OutOfScope' | 'RequiredAttributeMissing',
      objectType: string,
    ) =>
      describeSkip(reason, {
        objectType,
        identity: 'Sales',
        appName: 'Contoso',
        scope: null,
        match: { kind: 'none', tried: [] },
        matchingValues: [],
        mappingErrors: [],
        note: null,
      });
    expect(explain('RedundantExport', 'Group').reason).toBe(
      'The state of the group in both the source and target systems already match.',
    );
    expect(explain('RedundantExport', 'User').reason).toBe(
      'The state of the user in both the source and target systems already match.',
    );
    expect(explain('OutOfScope', 'Group').recommendedAction).toMatch(/^If the group should be provisioned/);
    expect(explain('RequiredAttributeMissing', 'Group').recommendedAction).toMatch(/^Give the group a value/);
  });
});
