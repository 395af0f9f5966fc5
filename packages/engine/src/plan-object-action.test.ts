import { describe, expect, it } from 'vitest';
import type { ObjectFlowType } from '@provisio/contracts';
import type { DesiredValues, MatchingValue } from './attribute-mappings';
import {
  decideTargetLookup,
  matchInPrecedence,
  planObjectAction,
  type ConnectorLink,
  type MatchOutcome,
  type PlanInput,
} from './plan-object-action';
import { compileScopeFilter, evaluateScope, type ScopeResult } from './scoping';
import { buildUserSourceView } from './source-view';
import { user } from './test-fixtures';

const scopeOf = (kind: 'in' | 'unassigned' | 'disabled'): ScopeResult => {
  const u = user({ accountEnabled: kind !== 'disabled' });
  const entitlement = kind === 'unassigned' ? null : { appRoleId: 'r', via: 'User' as const };
  return evaluateScope({
    view: buildUserSourceView(u, { entitlement }),
    accountEnabled: u.accountEnabled,
    softDeleted: false,
    entitlement,
    syncAll: false,
    scope: compileScopeFilter(null).scope,
  });
};

const desired = (values: Record<string, string>): DesiredValues =>
  Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, { value: v, redacted: false, flowType: 'Always' as const }]),
  );

const matching: MatchingValue[] = [
  { targetAttributeName: 'userName', value: 'adele@contoso.com', redacted: false },
];
const emptyMatching: MatchingValue[] = [{ targetAttributeName: 'userName', value: null, redacted: false }];
const linked: ConnectorLink = { state: 'linked', targetId: 't-1' };
const one = (resource: Record<string, unknown>): MatchOutcome => ({
  kind: 'one',
  targetId: 't-1',
  resource,
  via: { kind: 'link' },
});

const base = (over: Partial<PlanInput>): PlanInput => ({
  scope: scopeOf('in'),
  connector: null,
  match: { kind: 'none', tried: [] },
  matchingValues: matching,
  desiredForCreate: desired({ userName: 'adele@contoso.com', active: 'True', department: 'Sales' }),
  desiredForUpdate: desired({ userName: 'adele@contoso.com', active: 'True', department: 'Sales' }),
  mappingErrors: [],
  ignoreObject: false,
  caseExactByPath: {},
  requiredTargets: ['userName'],
  flowTypes: ['Add', 'Update', 'Delete'],
  skipOutOfScopeDeletions: false,
  ...over,
});

describe('decideTargetLookup', () => {
  it.each([
    {
      name: 'in scope, never seen',
      scope: scopeOf('in'),
      connector: null,
      values: matching,
      lookup: 'byMatchingAttributes',
    },
    {
      name: 'in scope, no matching value',
      scope: scopeOf('in'),
      connector: null,
      values: emptyMatching,
      lookup: 'none',
    },
    { name: 'in scope, linked', scope: scopeOf('in'), connector: linked, values: matching, lookup: 'byLink' },
    {
      name: 'in scope, disabled earlier',
      scope: scopeOf('in'),
      connector: { state: 'disabled', targetId: 't-1' },
      values: matching,
      lookup: 'byLink',
    },
    {
      name: 'in scope, pending creation',
      scope: scopeOf('in'),
      connector: { state: 'pendingCreate', targetId: null },
      values: matching,
      lookup: 'byMatchingAttributes',
    },
    {
      name: 'out of scope, never seen',
      scope: scopeOf('unassigned'),
      connector: null,
      values: matching,
      lookup: 'none',
    },
    {
      name: 'out of scope, linked',
      scope: scopeOf('unassigned'),
      connector: linked,
      values: matching,
      lookup: 'byLink',
    },
    {
      name: 'out of scope, already disabled',
      scope: scopeOf('unassigned'),
      connector: { state: 'disabled', targetId: 't-1' },
      values: matching,
      lookup: 'none',
    },
    { name: 'hard-deleted', scope: null, connector: linked, values: [], lookup: 'none' },
  ] as const)('$name → $lookup', ({ scope, connector, values, lookup }) => {
    expect(decideTargetLookup({ scope, connector, matchingValues: values })).toBe(lookup);
  });
});

describe('matchInPrecedence', () => {
  const values: MatchingValue[] = [
    { targetAttributeName: 'userName', value: null, redacted: false },
    { targetAttributeName: 'externalId', value: 'e-1', redacted: false },
    { targetAttributeName: 'emails[type eq "work"].value', value: 'ada@contoso.com', redacted: false },
  ];
  /** A target whose filter answers from a table, recording each query. */
  const targetWith = (answers: Record<string, string[]>) => {
    const queries: string[] = [];
    const find = (attribute: string, value: string) => {
      queries.push(`${attribute} eq ${value}`);
      return Promise.resolve((answers[attribute] ?? []).map((id) => ({ id, userName: id })));
    };
    return { find, queries };
  };

  it('passes over an attribute without a value and stops at the first that finds one account', async () => {
    const target = targetWith({ externalId: ['t-1'], 'emails[type eq "work"].value': ['t-2'] });
    expect(await matchInPrecedence(values, target.find)).toEqual({
      kind: 'one',
      targetId: 't-1',
      resource: { id: 't-1', userName: 't-1' },
      via: { kind: 'attribute', attribute: 'externalId', value: 'e-1' },
    });
    expect(target.queries).toEqual(['externalId eq e-1']);
  });

  it('goes on to the next attribute when one finds nothing, and says what it tried', async () => {
    const target = targetWith({ 'emails[type eq "work"].value': ['t-2'] });
    expect(await matchInPrecedence(values, target.find)).toMatchObject({ kind: 'one', targetId: 't-2' });
    expect(await matchInPrecedence(values, targetWith({}).find)).toEqual({
      kind: 'none',
      tried: [
        { attribute: 'externalId', value: 'e-1' },
        { attribute: 'emails[type eq "work"].value', value: 'ada@contoso.com' },
      ],
    });
  });

  it('stops at an attribute that finds several accounts: the match is ambiguous', async () => {
    const target = targetWith({ externalId: ['t-1', 't-3'], 'emails[type eq "work"].value': ['t-2'] });
    expect(await matchInPrecedence(values, target.find)).toEqual({
      kind: 'many',
      attribute: 'externalId',
      value: 'e-1',
      targetIds: ['t-1', 't-3'],
    });
    expect(target.queries).toHaveLength(1);
  });
});

describe('planObjectAction', () => {
  const cases: { name: string; input: Partial<PlanInput>; expected: Record<string, unknown> }[] = [
    { name: 'no match → create', input: {}, expected: { kind: 'create' } },
    {
      name: 'no match, Create off → CreateActionDisabled',
      input: { flowTypes: ['Update', 'Delete'] },
      expected: { kind: 'skip', reason: 'CreateActionDisabled' },
    },
    {
      name: 'no match, required attribute missing',
      input: { desiredForCreate: desired({ active: 'True' }) },
      expected: { kind: 'skip', reason: 'RequiredAttributeMissing', note: 'Missing: userName.' },
    },
    {
      name: 'no matching value → MatchingAttributeEmpty',
      input: { match: { kind: 'notLooked' }, matchingValues: emptyMatching },
      expected: { kind: 'skip', reason: 'MatchingAttributeEmpty', status: 'skipped' },
    },
    {
      name: 'one match, same values → RedundantExport keeps the link',
      input: { match: one({ id: 't-1', userName: 'ADELE@contoso.com', active: true, department: 'Sales' }) },
      expected: { kind: 'skip', reason: 'RedundantExport', targetId: 't-1', connectorState: 'linked' },
    },
    {
      name: 'a pending creation found holding the values sent → the creation landed: linked, not sent again',
      input: {
        connector: { state: 'pendingCreate', targetId: null },
        match: one({ id: 't-1', userName: 'adele@contoso.com', active: true, department: 'Sales' }),
      },
      expected: { kind: 'create', foundTargetId: 't-1' },
    },
    {
      name: 'a pending creation found with another value → update that value',
      input: {
        connector: { state: 'pendingCreate', targetId: null },
        match: one({ id: 't-1', userName: 'adele@contoso.com', active: true, department: 'Finance' }),
      },
      expected: { kind: 'update', targetId: 't-1' },
    },
    {
      name: 'one match, one attribute differs → update with that change only',
      input: {
        match: one({ id: 't-1', userName: 'adele@contoso.com', active: 'True', department: 'Finance' }),
      },
      expected: {
        kind: 'update',
        targetId: 't-1',
        changes: [{ path: 'department', oldValue: 'Finance', newValue: 'Sales' }],
      },
    },
    {
      name: 'one match, Update off → UpdateActionDisabled',
      input: { match: one({ id: 't-1', department: 'Finance' }), flowTypes: ['Add'] as ObjectFlowType[] },
      expected: { kind: 'skip', reason: 'UpdateActionDisabled' },
    },
    {
      name: 'AttributeAddOnly does not overwrite a value',
      input: {
        match: one({ id: 't-1', userName: 'adele@contoso.com', active: true, department: 'Finance' }),
        desiredForUpdate: {
          ...desired({ userName: 'adele@contoso.com', active: 'True' }),
          department: { value: 'Sales', redacted: false, flowType: 'AttributeAddOnly' },
        },
      },
      expected: { kind: 'skip', reason: 'RedundantExport' },
    },
    {
      name: 'two matches → DuplicateTargetEntries failure',
      input: {
        match: { kind: 'many', attribute: 'userName', value: 'adele@contoso.com', targetIds: ['t-1', 't-2'] },
      },
      expected: { kind: 'skip', reason: 'DuplicateTargetEntries', status: 'failure' },
    },
    {
      name: 'a match another source object holds → DuplicateSourceEntries failure, not linked',
      input: {
        match: {
          kind: 'taken',
          targetId: 't-1',
          attribute: 'displayName',
          value: 'Sales',
          heldBy: 'g-1',
        },
      },
      expected: { kind: 'skip', reason: 'DuplicateSourceEntries', status: 'failure', targetId: null },
    },
    {
      name: 'unassigned, provisioned and active → disable',
      input: { scope: scopeOf('unassigned'), connector: linked, match: one({ id: 't-1', active: true }) },
      expected: {
        kind: 'disable',
        targetId: 't-1',
        changes: [{ path: 'active', oldValue: true, newValue: 'False' }],
      },
    },
    {
      name: 'disabled in the directory, provisioned → disable',
      input: { scope: scopeOf('disabled'), connector: linked, match: one({ id: 't-1', active: 'True' }) },
      expected: { kind: 'disable' },
    },
    {
      name: 'unassigned, already inactive in the target → RedundantExport',
      input: { scope: scopeOf('unassigned'), connector: linked, match: one({ id: 't-1', active: false }) },
      expected: { kind: 'skip', reason: 'RedundantExport', connectorState: 'disabled' },
    },
    {
      name: 'unassigned with SkipOutOfScopeDeletions → left alone',
      input: {
        scope: scopeOf('unassigned'),
        connector: linked,
        match: one({ id: 't-1', active: true }),
        skipOutOfScopeDeletions: true,
      },
      expected: { kind: 'skip', reason: 'NotEffectivelyEntitled', targetId: 't-1' },
    },
    {
      name: 'unassigned, never provisioned → NotEffectivelyEntitled',
      input: { scope: scopeOf('unassigned'), match: { kind: 'notLooked' } },
      expected: { kind: 'skip', reason: 'NotEffectivelyEntitled', status: 'skipped', targetId: null },
    },
    {
      name: 'hard-deleted, provisioned → delete',
      input: { scope: null, connector: linked, match: { kind: 'notLooked' } },
      expected: { kind: 'delete', targetId: 't-1' },
    },
    {
      name: 'hard-deleted, Delete off → DeleteActionDisabled',
      input: { scope: null, connector: linked, match: { kind: 'notLooked' }, flowTypes: ['Add', 'Update'] },
      expected: { kind: 'skip', reason: 'DeleteActionDisabled' },
    },
    {
      name: 'hard-deleted, never provisioned → nothing',
      input: { scope: null, connector: null, match: { kind: 'notLooked' } },
      expected: { kind: 'none' },
    },
    {
      name: 'a mapping failed → AttributeMappingFailed failure',
      input: {
        mappingErrors: [
          { targetAttributeName: 'title', code: 'expression.invalid_argument', message: 'bad' },
        ],
      },
      expected: { kind: 'skip', reason: 'AttributeMappingFailed', status: 'failure' },
    },
  ];
  it.each(cases)('$name', ({ input, expected }) => {
    expect(planObjectAction(base(input))).toMatchObject(expected);
  });

  it('a group that left scope is deleted in the target, or skipped when the Delete action is off', () => {
    const group = { scope: scopeOf('unassigned'), connector: linked, match: one({ id: 't-1' }) };
    expect(planObjectAction(base({ ...group, outOfScope: 'delete' }))).toEqual({
      kind: 'delete',
      targetId: 't-1',
    });
    expect(
      planObjectAction(base({ ...group, outOfScope: 'delete', flowTypes: ['Add', 'Update'] })),
    ).toMatchObject({ kind: 'skip', reason: 'DeleteActionDisabled', targetId: 't-1' });
    expect(
      planObjectAction(base({ ...group, outOfScope: 'delete', skipOutOfScopeDeletions: true })),
    ).toMatchObject({ kind: 'skip', reason: 'NotEffectivelyEntitled', connectorState: 'disabled' });
  });
});
