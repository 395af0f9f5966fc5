import {
  scopingOperators,
  type AttributeDefinition,
  type AttributeMapping,
  type ErrorBody,
  type FilterGroup,
  type ObjectDefinition,
  type ObjectMapping,
  type ScopeFilter,
  type ScopingOperand,
  type SynchronizationSchema,
} from '@provisio/contracts';

/** The four mapping types of the Edit Attribute form. */
export type MappingType = 'Direct' | 'Constant' | 'Expression' | 'None';
export const MAPPING_TYPES: readonly MappingType[] = ['Direct', 'Constant', 'Expression', 'None'];

/** The Edit Attribute form, one field per input. */
export interface AttributeMappingForm {
  mappingType: MappingType;
  sourceAttribute: string;
  constantValue: string;
  expression: string;
  defaultValue: string;
  targetAttribute: string;
  matching: boolean;
  matchingPrecedence: number;
  /** Apply this mapping: false = Always, true = Only during object creation. */
  onlyOnCreate: boolean;
}

export type FormField = keyof AttributeMappingForm;

export const EMPTY_FORM: AttributeMappingForm = {
  mappingType: 'Direct',
  sourceAttribute: '',
  constantValue: '',
  expression: '',
  defaultValue: '',
  targetAttribute: '',
  matching: false,
  matchingPrecedence: 1,
  onlyOnCreate: false,
};

/** `"a \"b\""` → `a "b"`: the text of a constant written as Graph serialises it. */
function unquote(text: string): string {
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(text.trim());
  return quoted ? (quoted[1] ?? '').replace(/\\(["\\])/g, '$1') : text;
}

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function mappingTypeOf(m: AttributeMapping): MappingType {
  if (m.source === null) return 'None';
  if (m.source.type === 'Attribute') return 'Direct';
  if (m.source.type === 'Constant') return 'Constant';
  return 'Expression';
}

/** The form showing an attribute mapping. */
export function toForm(m: AttributeMapping): AttributeMappingForm {
  const type = mappingTypeOf(m);
  const source = m.source;
  return {
    mappingType: type,
    sourceAttribute:
      type === 'Direct' ? (source?.name ?? /^\[(.+)\]$/.exec(source?.expression ?? '')?.[1] ?? '') : '',
    constantValue: type === 'Constant' ? (source?.name ?? unquote(source?.expression ?? '')) : '',
    expression: type === 'Expression' ? (source?.expression ?? '') : '',
    defaultValue: m.defaultValue ?? '',
    targetAttribute: m.targetAttributeName,
    matching: m.matchingPriority > 0,
    matchingPrecedence: m.matchingPriority > 0 ? m.matchingPriority : 1,
    onlyOnCreate: m.flowType === 'ObjectAddOnly',
  };
}

/**
 * The attribute mapping a form describes. Knobs the form does not show (flowBehavior, the other
 * Graph flow types) are kept from `base`. The server fills an expression's parsed tree on save.
 */
export function fromForm(form: AttributeMappingForm, base?: AttributeMapping): AttributeMapping {
  const source: AttributeMapping['source'] =
    form.mappingType === 'None'
      ? null
      : form.mappingType === 'Direct'
        ? {
            type: 'Attribute',
            name: form.sourceAttribute,
            expression: `[${form.sourceAttribute}]`,
            parameters: [],
          }
        : form.mappingType === 'Constant'
          ? {
              type: 'Constant',
              name: form.constantValue,
              expression: quote(form.constantValue),
              parameters: [],
            }
          : { type: 'Function', name: null, expression: form.expression, parameters: [] };
  const keepFlow =
    base && base.flowType !== 'Always' && base.flowType !== 'ObjectAddOnly' && !form.onlyOnCreate;
  return {
    source,
    targetAttributeName: form.targetAttribute.trim(),
    // A constant has no null to replace, so its default would never apply.
    defaultValue: form.mappingType === 'Constant' || form.defaultValue === '' ? null : form.defaultValue,
    flowType: form.onlyOnCreate ? 'ObjectAddOnly' : keepFlow ? base.flowType : 'Always',
    matchingPriority: form.matching ? Math.max(1, Math.trunc(form.matchingPrecedence)) : 0,
    flowBehavior: base?.flowBehavior ?? 'FlowWhenChanged',
    exportMissingReferences: base?.exportMissingReferences ?? false,
  };
}

/** What the mapping table shows in the source column: `[mail]`, `"True"`, `Switch(…)`, or nothing for None. */
export function sourceText(m: AttributeMapping): string {
  const form = toForm(m);
  switch (form.mappingType) {
    case 'Direct':
      return form.sourceAttribute;
    case 'Constant':
      return quote(form.constantValue);
    case 'Expression':
      return form.expression;
    case 'None':
      return '';
  }
}

/**
 * Problems the form can see without asking the server (the server checks everything again on
 * Save): a source for the chosen type, a target, one mapping per target, a precedence.
 */
export function formProblems(
  form: AttributeMappingForm,
  otherTargets: readonly string[],
): Partial<Record<FormField, string>> {
  const problems: Partial<Record<FormField, string>> = {};
  if (form.mappingType === 'Direct' && !form.sourceAttribute)
    problems.sourceAttribute = 'Pick a source attribute.';
  if (form.mappingType === 'Expression' && !form.expression.trim())
    problems.expression = 'Write an expression, or open the expression builder.';
  if (form.mappingType === 'None' && form.matching)
    problems.matching =
      'A mapping of type None has no value to match by. Choose No, or another mapping type.';
  const target = form.targetAttribute.trim();
  if (!target) problems.targetAttribute = 'Pick the target attribute.';
  else if (otherTargets.some((t) => t.toLowerCase() === target.toLowerCase()))
    problems.targetAttribute = `'${target}' already has a mapping. Edit that one instead.`;
  if (form.matching && (!Number.isInteger(form.matchingPrecedence) || form.matchingPrecedence < 1))
    problems.matchingPrecedence = 'Enter a whole number from 1: matching attributes are tried in this order.';
  return problems;
}

/** An object mapping of the schema with where it sits. */
export interface LocatedMapping {
  ruleIndex: number;
  objectIndex: number;
  sourceDirectoryName: string;
  targetDirectoryName: string;
  mapping: ObjectMapping;
}

/** The object mappings of every rule, in order: the Mappings list and the `:mappingIndex` of its pages. */
export function listObjectMappings(schema: SynchronizationSchema): LocatedMapping[] {
  return schema.synchronizationRules.flatMap((rule, ruleIndex) =>
    rule.objectMappings.map((mapping, objectIndex) => ({
      ruleIndex,
      objectIndex,
      sourceDirectoryName: rule.sourceDirectoryName,
      targetDirectoryName: rule.targetDirectoryName,
      mapping,
    })),
  );
}

function findObject(schema: SynchronizationSchema, directoryName: string, objectName: string) {
  const d = schema.directories.findIndex((x) => x.name.toLowerCase() === directoryName.toLowerCase());
  const o =
    d < 0
      ? -1
      : (schema.directories[d]?.objects.findIndex((x) => x.name.toLowerCase() === objectName.toLowerCase()) ??
        -1);
  return {
    directoryIndex: d,
    objectIndex: o,
    object: o < 0 ? null : (schema.directories[d]?.objects[o] ?? null),
  };
}

/** The source and target object definitions of an object mapping (null when the schema lacks one). */
export function objectDefinitions(
  schema: SynchronizationSchema,
  located: LocatedMapping,
): { source: ObjectDefinition | null; target: ObjectDefinition | null } {
  return {
    source: findObject(schema, located.sourceDirectoryName, located.mapping.sourceObjectName).object,
    target: findObject(schema, located.targetDirectoryName, located.mapping.targetObjectName).object,
  };
}

/** A copy of the schema with one object mapping changed. */
export function updateObjectMapping(
  schema: SynchronizationSchema,
  located: Pick<LocatedMapping, 'ruleIndex' | 'objectIndex'>,
  change: (mapping: ObjectMapping) => ObjectMapping,
): SynchronizationSchema {
  return {
    ...schema,
    synchronizationRules: schema.synchronizationRules.map((rule, r) =>
      r !== located.ruleIndex
        ? rule
        : {
            ...rule,
            objectMappings: rule.objectMappings.map((m, o) => (o === located.objectIndex ? change(m) : m)),
          },
    ),
  };
}

/** A copy of the schema with the target object's attribute list changed. */
export function updateTargetAttributes(
  schema: SynchronizationSchema,
  located: LocatedMapping,
  change: (attributes: AttributeDefinition[]) => AttributeDefinition[],
): SynchronizationSchema {
  const { directoryIndex, objectIndex } = findObject(
    schema,
    located.targetDirectoryName,
    located.mapping.targetObjectName,
  );
  if (objectIndex < 0) return schema;
  return {
    ...schema,
    directories: schema.directories.map((d, i) =>
      i !== directoryIndex
        ? d
        : {
            ...d,
            objects: d.objects.map((o, k) =>
              k === objectIndex ? { ...o, attributes: change(o.attributes) } : o,
            ),
          },
    ),
  };
}

/** A new attribute of the Edit attribute list, with Graph's defaults for what the form does not ask. */
export function newAttributeDefinition(input: {
  name: string;
  type: AttributeDefinition['type'];
  required: boolean;
  multivalued: boolean;
  caseExact: boolean;
}): AttributeDefinition {
  return {
    ...input,
    name: input.name.trim(),
    anchor: false,
    apiExpressions: [],
    referencedObjects: [],
    mutability: 'ReadWrite',
    flowNullValues: false,
  };
}

/** Same rule as the server's: a SCIM path, optionally under an extension URN. */
const ATTRIBUTE_NAME =
  /^(?:urn:[A-Za-z0-9._:-]+:)?[A-Za-z][A-Za-z0-9_$-]*(?:\[[A-Za-z][A-Za-z0-9_]*\s+eq\s+"[^"\\]*"\])?(?:\.[A-Za-z][A-Za-z0-9_$-]*)?$/;

export function attributeNameProblem(
  name: string,
  existing: readonly AttributeDefinition[],
): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter the attribute name.';
  if (!ATTRIBUTE_NAME.test(trimmed))
    return 'Use a SCIM attribute name such as nickName, name.middleName or urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter.';
  if (existing.some((a) => a.name.toLowerCase() === trimmed.toLowerCase()))
    return `'${trimmed}' is already in the list.`;
  return undefined;
}

export type ProblemDetail = NonNullable<ErrorBody['error']['details']>[number];

/** A save's problems sorted to where the page shows them: per attribute mapping row, per scoping filter, or for the whole mapping. */
export interface MappingProblems {
  /** Row index → problems of that attribute mapping. */
  rows: Map<number, ProblemDetail[]>;
  /** Scoping filter index → problems of that filter and its clauses. */
  scope: Map<number, ProblemDetail[]>;
  /** Problems of the object mapping itself (required attribute unmapped, no matching attribute…). */
  mapping: ProblemDetail[];
  /** Problems elsewhere in the schema (other mappings, attribute lists). */
  other: ProblemDetail[];
}

const mappingPath = (located: Pick<LocatedMapping, 'ruleIndex' | 'objectIndex'>) =>
  `synchronizationRules/${located.ruleIndex}/objectMappings/${located.objectIndex}`;

const push = <K>(map: Map<K, ProblemDetail[]>, key: K, d: ProblemDetail) =>
  map.set(key, [...(map.get(key) ?? []), d]);

/** Sorts the details of a 400 `schema.invalid` by the `target` path they name. */
export function sortProblems(
  details: readonly ProblemDetail[],
  located: Pick<LocatedMapping, 'ruleIndex' | 'objectIndex'>,
): MappingProblems {
  const prefix = mappingPath(located);
  const out: MappingProblems = { rows: new Map(), scope: new Map(), mapping: [], other: [] };
  for (const d of details) {
    const target = d.target ?? '';
    if (target !== prefix && !target.startsWith(`${prefix}/`)) {
      out.other.push(d);
      continue;
    }
    const rest = target.slice(prefix.length);
    const row = /^\/attributeMappings\/(\d+)(?:\/|$)/.exec(rest);
    const filter = /^\/scope\/groups\/(\d+)(?:\/|$)/.exec(rest);
    if (row) push(out.rows, Number(row[1]), d);
    else if (filter) push(out.scope, Number(filter[1]), d);
    else out.mapping.push(d);
  }
  return out;
}

/**
 * The problems without those of one scoping filter (edited, so they no longer apply), or of every
 * scoping filter (one was deleted, so the indexes they name have shifted).
 */
export function withoutScopeProblems(
  details: readonly ProblemDetail[],
  located: Pick<LocatedMapping, 'ruleIndex' | 'objectIndex'>,
  filterIndex?: number,
): ProblemDetail[] {
  const groups = `${mappingPath(located)}/scope/groups/`;
  return details.filter((d) => {
    const target = d.target ?? '';
    if (!target.startsWith(groups)) return true;
    if (filterIndex === undefined) return false;
    return !(target === `${groups}${filterIndex}` || target.startsWith(`${groups}${filterIndex}/`));
  });
}

/** Which form field a problem of one row belongs to, from the end of its `target`. */
export function fieldOfProblem(detail: ProblemDetail): FormField | null {
  const target = detail.target ?? '';
  if (target.endsWith('/source/expression')) return 'expression';
  if (target.endsWith('/source/name')) return 'sourceAttribute';
  if (target.endsWith('/targetAttributeName')) return 'targetAttribute';
  if (target.endsWith('/matchingPriority')) return 'matchingPrecedence';
  if (target.endsWith('/flowType')) return 'onlyOnCreate';
  if (target.endsWith('/defaultValue')) return 'defaultValue';
  return null;
}

/**
 * The `[attributes]` an expression text mentions, in order, for the test-value inputs of the
 * expression builder. String constants are skipped, so `"[not]"` is not an attribute.
 */
export function attributesInExpression(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i += 1;
    } else if (c === '[') {
      const end = text.indexOf(']', i + 1);
      if (end < 0) break;
      const name = text.slice(i + 1, end).trim();
      if (name && !out.some((n) => n.toLowerCase() === name.toLowerCase())) out.push(name);
      i = end + 1;
    } else {
      i += 1;
    }
  }
  return out;
}

/** Inserts text at a selection; returns the new text and where the caret goes. */
export function insertAt(
  text: string,
  selection: { start: number; end: number },
  insert: string,
  caretOffset = insert.length,
): { text: string; caret: number } {
  const start = Math.max(0, Math.min(selection.start, text.length));
  const end = Math.max(start, Math.min(selection.end, text.length));
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + caretOffset };
}

// ---- Source Object Scope: scoping filters ----

/** The operators of a scoping clause, with Entra's labels, in the order its list shows them. */
export const SCOPING_OPERATORS: readonly { name: string; operand: ScopingOperand }[] = scopingOperators;

/** `Greater_Than_OR_EQUALS`, `greater than or equals` and `GREATER_THAN_OR_EQUALS` are one operator, as the engine reads them. */
const operatorKey = (name: string) => name.trim().toUpperCase().replace(/_/g, ' ').replace(/\s+/g, ' ');

/** What value an operator takes; null for an operator Provisio does not know. */
export function operandOf(operator: string): ScopingOperand | null {
  const key = operatorKey(operator);
  return SCOPING_OPERATORS.find((o) => operatorKey(o.name) === key)?.operand ?? null;
}

/**
 * The source attributes a clause may test: single-valued, not references (scoping filters do not
 * support multi-valued attributes or `manager`, and Save refuses them).
 */
export function scopingAttributes(source: ObjectDefinition | null): string[] {
  return (source?.attributes ?? [])
    .filter((a) => !a.multivalued && a.type !== 'Reference')
    .map((a) => a.name);
}

/** One clause of the scoping filter form. */
export interface ClauseForm {
  attribute: string;
  operator: string;
  /** The Clause value (the first of `targetOperand.values`). */
  value: string;
  /** Further values (Graph allows several; the form edits the first), kept as they are. */
  moreValues: string[];
  /** The clause's index in the filter as saved, so that the last Save's problems stay with it; null when new. */
  origin: number | null;
}

/** Add / Edit Scoping Filter: a title and clauses, all of which must hold. */
export interface ScopingFilterForm {
  title: string;
  clauses: ClauseForm[];
}

export type ClauseField = 'attribute' | 'operator' | 'value';

export const emptyClause = (): ClauseForm => ({
  attribute: '',
  operator: 'EQUALS',
  value: '',
  moreValues: [],
  origin: null,
});

/** A new filter starts with one clause to fill in, as Entra's does. */
export const emptyScopingFilter = (): ScopingFilterForm => ({ title: '', clauses: [emptyClause()] });

/** The form showing a saved scoping filter. */
export function toScopingFilterForm(group: FilterGroup): ScopingFilterForm {
  return {
    title: group.name,
    clauses: group.clauses.map((c, i) => {
      const [value = '', ...moreValues] = c.targetOperand?.values ?? [];
      return { attribute: c.sourceOperandName, operator: c.operatorName, value, moreValues, origin: i };
    }),
  };
}

/** The scoping filter a form describes; an operator that takes no value gets none. */
export function fromScopingFilterForm(form: ScopingFilterForm): FilterGroup {
  return {
    name: form.title.trim(),
    clauses: form.clauses.map((c) => ({
      sourceOperandName: c.attribute,
      operatorName: c.operator,
      targetOperand: operandOf(c.operator) === 'none' ? null : { values: [c.value, ...c.moreValues] },
    })),
  };
}

const INTEGER = /^[+-]?\d+$/;

/** What the filter form says before Ok. */
export interface ScopingFilterProblems {
  title?: string;
  /** About the clause list as a whole. */
  clauses?: string;
  /** Per clause, per field. */
  clause: Partial<Record<ClauseField, string>>[];
}

export const hasScopingFilterProblems = (p: ScopingFilterProblems): boolean =>
  p.title !== undefined || p.clauses !== undefined || p.clause.some((c) => Object.keys(c).length > 0);

/**
 * Problems the form can see without asking the server: a title of its own, at least one clause,
 * and per clause an attribute, a known operator and the value that operator needs (a whole number
 * for Greater_Than). Regular expressions are checked at Ok by the server, with the engine that runs them.
 */
export function scopingFilterProblems(
  form: ScopingFilterForm,
  otherTitles: readonly string[],
): ScopingFilterProblems {
  const out: ScopingFilterProblems = { clause: [] };
  const title = form.title.trim();
  if (!title)
    out.title =
      'Enter a Scoping Filter Title: provisioning logs name the filter that put a user out of scope by it.';
  else if (otherTitles.some((t) => t.trim().toLowerCase() === title.toLowerCase()))
    out.title = `Another scoping filter is titled '${title}'. Give each filter its own title, so that the logs tell them apart.`;
  if (form.clauses.length === 0)
    out.clauses = 'Add a scoping clause: a filter without clauses would let every user through.';
  out.clause = form.clauses.map((c) => {
    const p: Partial<Record<ClauseField, string>> = {};
    if (!c.attribute) p.attribute = 'Pick the source attribute this clause tests.';
    const operand = operandOf(c.operator);
    if (!c.operator) p.operator = 'Pick an operator.';
    else if (operand === null)
      p.operator = `'${c.operator}' is not an operator Provisio knows. Pick one from the list.`;
    else if (operand !== 'none' && c.value === '')
      p.value = `${c.operator} compares the attribute with a value. Enter the Clause value.`;
    else if (operand === 'integer' && ![c.value, ...c.moreValues].every((v) => INTEGER.test(v.trim())))
      p.value = `${c.operator} compares whole numbers. Enter a whole number such as 100000.`;
    return p;
  });
  return out;
}

const quoted = (v: string) => `"${v}"`;

/** A clause as the filter list shows it: `department EQUALS "Sales"`, `accountEnabled IS TRUE`. */
export function clauseText(clause: FilterGroup['clauses'][number]): string {
  const head = `${clause.sourceOperandName} ${clause.operatorName}`;
  const values = clause.targetOperand?.values ?? [];
  return operandOf(clause.operatorName) === 'none' || values.length === 0
    ? head
    : `${head} ${values.map(quoted).join(' or ')}`;
}

/** What Source Object Scope shows on the page: `All records`, or how many filters and their titles. */
export function scopeSummary(scope: ScopeFilter | null): string {
  const groups = scope?.groups ?? [];
  if (groups.length === 0) return 'All records';
  return `${groups.length} scoping filter${groups.length > 1 ? 's' : ''}: ${groups.map((g) => g.name).join(', ')}`;
}

/**
 * The object mapping with new scoping filters. Graph's experimental input and category filter
 * groups are kept; with none of the three the scope is null (all records).
 */
export function withScopingFilters(mapping: ObjectMapping, groups: FilterGroup[]): ObjectMapping {
  const inputFilterGroups = mapping.scope?.inputFilterGroups ?? [];
  const categoryFilterGroups = mapping.scope?.categoryFilterGroups ?? [];
  const empty = groups.length === 0 && inputFilterGroups.length === 0 && categoryFilterGroups.length === 0;
  return { ...mapping, scope: empty ? null : { groups, inputFilterGroups, categoryFilterGroups } };
}

const scopeKey = (scope: ScopeFilter | null) => JSON.stringify(scope?.groups ?? []);

/**
 * Whether the scoping filters of any object mapping differ between two schemas: saving such a
 * change resynchronizes every assigned user and group, which the page says before it saves.
 */
export function scopeChanged(saved: SynchronizationSchema, current: SynchronizationSchema): boolean {
  const before = listObjectMappings(saved);
  const after = listObjectMappings(current);
  return Array.from({ length: Math.max(before.length, after.length) }, (_x, i) => i).some(
    (i) => scopeKey(before[i]?.mapping.scope ?? null) !== scopeKey(after[i]?.mapping.scope ?? null),
  );
}

/** Where in a scoping filter a problem of the last Save points. */
export type ScopeProblemPlace =
  { field: 'title' } | { field: 'clauses' } | { field: ClauseField; clause: number } | { field: null };

/** Reads the end of a problem's `target` (`…/scope/groups/0/clauses/1/targetOperand/values/0`). */
export function placeOfScopeProblem(detail: ProblemDetail): ScopeProblemPlace {
  const rest = /\/scope\/groups\/\d+(\/.*)?$/.exec(detail.target ?? '')?.[1] ?? '';
  if (rest === '/name') return { field: 'title' };
  if (rest === '/clauses') return { field: 'clauses' };
  const clause = /^\/clauses\/(\d+)\/(sourceOperandName|operatorName|targetOperand)(?:\/|$)/.exec(rest);
  if (!clause) return { field: null };
  const field: ClauseField =
    clause[2] === 'sourceOperandName' ? 'attribute' : clause[2] === 'operatorName' ? 'operator' : 'value';
  return { field, clause: Number(clause[1]) };
}
