import type { AttributeMapping } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import {
  attributeNameProblem,
  attributesInExpression,
  EMPTY_FORM,
  fieldOfProblem,
  formProblems,
  fromForm,
  insertAt,
  newAttributeDefinition,
  sortProblems,
  sourceText,
  toForm,
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
