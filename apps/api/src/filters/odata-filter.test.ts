import { describe, expect, it } from 'vitest';
import {
  conjuncts,
  disjuncts,
  FilterError,
  parseFilter,
  tokenize,
  toIsoInstant,
  type FilterNode,
} from './odata-filter';

/** A compact text form of a tree, so expectations stay readable. */
function show(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${show(node.left)} ${node.kind} ${show(node.right)})`;
    case 'compare':
      return `${node.property.caseFolded ? `lower(${node.property.path})` : node.property.path} ${node.op} ${node.value.type}:${String(node.value.value)}`;
    case 'in':
      return `${node.property.path} in [${node.values.map((v) => String(v.value)).join(',')}]`;
    case 'function':
      return `${node.name}(${node.property.caseFolded ? `lower(${node.property.path})` : node.property.path},${String(node.value.value)})`;
    case 'any':
      return `${node.collection}/any(${show(node.predicate)})`;
  }
}

function errorOf(text: string): FilterError {
  try {
    parseFilter(text);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('tokenize', () => {
  it.each([
    ["jobId eq 'a'", ['name', 'name', 'string']],
    ['activityDateTime gt 2026-11-01T00:00:00Z', ['name', 'name', 'dateTime']],
    ['activityDateTime ge 2026-11-01', ['name', 'name', 'dateTime']],
    ['id eq 0f8fad5b-d9cb-469f-a165-70867728950e', ['name', 'name', 'guid']],
    ['count lt 42', ['name', 'name', 'number']],
    ["contains(tolower(x/y), 'z')", ['name', '(', 'name', '(', 'name', ')', ',', 'string', ')']],
    ['targetResources/any(t: t/id eq 1)', ['name', '(', 'name', ':', 'name', 'name', 'number', ')']],
  ])('%s', (text, types) => {
    expect(tokenize(text).map((t) => t.type)).toEqual([...types, 'end']);
  });

  it("unescapes '' inside strings", () => {
    expect(tokenize("x eq 'O''Brien'")[2]).toMatchObject({ type: 'string', value: "O'Brien", position: 6 });
  });

  it('reports positions 1-based', () => {
    expect(tokenize('  jobId').map((t) => t.position)).toEqual([3, 8]);
  });
});

describe('parseFilter', () => {
  it.each([
    ["provisioningAction eq 'create'", 'provisioningAction eq string:create'],
    [
      "provisioningAction eq 'create' and provisioningStatusInfo/status eq 'success' and activityDateTime gt 2026-11-01T00:00:00Z",
      '((provisioningAction eq string:create and provisioningStatusInfo/status eq string:success) and activityDateTime gt dateTime:2026-11-01T00:00:00Z)',
    ],
    ["a eq 'x' or a eq 'y' and b eq 'z'", '(a eq string:x or (a eq string:y and b eq string:z))'],
    ["(a eq 'x' or a eq 'y') and b eq 'z'", '((a eq string:x or a eq string:y) and b eq string:z)'],
    ["contains(sourceIdentity/displayName, 'ada')", 'contains(sourceIdentity/displayName,ada)'],
    ["contains(tolower(servicePrincipal/id), 'abc')", 'contains(lower(servicePrincipal/id),abc)'],
    ["tolower(jobId) eq 'x'", 'lower(jobId) eq string:x'],
    ["provisioningAction in ('create', 'update')", 'provisioningAction in [create,update]'],
    ["targetResources/any(t: t/id eq '42')", 'targetResources/any(id eq string:42)'],
    ['x eq true', 'x eq boolean:true'],
    ['x ne null', 'x ne null:null'],
    ["X EQ 'a' AND Y NE 'b'", '(X eq string:a and Y ne string:b)'],
    ["((a eq 'x'))", 'a eq string:x'],
    ["name eq 'it''s'", "name eq string:it's"],
  ])('%s', (text, expected) => {
    expect(show(parseFilter(text))).toBe(expected);
  });

  it('parses the filter the Entra portal sends', () => {
    const text =
      "((contains(tolower(servicePrincipal/id), 'sp') or contains(tolower(servicePrincipal/displayName), 'sp')) and activityDateTime gt 2023-07-30 and activityDateTime lt 2023-07-31)";
    const parts = conjuncts(parseFilter(text));
    expect(parts).toHaveLength(3);
    expect(disjuncts(parts[0]!)).toHaveLength(2);
  });

  it.each([
    ["jobId eq 'abc", 10, 'closing quote'],
    ['jobId eq', 9, 'Expected a value'],
    ["jobId 'a'", 7, 'Expected an operator'],
    ["jobId eq 'a' and", 17, 'Expected a condition'],
    ["(jobId eq 'a'", 14, "')'"],
    ["jobId eq 'a')", 13, "Unexpected ')'"],
    ['jobId eq abc', 10, "Put text in single quotes: 'abc'"],
    ["jobId eq 'a' xor b", 14, "expected 'and', 'or'"],
    ["not jobId eq 'a'", 1, "'not'"],
    ["startswith2(a, 'b')", 1, "Unknown function 'startswith2'"],
    ['jobId eq #', 10, "Unexpected character '#'"],
    ['', 1, 'empty'],
    ["targetResources/any(t: x/id eq 'a')", 24, "start with 't/'"],
    ["contains(a 'b')", 12, "','"],
  ])('rejects %j at position %i', (text, position, fragment) => {
    const error = errorOf(text);
    expect(error.position).toBe(position);
    expect(error.message).toContain(fragment);
  });
});

describe('toIsoInstant', () => {
  const literal = (value: string, type: 'dateTime' | 'string' = 'dateTime') => ({
    type,
    value,
    raw: value,
    position: 1,
  });
  it.each([
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T10:20:30Z', '2026-11-01T10:20:30.000Z'],
    ['2026-11-01T10:20:30.5Z', '2026-11-01T10:20:30.500Z'],
    ['2026-11-01T10:20', '2026-11-01T10:20:00.000Z'],
    ['2026-11-01T12:00:00+02:00', '2026-11-01T10:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(toIsoInstant(literal(input))).toBe(expected);
  });
  it('accepts a quoted date and refuses other text', () => {
    expect(toIsoInstant(literal('2026-11-01', 'string'))).toBe('2026-11-01T00:00:00.000Z');
    expect(toIsoInstant(literal('yesterday', 'string'))).toBeNull();
    expect(toIsoInstant(literal('2026-13-45'))).toBeNull();
  });
});
