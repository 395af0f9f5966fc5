import { describe, expect, it } from 'vitest';
import {
  ExpressionSyntaxError,
  compileExpression,
  parseExpression,
  type ExpressionError,
  type ExpressionNode,
} from './index.js';

function ast(text: string): ExpressionNode {
  const result = parseExpression(text);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.expression.ast;
}

function errorOf(text: string): ExpressionError {
  const result = parseExpression(text);
  if (result.ok) throw new Error(`expected an error for ${text}`);
  return result.error;
}

describe('grammar', () => {
  it('a bare attribute is an expression', () => {
    expect(ast('[mail]')).toEqual({ kind: 'attribute', name: 'mail', start: 0, end: 6 });
  });

  it('a bare string constant is an expression', () => {
    expect(ast('"United States"')).toEqual({ kind: 'string', value: 'United States', start: 0, end: 15 });
  });

  it('a number constant', () => {
    expect(ast('-12.5')).toEqual({ kind: 'number', value: -12.5, raw: '-12.5', start: 0, end: 5 });
  });

  it('doc: escapes \\" and \\\\ in strings', () => {
    expect(ast(String.raw`"Company name: \"Contoso\""`)).toMatchObject({ value: 'Company name: "Contoso"' });
    expect(ast(String.raw`"C:\\dir"`)).toMatchObject({ value: String.raw`C:\dir` });
  });

  it('doc: regex backslashes are doubled; a lone backslash before another character is kept', () => {
    expect(ast(String.raw`"\\+(?<isdCode>\\d* )"`)).toMatchObject({ value: String.raw`\+(?<isdCode>\d* )` });
    expect(ast(String.raw`"\+\d"`)).toMatchObject({ value: String.raw`\+\d` });
  });

  it('doc: omitted arguments, Replace([mail], "@contoso.com", , ,"", ,)', () => {
    const node = ast('Replace([mail], "@contoso.com", , ,"", ,)');
    expect(node.kind === 'call' && node.args.map((a) => a.kind)).toEqual([
      'attribute',
      'string',
      'omitted',
      'omitted',
      'string',
      'omitted',
      'omitted',
    ]);
  });

  it('an empty call has no arguments, with or without spaces', () => {
    expect(ast('Now()')).toMatchObject({ kind: 'call', name: 'Now', args: [] });
    expect(ast('Guid( )')).toMatchObject({ kind: 'call', name: 'Guid', args: [] });
  });

  it('doc: hex literals &HF and &HF7', () => {
    const node = ast('BitAnd(&HF, &hF7)');
    expect(node.kind === 'call' && node.args).toEqual([
      { kind: 'number', value: 15, raw: '&HF', start: 7, end: 10 },
      { kind: 'number', value: 247, raw: '&hF7', start: 12, end: 16 },
    ]);
  });

  it('doc: bare enum identifiers', () => {
    const node = ast('InStr("repEated","e",3,vbBinaryCompare)');
    expect(node.kind === 'call' && node.args[3]).toEqual({
      kind: 'enum',
      name: 'vbBinaryCompare',
      value: 0,
      start: 23,
      end: 38,
    });
  });

  it('doc: bare keywords IgnoreAttributeFlow / IgnoreObjectFlow', () => {
    expect(ast('IgnoreObjectFlow')).toEqual({ kind: 'keyword', name: 'IgnoreObjectFlow', start: 0, end: 16 });
    const node = ast('IIF([a]="1", [b], IgnoreAttributeFlow)');
    expect(node.kind === 'call' && node.args[2]?.kind).toBe('keyword');
  });

  it.each(['=', '<>', '>', '>=', '<', '<='])('doc: comparison operator %s inside an argument', (operator) => {
    const node = ast(`IIF(DateDiff("d", Now(), CDate([x])) ${operator} 5, "a", "b")`);
    expect(node.kind === 'call' && node.args[0]).toMatchObject({
      kind: 'comparison',
      operator,
      left: { kind: 'call', name: 'DateDiff' },
      right: { kind: 'number', value: 5 },
    });
  });

  it('comparisons without spaces', () => {
    expect(ast('IIF([country]="USA",[country],[department])')).toMatchObject({
      args: [
        { kind: 'comparison', operator: '=', left: { name: 'country' }, right: { value: 'USA' } },
        {},
        {},
      ],
    });
  });

  it.each([
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
    'extension_8af2fd51d7e440bd9d2f2c1d1a1a1a1a_employeeId',
    'msDS-cloudExtensionAttribute1',
    'passwordProfile.password',
    'empInfo.personNav.personalInfoNav.firstName',
    'Prénom',
  ])('attribute names: [%s]', (name) => {
    expect(ast(`ToLower([${name}])`)).toMatchObject({ args: [{ kind: 'attribute', name }] });
  });

  it('doc: white space and new lines anywhere between tokens', () => {
    const text =
      'Switch([Active], , \n  "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), \n  "0", "False")';
    expect(ast(text)).toMatchObject({ kind: 'call', name: 'Switch', args: { length: 6 } });
    expect(ast(' \t\r\n SelectUniqueValue ( [a] ,\r\n [b] ) \n')).toMatchObject({
      name: 'SelectUniqueValue',
    });
  });

  it('non-breaking spaces pasted from documents are white space', () => {
    expect(ast('Join(",",\u00a0[a])')).toMatchObject({ name: 'Join' });
  });

  it('positions of nested nodes', () => {
    const node = ast('Append(Mid([givenName], 1, 3), ".x")');
    expect(node).toMatchObject({
      start: 0,
      end: 36,
      nameEnd: 6,
      args: [
        { start: 7, end: 29, nameEnd: 10 },
        { start: 31, end: 35 },
      ],
    });
  });

  it('attributes are listed in order of first use, once', () => {
    const { expression } = parseExpression('Join(",", [b], Mid([a], 1, 1), [b], IIF([c]="x", [a], [d]))') as {
      ok: true;
      expression: { attributes: readonly string[] };
    };
    expect(expression.attributes).toEqual(['b', 'a', 'c', 'd']);
  });

  it('a quoted replacementAttributeName counts as an attribute read', () => {
    const result = parseExpression('Replace([t], , "(?<n>\\\\d+)", "n", , "mobile", )');
    expect(result.ok && result.expression.attributes).toEqual(['t', 'mobile']);
  });

  it('usesSelectUniqueValue', () => {
    const yes = parseExpression('SelectUniqueValue([a], [b])');
    const no = parseExpression('Join(",", [a])');
    expect([
      yes.ok && yes.expression.usesSelectUniqueValue,
      no.ok && no.expression.usesSelectUniqueValue,
    ]).toEqual([true, false]);
  });

  it('compileExpression throws ExpressionSyntaxError carrying the error', () => {
    let thrown: unknown;
    try {
      compileExpression('Joinn(",", [a])');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ExpressionSyntaxError);
    expect((thrown as ExpressionSyntaxError).error.code).toBe('expression.unknown_function');
  });
});

describe('errors', () => {
  it('unknown function with a suggestion', () => {
    expect(errorOf('Joinn(",", [a])')).toEqual({
      code: 'expression.unknown_function',
      message: 'unknown function "Joinn" — did you mean "Join"?',
      start: 0,
      end: 5,
      line: 1,
      column: 1,
      hint: 'did you mean "Join"?',
    });
  });

  it('function names are case-sensitive', () => {
    expect(errorOf('ToLower(join(",", [a]))')).toMatchObject({
      code: 'expression.unknown_function',
      message: 'unknown function "join" — did you mean "Join"?',
      start: 8,
      end: 12,
      hint: 'function names are case-sensitive',
    });
  });

  it('no suggestion for a name far from every function', () => {
    expect(errorOf('Frobnicate([a])')).toMatchObject({
      code: 'expression.unknown_function',
      message: 'unknown function "Frobnicate"',
    });
  });

  it('too few arguments names the missing parameter', () => {
    expect(errorOf('Append([a])')).toMatchObject({
      code: 'expression.arity',
      message: 'Append expects 2 arguments but got 1 (missing suffix)',
      start: 10,
      end: 11,
      hint: 'Append(source, suffix)',
    });
  });

  it('too many arguments points at the extra ones', () => {
    expect(errorOf('Append([a], "b", "c", "d")')).toMatchObject({
      code: 'expression.arity',
      message: 'Append expects 2 arguments but got 4',
      start: 17,
      end: 25,
    });
  });

  it('variable arity', () => {
    expect(errorOf('Join(",")')).toMatchObject({
      code: 'expression.arity',
      message: 'Join expects at least 2 arguments but got 1',
      hint: 'Join(separator, source…)',
    });
    expect(errorOf('FormatDateTime([a], "x")').message).toBe(
      'FormatDateTime expects 3 to 4 arguments but got 2',
    );
    expect(errorOf('Now(1)')).toMatchObject({ message: 'Now expects 0 arguments but got 1' });
  });

  it('a required argument left empty', () => {
    expect(errorOf('Append(, "b")')).toMatchObject({
      code: 'expression.arity',
      message: 'Append: argument 1 (source) is required but was left empty',
      start: 7,
      end: 7,
    });
  });

  it('unterminated string', () => {
    expect(errorOf('Join(",", "abc')).toMatchObject({
      code: 'expression.unterminated_string',
      start: 10,
      end: 14,
      column: 11,
    });
    expect(errorOf(String.raw`Join(",", "C:\")`)).toMatchObject({
      code: 'expression.unterminated_string',
      start: 10,
    });
    expect(errorOf('"').hint).toContain('\\"');
  });

  it('missing closing parenthesis points at the opening one', () => {
    expect(errorOf('Join(",", [a]')).toMatchObject({
      code: 'expression.unbalanced',
      message: 'missing ")" to close "Join("',
      start: 4,
      end: 5,
    });
    expect(errorOf('ToLower(Join(",", [a])')).toMatchObject({
      code: 'expression.unbalanced',
      start: 7,
      end: 8,
    });
  });

  it('extra closing parenthesis', () => {
    expect(errorOf('Join(",", [a]))')).toMatchObject({ code: 'expression.unbalanced', start: 14, end: 15 });
  });

  it('unbalanced brackets', () => {
    expect(errorOf('Join(",", [mail, [b])')).toMatchObject({
      code: 'expression.unbalanced',
      start: 10,
      end: 15,
    });
    expect(errorOf('[mail')).toMatchObject({ code: 'expression.unbalanced', start: 0, end: 5 });
    expect(errorOf('Join(",", [a]])')).toMatchObject({ code: 'expression.unbalanced', start: 13, end: 14 });
  });

  it('bad attribute names', () => {
    expect(errorOf('[]')).toMatchObject({ code: 'expression.syntax', start: 0, end: 2 });
    expect(errorOf('[ma il]')).toMatchObject({ code: 'expression.syntax', start: 3, end: 4 });
  });

  it('missing comma between arguments', () => {
    expect(errorOf('Join("," [a])')).toMatchObject({
      code: 'expression.syntax',
      message: 'unexpected [a] in the arguments of Join',
      start: 9,
      end: 12,
      hint: 'separate arguments with ","',
    });
  });

  it('AND/OR are not operators', () => {
    expect(errorOf('IIF([a]="x" AND [b]="y", "1", "2")')).toMatchObject({
      code: 'expression.syntax',
      start: 12,
      end: 15,
    });
    expect(errorOf('IIF([a]="x" AND [b]="y", "1", "2")').hint).toContain('nest IIF');
    expect(errorOf('IIF(Not [a], "1", "2")')).toMatchObject({ code: 'expression.syntax' });
  });

  it('comparisons cannot be chained', () => {
    expect(errorOf('IIF(1 = 2 = 3, "a", "b")')).toMatchObject({
      code: 'expression.syntax',
      start: 10,
      end: 11,
    });
  });

  it('operator typos', () => {
    expect(errorOf('IIF([a] == "x", 1, 2)')).toMatchObject({
      start: 8,
      end: 10,
      hint: 'compare with a single "="',
    });
    expect(errorOf('IIF([a] != "x", 1, 2)')).toMatchObject({
      start: 8,
      hint: 'write "<>" for "not equal", or use Not()',
    });
    expect(errorOf('IIF([a] => 1, 1, 2)')).toMatchObject({ hint: 'write ">="' });
    expect(errorOf('IIF(= 1, 1, 2)')).toMatchObject({ message: 'missing the left-hand side of "="' });
    expect(errorOf('IIF([a] =, 1, 2)')).toMatchObject({ message: 'missing the right-hand side of "="' });
  });

  it('quotes pasted from a word processor', () => {
    expect(errorOf('Join(",", \u201Ca\u201D)')).toMatchObject({
      code: 'expression.syntax',
      start: 10,
      hint: 'use a straight double quote (") around text',
    });
    expect(errorOf("Join(',', [a])")).toMatchObject({ hint: 'text is written in double quotes: "…"' });
  });

  it('concatenation operators do not exist', () => {
    expect(errorOf('"a" & "b"').hint).toContain('Join or Append');
    expect(errorOf('Join(",", "a" + "b")').hint).toContain('Join or Append');
  });

  it('bad literals', () => {
    expect(errorOf('Mid([a], 1abc, 2)')).toMatchObject({
      message: 'invalid number "1abc"',
      start: 9,
      end: 13,
    });
    expect(errorOf('BitAnd(&HZ, 1)')).toMatchObject({ code: 'expression.syntax', start: 7 });
    expect(errorOf('Mid([a], 1., 2)')).toMatchObject({ message: 'invalid number' });
  });

  it('a function name without parentheses', () => {
    expect(errorOf('DateAdd("d", 1, Now)')).toMatchObject({
      code: 'expression.syntax',
      message: 'function "Now" must be called with parentheses',
      start: 16,
      end: 19,
      hint: 'write Now(…)',
    });
  });

  it('an unknown bare name', () => {
    expect(errorOf('IgnoreAttributeFlo')).toMatchObject({
      code: 'expression.unknown_identifier',
      message: 'unknown name "IgnoreAttributeFlo" — did you mean "IgnoreAttributeFlow"?',
    });
    expect(errorOf('Join(",", mail)')).toMatchObject({
      code: 'expression.unknown_identifier',
      start: 10,
      end: 14,
      hint: 'text must be quoted ("…") and attributes bracketed ([…])',
    });
  });

  it('empty expression', () => {
    expect(errorOf('')).toMatchObject({ code: 'expression.empty', start: 0, end: 0 });
    expect(errorOf('  \n ')).toMatchObject({ code: 'expression.empty' });
  });

  it('trailing text after the expression', () => {
    expect(errorOf('[a] [b]')).toMatchObject({ code: 'expression.syntax', start: 4, end: 7 });
  });

  it('stray punctuation', () => {
    expect(errorOf('(1)')).toMatchObject({ code: 'expression.syntax', start: 0, end: 1 });
    expect(errorOf(',')).toMatchObject({ code: 'expression.syntax', start: 0 });
    expect(errorOf('Join(",";[a])')).toMatchObject({ start: 8, hint: 'separate arguments with ","' });
  });

  it('line and column on multi-line expressions', () => {
    expect(errorOf('Join(",",\n  [a],\r\n  Joinn([b]))')).toMatchObject({ start: 20, line: 3, column: 3 });
  });

  it('max length 10,000 characters', () => {
    const long = `Join(",", ${'"x", '.repeat(2000)}"y")`;
    expect(long.length).toBeGreaterThan(10_000);
    expect(errorOf(long)).toMatchObject({ code: 'expression.too_long', start: 10_000, end: long.length });
    const fits = `Join(",", ${'"x", '.repeat(1990)}"y")`;
    expect(fits.length).toBeLessThanOrEqual(10_000);
    expect(parseExpression(fits).ok).toBe(true);
  });

  it('nesting depth is bounded', () => {
    const deep = `${'ToLower('.repeat(101)}[a]${')'.repeat(101)}`;
    expect(errorOf(deep)).toMatchObject({ code: 'expression.too_deep' });
    const ok = `${'ToLower('.repeat(100)}[a]${')'.repeat(100)}`;
    expect(parseExpression(ok).ok).toBe(true);
  });

  it('invalid constant regex is a compile error at the pattern', () => {
    expect(errorOf('Replace([x], , "(?<a>[0-9]", , "", , )')).toMatchObject({
      code: 'expression.invalid_regex',
      start: 15,
      end: 27,
    });
  });

  it('the first error in the text is reported', () => {
    expect(errorOf('Joinn(Foo([a]))')).toMatchObject({
      code: 'expression.unknown_function',
      start: 0,
      end: 5,
    });
  });

  it('a non-string input is an error, not an exception', () => {
    expect(parseExpression(undefined as unknown as string)).toMatchObject({
      ok: false,
      error: { code: 'expression.syntax' },
    });
  });
});
