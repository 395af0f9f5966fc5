import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  evaluateExpression,
  parseExpression,
  type EvaluationContext,
  type EvaluationOutcome,
  type ExpressionValue,
} from './index.js';

// Every documented example of the function reference, then null / empty / multi-valued
// edges per function. Where the documentation's stated output is not what the expression
// literally produces, the test asserts the literal evaluation and its name says so.

type Attributes = Record<string, ExpressionValue>;
/** The clock of the DateDiff table: date1 "8/25/2021 5:41:18 PM" is Now(). */
const NOW = new Date('2021-08-25T17:41:18Z');

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(
  expression: string,
  attributes: Attributes = {},
  extra: Partial<EvaluationContext> = {},
): EvaluationOutcome {
  const compiled = compileExpression(expression);
  return evaluateExpression(compiled, {
    getAttribute: (name) => attributes[name],
    now: NOW,
    random: mulberry32(42),
    ...extra,
  });
}

function valueOf(
  expression: string,
  attributes: Attributes = {},
  extra: Partial<EvaluationContext> = {},
): ExpressionValue {
  const outcome = run(expression, attributes, extra);
  if (outcome.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

interface Case {
  name: string;
  expression: string;
  attributes?: Attributes;
  now?: Date;
  /** The value; or an outcome kind; or a runtime error code. */
  expected?: ExpressionValue;
  outcome?: 'ignoreAttribute' | 'ignoreObject';
  error?: string;
  /** A compile-time error code. */
  compileError?: string;
}

function table(name: string, cases: Case[]): void {
  describe(name, () => {
    it.each(cases)('$name', (c) => {
      if (c.compileError !== undefined) {
        const result = parseExpression(c.expression);
        expect(result.ok ? 'compiled' : result.error.code).toBe(c.compileError);
        return;
      }
      const outcome = run(c.expression, c.attributes, c.now === undefined ? {} : { now: c.now });
      if (c.outcome !== undefined) expect(outcome.kind).toBe(c.outcome);
      else if (c.error !== undefined)
        expect(outcome.kind === 'error' ? outcome.error.code : outcome).toBe(c.error);
      else expect(outcome).toEqual({ kind: 'value', value: c.expected, redacted: false });
    });
  });
}

/** `${name}` inside String.raw templates. */
const group = (name: string): string => '${' + name + '}';

table('Append', [
  {
    name: 'doc: Append([userPrincipalName], ".test")',
    expression: 'Append([userPrincipalName], ".test")',
    attributes: { userPrincipalName: 'John.Doe@contoso.com' },
    expected: 'John.Doe@contoso.com.test',
  },
  {
    name: 'doc: Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))',
    expression: 'Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))',
    attributes: { givenName: 'John', surname: 'Doe' },
    expected: 'JohDoe',
  },
  { name: 'null source stays null', expression: 'Append([x], ".test")', expected: null },
  {
    name: 'empty source gets the suffix',
    expression: 'Append([x], ".test")',
    attributes: { x: '' },
    expected: '.test',
  },
  {
    name: 'null suffix appends nothing',
    expression: 'Append([x], [y])',
    attributes: { x: 'a' },
    expected: 'a',
  },
  {
    name: 'multi-valued source, value by value',
    expression: 'Append([x], "!")',
    attributes: { x: ['a', 'b'] },
    expected: ['a!', 'b!'],
  },
  { name: 'numbers are written as text', expression: 'Append(12, 3)', expected: '123' },
]);

table('Prepend', [
  {
    name: 'prefix in front',
    expression: 'Prepend("smtp:", [mail])',
    attributes: { mail: 'a@b.c' },
    expected: 'smtp:a@b.c',
  },
  { name: 'null source stays null', expression: 'Prepend("smtp:", [mail])', expected: null },
  {
    name: 'multi-valued',
    expression: 'Prepend("x", [m])',
    attributes: { m: ['1', '2'] },
    expected: ['x1', 'x2'],
  },
]);

table('AppRoleAssignments / AppRoleAssignmentsComplex / AssertiveAppRoleAssignmentsComplex', [
  {
    name: 'AppRoleAssignmentsComplex returns every role',
    expression: 'AppRoleAssignmentsComplex([appRoleAssignments])',
    attributes: { appRoleAssignments: ['Admin', 'User'] },
    expected: ['Admin', 'User'],
  },
  {
    name: 'AssertiveAppRoleAssignmentsComplex returns every role',
    expression: 'AssertiveAppRoleAssignmentsComplex([appRoleAssignments])',
    attributes: { appRoleAssignments: ['Admin'] },
    expected: ['Admin'],
  },
  {
    name: 'AppRoleAssignments of a single string',
    expression: 'AppRoleAssignments([appRoleAssignments])',
    attributes: { appRoleAssignments: 'Default Assignment' },
    expected: ['Default Assignment'],
  },
  { name: 'no roles is null', expression: 'AppRoleAssignmentsComplex([appRoleAssignments])', expected: null },
  {
    name: 'empty list is null',
    expression: 'AppRoleAssignmentsComplex([appRoleAssignments])',
    attributes: { appRoleAssignments: [] },
    expected: null,
  },
]);

table('SingleAppRoleAssignment', [
  {
    name: 'doc (Salesforce): the one role as a string',
    expression: 'SingleAppRoleAssignment([appRoleAssignments])',
    attributes: { appRoleAssignments: ['Default Assignment'] },
    expected: 'Default Assignment',
  },
  {
    name: 'several roles (undefined in the docs): the first',
    expression: 'SingleAppRoleAssignment([appRoleAssignments])',
    attributes: { appRoleAssignments: ['Admin', 'User'] },
    expected: 'Admin',
  },
  { name: 'no roles is null', expression: 'SingleAppRoleAssignment([appRoleAssignments])', expected: null },
]);

table('BitAnd', [
  {
    name: 'doc: BitAnd(&HF, &HF7) = 7 (the doc explanation misstates &HF; the result is right)',
    expression: 'BitAnd(&HF, &HF7)',
    expected: 7,
  },
  {
    name: 'userAccountControl disabled bit',
    expression: 'BitAnd([uac], 2)',
    attributes: { uac: '514' },
    expected: 2,
  },
  { name: 'numeric strings', expression: 'BitAnd("12", "10")', expected: 8 },
  { name: 'hex strings', expression: 'BitAnd("&HFF", 15)', expected: 15 },
  { name: 'beyond 32 bits', expression: 'BitAnd(8589934591, 4294967296)', expected: 4294967296 },
  { name: 'null operand is null', expression: 'BitAnd([x], 1)', expected: null },
  { name: 'non-numeric is an error', expression: 'BitAnd("abc", 1)', error: 'expression.type_mismatch' },
]);

table('CBool', [
  {
    name: 'doc: CBool([attribute1] = [attribute2]) is True for equal values',
    expression: 'CBool([attribute1] = [attribute2])',
    attributes: { attribute1: 'a', attribute2: 'a' },
    expected: 'True',
  },
  {
    name: 'doc: different values are False',
    expression: 'CBool([attribute1] = [attribute2])',
    attributes: { attribute1: 'a', attribute2: 'b' },
    expected: 'False',
  },
  {
    name: 'a null side fails the comparison',
    expression: 'CBool([a] = [b])',
    attributes: { a: 'x' },
    expected: 'False',
  },
  { name: 'non-zero number is True', expression: 'CBool(5)', expected: 'True' },
  { name: 'zero is False', expression: 'CBool(0)', expected: 'False' },
  { name: '"true" is True', expression: 'CBool("true")', expected: 'True' },
  {
    name: 'boolean attribute',
    expression: 'CBool([accountEnabled])',
    attributes: { accountEnabled: false },
    expected: 'False',
  },
  { name: 'null is False', expression: 'CBool([x])', expected: 'False' },
  { name: 'text is a type mismatch', expression: 'CBool("abc")', error: 'expression.type_mismatch' },
]);

table('CDate', [
  {
    name: 'doc: CDate([StatusHireDate]) "2020-03-16-07:00"',
    expression: 'CDate([StatusHireDate])',
    attributes: { StatusHireDate: '2020-03-16-07:00' },
    expected: '3/16/2020 7:00:00 AM',
  },
  {
    name: 'doc: CDate("2021-06-30+08:00")',
    expression: 'CDate("2021-06-30+08:00")',
    expected: '6/29/2021 4:00:00 PM',
  },
  {
    name: 'doc: CDate("2009-06-15T01:45:30-07:00")',
    expression: 'CDate("2009-06-15T01:45:30-07:00")',
    expected: '6/15/2009 8:45:30 AM',
  },
  {
    name: 'its own output format',
    expression: 'CDate("8/25/2021 5:41:18 PM")',
    expected: '8/25/2021 5:41:18 PM',
  },
  { name: 'date only is midnight UTC', expression: 'CDate("2021-08-24")', expected: '8/24/2021 12:00:00 AM' },
  {
    name: 'Z and fractions',
    expression: 'CDate("2021-08-24T10:20:30.1234567Z")',
    expected: '8/24/2021 10:20:30 AM',
  },
  { name: 'month name', expression: 'CDate("June 15, 2009 1:45 PM")', expected: '6/15/2009 1:45:00 PM' },
  {
    name: 'RFC 1123',
    expression: 'CDate("Mon, 15 Jun 2009 20:45:30 GMT")',
    expected: '6/15/2009 8:45:30 PM',
  },
  { name: 'year 9999', expression: 'CDate("9999-12-31")', expected: '12/31/9999 12:00:00 AM' },
  { name: 'null is null', expression: 'CDate([x])', expected: null },
  { name: 'empty is null', expression: 'CDate([x])', attributes: { x: '' }, expected: null },
  { name: 'not a date is an error', expression: 'CDate("next tuesday")', error: 'expression.invalid_date' },
  { name: 'February 30 is an error', expression: 'CDate("2021-02-30")', error: 'expression.invalid_date' },
  {
    name: 'multi-valued, value by value',
    expression: 'CDate([x])',
    attributes: { x: ['2021-01-01', '2021-01-02'] },
    expected: ['1/1/2021 12:00:00 AM', '1/2/2021 12:00:00 AM'],
  },
]);

table('Coalesce', [
  {
    name: 'doc: Coalesce([mail],[userPrincipalName]) with mail NULL',
    expression: 'Coalesce([mail],[userPrincipalName])',
    attributes: { userPrincipalName: 'John.Doe@contoso.com' },
    expected: 'John.Doe@contoso.com',
  },
  {
    name: 'first non-null wins',
    expression: 'Coalesce([a],[b])',
    attributes: { a: 'x', b: 'y' },
    expected: 'x',
  },
  { name: 'all null without default is null', expression: 'Coalesce([a],[b])', expected: null },
  { name: 'all null with default', expression: 'Coalesce([a],[b],"none")', expected: 'none' },
  { name: 'default may be ""', expression: 'Coalesce([a],"")', expected: '' },
  {
    name: 'an empty string is not null',
    expression: 'Coalesce([a],[b])',
    attributes: { a: '', b: 'y' },
    expected: '',
  },
  {
    name: 'an empty multi-valued attribute is null',
    expression: 'Coalesce([a],[b])',
    attributes: { a: [], b: 'y' },
    expected: 'y',
  },
  {
    name: 'multi-valued passes through',
    expression: 'Coalesce([a],[b])',
    attributes: { a: ['1', '2'] },
    expected: ['1', '2'],
  },
]);

table('ConvertToBase64', [
  {
    name: 'doc: ConvertToBase64("Hello world!")',
    expression: 'ConvertToBase64("Hello world!")',
    expected: 'SABlAGwAbABvACAAdwBvAHIAbABkACEA',
  },
  { name: 'outside the BMP (surrogate pair)', expression: 'ConvertToBase64("😀")', expected: 'PdgA3g==' },
  { name: 'empty', expression: 'ConvertToBase64("")', expected: '' },
  { name: 'null', expression: 'ConvertToBase64([x])', expected: null },
]);

table('ConvertToUTF8Hex', [
  {
    name: 'doc: ConvertToUTF8Hex("Hello world!")',
    expression: 'ConvertToUTF8Hex("Hello world!")',
    expected: '48656C6C6F20776F726C6421',
  },
  { name: 'two-byte character, uppercase hex', expression: 'ConvertToUTF8Hex("é")', expected: 'C3A9' },
  { name: 'null', expression: 'ConvertToUTF8Hex([x])', expected: null },
  {
    name: 'multi-valued',
    expression: 'ConvertToUTF8Hex([x])',
    attributes: { x: ['A', 'B'] },
    expected: ['41', '42'],
  },
]);

table('Count', [
  {
    name: 'multi-valued',
    expression: 'Count([proxyAddresses])',
    attributes: { proxyAddresses: ['a', 'b', 'c'] },
    expected: 3,
  },
  { name: 'single value', expression: 'Count([x])', attributes: { x: 'a' }, expected: 1 },
  { name: 'null', expression: 'Count([x])', expected: 0 },
  { name: 'empty string', expression: 'Count([x])', attributes: { x: '' }, expected: 0 },
  { name: 'of Split', expression: 'Count(Split("a,b", ","))', expected: 2 },
]);

table('CStr', [
  {
    name: 'doc: CStr([dn])',
    expression: 'CStr([dn])',
    attributes: { dn: 'cn=Joe,dc=contoso,dc=com' },
    expected: 'cn=Joe,dc=contoso,dc=com',
  },
  { name: 'number', expression: 'CStr(42)', expected: '42' },
  { name: 'decimal', expression: 'CStr(1.5)', expected: '1.5' },
  { name: 'boolean attribute', expression: 'CStr([b])', attributes: { b: true }, expected: 'True' },
  { name: 'a date', expression: 'CStr(CDate("2021-01-02"))', expected: '1/2/2021 12:00:00 AM' },
  { name: 'null', expression: 'CStr([x])', expected: null },
  { name: 'multi-valued', expression: 'CStr([x])', attributes: { x: [1, 2] }, expected: ['1', '2'] },
]);

table('DateAdd', [
  {
    name: 'doc: add 7 days to hire date',
    expression: 'DateAdd("d", 7, CDate([StatusHireDate]))',
    attributes: { StatusHireDate: '2012-03-16-07:00' },
    expected: '3/23/2012 7:00:00 AM',
  },
  {
    name: 'doc: ten days before hire date',
    expression: 'DateAdd("d", -10, CDate([StatusHireDate]))',
    attributes: { StatusHireDate: '2012-03-16-07:00' },
    expected: '3/6/2012 7:00:00 AM',
  },
  {
    name: 'doc: two weeks',
    expression: 'DateAdd("ww", 2, CDate([StatusHireDate]))',
    attributes: { StatusHireDate: '2012-03-16-07:00' },
    expected: '3/30/2012 7:00:00 AM',
  },
  {
    name: 'doc: ten months',
    expression: 'DateAdd("m", 10, CDate([StatusHireDate]))',
    attributes: { StatusHireDate: '2012-03-16-07:00' },
    expected: '1/16/2013 7:00:00 AM',
  },
  {
    name: 'doc: two years',
    expression: 'DateAdd("yyyy", 2, CDate([StatusHireDate]))',
    attributes: { StatusHireDate: '2012-03-16-07:00' },
    expected: '3/16/2014 7:00:00 AM',
  },
  {
    name: 'month end is clamped',
    expression: 'DateAdd("m", 1, CDate("2021-01-31"))',
    expected: '2/28/2021 12:00:00 AM',
  },
  {
    name: 'leap day plus a year',
    expression: 'DateAdd("yyyy", 1, CDate("2020-02-29"))',
    expected: '2/28/2021 12:00:00 AM',
  },
  { name: 'hours', expression: 'DateAdd("h", 25, CDate("2021-01-01"))', expected: '1/2/2021 1:00:00 AM' },
  {
    name: 'minutes and seconds',
    expression: 'DateAdd("s", 90, DateAdd("n", 1, CDate("2021-01-01")))',
    expected: '1/1/2021 12:02:30 AM',
  },
  { name: 'quarters', expression: 'DateAdd("q", 1, CDate("2021-01-15"))', expected: '4/15/2021 12:00:00 AM' },
  {
    name: 'interval codes are case-insensitive (VB)',
    expression: 'DateAdd("D", 1, CDate("2021-01-01"))',
    expected: '1/2/2021 12:00:00 AM',
  },
  {
    name: 'fractional value is truncated',
    expression: 'DateAdd("d", 1.9, CDate("2021-01-01"))',
    expected: '1/2/2021 12:00:00 AM',
  },
  {
    name: 'a date string without CDate',
    expression: 'DateAdd("d", 1, "2021-01-01")',
    expected: '1/2/2021 12:00:00 AM',
  },
  { name: 'Now()', expression: 'DateAdd("d", 1, Now())', expected: '8/26/2021 5:41:18 PM' },
  { name: 'null date is null', expression: 'DateAdd("d", 1, CDate([x]))', expected: null },
  {
    name: 'past year 9999 is an error',
    expression: 'DateAdd("yyyy", 9000, CDate("2021-01-01"))',
    error: 'expression.invalid_date',
  },
  {
    name: 'unknown interval is a compile error',
    expression: 'DateAdd("days", 1, Now())',
    compileError: 'expression.invalid_argument',
  },
  {
    name: 'unknown interval from data is a runtime error',
    expression: 'DateAdd([i], 1, Now())',
    attributes: { i: 'x' },
    error: 'expression.invalid_argument',
  },
]);

const hire = { StatusHireDate: '2012-03-16-07:00' };
table('DateDiff', [
  {
    name: 'doc: positive difference in days',
    expression: 'DateDiff("d", CDate([date1]), CDate([date2]))',
    attributes: { date1: '2021-08-18+08:00', date2: '2021-08-31+08:00' },
    expected: 13,
  },
  {
    name: 'doc: negative difference in days',
    expression: 'DateDiff("d", Now(), CDate([StatusHireDate]))',
    attributes: hire,
    expected: -3449,
  },
  {
    name: 'doc: difference in weeks',
    expression: 'DateDiff("ww", Now(), CDate([StatusHireDate]))',
    attributes: hire,
    expected: -493,
  },
  {
    name: 'doc: difference in months',
    expression: 'DateDiff("m", Now(), CDate([StatusHireDate]))',
    attributes: hire,
    expected: -113,
  },
  {
    name: 'doc: difference in years',
    expression: 'DateDiff("yyyy", Now(), CDate([StatusHireDate]))',
    attributes: hire,
    expected: -9,
  },
  {
    name: 'doc: both dates the same',
    expression: 'DateDiff("d", CDate([date1]), CDate([date2]))',
    attributes: { date1: '2021-08-31+08:00', date2: '2021-08-31+08:00' },
    expected: 0,
  },
  { name: 'doc: hours', expression: 'DateDiff("h", CDate("2021-08-24"), CDate("2021-08-25"))', expected: 24 },
  {
    name: 'doc: minutes',
    expression: 'DateDiff("n", CDate("2021-08-24"), CDate("2021-08-25"))',
    expected: 1440,
  },
  {
    name: 'doc: seconds',
    expression: 'DateDiff("s", CDate("2021-08-24"), CDate("2021-08-25"))',
    expected: 86400,
  },
  {
    name: 'days are elapsed time, truncated',
    expression: 'DateDiff("d", CDate("12/31/2020 11:00 PM"), CDate("1/1/2021 1:00 AM"))',
    expected: 0,
  },
  {
    name: 'years count calendar boundaries',
    expression: 'DateDiff("yyyy", CDate("12/31/2020 11:00 PM"), CDate("1/1/2021 1:00 AM"))',
    expected: 1,
  },
  {
    name: 'quarters count boundaries',
    expression: 'DateDiff("q", CDate("2021-03-31"), CDate("2021-04-01"))',
    expected: 1,
  },
  {
    name: 'weeks start on Sunday',
    expression: 'DateDiff("ww", CDate("2021-08-21"), CDate("2021-08-22"))',
    expected: 1,
  },
  {
    name: '"w" counts whole weeks elapsed',
    expression: 'DateDiff("w", CDate("2021-08-21"), CDate("2021-08-22"))',
    expected: 0,
  },
  { name: 'null date is null', expression: 'DateDiff("d", Now(), CDate([x]))', expected: null },
  {
    name: 'doc: Switch/IIF/DateDiff account status, hire in 3 days',
    expression:
      'Switch([Active], , \n  "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), \n  "0", "False")',
    attributes: { Active: '1', StatusHireDate: '2021-08-28' },
    expected: 'True',
  },
  {
    name: 'doc: Switch/IIF/DateDiff account status, hire in 30 days',
    expression:
      'Switch([Active], , \n  "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), \n  "0", "False")',
    attributes: { Active: '1', StatusHireDate: '2021-09-25' },
    expected: 'False',
  },
  {
    name: 'doc: Switch/IIF/DateDiff account status, inactive',
    expression:
      'Switch([Active], , \n  "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), \n  "0", "False")',
    attributes: { Active: '0' },
    expected: 'False',
  },
]);

table('DateFromNum', [
  {
    name: 'doc: DateFromNum(129699324000000000) is January 1, 2012 at 11:00PM',
    expression: 'DateFromNum(129699324000000000)',
    expected: '1/1/2012 11:00:00 PM',
  },
  {
    name: 'doc: DateFromNum([lastLogonTimestamp]) as a string',
    expression: 'DateFromNum([lastLogonTimestamp])',
    attributes: { lastLogonTimestamp: '129699324000000000' },
    expected: '1/1/2012 11:00:00 PM',
  },
  { name: 'zero is 1601-01-01', expression: 'DateFromNum(0)', expected: '1/1/1601 12:00:00 AM' },
  {
    name: 'accountExpires "never" is out of range',
    expression: 'DateFromNum("9223372036854775807")',
    error: 'expression.invalid_date',
  },
  { name: 'text is a type mismatch', expression: 'DateFromNum("soon")', error: 'expression.type_mismatch' },
  { name: 'null', expression: 'DateFromNum([x])', expected: null },
  {
    name: 'round trip with NumFromDate',
    expression: 'DateFromNum(NumFromDate("2012-01-01T23:00:00Z"))',
    expected: '1/1/2012 11:00:00 PM',
  },
]);

describe('DefaultDomain', () => {
  it('returns the configured domain', () => {
    expect(valueOf('DefaultDomain()', {}, { defaultDomain: 'contoso.com' })).toBe('contoso.com');
  });
  it('is a runtime error when none is configured', () => {
    const outcome = run('Join("@", [mailNickname], DefaultDomain())', { mailNickname: 'a' });
    expect(outcome.kind === 'error' && outcome.error.code).toBe('expression.no_default_domain');
  });
});

table('FormatDateTime', [
  {
    name: 'doc: FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
    expression: 'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
    attributes: { extensionAttribute1: '20150123105347.1Z' },
    expected: '2015-01-23',
  },
  {
    name: 'doc (NumFromDate, Workday): "yyyy-MM-ddzzz" input',
    expression: 'FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd")',
    attributes: { ContractEndDate: '2020-12-31-08:00' },
    expected: '2020-12-31',
  },
  {
    name: 'doc (NumFromDate, SuccessFactors): "M/d/yyyy hh:mm:ss tt" input',
    expression: 'FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")',
    attributes: { endDate: '12/31/2020 11:00:00 PM' },
    expected: '2020-12-31',
  },
  {
    name: 'three-argument form (source, inputFormat, outputFormat)',
    expression: 'FormatDateTime([d], "yyyy-MM-dd", "dd.MM.yyyy")',
    attributes: { d: '2021-08-05' },
    expected: '05.08.2021',
  },
  {
    name: 'names of days and months, 24-hour clock, fractions',
    expression: 'FormatDateTime([d], , "yyyy-MM-dd HH:mm:ss.fff", "dddd, MMMM d, yyyy HH:mm:ss.fff ddd MMM")',
    attributes: { d: '2021-08-05 13:04:05.250' },
    expected: 'Thursday, August 5, 2021 13:04:05.250 Thu Aug',
  },
  {
    name: 'K and zzz write UTC, quoted literals and escapes',
    expression: String.raw`FormatDateTime([d], , "yyyyMMdd", "yyyy-MM-dd'T'HH:mm:ssK zzz \\h 'at' h tt")`,
    attributes: { d: '20210805' },
    expected: '2021-08-05T00:00:00Z +00:00 h at 12 AM',
  },
  {
    name: 'F drops zeros and the dot',
    expression: 'FormatDateTime("2021-08-05 10:00:00", , "yyyy-MM-dd HH:mm:ss", "HH:mm:ss.FFF")',
    expected: '10:00:00',
  },
  {
    name: 'standard format "d" is en-US short date',
    expression: 'FormatDateTime("20150123", , "yyyyMMdd", "d")',
    expected: '1/23/2015',
  },
  {
    name: 'standard format "o" is round trip',
    expression: 'FormatDateTime("20150123", , "yyyyMMdd", "o")',
    expected: '2015-01-23T00:00:00.0000000Z',
  },
  {
    name: 'a DateTime source needs no input format',
    expression: 'FormatDateTime(CDate("2021-08-05"), , "ignored", "yyyy/MM/dd")',
    expected: '2021/08/05',
  },
  {
    name: 'doc (HR guide): DateAdd result through FormatDateTime',
    expression: 'FormatDateTime(DateAdd("yyyy", 5, CDate([StatusHireDate])), , "yyyy-MM-dd", "yyyy-MM-dd")',
    attributes: { StatusHireDate: '2025-01-15' },
    expected: '2030-01-15',
  },
  {
    name: 'leading and trailing white space allowed by default',
    expression: 'FormatDateTime("  20210805 ", , "yyyyMMdd", "yyyy")',
    expected: '2021',
  },
  {
    name: 'style None refuses white space',
    expression: 'FormatDateTime("  20210805", "None", "yyyyMMdd", "yyyy")',
    error: 'expression.invalid_date',
  },
  {
    name: 'offset input is converted to UTC',
    expression: 'FormatDateTime("2021-08-05T23:00:00+08:00", , "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-dd HH:mm")',
    expected: '2021-08-05 15:00',
  },
  {
    name: 'time only takes today (from the clock)',
    expression: 'FormatDateTime("10:30", , "HH:mm", "yyyy-MM-dd HH:mm")',
    expected: '2021-08-25 10:30',
  },
  { name: 'null source is null', expression: 'FormatDateTime([x], , "yyyyMMdd", "yyyy")', expected: null },
  {
    name: 'empty source is null',
    expression: 'FormatDateTime([x], , "yyyyMMdd", "yyyy")',
    attributes: { x: '' },
    expected: null,
  },
  {
    name: 'input not matching the format is an error',
    expression: 'FormatDateTime("2021-08-05", , "yyyyMMdd", "yyyy")',
    error: 'expression.invalid_date',
  },
  {
    name: 'wrong day name is an error',
    expression: 'FormatDateTime("Mon 2021-08-05", , "ddd yyyy-MM-dd", "yyyy")',
    error: 'expression.invalid_date',
  },
  {
    name: 'invalid output format is a compile error',
    expression: 'FormatDateTime([x], , "yyyy", "ffffffff")',
    compileError: 'expression.invalid_argument',
  },
  {
    name: 'unknown style is a compile error',
    expression: 'FormatDateTime([x], "Sometimes", "yyyy", "yyyy")',
    compileError: 'expression.invalid_argument',
  },
  {
    name: 'multi-valued',
    expression: 'FormatDateTime([x], , "yyyyMMdd", "yyyy")',
    attributes: { x: ['20200101', '20210101'] },
    expected: ['2020', '2021'],
  },
]);

describe('Guid', () => {
  it('doc: Guid() is a random GUID in the sample shape', () => {
    expect(valueOf('Guid()')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
  it('comes from the context randomness (reproducible)', () => {
    expect(valueOf('Guid()')).toBe(valueOf('Guid()'));
    expect(valueOf('Guid()', {}, { random: mulberry32(7) })).not.toBe(valueOf('Guid()'));
  });
});

table('IgnoreFlowIfNullOrEmpty', [
  {
    name: 'doc: IgnoreFlowIfNullOrEmpty([department]) with department null',
    expression: 'IgnoreFlowIfNullOrEmpty([department])',
    outcome: 'ignoreAttribute',
  },
  {
    name: 'doc: department empty',
    expression: 'IgnoreFlowIfNullOrEmpty([department])',
    attributes: { department: '' },
    outcome: 'ignoreAttribute',
  },
  {
    name: 'doc: department present flows',
    expression: 'IgnoreFlowIfNullOrEmpty([department])',
    attributes: { department: 'Sales' },
    expected: 'Sales',
  },
  {
    name: 'doc: personalTitle omitted when prefix matches no key',
    expression:
      'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
    attributes: { prefix: '9999' },
    outcome: 'ignoreAttribute',
  },
  {
    name: 'doc: personalTitle from a matching prefix',
    expression:
      'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
    attributes: { prefix: '3444' },
    expected: 'Prof.',
  },
  {
    name: 'empty multi-valued attribute',
    expression: 'IgnoreFlowIfNullOrEmpty([x])',
    attributes: { x: [] },
    outcome: 'ignoreAttribute',
  },
  {
    name: 'doc (HR writeback): hire date in the future drops Username',
    expression:
      'IgnoreFlowIfNullOrEmpty(IIF(DateDiff("d", Now(), CDate([employeeHireDate])) > 0, "", [userPrincipalName]))',
    attributes: { employeeHireDate: '2021-09-15', userPrincipalName: 'future@contoso.com' },
    outcome: 'ignoreAttribute',
  },
  {
    name: 'doc (HR writeback): hire date passed writes the UPN',
    expression:
      'IgnoreFlowIfNullOrEmpty(IIF(DateDiff("d", Now(), CDate([employeeHireDate])) > 0, "", [userPrincipalName]))',
    attributes: { employeeHireDate: '2021-07-15', userPrincipalName: 'user@contoso.com' },
    expected: 'user@contoso.com',
  },
]);

table('IIF', [
  {
    name: 'doc: country USA gives country',
    expression: 'IIF([country]="USA",[country],[department])',
    attributes: { country: 'USA', department: 'Sales' },
    expected: 'USA',
  },
  {
    name: 'doc: other country gives department',
    expression: 'IIF([country]="USA",[country],[department])',
    attributes: { country: 'FR', department: 'Sales' },
    expected: 'Sales',
  },
  {
    name: 'doc: AND by nesting on the true branch',
    expression: 'IIF([country]="USA",IIF([state]="CA","True","False"),"False")',
    attributes: { country: 'USA', state: 'CA' },
    expected: 'True',
  },
  {
    name: 'doc: AND, second condition false',
    expression: 'IIF([country]="USA",IIF([state]="CA","True","False"),"False")',
    attributes: { country: 'USA', state: 'WA' },
    expected: 'False',
  },
  {
    name: 'doc: OR by nesting on the false branch',
    expression: 'IIF([country]="USA","True",IIF([state]="CA","True","False"))',
    attributes: { country: 'FR', state: 'CA' },
    expected: 'True',
  },
  {
    name: 'doc limitation: a null attribute fails the condition (false branch)',
    expression: 'IIF([country]="","Other",[country])',
    expected: null,
  },
  {
    name: 'doc: IIF alternative to Switch on companyName',
    expression: 'IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))',
    attributes: { companyName: 'Company B' },
    expected: 'B',
  },
  {
    name: 'comparison is case-sensitive',
    expression: 'IIF([c]="usa","y","n")',
    attributes: { c: 'USA' },
    expected: 'n',
  },
  {
    name: 'attribute compared with a number is numeric',
    expression: 'IIF([StatusRehire]=1,"y","n")',
    attributes: { StatusRehire: '1' },
    expected: 'y',
  },
  {
    name: 'numbers order numerically',
    expression: 'IIF([n] > 9,"y","n")',
    attributes: { n: '10' },
    expected: 'y',
  },
  {
    name: '<> and <=',
    expression:
      'Join(",", IIF(1 <> 2,"a","b"), IIF(2 <= 2,"c","d"), IIF(3 < 2,"e","f"), IIF(3 >= 4,"g","h"))',
    expected: 'a,c,f,h',
  },
  {
    name: 'dates compare as dates',
    expression: 'IIF(CDate([a]) < Now(),"past","future")',
    attributes: { a: '2021-01-01' },
    expected: 'past',
  },
  {
    name: 'boolean attribute against "True"',
    expression: 'IIF([accountEnabled]="True","on","off")',
    attributes: { accountEnabled: true },
    expected: 'on',
  },
  {
    name: 'multi-valued "=" matches any value',
    expression: 'IIF([groups]="b","in","out")',
    attributes: { groups: ['a', 'b'] },
    expected: 'in',
  },
  {
    name: 'a function returning "True" as condition',
    expression: 'IIF(IsPresent([x]),"y","n")',
    attributes: { x: 'v' },
    expected: 'y',
  },
  {
    name: 'IsNullOrEmpty in the condition works here (unsupported in Entra, used by the HR guide)',
    expression: 'CDate(IIF(IsNullOrEmpty([StatusHireDate]), "9999-01-01", [StatusHireDate]))',
    expected: '1/1/9999 12:00:00 AM',
  },
  { name: 'only the chosen branch runs', expression: 'IIF("1"="1","ok",CDate("bad"))', expected: 'ok' },
  {
    name: 'doc (HR): IgnoreAttributeFlow in the chosen branch',
    expression: 'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) >= 0, [Department], IgnoreAttributeFlow)',
    attributes: { StatusHireDate: '2021-07-15', Department: 'Marketing' },
    outcome: 'ignoreAttribute',
  },
  {
    name: 'doc (HR): department flows once the hire date is reached',
    expression: 'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) >= 0, [Department], IgnoreAttributeFlow)',
    attributes: { StatusHireDate: '2021-09-15', Department: 'Engineering' },
    expected: 'Engineering',
  },
  {
    name: 'doc (HR): IgnoreObjectFlow for objectFilter',
    expression: 'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) <= 14, "False", IgnoreObjectFlow)',
    attributes: { StatusHireDate: '2021-12-15' },
    outcome: 'ignoreObject',
  },
  {
    name: 'doc (HR): objectFilter False within 14 days',
    expression: 'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) <= 14, "False", IgnoreObjectFlow)',
    attributes: { StatusHireDate: '2021-08-30' },
    expected: 'False',
  },
  {
    name: 'a text condition is a type mismatch',
    expression: 'IIF([c],"y","n")',
    attributes: { c: 'USA' },
    error: 'expression.type_mismatch',
  },
  { name: 'a null condition is false', expression: 'IIF([c],"y","n")', expected: 'n' },
]);

table('InStr', [
  {
    name: 'doc: InStr("The quick brown fox","quick")',
    expression: 'InStr("The quick brown fox","quick")',
    expected: 5,
  },
  {
    name: 'doc: InStr("repEated","e",3,vbBinaryCompare)',
    expression: 'InStr("repEated","e",3,vbBinaryCompare)',
    expected: 7,
  },
  { name: 'vbTextCompare ignores case', expression: 'InStr("repEated","e",3,vbTextCompare)', expected: 4 },
  { name: 'compare type as a number', expression: 'InStr("repEated","e",3,1)', expected: 4 },
  { name: 'not found is 0 (as the HR guide tests)', expression: 'InStr("abc","z")', expected: 0 },
  { name: 'start beyond the end is 0', expression: 'InStr("abc","a",9)', expected: 0 },
  { name: 'null searched string is 0', expression: 'InStr([x],"a")', expected: 0 },
  { name: 'empty sought string is the start', expression: 'InStr("abc","",2)', expected: 2 },
  {
    name: 'start below 1 is an error',
    expression: 'InStr("abc","a",0)',
    error: 'expression.invalid_argument',
  },
  {
    name: 'unknown compare type is a compile error',
    expression: 'InStr("abc","a",1,"fuzzy")',
    compileError: 'expression.invalid_argument',
  },
]);

table('IsNull / IsNothing', [
  { name: 'doc: IsNull([displayName]) when absent', expression: 'IsNull([displayName])', expected: 'True' },
  {
    name: 'present',
    expression: 'IsNull([displayName])',
    attributes: { displayName: 'x' },
    expected: 'False',
  },
  {
    name: 'empty string is not null',
    expression: 'IsNull([displayName])',
    attributes: { displayName: '' },
    expected: 'False',
  },
  { name: 'empty multi-valued is null', expression: 'IsNull([x])', attributes: { x: [] }, expected: 'True' },
  { name: 'IsNothing is IsNull', expression: 'IsNothing([x])', expected: 'True' },
]);

table('IsNullOrEmpty', [
  {
    name: 'doc: IsNullOrEmpty([displayName]) when absent',
    expression: 'IsNullOrEmpty([displayName])',
    expected: 'True',
  },
  {
    name: 'doc: empty string',
    expression: 'IsNullOrEmpty([displayName])',
    attributes: { displayName: '' },
    expected: 'True',
  },
  {
    name: 'present',
    expression: 'IsNullOrEmpty([displayName])',
    attributes: { displayName: 'x' },
    expected: 'False',
  },
  { name: 'multi-valued', expression: 'IsNullOrEmpty([x])', attributes: { x: ['a'] }, expected: 'False' },
]);

table('IsPresent', [
  {
    name: 'doc: Switch(IsPresent(…)) manager cascade (no output documented; literal evaluation)',
    expression:
      'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])',
    attributes: { directManager: 'm1' },
    expected: 'm1',
  },
  {
    name: 'doc: Switch(IsPresent([jobTitle]), "DefaultValue", "True", [jobTitle]) with a title',
    expression: 'Switch(IsPresent([jobTitle]), "DefaultValue", "True", [jobTitle])',
    attributes: { jobTitle: 'Engineer' },
    expected: 'Engineer',
  },
  {
    name: 'doc: … without a title gives the default',
    expression: 'Switch(IsPresent([jobTitle]), "DefaultValue", "True", [jobTitle])',
    expected: 'DefaultValue',
  },
  { name: 'empty is not present', expression: 'IsPresent([x])', attributes: { x: '' }, expected: 'False' },
  { name: 'zero is present', expression: 'IsPresent([x])', attributes: { x: 0 }, expected: 'True' },
]);

table('IsString', [
  { name: 'a string', expression: 'IsString([x])', attributes: { x: 'a' }, expected: 'True' },
  { name: 'an empty string', expression: 'IsString([x])', attributes: { x: '' }, expected: 'True' },
  { name: 'null', expression: 'IsString([x])', expected: 'False' },
  { name: 'a number', expression: 'IsString(5)', expected: 'False' },
  { name: 'multi-valued', expression: 'IsString([x])', attributes: { x: ['a'] }, expected: 'False' },
  { name: 'a date', expression: 'IsString(Now())', expected: 'False' },
]);

table('Item', [
  {
    name: 'doc: Item([proxyAddresses], 1) is the first item',
    expression: 'Item([proxyAddresses], 1)',
    attributes: { proxyAddresses: ['SMTP:a@x', 'smtp:b@x'] },
    expected: 'SMTP:a@x',
  },
  {
    name: 'second',
    expression: 'Item([proxyAddresses], 2)',
    attributes: { proxyAddresses: ['SMTP:a@x', 'smtp:b@x'] },
    expected: 'smtp:b@x',
  },
  {
    name: 'doc: index 0 should not be used (null)',
    expression: 'Item([p], 0)',
    attributes: { p: ['a'] },
    expected: null,
  },
  { name: 'past the end is null', expression: 'Item([p], 3)', attributes: { p: ['a'] }, expected: null },
  {
    name: 'single value is a one-item list',
    expression: 'Item([p], 1)',
    attributes: { p: 'a' },
    expected: 'a',
  },
  { name: 'null', expression: 'Item([p], 1)', expected: null },
  { name: 'index as a string', expression: 'Item(Split("a,b,c", ","), "3")', expected: 'c' },
]);

table('Join', [
  {
    name: 'doc: Join(", ", "", [surname], [givenName]) skips the empty value',
    expression: 'Join(", ", "", [surname], [givenName])',
    attributes: { givenName: 'John', surname: 'Doe' },
    expected: 'Doe, John',
  },
  {
    name: 'doc objectId example: literal evaluation (the documented output does not match its GUID)',
    expression: 'Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))',
    attributes: { objectId: '00aa00aa-bb11-cc22-dd33-44ee44ee44ee' },
    expected: '100030306161303061612626231312636332322646433332343465653434656534346565',
  },
  {
    name: 'multi-valued values are joined one by one',
    expression: 'Join(";", [a], [b])',
    attributes: { a: ['1', '2'], b: '3' },
    expected: '1;2;3',
  },
  {
    name: 'nulls are skipped',
    expression: 'Join(".", [a], [b], [c])',
    attributes: { b: 'x' },
    expected: 'x',
  },
  { name: 'all null is empty', expression: 'Join(".", [a], [b])', expected: '' },
  {
    name: 'numbers and booleans',
    expression: 'Join("-", 1, [t])',
    attributes: { t: true },
    expected: '1-True',
  },
  { name: 'null separator is ""', expression: 'Join([sep], "a", "b")', expected: 'ab' },
  {
    name: 'separator from an attribute',
    expression: 'Join([sep], "a", "b", "c")',
    attributes: { sep: '/' },
    expected: 'a/b/c',
  },
  {
    name: 'doc (HR): display name with middle initial',
    expression:
      'Join("", [PreferredLastName], ",", [PreferredFirstName], " ", Mid([PreferredMiddleName],1,1), "-", [WorkerID])',
    attributes: {
      PreferredLastName: 'Johnson',
      PreferredFirstName: 'Sarah',
      PreferredMiddleName: 'Elizabeth',
      WorkerID: '12345',
    },
    expected: 'Johnson,Sarah E-12345',
  },
]);

table('Left', [
  { name: 'doc: Left("John Doe", 3)', expression: 'Left("John Doe", 3)', expected: 'Joh' },
  { name: 'doc: numChars 0 is empty', expression: 'Left("John Doe", 0)', expected: '' },
  { name: 'doc: numChars < 0 is the input', expression: 'Left("John Doe", -1)', expected: 'John Doe' },
  { name: 'doc: null string is empty', expression: 'Left([x], 3)', expected: '' },
  { name: 'doc: shorter string is returned whole', expression: 'Left("Jo", 3)', expected: 'Jo' },
  { name: 'multi-valued', expression: 'Left([x], 1)', attributes: { x: ['ab', 'cd'] }, expected: ['a', 'c'] },
  {
    name: 'non-numeric count is an error',
    expression: 'Left("abc", "x")',
    error: 'expression.type_mismatch',
  },
]);

table('Mid', [
  {
    name: 'doc (Graph): Mid([userPrincipalName], 1, 8)',
    expression: 'Mid([userPrincipalName], 1, 8)',
    attributes: { userPrincipalName: 'johns@contoso.com' },
    expected: 'johns@co',
  },
  { name: 'doc: length past the end runs to the end', expression: 'Mid("John", 2, 10)', expected: 'ohn' },
  {
    name: 'doc (HR): numeric strings as numbers',
    expression: 'Mid([x], "1", "2")',
    attributes: { x: 'Mary' },
    expected: 'Ma',
  },
  { name: 'start past the end is empty', expression: 'Mid("John", 9, 2)', expected: '' },
  { name: 'start 0 is taken as 1', expression: 'Mid("John", 0, 2)', expected: 'Jo' },
  { name: 'length 0 is empty', expression: 'Mid("John", 1, 0)', expected: '' },
  { name: 'null is null', expression: 'Mid([x], 1, 1)', expected: null },
  {
    name: 'multi-valued',
    expression: 'Mid([x], 2, 1)',
    attributes: { x: ['ab', 'cd'] },
    expected: ['b', 'd'],
  },
]);

// The documented table, row by row: each cell is one character, possibly with combining marks.
const DIACRITICS: [string, string][] = [
  ['ä, à, â, ã, å, á, ą, ă, ā, ā́, ā̀, ā̂, ā̃, ǟ, ā̈, ǡ, a̱, å̄', 'a'],
  ['Ä, À, Â, Ã, Å, Á, Ą, Ă, Ā, Ā́, Ā̀, Ā̂, Ā̃, Ǟ, Ā̈, Ǡ, A̱, Å̄', 'A'],
  ['æ, ǣ', 'ae'],
  ['Æ, Ǣ', 'AE'],
  ['ç, č, ć, c̄, c̱', 'c'],
  ['Ç, Č, Ć, C̄, C̱', 'C'],
  ['ď, d̄, ḏ', 'd'],
  ['Ď, D̄, Ḏ', 'D'],
  ['ë, è, é, ê, ę, ě, ė, ē, ḗ, ḕ, ē̂, ē̃, ê̄, e̱, ë̄, e̊̄', 'e'],
  ['Ë, È, É, Ê, Ę, Ě, Ė, Ē, Ḗ, Ḕ, Ē̂, Ē̃, Ê̄, E̱, Ë̄, E̊̄', 'E'],
  ['ğ, ḡ, g̱', 'g'],
  ['Ğ, Ḡ, G̱', 'G'],
  ['ï, î, ì, í, ı, ī, ī́, ī̀, ī̂, ī̃, i̱', 'i'],
  ['Ï, Î, Ì, Í, İ, Ī, Ī́, Ī̀, Ī̂, Ī̃, I̱', 'I'],
  ['ľ, ł, l̄, ḹ, ḻ', 'l'],
  ['Ł, Ľ, L̄, Ḹ, Ḻ', 'L'],
  ['ñ, ń, ň, n̄, ṉ', 'n'],
  ['Ñ, Ń, Ň, N̄, Ṉ', 'N'],
  ['ö, ò, ő, õ, ô, ó, ō, ṓ, ṑ, ō̂, ō̃, ȫ, ō̈, ǭ, ȭ, ȱ, o̱', 'o'],
  ['Ö, Ò, Ő, Õ, Ô, Ó, Ō, Ṓ, Ṑ, Ō̂, Ō̃, Ȫ, Ō̈, Ǭ, Ȭ, Ȱ, O̱', 'O'],
  ['ø, ø̄, œ̄', 'oe'],
  ['Ø, Ø̄, Œ̄', 'OE'],
  ['ř, r̄, ṟ, ṝ', 'r'],
  ['Ř, R̄, Ṟ, Ṝ', 'R'],
  ['ß', 'ss'],
  ['š, ś, ș, ş, s̄, s̱', 's'],
  ['Š, Ś, Ș, Ş, S̄, S̱', 'S'],
  ['ť, ț, t̄, ṯ', 't'],
  ['Ť, Ț, T̄, Ṯ', 'T'],
  ['ü, ù, û, ú, ů, ű, ū, ū́, ū̀, ū̂, ū̃, u̇̄, ǖ, ṻ, ṳ̄, u̱', 'u'],
  ['Ü, Ù, Û, Ú, Ů, Ű, Ū, Ū́, Ū̀, Ū̂, Ū̃, U̇̄, Ǖ, Ṻ, Ṳ̄, U̱', 'U'],
  ['ÿ, ý, ȳ, ȳ́, ȳ̀, ȳ̃, y̱', 'y'],
  ['Ÿ, Ý, Ȳ, Ȳ́, Ȳ̀, Ȳ̃, Y̱', 'Y'],
  ['ź, ž, ż, z̄, ẕ', 'z'],
  ['Ź, Ž, Ż, Z̄, Ẕ', 'Z'],
];

describe('NormalizeDiacritics', () => {
  const cells = DIACRITICS.flatMap(([chars, base]) => chars.split(', ').map((ch) => [ch, base] as const));
  it.each(cells)('doc table: %s → %s', (ch, base) => {
    expect(valueOf('NormalizeDiacritics([x])', { x: `<${ch}>` })).toBe(`<${base}>`);
  });
  table('NormalizeDiacritics cases', [
    {
      name: 'doc: "Zoë" → "Zoe"',
      expression: 'NormalizeDiacritics([givenName])',
      attributes: { givenName: 'Zoë' },
      expected: 'Zoe',
    },
    { name: 'ASCII is unchanged', expression: 'NormalizeDiacritics("John Smith")', expected: 'John Smith' },
    {
      name: 'other scripts are unchanged',
      expression: 'NormalizeDiacritics("Йошкар-Ола ά")',
      expected: 'Йошкар-Ола ά',
    },
    {
      name: 'decomposed input',
      expression: 'NormalizeDiacritics([x])',
      attributes: { x: 'Zoe\u0308' },
      expected: 'Zoe',
    },
    {
      name: 'doc (HR guide) lower-cases without ToLower: literal evaluation keeps the case',
      expression:
        'Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com")',
      attributes: { PreferredFirstName: 'María', PreferredLastName: 'José González' },
      expected: 'Maria.JoseGonzalez@contoso.com',
    },
    { name: 'null', expression: 'NormalizeDiacritics([x])', expected: null },
    {
      name: 'multi-valued',
      expression: 'NormalizeDiacritics([x])',
      attributes: { x: ['é', 'ñ'] },
      expected: ['e', 'n'],
    },
  ]);
});

table('Not', [
  {
    name: 'doc (Salesforce): Not([IsSoftDeleted]) with "False"',
    expression: 'Not([IsSoftDeleted])',
    attributes: { IsSoftDeleted: 'False' },
    expected: 'True',
  },
  {
    name: 'doc: True gives False',
    expression: 'Not([IsSoftDeleted])',
    attributes: { IsSoftDeleted: 'True' },
    expected: 'False',
  },
  {
    name: 'lower-case "false" (as Graph test input sends)',
    expression: 'Not([IsSoftDeleted])',
    attributes: { IsSoftDeleted: 'false' },
    expected: 'True',
  },
  {
    name: 'boolean attribute',
    expression: 'Not([IsSoftDeleted])',
    attributes: { IsSoftDeleted: true },
    expected: 'False',
  },
  { name: 'doc: anything else gives True (null)', expression: 'Not([IsSoftDeleted])', expected: 'True' },
  { name: 'doc: anything else gives True (text)', expression: 'Not("maybe")', expected: 'True' },
  { name: 'a comparison', expression: 'Not(1 = 1)', expected: 'False' },
]);

table('Now', [
  { name: 'doc: M/d/yyyy h:mm:ss tt of the clock', expression: 'Now()', expected: '8/25/2021 5:41:18 PM' },
  {
    name: 'doc sample "7/2/2021 3:33:38 PM"',
    expression: 'Now()',
    now: new Date('2021-07-02T15:33:38Z'),
    expected: '7/2/2021 3:33:38 PM',
  },
  {
    name: 'midnight is 12 AM',
    expression: 'Now()',
    now: new Date('2021-07-02T00:05:00Z'),
    expected: '7/2/2021 12:05:00 AM',
  },
  {
    name: 'noon is 12 PM',
    expression: 'Now()',
    now: new Date('2021-07-02T12:00:09Z'),
    expected: '7/2/2021 12:00:09 PM',
  },
]);

table('NumFromDate', [
  {
    name: 'doc (Workday): ContractEndDate to accountExpires',
    expression:
      'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))',
    attributes: { ContractEndDate: '2020-12-31-08:00' },
    expected: '132539615990000000',
  },
  {
    name: 'doc (SuccessFactors): endDate to accountExpires',
    expression:
      'NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))',
    attributes: { endDate: '12/31/2020 11:00:00 PM' },
    expected: '132539615990000000',
  },
  {
    name: 'doc (HR guide) "T23:59:59-08:00": literal evaluation (the guide\'s 133835135990000000 is wrong)',
    expression:
      'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), "T23:59:59-08:00"))',
    attributes: { ContractEndDate: '2025-12-31-08:00' },
    expected: '134117279990000000',
  },
  {
    name: "doc (HR guide) five years after hire: literal evaluation (the guide's 139418879990000000 is wrong)",
    expression:
      'NumFromDate(Join("",FormatDateTime(DateAdd("yyyy", 5, CDate([StatusHireDate])), , "yyyy-MM-dd", "yyyy-MM-dd")," 23:59:59-05:00"))',
    attributes: { StatusHireDate: '2025-01-15' },
    expected: '135392435990000000',
  },
  { name: 'a DateTime value', expression: 'NumFromDate(CDate("1601-01-01"))', expected: '0' },
  { name: 'null is null', expression: 'NumFromDate([x])', expected: null },
  {
    name: "absent end date leaves only the time: an error, never today's date",
    expression:
      'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))',
    error: 'expression.invalid_date',
  },
]);

table('PCase', [
  {
    name: 'doc: PCase([firstName]) "PABLO GONSALVES (SECOND)"',
    expression: 'PCase([firstName])',
    attributes: { firstName: 'PABLO GONSALVES (SECOND)' },
    expected: 'Pablo Gonsalves (Second)',
  },
  {
    name: 'doc: PCase([lastName]," \'-") "PINTO-DE\'SILVA"',
    expression: 'PCase([lastName]," \'-")',
    attributes: { lastName: "PINTO-DE'SILVA" },
    expected: "Pinto-De'Silva",
  },
  {
    name: 'doc: PCase(Join(" ",[firstName],[lastName]))',
    expression: 'PCase(Join(" ",[firstName],[lastName]))',
    attributes: { firstName: 'GREGORY', lastName: 'JAMES' },
    expected: 'Gregory James',
  },
  {
    name: 'default separators include the apostrophe',
    expression: 'PCase("st john\'s hospital")',
    expected: "St John'S Hospital",
  },
  {
    name: 'doc (HR): Replace(PCase(…),"\'S", , ,"\'s", , )',
    expression: 'Replace(PCase("st john\'s hospital"),"\'S", , ,"\'s", , )',
    expected: "St John's Hospital",
  },
  {
    name: 'only the given separators',
    expression: 'PCase("anne-marie o\'neil", " ")',
    expected: "Anne-marie O'neil",
  },
  { name: 'empty separator set: one word', expression: 'PCase("hello world", "")', expected: 'Hello world' },
  { name: 'null', expression: 'PCase([x])', expected: null },
  {
    name: 'multi-valued',
    expression: 'PCase([x])',
    attributes: { x: ['ab cd', 'EF'] },
    expected: ['Ab Cd', 'Ef'],
  },
]);

describe('RandomString', () => {
  const count = (s: string, re: RegExp): number => [...s].filter((ch) => re.test(ch)).length;
  it('doc: RandomString(6,3,0,0,3) has 3 digits and 3 lower-case letters', () => {
    const s = valueOf('RandomString(6,3,0,0,3)') as string;
    expect(s).toHaveLength(6);
    expect(count(s, /[0-9]/)).toBe(3);
    expect(count(s, /[a-z]/)).toBe(3);
  });
  it('doc: RandomString(10,2,2,2,1,"?,") meets the minimums and avoids ? and ,', () => {
    for (let seed = 0; seed < 200; seed++) {
      const s = valueOf('RandomString(10,2,2,2,1,"?,")', {}, { random: mulberry32(seed) }) as string;
      expect(s).toHaveLength(10);
      expect(count(s, /[0-9]/)).toBeGreaterThanOrEqual(2);
      expect(count(s, /[A-Z]/)).toBeGreaterThanOrEqual(2);
      expect(count(s, /[a-z]/)).toBeGreaterThanOrEqual(1);
      expect(count(s, /[^0-9A-Za-z]/)).toBeGreaterThanOrEqual(2);
      expect(s).not.toMatch(/[?,]/);
    }
  });
  it('no special characters unless asked for', () => {
    for (let seed = 0; seed < 50; seed++) {
      expect(valueOf('RandomString(20,1,0,1,1)', {}, { random: mulberry32(seed) })).toMatch(
        /^[0-9A-Za-z]{20}$/,
      );
    }
  });
  it('is reproducible from the context randomness', () => {
    expect(valueOf('RandomString(12,2,2,2,2)')).toBe(valueOf('RandomString(12,2,2,2,2)'));
  });
  it.each([
    ['RandomString(257,0,0,0,0)', 'more than 256'],
    ['RandomString(3,2,2,0,0)', 'minimums above the length'],
    ['RandomString(3,-1,0,0,0)', 'negative'],
  ])('%s is a compile error (%s)', (expression) => {
    const result = parseExpression(expression);
    expect(result.ok ? null : result.error.code).toBe('expression.invalid_argument');
  });
  it('counts from data are checked at run time', () => {
    const outcome = run('RandomString([n],0,0,0,0)', { n: '999' });
    expect(outcome.kind === 'error' && outcome.error.code).toBe('expression.invalid_argument');
  });
  it('a class that is entirely avoided is an error', () => {
    const outcome = run('RandomString(2,1,0,0,0,"0123456789")');
    expect(outcome.kind === 'error' && outcome.error.code).toBe('expression.invalid_argument');
  });
});

describe('Redact', () => {
  it.each([
    ['doc: Redact([userPrincipalName])', 'Redact([userPrincipalName])', 'john@contoso.com'],
    ['doc: Redact("StringToBeRedacted")', 'Redact("StringToBeRedacted")', 'StringToBeRedacted'],
  ])('%s keeps the value and marks it redacted', (_name, expression, expected) => {
    expect(run(expression, { userPrincipalName: 'john@contoso.com' })).toEqual({
      kind: 'value',
      value: expected,
      redacted: true,
    });
  });
  it('doc: Redact(RandomString(6,3,0,0,3))', () => {
    const outcome = run('Redact(RandomString(6,3,0,0,3))');
    expect(outcome.kind === 'value' && outcome.redacted).toBe(true);
    expect(outcome.kind === 'value' && outcome.value).toMatch(/^[0-9a-z]{6}$/);
  });
  it('nested inside another function still marks the result', () => {
    expect(run('Join("/", Redact([a]), "x")', { a: 's' })).toEqual({
      kind: 'value',
      value: 's/x',
      redacted: true,
    });
  });
  it('a branch not taken does not mark it', () => {
    expect(run('IIF(1=1, "a", Redact("b"))')).toEqual({ kind: 'value', value: 'a', redacted: false });
  });
  it('null stays null, still redacted', () => {
    expect(run('Redact([x])')).toEqual({ kind: 'value', value: null, redacted: true });
  });
});

table('RemoveDuplicates', [
  {
    name: 'doc: RemoveDuplicates([proxyAddresses])',
    expression: 'RemoveDuplicates([proxyAddresses])',
    attributes: { proxyAddresses: ['smtp:a@x', 'smtp:b@x', 'smtp:a@x'] },
    expected: ['smtp:a@x', 'smtp:b@x'],
  },
  {
    name: 'case-sensitive (SMTP: primary vs smtp: secondary)',
    expression: 'RemoveDuplicates([p])',
    attributes: { p: ['SMTP:a@x', 'smtp:a@x'] },
    expected: ['SMTP:a@x', 'smtp:a@x'],
  },
  {
    name: 'single value unchanged',
    expression: 'RemoveDuplicates([p])',
    attributes: { p: 'a' },
    expected: 'a',
  },
  { name: 'null', expression: 'RemoveDuplicates([p])', expected: null },
  { name: 'of Split', expression: 'RemoveDuplicates(Split("a,b,a,c,b", ","))', expected: ['a', 'b', 'c'] },
]);

table('Replace', [
  {
    name: 'doc 1: oldValue + replacementValue',
    expression: 'Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )',
    attributes: { BusinessTitle: 'Product Developer' },
    expected: 'Software Engineer',
  },
  {
    name: 'doc 2: oldValue + template',
    expression: 'Replace([UserID],"<username>", , , , , "<username>@contoso.com")',
    attributes: { UserID: 'jsmith' },
    expected: 'jsmith@contoso.com',
  },
  {
    name: 'doc 3: regex + ${phoneNumber}',
    expression: String.raw`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${group('phoneNumber')}", , )`,
    attributes: { telephoneNumber: '+91 9998887777' },
    expected: '9998887777',
  },
  {
    name: 'doc 3b: mobile digits — literal evaluation keeps "+" (the doc output drops it)',
    expression: String.raw`Replace([mobile], , "[()\\s-]+", , "", , )`,
    attributes: { mobile: '+1 (999) 888-7777' },
    expected: '+19998887777',
  },
  {
    name: 'doc 4: regex + group + replacementValue (street number)',
    expression: String.raw`Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )`,
    attributes: { AddressLineData: '545 Tremont Street' },
    expected: '888 Tremont Street',
  },
  {
    name: 'doc 4b: regex + group + "" (UPN suffix)',
    expression: 'Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )',
    attributes: { userPrincipalName: 'jsmith@contoso.com' },
    expected: 'jsmith',
  },
  {
    name: 'doc 5: regex + group + replacementAttributeName with empty source',
    expression: String.raw`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`,
    attributes: { telephoneNumber: '', mobile: '+91 8887779999' },
    expected: '8887779999',
  },
  {
    name: 'doc 5: source with a value is returned',
    expression: String.raw`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`,
    attributes: { telephoneNumber: '+1 5550001111', mobile: '+91 8887779999' },
    expected: '+1 5550001111',
  },
  {
    name: 'doc 6: remove letters and underscores',
    expression: 'Replace([mailNickname], , "[a-zA-Z_]*", , "", , )',
    attributes: { mailNickname: 'john_doe72' },
    expected: '72',
  },
  {
    name: 'doc: strip a known domain',
    expression: 'Replace([mail], "@contoso.com", , ,"", ,)',
    attributes: { mail: 'john.doe@contoso.com' },
    expected: 'john.doe',
  },
  {
    name: 'doc (Graph parseExpression): "-" → "_"',
    expression: 'Replace([preferredLanguage], "-", , , "_", ,  )',
    attributes: { preferredLanguage: 'EN-US' },
    expected: 'EN_US',
  },
  {
    name: 'doc (HR): last name from PreferredNameData',
    expression: String.raw`Replace([PreferredNameData], , "(?<firstName>[a-zA-Z]+ )(?<lastName>[a-zA-Z]+)", ,"${group('lastName')}", ,)`,
    attributes: { PreferredNameData: 'John Smith' },
    expected: 'Smith',
  },
  {
    name: 'doc (HR): leading zeros',
    expression: String.raw`Replace([WorkerID], , "(?<leadingZeros>^0+)(?<actualValue>[a-zA-Z0-9]+)", , "${group('actualValue')}", ,)`,
    attributes: { WorkerID: '00012345' },
    expected: '12345',
  },
  {
    name: 'doc (HR): hereditary suffix',
    expression: String.raw`Join(" ",Replace([HereditarySuffix], ,"(?<CountryISOCode>.*)_(?<suffix1>.*)_(?<suffix2>.*)[0-9]", ,"${group('suffix1')} ${group('suffix2')}", , ),[PreferredLastName])`,
    attributes: { HereditarySuffix: 'NLD_Van_der3', PreferredLastName: 'Hof' },
    expected: 'Van der Hof',
  },
  {
    name: 'doc (HR): international phone number',
    expression: String.raw`Replace(Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>.*)", , "${group('phoneNumber')}", , ), ,"[()\\s-]+", ,"", , )`,
    attributes: { telephoneNumber: '+1 737-626-8331' },
    expected: '7376268331',
  },
  {
    name: 'doc (HR): country from the ISD code — literal evaluation is the default "USA": the isdCode group captures "44 " with its space (the guide says GBR)',
    expression: String.raw`Switch(Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>.*)", , "${group('isdCode')}", , ), "USA",
  "1", "USA",
  "44", "GBR",
  "49", "DEU"
)`,
    attributes: { telephoneNumber: '+44 20 7946 0958' },
    expected: 'USA',
  },
  {
    name: 'doc (HR): Teams number with a single-backslash pattern',
    expression: String.raw`Switch(Replace([telephoneNumber], , "\+(?<isdCode>49|44|43|1|352|91|31|32|55|237|420|45|20|212|216|234|263|27|30|33|34|351|352|36|372|380|381|383|39|40|41|421|46|47|48|58|60|7|90|91|92|94|961|971|98|995)(?<phoneNumber>.*)", , "${group('isdCode')}", , ), , "43", "AUT", "32", "BEL", "1", "USA", "420", "CZE", "45", "DNK", "372", "EST", "33", "FRA", "49", "GER", "30", "GRC", "36", "HUN", "91", "IND", "39", "ITA", "352", "LUX", "31", "NLD", "47", "NOR", "48", "POL", "40", "ROU", "421", "SVK", "27", "ZAF", "34", "ESP", "46", "SWE", "41", "CHE", "90", "TUR")`,
    attributes: { telephoneNumber: '+919876543210' },
    expected: 'IND',
  },
  {
    name: 'doc (HR): extension',
    expression: String.raw`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>.* )[x](?<extension>.*)", , "${group('extension')}", , )`,
    attributes: { telephoneNumber: '+1 (206) 291-8163 x8125' },
    expected: '8125',
  },
  {
    name: 'doc (HR): sAMAccountName — literal evaluation (the guide lower-cases and drops "-")',
    expression: String.raw`Replace(Mid(Replace(NormalizeDiacritics(StripSpaces(Join("", Mid([FirstName],1,1), [LastName]))), , "([\\/\\\\\\[\\]\\:\\;\\|\\=\\,\\+\\*\\?\\<\\>])", , "", , ), 1, 20), , "(\\.)*$", , "", , )`,
    attributes: { FirstName: 'María José', LastName: 'González-López' },
    expected: 'MGonzalez-Lopez',
  },
  {
    name: 'doc (HR): quotes and commas removed',
    expression: String.raw`Join("@", Replace(NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), , "[\"',]+", , "", , ), "contoso.com")`,
    attributes: { PreferredFirstName: 'Mary-Ann', PreferredLastName: "O'Connor" },
    expected: 'Mary-Ann.OConnor@contoso.com',
  },
  { name: 'case-sensitive', expression: 'Replace("Aaa", "a", , , "b", , )', expected: 'Abb' },
  {
    name: 'replacement text is not a pattern',
    expression: 'Replace("a.b", ".", , , "$&", , )',
    expected: 'a$&b',
  },
  {
    name: ".NET (?'name'…) groups",
    expression: String.raw`Replace("ab12", , "(?'digits'\\d+)", , "<${group('digits')}>", , )`,
    expected: 'ab<12>',
  },
  {
    name: '$1 and $$',
    expression: String.raw`Replace("ab12", , "(\\d)(\\d)", , "$2$1$$", , )`,
    expected: 'ab21$',
  },
  {
    name: 'unknown ${group} stays literal, as in .NET',
    expression: String.raw`Replace("ab", , "a", , "${group('nope')}", , )`,
    expected: '${nope}b',
  },
  { name: 'leading (?i) option', expression: 'Replace("ABC", , "(?i)b", , "x", , )', expected: 'AxC' },
  { name: 'null source is null', expression: 'Replace([x], "a", , , "b", , )', expected: null },
  { name: 'null replacement is ""', expression: 'Replace("abc", "b", , , [r], , )', expected: 'ac' },
  {
    name: 'multi-valued, value by value',
    expression: 'Replace([x], "@old.com", , , "@new.com", , )',
    attributes: { x: ['a@old.com', 'b@old.com'] },
    expected: ['a@new.com', 'b@new.com'],
  },
  {
    name: 'template with null source is null',
    expression: 'Replace([UserID],"<u>", , , , , "<u>@x")',
    expected: null,
  },
  {
    name: 'replacementAttributeName as a quoted attribute name',
    expression: String.raw`Replace([t], , "(?<n>\\d+)", "n", , "mobile", )`,
    attributes: { mobile: 'x 42' },
    expected: '42',
  },
  {
    name: 'pattern from data',
    expression: 'Replace("a1b2", , [p], , "", , )',
    attributes: { p: '[0-9]' },
    expected: 'ab',
  },
  {
    name: 'invalid pattern from data is a runtime error',
    expression: 'Replace("a", , [p], , "", , )',
    attributes: { p: '(' },
    error: 'expression.invalid_regex',
  },
  {
    name: 'invalid constant pattern is a compile error',
    expression: 'Replace([x], , "([a-z]", , "", , )',
    compileError: 'expression.invalid_regex',
  },
  {
    name: 'unknown group is a compile error',
    expression: 'Replace([x], , "(?<a>x)", "b", "", , )',
    compileError: 'expression.invalid_regex',
  },
  {
    name: 'atomic group is refused',
    expression: 'Replace([x], , "(?>a)", , "", , )',
    compileError: 'expression.invalid_regex',
  },
  {
    name: 'oldValue and regexPattern together',
    expression: 'Replace([x], "a", "b", , "", , )',
    compileError: 'expression.invalid_argument',
  },
  {
    name: 'oldValue without replacement or template',
    expression: 'Replace([x], "a", , , , , )',
    compileError: 'expression.invalid_argument',
  },
  {
    name: 'neither oldValue nor regexPattern',
    expression: 'Replace([x], , , , "a", , )',
    compileError: 'expression.invalid_argument',
  },
]);

describe('SelectUniqueValue', () => {
  const upn =
    'SelectUniqueValue( \n' +
    '    Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"), \n' +
    '    Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"),\n' +
    '    Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")\n' +
    ')';
  const person = { PreferredFirstName: 'John', PreferredLastName: 'Smith' };
  const taken =
    (...values: string[]) =>
    (value: string) =>
      !values.includes(value);
  it.each([
    ['doc: John.Smith@contoso.com when free', [], 'John.Smith@contoso.com'],
    ['doc: J.Smith@contoso.com when the first exists', ['John.Smith@contoso.com'], 'J.Smith@contoso.com'],
    [
      'doc: Jo.Smith@contoso.com when both exist',
      ['John.Smith@contoso.com', 'J.Smith@contoso.com'],
      'Jo.Smith@contoso.com',
    ],
  ])('%s', (_name, existing, expected) => {
    expect(valueOf(upn, person, { isValueUnique: taken(...existing) })).toBe(expected);
  });
  it('all taken is the escrow error', () => {
    const outcome = run(upn, person, { isValueUnique: () => false });
    expect(outcome.kind === 'error' && outcome.error.code).toBe('expression.no_unique_value');
  });
  it('skips empty candidates without asking', () => {
    const asked: string[] = [];
    const value = valueOf(
      'SelectUniqueValue([a], [b])',
      { b: 'x' },
      { isValueUnique: (v) => (asked.push(v), true) },
    );
    expect([value, asked]).toEqual(['x', ['x']]);
  });
  it('without a uniqueness port, the first candidate', () => {
    expect(valueOf(upn, person)).toBe('John.Smith@contoso.com');
  });
  it('is refused when nested', () => {
    const result = parseExpression('ToLower(SelectUniqueValue([a], [b]))');
    expect(result.ok ? null : result.error).toMatchObject({
      code: 'expression.nested_select_unique_value',
      start: 8,
      end: 25,
    });
  });
  it('needs two rules', () => {
    const result = parseExpression('SelectUniqueValue([a])');
    expect(result.ok ? null : result.error.code).toBe('expression.arity');
  });
  it('an async port passed to the sync evaluator is an error, not a wrong answer', () => {
    const outcome = run(upn, person, {
      isValueUnique: (() => Promise.resolve(true)) as unknown as (v: string) => boolean,
    });
    expect(outcome.kind === 'error' && outcome.error.code).toBe('expression.async_port');
  });
});

table('Split', [
  {
    name: 'doc: Split([extensionAttribute5], ",") — literal evaluation keeps the space (the doc output trims it)',
    expression: 'Split([extensionAttribute5], ",")',
    attributes: { extensionAttribute5: 'PermissionSetOne, PermissionSetTwo' },
    expected: ['PermissionSetOne', ' PermissionSetTwo'],
  },
  {
    name: 'doc (HR): proxyAddresses built with Join and Split',
    expression: `Split(
    Join(",",
        Append("smtp:", Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.mail.onmicrosoft.com")),
        Append("SMTP:", Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"))
    ), ","
)`,
    attributes: { PreferredFirstName: 'michael', PreferredLastName: 'brown' },
    expected: ['smtp:michael.brown@contoso.mail.onmicrosoft.com', 'SMTP:michael.brown@contoso.com'],
  },
  { name: 'empty parts are kept', expression: 'Split("a,,b", ",")', expected: ['a', '', 'b'] },
  { name: 'multi-character delimiter', expression: 'Split("a::b", "::")', expected: ['a', 'b'] },
  { name: 'default delimiter is ","', expression: 'Split("a,b")', expected: ['a', 'b'] },
  { name: 'null', expression: 'Split([x], ",")', expected: null },
  { name: 'empty string is no values', expression: 'Split("", ",")', expected: null },
  {
    name: 'multi-valued input is flattened',
    expression: 'Split([x], ",")',
    attributes: { x: ['a,b', 'c'] },
    expected: ['a', 'b', 'c'],
  },
]);

table('StripSpaces', [
  { name: 'removes all spaces', expression: 'StripSpaces(" John  Smith ")', expected: 'JohnSmith' },
  {
    name: 'only U+0020',
    expression: 'StripSpaces([x])',
    attributes: { x: 'a\tb\u00a0c' },
    expected: 'a\tb\u00a0c',
  },
  { name: 'null', expression: 'StripSpaces([x])', expected: null },
  {
    name: 'multi-valued',
    expression: 'StripSpaces([x])',
    attributes: { x: ['a b', 'c d'] },
    expected: ['ab', 'cd'],
  },
]);

table('Switch', [
  {
    name: 'doc: Switch([state], …) "QLD"',
    expression:
      'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
    attributes: { state: 'QLD' },
    expected: 'Australia/Brisbane',
  },
  {
    name: 'doc: no match gives the default',
    expression:
      'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
    attributes: { state: 'VIC' },
    expected: 'Australia/Sydney',
  },
  {
    name: 'doc: case-sensitive, "qld" does not match',
    expression: 'Switch([state], "d", "QLD", "B")',
    attributes: { state: 'qld' },
    expected: 'd',
  },
  {
    name: 'doc: Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")',
    expression: 'Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")',
    attributes: { statusFlag: 'TRUE' },
    expected: '1',
  },
  {
    name: 'doc: Switch([statusFlag], "Default Value", "true", "1", "", "0") empty → "0"',
    expression: 'Switch([statusFlag], "Default Value", "true", "1", "", "0")',
    attributes: { statusFlag: '' },
    expected: '0',
  },
  {
    name: 'doc: … and absent → "0"',
    expression: 'Switch([statusFlag], "Default Value", "true", "1", "", "0")',
    expected: '0',
  },
  {
    name: 'doc: Switch([country],[country],"","Other") empty',
    expression: 'Switch([country],[country],"","Other")',
    expected: 'Other',
  },
  {
    name: 'doc: Switch([country],[country],"","Other") present',
    expression: 'Switch([country],[country],"","Other")',
    attributes: { country: 'NZ' },
    expected: 'NZ',
  },
  {
    name: 'doc: switch([companyName], "External", "Company A", "A", "Company B", "B")',
    expression: 'Switch([companyName], "External", "Company A", "A", "Company B", "B")',
    attributes: { companyName: 'Company A' },
    expected: 'A',
  },
  {
    name: 'doc (HR): Switch([Active], , "1", "False", "0", "True")',
    expression: 'Switch([Active], , "1", "False", "0", "True")',
    attributes: { Active: '0' },
    expected: 'True',
  },
  {
    name: 'omitted default and no match is null',
    expression: 'Switch([Active], , "1", "False", "0", "True")',
    attributes: { Active: '7' },
    expected: null,
  },
  {
    name: 'doc (HR): country naming convention',
    expression: `Switch([CountryReferenceTwoLetter], 
    Join(" ", [PreferredFirstName], [PreferredLastName]),  
    "HU", Join(",", [PreferredLastName], [PreferredFirstName]), 
    "JP", Join(",", [PreferredLastName], [PreferredFirstName]), 
    "KR", Join(",", [PreferredLastName], [PreferredFirstName])
)`,
    attributes: {
      CountryReferenceTwoLetter: 'JP',
      PreferredFirstName: 'Hiroshi',
      PreferredLastName: 'Tanaka',
    },
    expected: 'Tanaka,Hiroshi',
  },
  { name: 'first duplicate key wins', expression: 'Switch("a", "d", "a", "1", "a", "2")', expected: '1' },
  {
    name: 'numeric key matches numeric text',
    expression: 'Switch([n], "d", 1, "one")',
    attributes: { n: '1' },
    expected: 'one',
  },
  {
    name: 'a hex key is its value',
    expression: 'Switch([n], "d", &HF, "fifteen")',
    attributes: { n: '15' },
    expected: 'fifteen',
  },
  {
    name: 'keys from attributes',
    expression: 'Switch([x], "d", [k], "hit")',
    attributes: { x: 'v', k: 'v' },
    expected: 'hit',
  },
  {
    name: 'boolean source compares as "True"',
    expression: 'Switch([b], "d", "True", "yes")',
    attributes: { b: true },
    expected: 'yes',
  },
  {
    name: 'only the matching value is evaluated',
    expression: 'Switch("a", CDate("bad"), "a", "ok")',
    expected: 'ok',
  },
  {
    name: 'an odd key/value list is an arity error',
    expression: 'Switch([x], "d", "a")',
    compileError: 'expression.arity',
  },
]);

table('ToLower / ToUpper', [
  {
    name: 'doc: ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".", …))), "contoso.com"))',
    expression:
      'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))',
    attributes: { PreferredFirstName: 'John', PreferredLastName: 'Smith' },
    expected: 'john.smith@contoso.com',
  },
  {
    name: 'doc (HR): ToLower username with diacritics',
    expression:
      'ToLower(NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))))',
    attributes: { PreferredFirstName: 'José', PreferredLastName: 'García-López' },
    expected: 'jose.garcia-lopez',
  },
  { name: 'ToUpper', expression: 'ToUpper("abc")', expected: 'ABC' },
  { name: 'invariant ToUpper keeps ß', expression: 'ToUpper("straße")', expected: 'STRAßE' },
  { name: 'invariant ToLower maps İ to i', expression: 'ToLower("İSTANBUL")', expected: 'istanbul' },
  { name: 'invariant ToLower has no final-sigma rule', expression: 'ToLower("ΟΔΟΣ")', expected: 'οδοσ' },
  { name: 'culture tr-TR', expression: 'ToUpper("istanbul", "tr-TR")', expected: 'İSTANBUL' },
  { name: 'empty culture is invariant', expression: 'ToUpper("i", "")', expected: 'I' },
  { name: 'null', expression: 'ToLower([x])', expected: null },
  { name: 'multi-valued', expression: 'ToLower([x])', attributes: { x: ['A', 'B'] }, expected: ['a', 'b'] },
  {
    name: 'unknown culture is a compile error',
    expression: 'ToLower([x], "xx-!!")',
    compileError: 'expression.invalid_argument',
  },
]);

table('Word', [
  {
    name: 'doc: Word("The quick brown fox",3," ")',
    expression: 'Word("The quick brown fox",3," ")',
    expected: 'brown',
  },
  {
    name: 'doc: Word("This,string!has&many separators",3,",!&#")',
    expression: 'Word("This,string!has&many separators",3,",!&#")',
    expected: 'has',
  },
  { name: 'doc: number < 1 is empty', expression: 'Word("a b", 0, " ")', expected: '' },
  { name: 'doc: null is empty', expression: 'Word([x], 1, " ")', expected: '' },
  { name: 'doc: fewer words is empty', expression: 'Word("a b", 3, " ")', expected: '' },
  { name: 'consecutive delimiters make no empty words', expression: 'Word("a  b", 2, " ")', expected: 'b' },
  {
    name: 'no delimiter found: the whole string is word 1',
    expression: 'Word("abc", 1, ",")',
    expected: 'abc',
  },
  {
    name: 'multi-valued',
    expression: 'Word([x], 2, " ")',
    attributes: { x: ['a b', 'c d'] },
    expected: ['b', 'd'],
  },
]);
