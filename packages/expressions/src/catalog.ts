import type { FunctionInfo, FunctionParameterInfo } from './types.js';

/** A catalog entry plus the argument counts the parser checks. */
export interface FunctionSignature extends FunctionInfo {
  readonly minArgs: number;
  readonly maxArgs: number;
}

const p = (name: string, type: string, required = true, repeating = false): FunctionParameterInfo =>
  repeating ? { name, required, repeating, type } : { name, required, type };
const opt = (name: string, type: string): FunctionParameterInfo => p(name, type, false);
const many = (name: string, type: string, required = true): FunctionParameterInfo =>
  p(name, type, required, true);

function sig(
  name: string,
  parameters: FunctionParameterInfo[],
  description: string,
  arity?: { min?: number; max?: number },
): FunctionSignature {
  let min = 0;
  parameters.forEach((param, index) => {
    if (param.required) min = index + 1;
  });
  const max = parameters.some((param) => param.repeating) ? Infinity : parameters.length;
  return { name, parameters, description, minArgs: arity?.min ?? min, maxArgs: arity?.max ?? max };
}

/**
 * Every function, with the parameter names of the product's reference. Where Graph's
 * `functions` list names a parameter differently (Replace, Switch, FormatDateTime), Graph's
 * names are used, since they are the keys of the attributeMappingSource tree.
 */
export const signatures: readonly FunctionSignature[] = [
  sig('Append', [p('source', 'String'), p('suffix', 'String')], 'Appends suffix to the end of source.'),
  sig(
    'AppRoleAssignments',
    [p('source', 'String')],
    'The names of all app roles assigned to the user, as a multi-valued value.',
  ),
  sig(
    'AppRoleAssignmentsComplex',
    [p('source', 'String')],
    'All app roles assigned to the user (multi-valued); the SCIM roles attribute is then added with PATCH add.',
  ),
  sig(
    'AssertiveAppRoleAssignmentsComplex',
    [p('source', 'String')],
    'All app roles assigned to the user (multi-valued); the SCIM roles attribute is then replaced, removing roles no longer assigned.',
  ),
  sig(
    'BitAnd',
    [p('value1', 'Number'), p('value2', 'Number')],
    'Bitwise AND of two integers, e.g. BitAnd(&HF, &HF7) = 7.',
  ),
  sig(
    'CBool',
    [p('expression', 'Expression')],
    'Returns "True" when the expression evaluates to a non-zero number or to true, else "False".',
  ),
  sig(
    'CDate',
    [p('expression', 'Expression')],
    'Parses a date/time string into a UTC DateTime, shown as M/d/yyyy h:mm:ss tt.',
  ),
  sig(
    'Coalesce',
    [many('source', 'String'), opt('defaultValue', 'String')],
    'Returns the first argument that is not null; null when all are null.',
  ),
  sig('ConvertToBase64', [p('source', 'String')], 'Base64 of the UTF-16LE ("Unicode") bytes of source.'),
  sig('ConvertToUTF8Hex', [p('source', 'String')], 'Uppercase hexadecimal of the UTF-8 bytes of source.'),
  sig('Count', [p('attribute', 'MultiValuedAttribute')], 'Number of values of a multi-valued attribute.'),
  sig('CStr', [p('value', 'Expression')], 'Converts a number, boolean or reference to a string.'),
  sig(
    'DateAdd',
    [p('interval', 'String'), p('value', 'Number'), p('dateTime', 'DateTime')],
    'Adds value intervals (yyyy, q, m, y, d, w, ww, h, n, s) to dateTime.',
  ),
  sig(
    'DateDiff',
    [p('interval', 'String'), p('date1', 'DateTime'), p('date2', 'DateTime')],
    'Number of intervals from date1 to date2; positive when date2 is later.',
  ),
  sig(
    'DateFromNum',
    [p('value', 'Number')],
    'Converts an Active Directory integer date (FILETIME) to a DateTime.',
  ),
  sig('DefaultDomain', [], "The tenant's default verified domain."),
  sig(
    'FormatDateTime',
    [
      p('source', 'String'),
      opt('dateTimeStyles', 'String'),
      p('inputFormat', 'String'),
      p('outputFormat', 'String'),
    ],
    'Parses source with the .NET custom format inputFormat and writes it with outputFormat. The three-argument form (source, inputFormat, outputFormat) is also accepted.',
    { min: 3, max: 4 },
  ),
  sig('Guid', [], 'A new random GUID.'),
  sig(
    'IgnoreFlowIfNullOrEmpty',
    [p('expression', 'Expression')],
    'Drops the target attribute from the flow when the expression is null or empty.',
  ),
  sig(
    'IIF',
    [p('condition', 'Expression'), p('valueIfTrue', 'Expression'), p('valueIfFalse', 'Expression')],
    'valueIfTrue when the condition holds, else valueIfFalse. Conditions use = <> > >= < <=.',
  ),
  sig(
    'InStr',
    [p('value1', 'String'), p('value2', 'String'), opt('start', 'Integer'), opt('compareType', 'Enum')],
    '1-based position of value2 in value1, 0 when absent; compareType vbBinaryCompare (default) or vbTextCompare.',
  ),
  sig('IsNothing', [p('source', 'Expression')], 'Same as IsNull.'),
  sig('IsNull', [p('expression', 'Expression')], '"True" when the expression is null (an absent attribute).'),
  sig(
    'IsNullOrEmpty',
    [p('expression', 'Expression')],
    '"True" when the expression is null or an empty string.',
  ),
  sig('IsPresent', [p('expression', 'Expression')], '"True" when the expression is neither null nor empty.'),
  sig(
    'IsString',
    [p('expression', 'Expression')],
    '"True" when the expression evaluates to a single string.',
  ),
  sig(
    'Item',
    [p('attribute', 'MultiValuedAttribute'), p('index', 'Integer')],
    'The index-th value (1-based) of a multi-valued attribute.',
  ),
  sig(
    'Join',
    [p('separator', 'String'), many('source', 'String')],
    'Joins the non-empty sources (multi-valued ones value by value) with separator.',
  ),
  sig(
    'Left',
    [p('String', 'String'), p('NumChars', 'Integer')],
    'The first NumChars characters; "" for 0, the whole string when negative or longer.',
  ),
  sig(
    'Mid',
    [p('source', 'String'), p('start', 'Integer'), p('length', 'Integer')],
    'length characters from the 1-based start position.',
  ),
  sig(
    'NormalizeDiacritics',
    [p('source', 'String')],
    'Replaces accented Latin letters with their base letters (ä→a, ß→ss, ø→oe).',
  ),
  sig('Not', [p('source', 'Boolean')], '"False" when source is true, else "True".'),
  sig('Now', [], 'The current UTC date and time.'),
  sig(
    'NumFromDate',
    [p('value', 'String')],
    'Converts a date to the Active Directory integer format (accountExpires).',
  ),
  sig(
    'PCase',
    [p('source', 'String'), opt('wordSeparators', 'String')],
    'Upper-cases the first letter of each word and lower-cases the rest.',
  ),
  sig('Prepend', [p('prefix', 'String'), p('source', 'String')], 'Puts prefix in front of source.'),
  sig(
    'RandomString',
    [
      p('Length', 'Number'),
      p('MinimumNumbers', 'Number'),
      p('MinimumSpecialCharacters', 'Number'),
      p('MinimumCapital', 'Number'),
      p('MinimumLowerCase', 'Number'),
      opt('CharactersToAvoid', 'String'),
    ],
    'A random string of Length characters (at most 256) with the given minimum counts per class.',
  ),
  sig(
    'Redact',
    [p('source', 'Expression')],
    'Returns its argument, and shows "[Redact]" instead of the value in logs.',
  ),
  sig(
    'RemoveDuplicates',
    [p('attribute', 'MultiValuedAttribute')],
    'Removes repeated values from a multi-valued attribute.',
  ),
  sig(
    'Replace',
    [
      p('source', 'String'),
      opt('Find', 'String'),
      opt('RegularExpression', 'String'),
      opt('RegularExpressionGroupName', 'String'),
      opt('Replacement', 'String'),
      opt('ReplacementPropertyName', 'String'),
      opt('Template', 'String'),
    ],
    'Replaces text (case-sensitive) by value, by template, or by regular expression with ${group} substitutions.',
  ),
  sig(
    'SelectUniqueValue',
    [many('uniqueValueRule', 'String')],
    'The first rule whose value does not exist yet in the target. Only at the top level.',
    { min: 2 },
  ),
  sig(
    'SingleAppRoleAssignment',
    [p('source', 'String')],
    'The single app role assigned to the user, as a string.',
  ),
  sig(
    'Split',
    [p('source', 'String'), opt('delimiter', 'String')],
    'Splits source into a multi-valued value at delimiter (default ",").',
  ),
  sig('StripSpaces', [p('source', 'String')], 'Removes all space (" ") characters.'),
  sig(
    'Switch',
    [p('source', 'String'), opt('defaultValue', 'String'), many('key', 'String'), many('value', 'String')],
    'The value paired with the key equal (case-sensitive) to source, else defaultValue.',
    { min: 4 },
  ),
  sig(
    'ToLower',
    [p('source', 'String'), opt('culture', 'String')],
    'Lower-cases source (invariant culture unless given).',
  ),
  sig(
    'ToUpper',
    [p('source', 'String'), opt('culture', 'String')],
    'Upper-cases source (invariant culture unless given).',
  ),
  sig(
    'Word',
    [p('String', 'String'), p('WordNumber', 'Integer'), p('Delimiters', 'String')],
    'The WordNumber-th word (1-based) of String, words being separated by any character of Delimiters.',
  ),
];

export const signatureByName: ReadonlyMap<string, FunctionSignature> = new Map(
  signatures.map((s) => [s.name, s]),
);

export const functionNames: readonly string[] = signatures.map((s) => s.name);

/** Human form of a signature for hints: `Append(source, suffix)`. */
export function formatSignature(signature: FunctionSignature): string {
  const params = signature.parameters.map((param) => {
    const name = param.repeating ? `${param.name}…` : param.name;
    return param.required ? name : `[${name}]`;
  });
  return `${signature.name}(${params.join(', ')})`;
}

const FORMAT_DATE_TIME_SHORT = ['source', 'inputFormat', 'outputFormat'];

/**
 * The parameter an argument position binds to, given how many arguments the call has:
 * repeating parameters cycle (Switch's key/value), and FormatDateTime's three-argument form
 * has no dateTimeStyles.
 */
export function parameterAt(
  signature: FunctionSignature,
  index: number,
  argumentCount: number,
): FunctionParameterInfo | undefined {
  const params = signature.parameters;
  if (signature.name === 'FormatDateTime' && argumentCount === 3) {
    const name = FORMAT_DATE_TIME_SHORT[index];
    return name === undefined ? undefined : { name, required: true, type: 'String' };
  }
  // Coalesce's trailing defaultValue cannot be told apart from one more source, and both
  // mean the same (the first non-null wins), so every argument binds to "source".
  if (signature.name === 'Coalesce') return params[0];
  const firstRepeating = params.findIndex((param) => param.repeating === true);
  if (firstRepeating < 0 || index < firstRepeating) return params[index];
  const repeating = params.slice(firstRepeating);
  return repeating[(index - firstRepeating) % repeating.length];
}
