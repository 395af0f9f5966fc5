import type { AttributeDefinition, AttributeMapping, SynchronizationSchema } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import { normalizeMappingSource, normalizeSchema, validateSchema } from './validate-schema';
import { compileObjectMapping } from './attribute-mappings';
import { ACTIVE, defaultMappings, direct, ENTERPRISE, expression } from './test-fixtures';

const attr = (name: string, over: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  name,
  type: 'String',
  required: false,
  multivalued: false,
  caseExact: false,
  anchor: false,
  apiExpressions: [],
  referencedObjects: [],
  mutability: 'ReadWrite',
  flowNullValues: false,
  ...over,
});

const USERS = 'Provision Provisio Directory Users';
const GROUPS = 'Provision Provisio Directory Groups';

/** A schema shaped like the gallery's default for a SCIM application. */
function schemaWith(
  userMappings: AttributeMapping[] = defaultMappings(),
  over: { targetAttributes?: AttributeDefinition[]; userEnabled?: boolean } = {},
): SynchronizationSchema {
  return {
    id: 'scim.1',
    version: '1',
    directories: [
      {
        id: 'Provisio',
        name: 'Provisio Directory',
        readOnly: true,
        version: null,
        objects: [
          {
            name: 'User',
            supportedApis: [],
            attributes: [
              'objectId',
              'userPrincipalName',
              'displayName',
              'givenName',
              'surname',
              'mail',
              'mailNickname',
              'department',
              'jobTitle',
              'employeeId',
              'accountEnabled',
              'IsSoftDeleted',
              'manager',
            ].map((n) => attr(n)),
          },
          { name: 'Group', supportedApis: [], attributes: [attr('objectId'), attr('displayName')] },
        ],
      },
      {
        id: 'customappsso',
        name: 'customappsso',
        readOnly: false,
        version: null,
        objects: [
          {
            name: ENTERPRISE,
            supportedApis: [],
            attributes: over.targetAttributes ?? [
              attr('userName', { required: true }),
              attr('active', { type: 'Boolean' }),
              attr('displayName'),
              attr('title'),
              attr('externalId'),
              attr('name.givenName'),
              attr('name.familyName'),
              attr('emails[type eq "work"].value'),
              attr(`${ENTERPRISE}:department`),
              attr(`${ENTERPRISE}:employeeNumber`),
            ],
          },
          {
            name: 'urn:ietf:params:scim:schemas:core:2.0:Group',
            supportedApis: [],
            attributes: [attr('displayName', { required: true }), attr('externalId')],
          },
        ],
      },
    ],
    synchronizationRules: [
      {
        id: 'ProvisioToScim',
        name: 'ProvisioToScim',
        editable: true,
        priority: 1,
        sourceDirectoryName: 'Provisio Directory',
        targetDirectoryName: 'customappsso',
        metadata: [],
        objectMappings: [
          {
            enabled: over.userEnabled ?? true,
            flowTypes: ['Add', 'Update', 'Delete'],
            name: USERS,
            sourceObjectName: 'User',
            targetObjectName: ENTERPRISE,
            scope: null,
            attributeMappings: userMappings,
            metadata: [],
          },
          {
            enabled: false,
            flowTypes: ['Add', 'Update', 'Delete'],
            name: GROUPS,
            sourceObjectName: 'Group',
            targetObjectName: 'urn:ietf:params:scim:schemas:core:2.0:Group',
            scope: null,
            attributeMappings: [
              direct('displayName', 'displayName', { matchingPriority: 1 }),
              direct('objectId', 'externalId'),
            ],
            metadata: [],
          },
        ],
      },
    ],
  };
}

const row = (i: number) => `synchronizationRules/0/objectMappings/0/attributeMappings/${i}`;
/** Row indexes of the default mappings (test-fixtures' order). */
const DISPLAY_NAME = 2;
const TITLE = 3;

const replaceRow = (i: number, m: AttributeMapping) => defaultMappings().map((x, k) => (k === i ? m : x));

describe('validateSchema', () => {
  it('accepts the default schema', () => {
    expect(validateSchema(schemaWith())).toEqual([]);
  });

  it('an expression that does not parse: mapping.invalid_expression with the row, the field and the position', () => {
    const problems = validateSchema(
      schemaWith(replaceRow(DISPLAY_NAME, expression('Joinn(",", [givenName])', 'displayName'))),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'mapping.invalid_expression',
        target: `${row(DISPLAY_NAME)}/source/expression`,
        objectMappingName: USERS,
        targetAttributeName: 'displayName',
        start: 0,
        end: 5,
        line: 1,
        column: 1,
      }),
    ]);
    expect(problems[0]?.message).toContain('Join');
  });

  it('positions on later lines carry their line and column', () => {
    const [problem] = validateSchema(
      schemaWith(replaceRow(DISPLAY_NAME, expression('Join(" ",\n  [givenName],\n  Foo())', 'displayName'))),
    );
    expect(problem).toMatchObject({
      code: 'mapping.invalid_expression',
      line: 3,
      column: 3,
      start: 27,
      end: 30,
    });
  });

  it.each([
    ['a Direct source', direct('favouriteColour', 'title'), `${row(TITLE)}/source/name`, undefined],
    [
      'an attribute read by an expression, with its position',
      expression('Join(" ", [jobTitle], [favouriteColour])', 'title'),
      `${row(TITLE)}/source/expression`,
      { start: 22, end: 39, line: 1, column: 23 },
    ],
  ])(
    'an unknown source attribute in %s: mapping.unknown_source_attribute',
    (_name, mapping, target, position) => {
      const problems = validateSchema(schemaWith(replaceRow(TITLE, mapping)));
      expect(problems).toEqual([
        expect.objectContaining({
          code: 'mapping.unknown_source_attribute',
          target,
          targetAttributeName: 'title',
          ...(position ?? {}),
        }),
      ]);
    },
  );

  it('an unknown attribute of an expression is named with the known ones', () => {
    const [problem] = validateSchema(
      schemaWith(replaceRow(TITLE, expression('Join(" ", [notAnAttribute])', 'title'))),
    );
    expect(problem?.message).toMatch(/reads \[notAnAttribute\] \(line 1, column 11\)/);
    expect(problem?.message).toMatch(/the known attributes are: .*jobTitle/);
  });

  it('source attribute names are case-insensitive, as the worker reads them', () => {
    expect(validateSchema(schemaWith(replaceRow(TITLE, direct('JOBTITLE', 'title'))))).toEqual([]);
    expect(validateSchema(schemaWith(replaceRow(TITLE, expression('ToUpper([jobtitle])', 'title'))))).toEqual(
      [],
    );
  });

  it('a reference in the target is mapped only from a reference of the directory: mapping.unresolvable_reference', () => {
    const targetAttributes = [
      attr('userName', { required: true }),
      attr(`${ENTERPRISE}:manager`, { type: 'Reference' }),
    ];
    const withManager = (m: AttributeMapping) =>
      schemaWith([direct('userPrincipalName', 'userName', { matchingPriority: 1 }), m], { targetAttributes });
    const manager = (s: SynchronizationSchema) => {
      const user = s.directories[0]?.objects[0];
      for (const a of user?.attributes ?? []) if (a.name === 'manager') a.type = 'Reference';
      return s;
    };
    expect(validateSchema(manager(withManager(direct('manager', `${ENTERPRISE}:manager`))))).toEqual([]);
    const asTitle = validateSchema(
      manager(
        schemaWith(
          [direct('userPrincipalName', 'userName', { matchingPriority: 1 }), direct('manager', 'title')],
          {
            targetAttributes: [...targetAttributes, attr('title')],
          },
        ),
      ),
    );
    expect(asTitle).toEqual([
      expect.objectContaining({
        code: 'mapping.unresolvable_reference',
        target: `${row(1)}/targetAttributeName`,
      }),
    ]);
    for (const wrong of [
      direct('department', `${ENTERPRISE}:manager`),
      expression('Join(",", [manager])', `${ENTERPRISE}:manager`),
    ]) {
      expect(validateSchema(manager(withManager(wrong)))).toEqual([
        expect.objectContaining({
          code: 'mapping.unresolvable_reference',
          target: `${row(1)}/source`,
          message: expect.stringContaining('[manager]'),
        }),
      ]);
    }
  });

  it('an unknown target attribute: mapping.unknown_target_attribute at targetAttributeName', () => {
    const problems = validateSchema(schemaWith(replaceRow(TITLE, direct('jobTitle', 'nickName'))));
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'mapping.unknown_target_attribute',
        target: `${row(TITLE)}/targetAttributeName`,
        targetAttributeName: 'nickName',
      }),
    ]);
  });

  it('a target attribute added to the attribute list can be mapped, extension URNs included', () => {
    const custom = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter';
    const schema = schemaWith([...defaultMappings(), direct('department', custom)]);
    expect(validateSchema(schema).map((p) => p.code)).toEqual(['mapping.unknown_target_attribute']);
    schema.directories[1]!.objects[0]!.attributes.push(attr(custom));
    expect(validateSchema(schema)).toEqual([]);
  });

  it('a required target attribute left unmapped: mapping.required_target_unmapped naming it', () => {
    const withoutUserName = defaultMappings()
      .map((m, i) => (i === 4 ? { ...m, matchingPriority: 1 } : m))
      .filter((m) => m.targetAttributeName !== 'userName');
    const problems = validateSchema(schemaWith(withoutUserName));
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'mapping.required_target_unmapped',
        target: 'synchronizationRules/0/objectMappings/0/attributeMappings',
        targetAttributeName: 'userName',
      }),
    ]);
  });

  it('two mappings to one target (in any case): mapping.duplicate_target on the second', () => {
    const problems = validateSchema(schemaWith([...defaultMappings(), direct('mail', 'DisplayName')]));
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'mapping.duplicate_target',
        target: `${row(defaultMappings().length)}/targetAttributeName`,
      }),
    ]);
  });

  it.each([
    ['None', { source: null, defaultValue: 'x' }],
    ['Constant', { source: { type: 'Constant' as const, name: 'x', expression: '"x"', parameters: [] } }],
  ])('a matching attribute with mapping type %s: mapping.matching_without_source', (_name, over) => {
    const problems = validateSchema(
      schemaWith(replaceRow(TITLE, { ...direct('jobTitle', 'title', { matchingPriority: 2 }), ...over })),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'mapping.matching_without_source',
        target: `${row(TITLE)}/matchingPriority`,
      }),
    ]);
  });

  it('a matching attribute computed by an expression is fine; two with one precedence are not', () => {
    const byExpression = replaceRow(TITLE, expression('ToLower([mail])', 'title', { matchingPriority: 2 }));
    expect(validateSchema(schemaWith(byExpression))).toEqual([]);
    const same = replaceRow(TITLE, direct('jobTitle', 'title', { matchingPriority: 1 }));
    expect(validateSchema(schemaWith(same))).toEqual([
      expect.objectContaining({
        code: 'mapping.duplicate_matching_precedence',
        target: `${row(TITLE)}/matchingPriority`,
      }),
    ]);
  });

  it('an enabled mapping without any matching attribute: mapping.no_matching_attribute', () => {
    const none = defaultMappings().map((m) => ({ ...m, matchingPriority: 0 }));
    expect(validateSchema(schemaWith(none)).map((p) => p.code)).toEqual(['mapping.no_matching_attribute']);
  });

  it('the user mapping cannot be disabled', () => {
    expect(validateSchema(schemaWith(defaultMappings(), { userEnabled: false }))).toEqual([
      expect.objectContaining({
        code: 'mapping.user_mapping_disabled',
        target: 'synchronizationRules/0/objectMappings/0/enabled',
      }),
    ]);
  });

  it('SelectUniqueValue: not on a matching attribute, and only applied during object creation', () => {
    const unique =
      'SelectUniqueValue(Join("@", [givenName], "contoso.com"), Join("@", [surname], "contoso.com"))';
    const always = replaceRow(TITLE, expression(unique, 'title'));
    expect(validateSchema(schemaWith(always))).toEqual([
      expect.objectContaining({
        code: 'mapping.invalid_select_unique_value',
        target: `${row(TITLE)}/flowType`,
      }),
    ]);
    const onCreate = replaceRow(TITLE, expression(unique, 'title', { flowType: 'ObjectAddOnly' }));
    expect(validateSchema(schemaWith(onCreate))).toEqual([]);
  });

  describe('scoping filters', () => {
    const SCOPE = 'synchronizationRules/0/objectMappings/0/scope';
    const withScope = (
      groups: { name: string; clauses: [attribute: string, operator: string, values?: string[]][] }[],
      sourceAttributes?: AttributeDefinition[],
    ) => {
      const schema = schemaWith();
      schema.synchronizationRules[0]!.objectMappings[0]!.scope = {
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
      };
      if (sourceAttributes) schema.directories[0]!.objects[0]!.attributes.push(...sourceAttributes);
      return schema;
    };

    it('valid filters pass', () => {
      expect(
        validateSchema(
          withScope([
            {
              name: 'Sales',
              clauses: [
                ['department', 'EQUALS', ['Sales']],
                ['accountEnabled', 'IS TRUE'],
              ],
            },
            { name: 'Numbers', clauses: [['employeeId', 'Greater_Than_OR_EQUALS', ['100000']]] },
          ]),
        ),
      ).toEqual([]);
    });

    it.each<[string, Parameters<typeof withScope>[0], string, string]>([
      [
        'an unknown operator',
        [{ name: 'Sales', clauses: [['department', 'LIKE', ['x']]] }],
        'scoping_filter.unknown_operator',
        'groups/0/clauses/0/operatorName',
      ],
      [
        'a binary operator without a value',
        [
          { name: 'A', clauses: [['mail', 'IS NOT NULL']] },
          { name: 'B', clauses: [['mail', 'EQUALS']] },
        ],
        'scoping_filter.missing_value',
        'groups/1/clauses/0/targetOperand/values',
      ],
      [
        'an invalid regular expression',
        [
          {
            name: 'UPN',
            clauses: [
              ['department', 'EQUALS', ['Sales']],
              ['userPrincipalName', 'REGEX MATCH', ['.*@contoso\\.com', '(unclosed']],
            ],
          },
        ],
        'scoping_filter.invalid_value',
        'groups/0/clauses/1/targetOperand/values/1',
      ],
      [
        'a non-integer comparand',
        [{ name: 'N', clauses: [['employeeId', 'Greater_Than', ['ten']]] }],
        'scoping_filter.invalid_value',
        'groups/0/clauses/0/targetOperand/values/0',
      ],
      [
        'a filter without a title',
        [{ name: '  ', clauses: [['department', 'EQUALS', ['Sales']]] }],
        'scoping_filter.missing_title',
        'groups/0/name',
      ],
      [
        'a filter without clauses',
        [{ name: 'Empty', clauses: [] }],
        'scoping_filter.no_clauses',
        'groups/0/clauses',
      ],
      [
        'an attribute the source object lacks',
        [{ name: 'Colour', clauses: [['favouriteColour', 'EQUALS', ['blue']]] }],
        'scoping_filter.unknown_attribute',
        'groups/0/clauses/0/sourceOperandName',
      ],
    ])('%s is reported at the field of its clause', (_name, groups, code, path) => {
      expect(validateSchema(withScope(groups))).toEqual([
        expect.objectContaining({ code, target: `${SCOPE}/${path}`, objectMappingName: USERS }),
      ]);
    });

    it('multi-valued and reference attributes are refused', () => {
      const problems = validateSchema(
        withScope(
          [
            {
              name: 'Roles',
              clauses: [
                ['appRoleAssignments', 'EQUALS', ['Admin']],
                ['boss', 'IS NOT NULL'],
              ],
            },
          ],
          [
            attr('appRoleAssignments', { multivalued: true }),
            attr('boss', { type: 'Reference', referencedObjects: [{ referencedObjectName: 'User' }] }),
          ],
        ),
      );
      expect(problems.map((p) => [p.code, p.target])).toEqual([
        ['scoping_filter.unsupported_attribute', `${SCOPE}/groups/0/clauses/0/sourceOperandName`],
        ['scoping_filter.unsupported_attribute', `${SCOPE}/groups/0/clauses/1/sourceOperandName`],
      ]);
      expect(problems[0]!.message).toMatch(/multi-valued.*Pick a single-valued attribute/);
    });
  });

  it('target attribute list: names must be SCIM paths and unique', () => {
    const attributes = [attr('userName', { required: true }), attr('nick name'), attr('USERNAME')];
    const problems = validateSchema(
      schemaWith([direct('userPrincipalName', 'userName', { matchingPriority: 1 })], {
        targetAttributes: attributes,
      }),
    );
    expect(problems.map((p) => [p.code, p.target])).toEqual([
      ['schema.invalid_attribute_name', 'directories/1/objects/0/attributes/1/name'],
      ['schema.duplicate_attribute', 'directories/1/objects/0/attributes/2/name'],
    ]);
  });

  it('a rule naming a directory the schema lacks: schema.unknown_directory', () => {
    const schema = schemaWith();
    schema.synchronizationRules[0]!.sourceDirectoryName = 'Somewhere';
    expect(validateSchema(schema).map((p) => [p.code, p.target])).toEqual([
      ['schema.unknown_directory', 'synchronizationRules/0/sourceDirectoryName'],
    ]);
  });

  it('reports every problem at once, in schema order', () => {
    const mappings = replaceRow(DISPLAY_NAME, expression('Joinn(",", [givenName])', 'displayName'));
    mappings[TITLE] = direct('favouriteColour', 'nickName');
    expect(validateSchema(schemaWith(mappings)).map((p) => p.code)).toEqual([
      'mapping.invalid_expression',
      'mapping.unknown_target_attribute',
      'mapping.unknown_source_attribute',
    ]);
  });
});

describe('normalizeSchema', () => {
  it('stores an expression with its text as written and Graph’s parsed tree', () => {
    const source = normalizeMappingSource({
      type: 'Function',
      name: null,
      expression: 'Join(" ",\n [givenName], [surname])',
      parameters: [],
    });
    expect(source).toEqual({
      type: 'Function',
      name: 'Join',
      expression: 'Join(" ",\n [givenName], [surname])',
      parameters: [
        { key: 'separator', value: { type: 'Constant', name: ' ', expression: '" "', parameters: [] } },
        {
          key: 'source',
          value: { type: 'Attribute', name: 'givenName', expression: '[givenName]', parameters: [] },
        },
        {
          key: 'source',
          value: { type: 'Attribute', name: 'surname', expression: '[surname]', parameters: [] },
        },
      ],
    });
  });

  it('fills a Direct source from its expression and a Constant from either form', () => {
    expect(
      normalizeMappingSource({ type: 'Attribute', name: null, expression: '[mail]', parameters: [] }),
    ).toEqual({
      type: 'Attribute',
      name: 'mail',
      expression: '[mail]',
      parameters: [],
    });
    expect(
      normalizeMappingSource({ type: 'Constant', name: null, expression: '"say \\"hi\\""', parameters: [] }),
    ).toEqual({
      type: 'Constant',
      name: 'say "hi"',
      expression: '"say \\"hi\\""',
      parameters: [],
    });
    expect(
      normalizeMappingSource({ type: 'Constant', name: 'True', expression: null, parameters: [] }),
    ).toEqual({
      type: 'Constant',
      name: 'True',
      expression: '"True"',
      parameters: [],
    });
    expect(normalizeMappingSource(null)).toBeNull();
  });

  it('leaves an expression that does not parse as written, and is idempotent', () => {
    const bad = { type: 'Function' as const, name: null, expression: 'Joinn(', parameters: [] };
    expect(normalizeMappingSource(bad)).toBe(bad);
    const once = normalizeSchema(schemaWith());
    expect(normalizeSchema(once)).toEqual(once);
    expect(once.synchronizationRules[0]!.objectMappings[0]!.attributeMappings[1]!.source).toMatchObject({
      name: 'Switch',
      expression: ACTIVE,
    });
  });

  it('a normalized schema compiles as before', () => {
    const mapping = normalizeSchema(schemaWith()).synchronizationRules[0]!.objectMappings[0]!;
    const compiled = compileObjectMapping(mapping);
    expect(compiled.ok).toBe(true);
  });
});
