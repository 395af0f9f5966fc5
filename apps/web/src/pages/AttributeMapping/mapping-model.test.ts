import type {
  AttributeMapping,
  FilterGroup,
  ObjectMapping,
  SynchronizationSchema,
} from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import {
  attributeNameProblem,
  attributesInExpression,
  clauseText,
  emptyClause,
  emptyScopingFilter,
  EMPTY_FORM,
  fieldOfProblem,
  formProblems,
  fromForm,
  fromScopingFilterForm,
  hasScopingFilterProblems,
  insertAt,
  newAttributeDefinition,
  operandOf,
  placeOfScopeProblem,
  scopeChanged,
  scopeSummary,
  scopingAttributes,
  scopingFilterProblems,
  SCOPING_OPERATORS,
  sortProblems,
  sourceText,
  toForm,
  toScopingFilterForm,
  withoutScopeProblems,
  withScopingFilters,
  type ScopingFilterForm,
} from './mapping-model';

const base: AttributeMapping = {
  source: { type: 'Attribute', name: 'mail', expression: '[mail]', parameters: [] },
  targetAttributeName: 'emails[type eq "work"].value',
  defaultValue: null,
  flowType: 'Always',
  matchingPriority: 0,
  flowBehavior: 'FlowWhenChanged',
  exportMissingReferences: false,
};

describe('toForm / fromForm', () => {
  it.each<[string, AttributeMapping]>([
    ['Direct', base],
    [
      'Constant with quotes',
      {
        ...base,
        source: { type: 'Constant', name: 'say "hi"', expression: '"say \\"hi\\""', parameters: [] },
      },
    ],
    [
      'Expression, matching, create only',
      {
        ...base,
        source: { type: 'Function', name: null, expression: 'ToLower([mail])', parameters: [] },
        matchingPriority: 2,
        flowType: 'ObjectAddOnly',
      },
    ],
    ['None with a default', { ...base, source: null, defaultValue: 'Employee' }],
  ])('%s survives a round trip through the form', (_name, mapping) => {
    expect(fromForm(toForm(mapping), mapping)).toEqual(mapping);
  });

  it('reads a Constant written only in expression form, and a Direct only in expression form', () => {
    expect(
      toForm({ ...base, source: { type: 'Constant', name: null, expression: '"True"', parameters: [] } })
        .constantValue,
    ).toBe('True');
    expect(
      toForm({ ...base, source: { type: 'Attribute', name: null, expression: '[mail]', parameters: [] } })
        .sourceAttribute,
    ).toBe('mail');
  });

  it('an empty default is null; a constant never has one; Graph flow types the form does not show are kept', () => {
    const form = { ...toForm(base), defaultValue: '' };
    expect(fromForm(form).defaultValue).toBeNull();
    expect(
      fromForm({ ...form, mappingType: 'Constant', constantValue: 'x', defaultValue: 'y' }).defaultValue,
    ).toBeNull();
    const addOnly: AttributeMapping = { ...base, flowType: 'AttributeAddOnly', flowBehavior: 'FlowAlways' };
    expect(fromForm(toForm(addOnly), addOnly)).toMatchObject({
      flowType: 'AttributeAddOnly',
      flowBehavior: 'FlowAlways',
    });
    expect(fromForm({ ...toForm(addOnly), onlyOnCreate: true }, addOnly).flowType).toBe('ObjectAddOnly');
  });

  it('the source column text per type', () => {
    expect(sourceText(base)).toBe('mail');
    expect(
      sourceText({ ...base, source: { type: 'Constant', name: 'x', expression: '"x"', parameters: [] } }),
    ).toBe('"x"');
    expect(sourceText({ ...base, source: null })).toBe('');
  });
});

describe('formProblems', () => {
  it('asks for what the chosen type needs and refuses a second mapping to a target', () => {
    expect(formProblems({ ...EMPTY_FORM }, [])).toEqual({
      sourceAttribute: 'Pick a source attribute.',
      targetAttribute: 'Pick the target attribute.',
    });
    expect(
      formProblems({ ...EMPTY_FORM, mappingType: 'Expression', targetAttribute: 'title' }, ['Title'])
        .targetAttribute,
    ).toMatch(/already has a mapping/);
    expect(
      formProblems({ ...EMPTY_FORM, mappingType: 'None', matching: true, targetAttribute: 'x' }, []),
    ).toHaveProperty('matching');
  });
});

describe('sortProblems', () => {
  it('puts each detail on its row, on the mapping, or elsewhere', () => {
    const d = (target: string) => ({ code: 'c', message: target, target });
    const sorted = sortProblems(
      [
        d('synchronizationRules/0/objectMappings/1/attributeMappings/3/source/expression'),
        d('synchronizationRules/0/objectMappings/1/attributeMappings/3/targetAttributeName'),
        d('synchronizationRules/0/objectMappings/1/attributeMappings'),
        d('synchronizationRules/0/objectMappings/10/attributeMappings/3/source/expression'),
        d('directories/1/objects/0/attributes/4/name'),
      ],
      { ruleIndex: 0, objectIndex: 1 },
    );
    expect([...sorted.rows.keys()]).toEqual([3]);
    expect(sorted.rows.get(3)?.map((p) => fieldOfProblem(p))).toEqual(['expression', 'targetAttribute']);
    expect(sorted.mapping).toHaveLength(1);
    expect(sorted.other).toHaveLength(2);
  });

  it('puts scoping filter problems on their filter', () => {
    const d = (target: string) => ({ code: 'c', message: target, target });
    const scope = 'synchronizationRules/0/objectMappings/0/scope';
    const sorted = sortProblems(
      [
        d(`${scope}/groups/1/clauses/0/targetOperand/values/0`),
        d(`${scope}/groups/1/name`),
        d(`${scope}/groups/0/clauses`),
        d(scope),
        d('synchronizationRules/0/objectMappings/1/scope/groups/0/name'),
      ],
      { ruleIndex: 0, objectIndex: 0 },
    );
    expect([...sorted.scope.entries()].map(([i, ps]) => [i, ps.length])).toEqual([
      [1, 2],
      [0, 1],
    ]);
    expect(sorted.mapping.map((p) => p.target)).toEqual([scope]);
    expect(sorted.other).toHaveLength(1);
  });
});

const clause = (
  sourceOperandName: string,
  operatorName: string,
  values?: string[],
): FilterGroup['clauses'][number] => ({
  sourceOperandName,
  operatorName,
  targetOperand: values ? { values } : null,
});

describe('scoping filters', () => {
  const sales: FilterGroup = {
    name: 'Sales',
    clauses: [clause('department', 'EQUALS', ['Sales']), clause('accountEnabled', 'IS TRUE')],
  };

  it('offers every operator with the value it takes, reading names as the engine does', () => {
    expect(SCOPING_OPERATORS.map((o) => o.name)).toContain('Greater_Than_OR_EQUALS');
    expect(operandOf('EQUALS')).toBe('text');
    expect(operandOf('IS NULL')).toBe('none');
    expect(operandOf('greater than')).toBe('integer');
    expect(operandOf('NOT_REGEX_MATCH')).toBe('regex');
    expect(operandOf('LIKE')).toBeNull();
  });

  it('offers single-valued, non-reference source attributes', () => {
    const attr = newAttributeDefinition({
      name: 'department',
      type: 'String',
      required: false,
      multivalued: false,
      caseExact: false,
    });
    expect(
      scopingAttributes({
        name: 'User',
        supportedApis: [],
        attributes: [
          attr,
          { ...attr, name: 'manager', type: 'Reference' },
          { ...attr, name: 'appRoleAssignments', multivalued: true },
          { ...attr, name: 'accountEnabled', type: 'Boolean' },
        ],
      }),
    ).toEqual(['department', 'accountEnabled']);
    expect(scopingAttributes(null)).toEqual([]);
  });

  it('a filter survives a round trip through the form; unary operators get no value', () => {
    expect(fromScopingFilterForm(toScopingFilterForm(sales))).toEqual(sales);
    const several: FilterGroup = { name: 'Two', clauses: [clause('department', 'EQUALS', ['A', 'B'])] };
    const form = toScopingFilterForm(several);
    expect(form.clauses[0]).toMatchObject({ value: 'A', moreValues: ['B'], origin: 0 });
    expect(fromScopingFilterForm(form)).toEqual(several);
    const becameUnary: ScopingFilterForm = {
      title: ' Null ',
      clauses: [{ ...form.clauses[0]!, operator: 'IS NULL' }],
    };
    expect(fromScopingFilterForm(becameUnary)).toEqual({
      name: 'Null',
      clauses: [clause('department', 'IS NULL')],
    });
  });

  it('the form asks for a title of its own, a clause, and per clause what its operator needs', () => {
    const empty = scopingFilterProblems(emptyScopingFilter(), []);
    expect(empty.title).toMatch(/Enter a Scoping Filter Title/);
    expect(empty.clause).toEqual([
      {
        attribute: 'Pick the source attribute this clause tests.',
        value: 'EQUALS compares the attribute with a value. Enter the Clause value.',
      },
    ]);
    expect(scopingFilterProblems({ title: 'sales', clauses: [] }, ['Sales'])).toEqual({
      title: expect.stringMatching(/Another scoping filter is titled 'sales'/),
      clauses: expect.stringMatching(/Add a scoping clause/),
      clause: [],
    });
    const withClause = (c: Partial<ReturnType<typeof emptyClause>>): ScopingFilterForm => ({
      title: 'F',
      clauses: [{ ...emptyClause(), attribute: 'employeeId', ...c }],
    });
    expect(scopingFilterProblems(withClause({ operator: 'Greater_Than', value: '10.5' }), []).clause).toEqual(
      [{ value: 'Greater_Than compares whole numbers. Enter a whole number such as 100000.' }],
    );
    expect(scopingFilterProblems(withClause({ operator: 'LIKE', value: 'x' }), []).clause[0]).toHaveProperty(
      'operator',
    );
    for (const ok of [
      withClause({ operator: 'Greater_Than', value: ' 100000 ' }),
      withClause({ operator: 'IS NOT NULL', value: '' }),
      // Regular expressions are the engine's to judge, on Save.
      withClause({ operator: 'REGEX MATCH', value: '(unclosed' }),
    ]) {
      expect(hasScopingFilterProblems(scopingFilterProblems(ok, []))).toBe(false);
    }
  });

  it('texts: a clause, and the summary of Source Object Scope', () => {
    expect(clauseText(sales.clauses[0]!)).toBe('department EQUALS "Sales"');
    expect(clauseText(sales.clauses[1]!)).toBe('accountEnabled IS TRUE');
    expect(clauseText(clause('department', 'EQUALS', ['A', 'B']))).toBe('department EQUALS "A" or "B"');
    expect(scopeSummary(null)).toBe('All records');
    expect(scopeSummary({ groups: [], inputFilterGroups: [], categoryFilterGroups: [] })).toBe('All records');
    expect(scopeSummary({ groups: [sales], inputFilterGroups: [], categoryFilterGroups: [] })).toBe(
      '1 scoping filter: Sales',
    );
    expect(
      scopeSummary({
        groups: [sales, { ...sales, name: 'Legal' }],
        inputFilterGroups: [],
        categoryFilterGroups: [],
      }),
    ).toBe('2 scoping filters: Sales, Legal');
  });

  const mapping: ObjectMapping = {
    enabled: true,
    flowTypes: ['Add', 'Update', 'Delete'],
    name: 'Users',
    sourceObjectName: 'User',
    targetObjectName: 'User',
    scope: null,
    attributeMappings: [],
    metadata: [],
  };

  it('sets the filters of a mapping; none at all is a null scope', () => {
    const scoped = withScopingFilters(mapping, [sales]);
    expect(scoped.scope).toEqual({ groups: [sales], inputFilterGroups: [], categoryFilterGroups: [] });
    expect(withScopingFilters(scoped, []).scope).toBeNull();
    const experimental = {
      ...mapping,
      scope: { groups: [], inputFilterGroups: [sales], categoryFilterGroups: [] },
    };
    expect(withScopingFilters(experimental, []).scope).toEqual(experimental.scope);
  });

  it('tells a change of the scoping filters from other changes', () => {
    const schema = (m: ObjectMapping): SynchronizationSchema => ({
      id: 's',
      version: '1',
      directories: [],
      synchronizationRules: [
        {
          id: 'r',
          name: 'r',
          editable: true,
          priority: 1,
          sourceDirectoryName: 'a',
          targetDirectoryName: 'b',
          metadata: [],
          objectMappings: [m],
        },
      ],
    });
    const saved = schema(mapping);
    expect(scopeChanged(saved, schema({ ...mapping, enabled: false }))).toBe(false);
    expect(
      scopeChanged(
        saved,
        schema({ ...mapping, scope: { groups: [], inputFilterGroups: [], categoryFilterGroups: [] } }),
      ),
    ).toBe(false);
    expect(scopeChanged(saved, schema(withScopingFilters(mapping, [sales])))).toBe(true);
    const withSales = schema(withScopingFilters(mapping, [sales]));
    expect(scopeChanged(withSales, schema(withScopingFilters(mapping, [{ ...sales, name: 'S' }])))).toBe(
      true,
    );
  });

  it('places a Save problem at the title, the clause list or a clause field', () => {
    const at = (rest: string) =>
      placeOfScopeProblem({
        code: 'c',
        message: 'm',
        target: `synchronizationRules/0/objectMappings/0/scope/groups/2${rest}`,
      });
    expect(at('/name')).toEqual({ field: 'title' });
    expect(at('/clauses')).toEqual({ field: 'clauses' });
    expect(at('/clauses/1/sourceOperandName')).toEqual({ field: 'attribute', clause: 1 });
    expect(at('/clauses/0/operatorName')).toEqual({ field: 'operator', clause: 0 });
    expect(at('/clauses/3/targetOperand/values')).toEqual({ field: 'value', clause: 3 });
    expect(at('/clauses/3/targetOperand/values/1')).toEqual({ field: 'value', clause: 3 });
    expect(at('')).toEqual({ field: null });
  });

  it('drops the problems of one edited filter, or of all filters when one is deleted', () => {
    const groups = 'synchronizationRules/0/objectMappings/1/scope/groups';
    const d = (target: string) => ({ code: 'c', message: target, target });
    const all = [
      d(`${groups}/0/name`),
      d(`${groups}/1/clauses/0/operatorName`),
      d(`${groups}/10/name`),
      d('synchronizationRules/0/objectMappings/1/attributeMappings/0/source/expression'),
    ];
    const located = { ruleIndex: 0, objectIndex: 1 };
    expect(withoutScopeProblems(all, located, 1).map((p) => p.target)).toEqual([
      `${groups}/0/name`,
      `${groups}/10/name`,
      'synchronizationRules/0/objectMappings/1/attributeMappings/0/source/expression',
    ]);
    expect(withoutScopeProblems(all, located).map((p) => p.target)).toEqual([
      'synchronizationRules/0/objectMappings/1/attributeMappings/0/source/expression',
    ]);
  });
});

describe('expression text helpers', () => {
  it('lists the attributes an expression mentions, skipping string constants', () => {
    expect(
      attributesInExpression('Join("[x]", [givenName], IIF([a]="\\"[b]", [GivenName], [surname]))'),
    ).toEqual(['givenName', 'a', 'surname']);
  });

  it('inserts at the caret or over a selection', () => {
    expect(insertAt('Join(, )', { start: 5, end: 5 }, '[mail]')).toEqual({
      text: 'Join([mail], )',
      caret: 11,
    });
    expect(insertAt('abc', { start: 1, end: 2 }, 'ToLower()', 8)).toEqual({ text: 'aToLower()c', caret: 9 });
  });

  it('attribute names of the attribute list', () => {
    expect(attributeNameProblem('nickName', [])).toBeUndefined();
    expect(
      attributeNameProblem('urn:ietf:params:scim:schemas:extension:Acme:2.0:User:costCenter', []),
    ).toBeUndefined();
    expect(attributeNameProblem('nick name', [])).toMatch(/SCIM attribute name/);
    expect(
      attributeNameProblem('NICKNAME', [
        newAttributeDefinition({
          name: 'nickName',
          type: 'String',
          required: false,
          multivalued: false,
          caseExact: false,
        }),
      ]),
    ).toMatch(/already/);
  });
});
