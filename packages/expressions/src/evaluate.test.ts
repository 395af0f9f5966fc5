import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  evaluateExpression,
  evaluateExpressionAsync,
  functionCatalog,
  parseExpression,
  printExpression,
  toAttributeMappingSource,
  type CompiledExpression,
  type EvaluationContext,
  type ExpressionValue,
} from './index.js';

const context = (
  attributes: Record<string, ExpressionValue> = {},
): Omit<EvaluationContext, 'isValueUnique'> => ({
  getAttribute: (name) => attributes[name],
  now: new Date('2021-08-25T17:41:18Z'),
  random: () => 0.25,
});

describe('evaluation outcomes', () => {
  it('a value, with dates written as M/d/yyyy h:mm:ss tt', () => {
    expect(evaluateExpression(compileExpression('CDate("2021-01-02T03:04:05Z")'), context())).toEqual({
      kind: 'value',
      value: '1/2/2021 3:04:05 AM',
      redacted: false,
    });
  });

  it('top-level keywords', () => {
    expect(evaluateExpression(compileExpression('IgnoreAttributeFlow'), context())).toEqual({
      kind: 'ignoreAttribute',
    });
    expect(evaluateExpression(compileExpression('IgnoreObjectFlow'), context())).toEqual({
      kind: 'ignoreObject',
    });
  });

  it('a flow keyword deep inside other functions ends the evaluation', () => {
    expect(
      evaluateExpression(compileExpression('Join(",", "a", ToLower(IgnoreAttributeFlow))'), context()).kind,
    ).toBe('ignoreAttribute');
  });

  it('runtime errors carry a code and a message', () => {
    expect(evaluateExpression(compileExpression('CDate([d])'), context({ d: 'not a date' }))).toEqual({
      kind: 'error',
      error: {
        code: 'expression.invalid_date',
        message: 'CDate: "not a date" is not a recognised date/time',
      },
    });
  });

  it('raw attribute values pass through unchanged at the top level', () => {
    expect(
      evaluateExpression(compileExpression('[accountEnabled]'), context({ accountEnabled: true })),
    ).toMatchObject({ value: true });
    expect(evaluateExpression(compileExpression('[n]'), context({ n: 7 }))).toMatchObject({ value: 7 });
  });

  it('undefined and null attributes are both absent', () => {
    const expr = compileExpression('IsNull([x])');
    expect(evaluateExpression(expr, context({ x: null })).kind === 'value').toBe(true);
    expect(evaluateExpression(expr, context({ x: null }))).toMatchObject({ value: 'True' });
    expect(evaluateExpression(expr, context({}))).toMatchObject({ value: 'True' });
  });

  it('no values at all is null; nested multi-values are flattened', () => {
    expect(evaluateExpression(compileExpression('[x]'), context({ x: [] }))).toMatchObject({ value: null });
    expect(evaluateExpression(compileExpression('[x]'), context({ x: ['a', ['b']] }))).toMatchObject({
      value: ['a', 'b'],
    });
  });

  it('the comparison result itself is "True"/"False"', () => {
    expect(evaluateExpression(compileExpression('[a] = "x"'), context({ a: 'x' }))).toMatchObject({
      value: 'True',
    });
  });

  it('compile once, evaluate many times with different objects', () => {
    const expr = compileExpression('ToLower(Join(".", [givenName], [surname]))');
    const names = [
      ['Ann', 'Lee'],
      ['Bo', 'Ek'],
    ];
    expect(
      names
        .map(([g, s]) => evaluateExpression(expr, context({ givenName: g!, surname: s! })))
        .map((o) => o.kind === 'value' && o.value),
    ).toEqual(['ann.lee', 'bo.ek']);
  });

  it('an expression object rebuilt from JSON still evaluates', () => {
    const plain = JSON.parse(JSON.stringify(compileExpression('Append([a], "!")'))) as CompiledExpression;
    expect(evaluateExpression(plain, context({ a: 'x' }))).toMatchObject({ value: 'x!' });
  });

  it('an invalid clock is a runtime error, not "NaN/NaN/NaN"', () => {
    expect(
      evaluateExpression(compileExpression('Now()'), { ...context(), now: new Date(NaN) }),
    ).toMatchObject({
      kind: 'error',
      error: { code: 'expression.invalid_date' },
    });
  });

  it('exceptions of the context callbacks are not swallowed', () => {
    const ctx: EvaluationContext = {
      ...context(),
      getAttribute: () => {
        throw new Error('store down');
      },
    };
    expect(() => evaluateExpression(compileExpression('[a]'), ctx)).toThrow('store down');
  });
});

describe('evaluateExpressionAsync', () => {
  const upn =
    'SelectUniqueValue(Join("@", [first], "contoso.com"), Join("@", Join(".", [first], [last]), "contoso.com"))';
  const person = { first: 'john', last: 'smith' };

  it('awaits the target lookups one after another, in rule order', async () => {
    const asked: string[] = [];
    const outcome = await evaluateExpressionAsync(compileExpression(upn), {
      ...context(person),
      isValueUnique: async (value) => {
        asked.push(value);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return value !== 'john@contoso.com';
      },
    });
    expect(outcome).toEqual({ kind: 'value', value: 'john.smith@contoso.com', redacted: false });
    expect(asked).toEqual(['john@contoso.com', 'john.smith@contoso.com']);
  });

  it('all values taken is the escrow error', async () => {
    const outcome = await evaluateExpressionAsync(compileExpression(upn), {
      ...context(person),
      isValueUnique: async () => false,
    });
    expect(outcome.kind === 'error' && outcome.error.code).toBe('expression.no_unique_value');
  });

  it('keeps the redaction mark of a rule', async () => {
    const outcome = await evaluateExpressionAsync(compileExpression('SelectUniqueValue(Redact([a]), [b])'), {
      ...context({ a: 'secret' }),
      isValueUnique: async () => true,
    });
    expect(outcome).toEqual({ kind: 'value', value: 'secret', redacted: true });
  });

  it('flow keywords and runtime errors inside rules', async () => {
    const ignore = await evaluateExpressionAsync(
      compileExpression('SelectUniqueValue(IgnoreAttributeFlow, [b])'),
      {
        ...context(),
        isValueUnique: async () => true,
      },
    );
    expect(ignore).toEqual({ kind: 'ignoreAttribute' });
    const error = await evaluateExpressionAsync(compileExpression('SelectUniqueValue(CDate("x"), [b])'), {
      ...context(),
      isValueUnique: async () => true,
    });
    expect(error.kind).toBe('error');
  });

  it('other expressions evaluate as in the sync form', async () => {
    const outcome = await evaluateExpressionAsync(compileExpression('Join("@", [first], DefaultDomain())'), {
      ...context(person),
      defaultDomain: 'contoso.com',
      isValueUnique: async () => true,
    });
    expect(outcome).toMatchObject({ value: 'john@contoso.com' });
  });

  it('without a port, the first candidate', async () => {
    expect(await evaluateExpressionAsync(compileExpression(upn), context(person))).toMatchObject({
      value: 'john@contoso.com',
    });
  });
});

describe('functionCatalog', () => {
  const documented = [
    'Append',
    'AppRoleAssignmentsComplex',
    'BitAnd',
    'CBool',
    'CDate',
    'Coalesce',
    'ConvertToBase64',
    'ConvertToUTF8Hex',
    'Count',
    'CStr',
    'DateAdd',
    'DateDiff',
    'DateFromNum',
    'FormatDateTime',
    'Guid',
    'IgnoreFlowIfNullOrEmpty',
    'IIF',
    'InStr',
    'IsNull',
    'IsNullOrEmpty',
    'IsPresent',
    'IsString',
    'Item',
    'Join',
    'Left',
    'Mid',
    'NormalizeDiacritics',
    'Not',
    'Now',
    'NumFromDate',
    'PCase',
    'RandomString',
    'Redact',
    'RemoveDuplicates',
    'Replace',
    'SelectUniqueValue',
    'SingleAppRoleAssignment',
    'Split',
    'StripSpaces',
    'Switch',
    'ToLower',
    'ToUpper',
    'Word',
  ];
  const extra = [
    'AssertiveAppRoleAssignmentsComplex',
    'DefaultDomain',
    'AppRoleAssignments',
    'IsNothing',
    'Prepend',
  ];

  it('lists the 43 documented functions and the 5 others', () => {
    expect(documented).toHaveLength(43);
    expect(functionCatalog.map((f) => f.name).sort()).toEqual([...documented, ...extra].sort());
  });

  it.each(functionCatalog.map((f) => [f.name, f] as const))(
    '%s compiles with its required parameters',
    (_name, info) => {
      const samples: Record<string, string> = {
        Replace: 'Replace([a], "x", , , "y", , )',
        Switch: 'Switch([a], , "k", "v")',
        FormatDateTime: 'FormatDateTime([a], , "yyyy", "yyyy")',
        DateAdd: 'DateAdd("d", 1, [a])',
        DateDiff: 'DateDiff("d", [a], [b])',
        RandomString: 'RandomString(4, 1, 1, 1, 1)',
        InStr: 'InStr([a], [b])',
      };
      const required = info.parameters.filter((p) => p.required);
      const text =
        samples[info.name] ??
        `${info.name}(${[...required, ...(required.some((p) => p.repeating) ? required.filter((p) => p.repeating) : [])].map((_, i) => `[p${i}]`).join(', ')})`;
      expect(parseExpression(text)).toMatchObject({ ok: true });
      expect(info.description.length).toBeGreaterThan(10);
    },
  );

  it('uses Graph parameter names where Graph lists the function', () => {
    const replace = functionCatalog.find((f) => f.name === 'Replace')!;
    expect(replace.parameters.map((p) => p.name)).toEqual([
      'source',
      'Find',
      'RegularExpression',
      'RegularExpressionGroupName',
      'Replacement',
      'ReplacementPropertyName',
      'Template',
    ]);
    expect(functionCatalog.find((f) => f.name === 'Join')!.parameters).toEqual([
      { name: 'separator', required: true, type: 'String' },
      { name: 'source', required: true, repeating: true, type: 'String' },
    ]);
  });
});

describe('toAttributeMappingSource', () => {
  it('doc (Graph): an attribute', () => {
    expect(toAttributeMappingSource(compileExpression('[mail]'))).toEqual({
      expression: '[mail]',
      name: 'mail',
      parameters: [],
      type: 'Attribute',
    });
  });

  it('doc (Graph): Mid([userPrincipalName], 1, 8) with quoted numeric constants', () => {
    expect(toAttributeMappingSource(compileExpression('Mid([userPrincipalName], 1, 8)'))).toEqual({
      expression: 'Mid([userPrincipalName], 1, 8)',
      name: 'Mid',
      parameters: [
        {
          key: 'source',
          value: {
            expression: '[userPrincipalName]',
            name: 'userPrincipalName',
            parameters: [],
            type: 'Attribute',
          },
        },
        { key: 'start', value: { expression: '"1"', name: '1', parameters: [], type: 'Constant' } },
        { key: 'length', value: { expression: '"8"', name: '8', parameters: [], type: 'Constant' } },
      ],
      type: 'Function',
    });
  });

  it('doc (Graph parseExpression): Replace keeps only supplied arguments, keyed by Graph names', () => {
    expect(
      toAttributeMappingSource(compileExpression('Replace([preferredLanguage], "-", , , "_", ,  )')),
    ).toEqual({
      expression: 'Replace([preferredLanguage], "-", , , "_", , )',
      name: 'Replace',
      parameters: [
        {
          key: 'source',
          value: {
            expression: '[preferredLanguage]',
            name: 'preferredLanguage',
            parameters: [],
            type: 'Attribute',
          },
        },
        { key: 'Find', value: { expression: '"-"', name: '-', parameters: [], type: 'Constant' } },
        { key: 'Replacement', value: { expression: '"_"', name: '_', parameters: [], type: 'Constant' } },
      ],
      type: 'Function',
    });
  });

  it('repeating parameters, escapes, operators and bare names', () => {
    const tree = toAttributeMappingSource(
      compileExpression('IIF([a] <> "say \\"hi\\"", Join(",", [b], [c]), IgnoreAttributeFlow)'),
    );
    expect(tree.parameters.map((p) => p.key)).toEqual(['condition', 'valueIfTrue', 'valueIfFalse']);
    expect(tree.parameters[0]!.value).toMatchObject({
      type: 'Function',
      name: '<>',
      expression: '[a] <> "say \\"hi\\""',
      parameters: [
        { key: 'left' },
        { key: 'right', value: { name: 'say "hi"', expression: '"say \\"hi\\""' } },
      ],
    });
    expect(tree.parameters[1]!.value.parameters.map((p) => p.key)).toEqual(['separator', 'source', 'source']);
    expect(tree.parameters[2]!.value).toEqual({
      type: 'Constant',
      name: 'IgnoreAttributeFlow',
      expression: 'IgnoreAttributeFlow',
      parameters: [],
    });
  });

  it('Switch keys and values, FormatDateTime three-argument form', () => {
    expect(
      toAttributeMappingSource(compileExpression('Switch([s], , "1", "a", "2", "b")')).parameters.map(
        (p) => p.key,
      ),
    ).toEqual(['source', 'key', 'value', 'key', 'value']);
    expect(
      toAttributeMappingSource(compileExpression('FormatDateTime([d], "yyyy", "yy")')).parameters.map(
        (p) => p.key,
      ),
    ).toEqual(['source', 'inputFormat', 'outputFormat']);
  });
});

describe('printExpression', () => {
  it.each([
    'Replace([mail], "@contoso.com", , ,"", ,)',
    'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) >= 0, [Department], IgnoreAttributeFlow)',
    'InStr("repEated","e",3,vbBinaryCompare)',
    'BitAnd(&HF, &HF7)',
    String.raw`Replace([t], , "\\+(?<c>\\d* )", , "${'$'}{c}", , )`,
    'Coalesce(,)',
  ])('re-parses to the same tree: %s', (text) => {
    const first = compileExpression(text);
    const printed = printExpression(first.ast);
    const strip = (node: unknown): unknown =>
      JSON.parse(
        JSON.stringify(node, (key, value: unknown) =>
          key === 'start' || key === 'end' || key === 'nameEnd' ? undefined : value,
        ),
      );
    expect(strip(compileExpression(printed).ast)).toEqual(strip(first.ast));
  });
});
