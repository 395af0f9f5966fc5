import { describe, expect, it } from 'vitest';
import {
  buildUserTestView,
  listMappingFunctions,
  previewExpression,
  sourceViewFromTestInput,
} from './preview-expression';
import { buildUserSourceView, withScopeOutcome } from './source-view';
import { evaluateScope, compileScopeFilter } from './scoping';
import { user } from './test-fixtures';

const now = new Date('2026-03-16T07:00:00Z');
const random = () => 0.5;
const preview = (expression: string, view: Record<string, string | null | string[]> | null) =>
  previewExpression({ expression, view, now, random });

describe('previewExpression', () => {
  it('a value: Graph’s fields, the parsed tree, what it read and the values it saw', () => {
    const result = preview('Join(" ", [givenName], ToUpper([surname]))', {
      givenName: 'Adele',
      surname: 'Vance',
    });
    expect(result).toEqual({
      parsingSucceeded: true,
      evaluationSucceeded: true,
      evaluationResult: ['Adele VANCE'],
      parsedExpression: expect.objectContaining({ type: 'Function', name: 'Join' }),
      error: null,
      attributesRead: ['givenName', 'surname'],
      inputValues: [
        { key: 'givenName', value: 'Adele' },
        { key: 'surname', value: 'Vance' },
      ],
      flow: 'Value',
      redacted: false,
    });
  });

  it('a parse error carries code, message, position and hint, and nothing is evaluated', () => {
    const result = preview('Joinn(",", [givenName])', { givenName: 'Adele' });
    expect(result).toMatchObject({
      parsingSucceeded: false,
      evaluationSucceeded: false,
      evaluationResult: null,
      parsedExpression: null,
      error: { code: 'expression.unknown_function', start: 0, end: 5, line: 1, column: 1 },
      attributesRead: [],
      flow: null,
    });
    expect(result.error?.message).toContain('Join');
  });

  it('without test values it only parses', () => {
    expect(preview('ToLower([mail])', null)).toMatchObject({
      parsingSucceeded: true,
      evaluationSucceeded: false,
      evaluationResult: null,
      error: null,
      attributesRead: ['mail'],
      inputValues: [],
      flow: null,
    });
  });

  it('an evaluation error is evaluationSucceeded false with the run-time code', () => {
    expect(preview('CDate([department])', { department: 'not a date' })).toMatchObject({
      parsingSucceeded: true,
      evaluationSucceeded: false,
      error: { code: 'expression.invalid_date' },
    });
  });

  it.each([
    ['an absent source: NoValue', 'ToLower([mail])', {}, 'NoValue'],
    [
      'IgnoreFlowIfNullOrEmpty of empty: IgnoreAttribute',
      'IgnoreFlowIfNullOrEmpty([department])',
      { department: '' },
      'IgnoreAttribute',
    ],
    [
      'IgnoreObjectFlow: IgnoreObject',
      'IIF([department]="Sales", IgnoreObjectFlow, "x")',
      { department: 'Sales' },
      'IgnoreObject',
    ],
  ])('%s', (_name, expression, view, flow) => {
    expect(preview(expression, view)).toMatchObject({
      evaluationSucceeded: true,
      evaluationResult: null,
      flow,
    });
  });

  it('Redact: the value is shown to the tester and marked redacted', () => {
    expect(preview('Redact([employeeId])', { employeeId: '1001' })).toMatchObject({
      evaluationResult: ['1001'],
      redacted: true,
    });
  });

  it('multi-valued results list every value; a Boolean target shows True/False', () => {
    expect(preview('Split([department], ",")', { department: 'a,b' }).evaluationResult).toEqual(['a', 'b']);
    expect(
      previewExpression({ expression: '"true"', view: {}, targetType: 'Boolean', now, random })
        .evaluationResult,
    ).toEqual(['True']);
  });
});

describe('test input', () => {
  it('typed properties override the user’s values whatever their case; booleans become True/False', () => {
    const view = sourceViewFromTestInput(
      [
        { key: 'Department', value: 'Legal' },
        { key: 'accountEnabled', value: false },
      ],
      { department: 'Sales', givenName: 'Adele' },
    );
    expect(view).toEqual({ Department: 'Legal', accountEnabled: 'False', givenName: 'Adele' });
  });

  it('a directory user reads as a cycle reads it: not assigned → IsSoftDeleted True', () => {
    const u = user();
    const unassigned = buildUserTestView({
      user: u,
      entitlement: null,
      appRoles: [],
      syncAll: false,
      objectMapping: null,
    });
    expect(unassigned.view.IsSoftDeleted).toBe('True');
    const assigned = buildUserTestView({
      user: u,
      entitlement: { appRoleId: 'r1', via: 'User' },
      appRoles: [{ id: 'r1', displayName: 'Reader', value: 'reader' }],
      syncAll: false,
      objectMapping: null,
    });
    // The same steps the worker runs for a user.
    const base = buildUserSourceView(u, {
      entitlement: { appRoleId: 'r1', via: 'User' },
      appRoles: [{ id: 'r1', displayName: 'Reader', value: 'reader' }],
    });
    const scope = evaluateScope({
      view: base,
      accountEnabled: true,
      softDeleted: false,
      entitlement: { appRoleId: 'r1', via: 'User' },
      syncAll: false,
      scope: compileScopeFilter(null).scope,
    });
    expect(assigned.view).toEqual(withScopeOutcome(base, scope));
    expect(assigned.view).toMatchObject({ IsSoftDeleted: 'False', appRoleAssignments: ['reader'] });
  });

  it('scoping filters of the mapping count: a user outside them is IsSoftDeleted True', () => {
    const { view, scope } = buildUserTestView({
      user: user({ department: 'Sales' }),
      entitlement: { appRoleId: 'r1', via: 'User' },
      appRoles: [],
      syncAll: false,
      objectMapping: {
        scope: {
          groups: [
            {
              name: 'Legal only',
              clauses: [
                {
                  sourceOperandName: 'department',
                  operatorName: 'EQUALS',
                  targetOperand: { values: ['Legal'] },
                },
              ],
            },
          ],
          inputFilterGroups: [],
          categoryFilterGroups: [],
        },
      },
    });
    expect(scope.inScope).toBe(false);
    expect(view.IsSoftDeleted).toBe('True');
  });
});

describe('listMappingFunctions', () => {
  it('every function in Graph’s shape, parameter types from Graph’s attributeType', () => {
    const functions = listMappingFunctions();
    expect(functions.length).toBeGreaterThanOrEqual(48);
    const join = functions.find((f) => f.name === 'Join');
    expect(join).toEqual({
      id: 'Join',
      name: 'Join',
      description: expect.any(String),
      parameters: [
        { name: 'separator', type: 'String', allowMultipleOccurrence: false, required: true },
        { name: 'source', type: 'String', allowMultipleOccurrence: true, required: true },
      ],
    });
    const types = new Set(functions.flatMap((f) => f.parameters.map((p) => p.type)));
    for (const t of types)
      expect(['String', 'Integer', 'Reference', 'Binary', 'Boolean', 'DateTime']).toContain(t);
  });
});
