import { describe, expect, it } from 'vitest';
import type { AttributeMapping } from '@provisio/contracts';
import {
  applyMappings,
  applyMappingsForBoth,
  compileObjectMapping,
  evaluateMatchingValues,
  mappingsNeedingTargetLookup,
  plainValues,
  type CompiledObjectMapping,
} from './attribute-mappings';
import { buildUserSourceView, withScopeOutcome } from './source-view';
import {
  defaultMappings,
  direct,
  ENTERPRISE,
  evalOptions,
  expression,
  objectMapping,
  targetObject,
  user,
} from './test-fixtures';

const compile = (attributeMappings: AttributeMapping[]): CompiledObjectMapping => {
  const result = compileObjectMapping(objectMapping({ attributeMappings }), { targetObject: targetObject() });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.mapping;
};

const viewOf = (over = {}, inScope = true) =>
  withScopeOutcome(buildUserSourceView(user(over), { entitlement: { appRoleId: 'r', via: 'User' } }), {
    inScope,
  });

describe('compileObjectMapping', () => {
  it('compiles the default mappings, with the matching attributes in precedence order and schema facts', () => {
    const compiled = compile([
      ...defaultMappings(),
      direct('employeeId', 'nickName', { matchingPriority: 3 }),
      direct('mail', 'preferredLanguage', { matchingPriority: 2 }),
    ]);
    expect(compiled.attributes.map((a) => a.sourceType)).toContain('Function');
    expect(compiled.matching.map((m) => m.targetAttributeName)).toEqual([
      'userName',
      'preferredLanguage',
      'nickName',
    ]);
    expect(compiled.caseExactByPath.externalId).toBe(true);
    expect(compiled.targetAttributes.active?.type).toBe('Boolean');
    expect(compiled.requiredTargets).toEqual(['userName']);
  });

  it.each([
    {
      name: 'an invalid expression',
      mappings: [expression('Switch([IsSoftDeleted], ', 'active')],
      code: 'mapping.invalid_expression',
    },
    {
      name: 'an unknown function',
      mappings: [expression('NoSuchFunction([mail])', 'title')],
      code: 'mapping.invalid_expression',
    },
    {
      name: 'two mappings to one target',
      mappings: [direct('mail', 'title'), direct('jobTitle', 'Title')],
      code: 'mapping.duplicate_target',
    },
    {
      name: 'a Direct mapping without a source attribute',
      mappings: [
        {
          ...direct('mail', 'title'),
          source: { type: 'Attribute' as const, name: null, expression: null, parameters: [] },
        },
      ],
      code: 'mapping.missing_source',
    },
  ])('rejects $name with a clear error', ({ mappings, code }) => {
    const result = compileObjectMapping(objectMapping({ attributeMappings: mappings }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.code).toBe(code);
    expect(result.errors[0]?.message).toMatch(/title|active/i);
  });
});

describe('applyMappings', () => {
  it('maps the default attributes; active follows IsSoftDeleted', () => {
    const compiled = compile(defaultMappings());
    expect(plainValues(applyMappings(compiled, viewOf(), { ...evalOptions, isCreate: true }).values)).toEqual(
      {
        userName: 'adele@contoso.com',
        active: 'True',
        displayName: 'Adele Vance',
        title: 'Retail Manager',
        'emails[type eq "work"].value': 'adele@contoso.com',
        externalId: 'adele',
        'name.givenName': 'Adele',
        'name.familyName': 'Vance',
        [`${ENTERPRISE}:department`]: 'Sales',
        [`${ENTERPRISE}:employeeNumber`]: '1001',
      },
    );
    expect(
      applyMappings(compiled, viewOf({}, false), { ...evalOptions, isCreate: false }).values.active?.value,
    ).toBe('False');
  });

  it.each([
    {
      name: 'null values are not provisioned',
      mappings: [direct('department', 'title')],
      over: { department: null },
      isCreate: false,
      expected: {},
    },
    {
      name: 'default value if null applies on create',
      mappings: [direct('department', 'title', { defaultValue: 'Staff' })],
      over: { department: null },
      isCreate: true,
      expected: { title: 'Staff' },
    },
    {
      name: 'default value if null does not apply on update',
      mappings: [direct('department', 'title', { defaultValue: 'Staff' })],
      over: { department: null },
      isCreate: false,
      expected: {},
    },
    {
      name: 'a value beats the default',
      mappings: [direct('department', 'title', { defaultValue: 'Staff' })],
      over: {},
      isCreate: true,
      expected: { title: 'Sales' },
    },
    {
      name: 'Only during object creation flows on create',
      mappings: [direct('jobTitle', 'title', { flowType: 'ObjectAddOnly' })],
      over: {},
      isCreate: true,
      expected: { title: 'Retail Manager' },
    },
    {
      name: 'Only during object creation does not flow on update',
      mappings: [direct('jobTitle', 'title', { flowType: 'ObjectAddOnly' })],
      over: {},
      isCreate: false,
      expected: {},
    },
    {
      name: 'a constant',
      mappings: [
        {
          ...direct('x', 'title'),
          source: { type: 'Constant' as const, name: null, expression: '"Employee"', parameters: [] },
        },
      ],
      over: {},
      isCreate: false,
      expected: { title: 'Employee' },
    },
    {
      name: 'None: default only, on create',
      mappings: [{ ...direct('x', 'preferredLanguage'), source: null, defaultValue: 'en-US' }],
      over: {},
      isCreate: true,
      expected: { preferredLanguage: 'en-US' },
    },
    {
      name: 'None: nothing on update',
      mappings: [{ ...direct('x', 'preferredLanguage'), source: null, defaultValue: 'en-US' }],
      over: {},
      isCreate: false,
      expected: {},
    },
    {
      name: 'an expression',
      mappings: [expression('Join(".", [givenName], [surname])', 'displayName')],
      over: {},
      isCreate: false,
      expected: { displayName: 'Adele.Vance' },
    },
    {
      name: 'IgnoreFlowIfNullOrEmpty drops the attribute',
      mappings: [
        expression('IgnoreFlowIfNullOrEmpty([department])', 'title'),
        direct('displayName', 'displayName'),
      ],
      over: { department: null },
      isCreate: true,
      expected: { displayName: 'Adele Vance' },
    },
  ])('$name', ({ mappings, over, isCreate, expected }) => {
    const applied = applyMappings(compile(mappings), viewOf(over), { ...evalOptions, isCreate });
    expect(applied.errors).toEqual([]);
    expect(plainValues(applied.values)).toEqual(expected);
    // Both at once give the same as each on its own.
    const both = applyMappingsForBoth(compile(mappings), viewOf(over), evalOptions);
    expect(isCreate ? both.forCreate : both.forUpdate).toEqual(applied);
  });

  it('for creation and update at once: each as applyMappings gives it, the mappings evaluated once', () => {
    const compiled = compile([
      ...defaultMappings(),
      direct('jobTitle', 'nickName', { flowType: 'ObjectAddOnly' }),
      direct('department', 'preferredLanguage', { defaultValue: 'en-US' }),
      expression('Redact([employeeId])', 'userType'),
      expression('IgnoreFlowIfNullOrEmpty([department])', 'locale'),
    ]);
    const view = viewOf({ department: null });
    const both = applyMappingsForBoth(compiled, view, evalOptions);
    expect(both.forCreate).toEqual(applyMappings(compiled, view, { ...evalOptions, isCreate: true }));
    expect(both.forUpdate).toEqual(applyMappings(compiled, view, { ...evalOptions, isCreate: false }));
    expect(both.forCreate.values.nickName?.value).toBe('Retail Manager');
    expect(both.forUpdate.values.nickName).toBeUndefined();
    expect(both.forCreate.values.preferredLanguage?.value).toBe('en-US');
    expect(both.forUpdate.values.preferredLanguage).toBeUndefined();
    expect(both.forCreate.values.locale).toBeUndefined();
  });

  it('marks Redact values for the logs and keeps the value to send', () => {
    const applied = applyMappings(compile([expression('Redact([employeeId])', 'externalId')]), viewOf(), {
      ...evalOptions,
      isCreate: true,
    });
    expect(applied.values.externalId).toEqual({ value: '1001', redacted: true, flowType: 'Always' });
  });
});

describe('SelectUniqueValue mappings', () => {
  const UNIQUE =
    'SelectUniqueValue(Join(".", [givenName], [surname]), Join(".", [givenName], [surname], "2"))';
  const mappings = () => [
    ...defaultMappings(),
    expression(UNIQUE, 'nickName', { flowType: 'ObjectAddOnly' }),
  ];

  it('lists only the mappings whose expression is a SelectUniqueValue, with their compiled expression', () => {
    const listed = mappingsNeedingTargetLookup(compile(mappings()));
    expect(listed.map((m) => m.targetAttributeName)).toEqual(['nickName']);
    expect(listed[0]?.expression.text).toBe(UNIQUE);
    expect(mappingsNeedingTargetLookup(compile(defaultMappings()))).toEqual([]);
  });

  it.each([
    {
      name: 'a resolved value replaces the first candidate',
      resolved: { kind: 'value', value: 'Adele.Vance.2', redacted: false } as const,
      value: 'Adele.Vance.2',
      errors: [],
    },
    {
      name: 'without a resolved value the first candidate is used',
      resolved: null,
      value: 'Adele.Vance',
      errors: [],
    },
    {
      name: 'a resolved error is a mapping failure of that attribute',
      resolved: {
        kind: 'error',
        error: { code: 'expression.no_unique_value', message: 'all taken' },
      } as const,
      value: undefined,
      errors: [{ targetAttributeName: 'nickName', code: 'expression.no_unique_value', message: 'all taken' }],
    },
  ])('$name', ({ resolved, value, errors }) => {
    const applied = applyMappings(compile(mappings()), viewOf({ givenName: 'Adele', surname: 'Vance' }), {
      ...evalOptions,
      isCreate: true,
      ...(resolved ? { resolved: new Map([['nickName', resolved]]) } : {}),
    });
    expect(applied.values.nickName?.value).toBe(value);
    expect(applied.errors).toEqual(errors);
    // Other mappings are evaluated as usual.
    expect(applied.values['name.givenName']?.value).toBe('Adele');
  });
});

describe('evaluateMatchingValues', () => {
  it('evaluates matching attributes in precedence order, null when empty, without defaults', () => {
    const compiled = compile([
      direct('mail', 'emails[type eq "work"].value', { matchingPriority: 2 }),
      direct('employeeId', 'externalId', {
        matchingPriority: 1,
        defaultValue: 'none',
        flowType: 'ObjectAddOnly',
      }),
    ]);
    expect(evaluateMatchingValues(compiled, viewOf({ employeeId: null }), evalOptions)).toEqual([
      { targetAttributeName: 'externalId', value: null, redacted: false },
      { targetAttributeName: 'emails[type eq "work"].value', value: 'adele@contoso.com', redacted: false },
    ]);
  });

  it('takes a value of blanks alone (spaces, a tab) as no value', () => {
    const compiled = compile([direct('employeeId', 'externalId', { matchingPriority: 1 })]);
    for (const blank of ['   ', '\t', ' \n '])
      expect(evaluateMatchingValues(compiled, viewOf({ employeeId: blank }), evalOptions)).toEqual([
        { targetAttributeName: 'externalId', value: null, redacted: false },
      ]);
    expect(evaluateMatchingValues(compiled, viewOf({ employeeId: ' 7 ' }), evalOptions)).toEqual([
      { targetAttributeName: 'externalId', value: ' 7 ', redacted: false },
    ]);
  });
});
