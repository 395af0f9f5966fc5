import { describe, expect, it } from 'vitest';
import { lineAndColumn } from './errors.js';
import {
  evaluateExpression,
  functionCatalog,
  parseExpression,
  printExpression,
  toAttributeMappingSource,
  type EvaluationContext,
  type ExpressionValue,
  type ParseResult,
} from './index.js';

// Random and mutated inputs: the parser must answer every one with a result or a positioned
// error, quickly; whatever compiles must evaluate without throwing and print back to itself.

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

type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

/** Per input; generous for a loaded CI machine, far below anything that "hangs". */
const TIME_LIMIT_MS = 250;

const ERROR_CODES = new Set([
  'expression.syntax',
  'expression.unknown_function',
  'expression.unknown_identifier',
  'expression.arity',
  'expression.unterminated_string',
  'expression.unbalanced',
  'expression.too_long',
  'expression.too_deep',
  'expression.empty',
  'expression.invalid_regex',
  'expression.invalid_argument',
  'expression.nested_select_unique_value',
]);

const DOCUMENTED = [
  'Append([userPrincipalName], ".test")',
  'Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))',
  'BitAnd(&HF, &HF7)',
  'CBool([attribute1] = [attribute2])',
  'CDate([StatusHireDate])',
  'CDate("2009-06-15T01:45:30-07:00")',
  'Coalesce([mail],[userPrincipalName])',
  'ConvertToBase64("Hello world!")',
  'ConvertToUTF8Hex("Hello world!")',
  'CStr([dn])',
  'DateAdd("d", 7, CDate([StatusHireDate]))',
  'DateDiff("d", Now(), CDate([StatusHireDate]))',
  'Switch([Active], , \n  "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), \n  "0", "False")',
  'DateFromNum(129699324000000000)',
  'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
  'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
  'IIF([country]="USA",IIF([state]="CA","True","False"),"False")',
  'InStr("repEated","e",3,vbBinaryCompare)',
  'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])',
  'Item([proxyAddresses], 1)',
  'Join(", ", "", [surname], [givenName])',
  'Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))',
  'Left("John Doe", 3)',
  'NormalizeDiacritics([givenName])',
  'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))',
  'PCase([lastName]," \'-")',
  'RandomString(10,2,2,2,1,"?,")',
  'Redact(RandomString(6,3,0,0,3))',
  'RemoveDuplicates([proxyAddresses])',
  'Replace([UserID],"<username>", , , , , "<username>@contoso.com")',
  String.raw`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${'$'}{phoneNumber}", , )`,
  String.raw`Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )`,
  String.raw`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`,
  'Replace([mail], "@contoso.com", , ,"", ,)',
  'SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"))',
  'Split([extensionAttribute5], ",")',
  'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
  'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))',
  'Word("This,string!has&many separators",3,",!&#")',
  'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) <= 14, "False", IgnoreObjectFlow)',
  '[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber]',
  String.raw`"Company name: \"Contoso\""`,
];

const FRAGMENTS = [
  '(',
  ')',
  ',',
  '"',
  '\\',
  '[',
  ']',
  '&H',
  '&',
  '=',
  '<>',
  '<',
  '>=',
  '-',
  '.',
  ' ',
  '\n',
  '\t',
  '\u00a0',
  '1',
  '-3',
  '0.5',
  'x',
  '_',
  ':',
  'Join',
  'IIF',
  'Mid',
  'Replace',
  'Switch',
  'vbTextCompare',
  'IgnoreAttributeFlow',
  '[mail]',
  '"a"',
  '""',
  '\u201C',
  "'",
  'é',
  '😀',
  '\ud800',
  'AND',
  '(?<g>',
  '${g}',
  '$',
  'Now()',
  '%',
  '==',
];

function randomText(rng: Rng, maxPieces: number): string {
  let out = '';
  const pieces = int(rng, maxPieces + 1);
  for (let i = 0; i < pieces; i++)
    out += rng() < 0.7 ? pick(rng, FRAGMENTS) : String.fromCharCode(int(rng, 0x3000));
  return out;
}

function mutate(rng: Rng, text: string): string {
  let out = text;
  const operations = 1 + int(rng, 4);
  for (let k = 0; k < operations; k++) {
    const i = int(rng, out.length + 1);
    const j = Math.min(out.length, i + int(rng, 8));
    switch (int(rng, 7)) {
      case 0:
        out = out.slice(0, i) + out.slice(j);
        break;
      case 1:
        out = out.slice(0, i) + pick(rng, FRAGMENTS) + out.slice(i);
        break;
      case 2:
        out = out.slice(0, i) + String.fromCharCode(int(rng, 128)) + out.slice(i + 1);
        break;
      case 3:
        out = out.slice(0, j) + out.slice(i, j) + out.slice(j);
        break;
      case 4:
        out = out.slice(0, i);
        break;
      case 5: {
        const a = out.slice(i, j);
        const m = int(rng, out.length + 1);
        out = out.slice(0, i) + out.slice(j);
        out = out.slice(0, Math.min(m, out.length)) + a + out.slice(Math.min(m, out.length));
        break;
      }
      default:
        out = out.slice(0, i) + pick(rng, DOCUMENTED).slice(0, int(rng, 30)) + out.slice(j);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// A generator of (mostly) valid expressions from the catalog.

const ATTRIBUTE_NAMES = [
  'mail',
  'givenName',
  'surname',
  'd',
  'n',
  'multi',
  'flag',
  'ext:2.0:User:x',
  'empty',
];
const STRINGS = [
  '"a"',
  '""',
  '"John Doe"',
  '","',
  '" "',
  String.raw`"say \"hi\""`,
  '"2021-08-25"',
  '"8/25/2021 5:41:18 PM"',
  '"12"',
  '"True"',
  '"é"',
];
const FORMATS = ['"yyyy-MM-dd"', '"yyyyMMdd"', '"M/d/yyyy h:mm:ss tt"', '"o"', '"dddd"'];
const INTERVALS = ['"d"', '"m"', '"yyyy"', '"ww"', '"h"', '"s"'];
const PATTERNS = ['"[a-z]+"', String.raw`"(?<g>\\d+)"`, '"a|b"', '"^"', '"(?<g>x)?"'];

function leaf(rng: Rng): string {
  switch (int(rng, 5)) {
    case 0:
    case 1:
      return `[${pick(rng, ATTRIBUTE_NAMES)}]`;
    case 2:
      return pick(rng, STRINGS);
    case 3:
      return String(int(rng, 20) - 5);
    default:
      return rng() < 0.5 ? '&HFF' : '1.5';
  }
}

function generate(rng: Rng, depth: number, root = false): string {
  if (depth <= 0 || rng() < 0.3) return leaf(rng);
  const sub = (): string => generate(rng, depth - 1);
  const info = pick(
    rng,
    functionCatalog.filter((f) => root || f.name !== 'SelectUniqueValue'),
  );
  switch (info.name) {
    case 'Replace':
      return pick(rng, [
        `Replace(${sub()}, ${sub()}, , , ${sub()}, , )`,
        `Replace(${sub()}, ${sub()}, , , , , ${sub()})`,
        `Replace(${sub()}, , ${pick(rng, PATTERNS)}, , ${sub()}, , )`,
        `Replace(${sub()}, , "(?<g>[0-9]+)", "g", ${sub()}, , )`,
        `Replace(${sub()}, , "(?<g>[0-9]+)", "g", , ${sub()}, )`,
      ]);
    case 'Switch': {
      const pairs = Array.from({ length: 1 + int(rng, 3) }, () => `${sub()}, ${sub()}`);
      return `Switch(${sub()}, ${rng() < 0.3 ? '' : sub()}, ${pairs.join(', ')})`;
    }
    case 'IIF':
      return `IIF(${sub()} ${pick(rng, ['=', '<>', '<', '<=', '>', '>='])} ${sub()}, ${sub()}, ${sub()})`;
    case 'FormatDateTime':
      return `FormatDateTime(${sub()}, , ${pick(rng, FORMATS)}, ${pick(rng, FORMATS)})`;
    case 'DateAdd':
      return `DateAdd(${pick(rng, INTERVALS)}, ${sub()}, ${sub()})`;
    case 'DateDiff':
      return `DateDiff(${pick(rng, INTERVALS)}, ${sub()}, ${sub()})`;
    case 'RandomString':
      return `RandomString(${8 + int(rng, 5)}, ${int(rng, 3)}, ${int(rng, 3)}, ${int(rng, 3)}, 1)`;
    case 'InStr':
      return `InStr(${sub()}, ${sub()}, , ${pick(rng, ['vbTextCompare', 'vbBinaryCompare'])})`;
    case 'ToLower':
    case 'ToUpper':
      return `${info.name}(${sub()}${rng() < 0.2 ? ', "tr-TR"' : ''})`;
    default: {
      const args: string[] = [];
      for (const param of info.parameters) {
        if (param.repeating) {
          const times = 1 + int(rng, 3);
          for (let i = 0; i < times; i++) args.push(sub());
        } else if (param.required || rng() < 0.5) {
          args.push(sub());
        } else {
          break;
        }
      }
      return `${info.name}(${args.join(', ')})`;
    }
  }
}

function randomValue(rng: Rng): ExpressionValue | undefined {
  switch (int(rng, 9)) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return '';
    case 3:
      return pick(rng, [
        'John',
        'Zoë Smith',
        '2021-08-25',
        '8/25/2021 5:41:18 PM',
        '12',
        '-1',
        'true',
        'a,b,,c',
        '😀x',
      ]);
    case 4:
      return int(rng, 1000) - 500;
    case 5:
      return rng() < 0.5;
    case 6:
      return ['a', 'B', '1'];
    case 7:
      return [];
    default:
      return randomText(rng, 4);
  }
}

function randomContext(rng: Rng): EvaluationContext {
  const values = new Map<string, ExpressionValue | undefined>();
  const seed = int(rng, 1e9);
  return {
    getAttribute: (name) => {
      if (!values.has(name))
        values.set(name, randomValue(mulberry32(seed + name.length * 7919 + name.charCodeAt(0))));
      return values.get(name);
    },
    now: new Date(Date.UTC(2000 + int(rng, 30), int(rng, 12), 1 + int(rng, 28), int(rng, 24))),
    random: mulberry32(seed),
    isValueUnique: () => rng() < 0.5,
    defaultDomain: rng() < 0.5 ? 'contoso.com' : undefined,
  };
}

const strip = (node: unknown): unknown =>
  JSON.parse(
    JSON.stringify(node, (key, value: unknown) =>
      key === 'start' || key === 'end' || key === 'nameEnd' ? undefined : value,
    ),
  );

interface Problem {
  input: string;
  problem: string;
}

function check(input: string, problems: Problem[]): ParseResult | undefined {
  const started = performance.now();
  let result: ParseResult;
  try {
    result = parseExpression(input);
  } catch (error) {
    problems.push({ input, problem: `threw ${String(error)}` });
    return undefined;
  }
  const elapsed = performance.now() - started;
  if (elapsed > TIME_LIMIT_MS) problems.push({ input, problem: `took ${elapsed.toFixed(0)} ms` });
  if (!result.ok) {
    const e = result.error;
    const position = lineAndColumn(input, e.start);
    if (!ERROR_CODES.has(e.code)) problems.push({ input, problem: `code ${e.code}: ${e.message}` });
    if (!(e.start >= 0 && e.start <= e.end && e.end <= input.length))
      problems.push({ input, problem: `span ${e.start}-${e.end}` });
    if (e.line !== position.line || e.column !== position.column)
      problems.push({ input, problem: `line/column ${e.line}:${e.column}` });
    if (e.message.length === 0) problems.push({ input, problem: 'empty message' });
  }
  return result;
}

function exercise(result: ParseResult | undefined, input: string, rng: Rng, problems: Problem[]): void {
  if (result === undefined || !result.ok) return;
  const expression = result.expression;
  try {
    const started = performance.now();
    const outcome = evaluateExpression(expression, randomContext(rng));
    const elapsed = performance.now() - started;
    if (elapsed > TIME_LIMIT_MS)
      problems.push({ input, problem: `evaluation took ${elapsed.toFixed(0)} ms` });
    if (!['value', 'ignoreAttribute', 'ignoreObject', 'error'].includes(outcome.kind))
      problems.push({ input, problem: 'bad outcome' });
    if (outcome.kind === 'error' && !outcome.error.code.startsWith('expression.'))
      problems.push({ input, problem: outcome.error.code });
    toAttributeMappingSource(expression);
    const printed = printExpression(expression.ast);
    const again = parseExpression(printed);
    if (!again.ok)
      problems.push({ input, problem: `printed form ${printed} does not parse: ${again.error.message}` });
    else if (JSON.stringify(strip(again.expression.ast)) !== JSON.stringify(strip(expression.ast))) {
      problems.push({ input, problem: `printed form ${printed} parses differently` });
    }
  } catch (error) {
    problems.push({ input, problem: `evaluation threw ${String(error)}` });
  }
}

const report = (problems: Problem[]): string =>
  problems
    .slice(0, 5)
    .map((p) => `${JSON.stringify(p.input)} → ${p.problem}`)
    .join('\n');

describe('parser robustness (seeded)', () => {
  it('4,000 random inputs', () => {
    const rng = mulberry32(20240601);
    const problems: Problem[] = [];
    for (let i = 0; i < 4000; i++) {
      const input = randomText(rng, 40);
      exercise(check(input, problems), input, rng, problems);
    }
    expect(problems, report(problems)).toEqual([]);
  });

  it('8,000 mutations of the documented examples', () => {
    const rng = mulberry32(7);
    const problems: Problem[] = [];
    let parsed = 0;
    for (let i = 0; i < 8000; i++) {
      const input = mutate(rng, pick(rng, DOCUMENTED));
      const result = check(input, problems);
      if (result?.ok) parsed++;
      exercise(result, input, rng, problems);
    }
    expect(problems, report(problems)).toEqual([]);
    // Some mutations must still be valid, or the evaluator is not being exercised.
    expect(parsed).toBeGreaterThan(300);
  });

  it('3,000 generated expressions compile, evaluate and print back to themselves', () => {
    const rng = mulberry32(99);
    const problems: Problem[] = [];
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      const input = generate(rng, 4, true);
      const result = check(input, problems);
      if (result?.ok) compiled++;
      else if (
        result &&
        ['expression.syntax', 'expression.unbalanced', 'expression.unterminated_string'].includes(
          result.error.code,
        )
      ) {
        problems.push({ input, problem: `generated text is not grammatical: ${result.error.message}` });
      }
      exercise(result, input, rng, problems);
    }
    expect(problems, report(problems)).toEqual([]);
    expect(compiled).toBeGreaterThan(2500);
  });

  it('10,000-character inputs stay fast', () => {
    const rng = mulberry32(3);
    const problems: Problem[] = [];
    for (let i = 0; i < 30; i++) {
      let input = '';
      while (input.length < 10_000)
        input += i % 2 === 0 ? randomText(rng, 50) : mutate(rng, pick(rng, DOCUMENTED));
      input = input.slice(0, 10_000);
      exercise(check(input, problems), input, rng, problems);
    }
    const nested = `${'Join(",", '.repeat(99)}[a]${')'.repeat(99)}`;
    exercise(check(nested, problems), nested, rng, problems);
    const unclosed = '"'.padEnd(10_000, '\\');
    check(unclosed, problems);
    expect(problems, report(problems)).toEqual([]);
  });
});
