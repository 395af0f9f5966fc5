import type { DirectoryCondition } from '@provisio/db';
import { FilterError, parseFilter, type FilterNode, type Literal, type PropertyRef } from './odata-filter';

/**
 * What `$filter`, `$search` and `$select` may name on one kind of directory object, spelt as
 * Graph spells it.
 */
export interface DirectoryVocabulary {
  /** Text properties: eq, startswith, in. */
  text: readonly string[];
  /** Boolean properties: eq true/false. */
  boolean: readonly string[];
  /** `appRoleAssignments/any(a: a/resourceId eq '{servicePrincipalId}')` (users). */
  assignments: boolean;
  /** What a `$search` without a property looks in. */
  searchDefault: readonly string[];
  /** What `"property:text"` may name. */
  searchable: readonly string[];
}

export const USER_VOCABULARY: DirectoryVocabulary = {
  text: [
    'id',
    'userPrincipalName',
    'displayName',
    'mail',
    'givenName',
    'surname',
    'department',
    'jobTitle',
    'employeeId',
    'mailNickname',
  ],
  boolean: ['accountEnabled'],
  assignments: true,
  searchDefault: ['displayName', 'userPrincipalName', 'mail', 'employeeId'],
  searchable: [
    'displayName',
    'userPrincipalName',
    'mail',
    'employeeId',
    'givenName',
    'surname',
    'mailNickname',
  ],
};

export const GROUP_VOCABULARY: DirectoryVocabulary = {
  text: ['id', 'displayName', 'mailNickname'],
  boolean: [],
  assignments: false,
  searchDefault: ['displayName', 'mailNickname'],
  searchable: ['displayName', 'mailNickname', 'description'],
};

const ASSIGNMENTS = 'appRoleAssignments';

export function supportedFilterProperties(v: DirectoryVocabulary): string {
  return [
    ...v.text,
    ...v.boolean,
    ...(v.assignments ? [`${ASSIGNMENTS}/any(a: a/resourceId eq '{id}')`] : []),
  ].join(', ');
}

function find(list: readonly string[], name: string): string | undefined {
  return list.find((p) => p.toLowerCase() === name.toLowerCase());
}

function textOf(path: string, literal: Literal): string {
  if (literal.type === 'string' || literal.type === 'guid') return String(literal.value);
  throw new FilterError(
    `${path} needs a text value in single quotes at position ${literal.position}, e.g. ${path} eq '${literal.raw}'.`,
    literal.position,
  );
}

function property(ref: PropertyRef, v: DirectoryVocabulary): { name: string; boolean: boolean } {
  const text = find(v.text, ref.path);
  const bool = find(v.boolean, ref.path);
  if (!text && !bool) {
    throw new FilterError(
      `Unknown property '${ref.path}' at position ${ref.position}. Supported properties: ${supportedFilterProperties(v)}.`,
      ref.position,
    );
  }
  return { name: (text ?? bool)!, boolean: !text };
}

function equals(ref: PropertyRef, literal: Literal, v: DirectoryVocabulary): DirectoryCondition {
  const p = property(ref, v);
  if (p.boolean) {
    if (literal.type !== 'boolean') {
      throw new FilterError(
        `${p.name} is true or false (position ${literal.position}), e.g. ${p.name} eq false.`,
        literal.position,
      );
    }
    return { kind: 'eq', property: p.name, value: literal.value as boolean };
  }
  if (literal.type === 'null') return { kind: 'eq', property: p.name, value: null };
  return { kind: 'eq', property: p.name, value: textOf(p.name, literal) };
}

function assignment(node: Extract<FilterNode, { kind: 'any' }>, v: DirectoryVocabulary): DirectoryCondition {
  const p = node.predicate;
  if (
    !v.assignments ||
    node.collection.toLowerCase() !== ASSIGNMENTS.toLowerCase() ||
    p.kind !== 'compare' ||
    p.op !== 'eq' ||
    p.property.path.toLowerCase() !== 'resourceid'
  ) {
    throw new FilterError(
      `any() at position ${node.position} is not supported here. Supported properties: ${supportedFilterProperties(v)}.`,
      node.position,
    );
  }
  return { kind: 'assignedTo', servicePrincipalId: textOf('resourceId', p.value) };
}

function toCondition(node: FilterNode, v: DirectoryVocabulary): DirectoryCondition {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, conditions: [toCondition(node.left, v), toCondition(node.right, v)] };
    case 'compare':
      if (node.op !== 'eq') {
        throw new FilterError(
          `'${node.op}' at position ${node.position} is not supported on the directory: use eq or startswith(...).`,
          node.position,
        );
      }
      return equals(node.property, node.value, v);
    case 'in':
      return { kind: 'or', conditions: node.values.map((value) => equals(node.property, value, v)) };
    case 'function': {
      const p = property(node.property, v);
      if (node.name !== 'startswith' || p.boolean) {
        throw new FilterError(
          `${node.name}(${p.name}, …) at position ${node.position} is not supported: use startswith on a text property, or $search to find text anywhere.`,
          node.position,
        );
      }
      return { kind: 'startsWith', property: p.name, value: textOf(p.name, node.value) };
    }
    case 'any':
      return assignment(node, v);
  }
}

/**
 * A `$filter` on users or groups as a repository condition.
 *
 * @example parseDirectoryFilter("department eq 'Sales' and startswith(displayName,'Ad')", USER_VOCABULARY)
 */
export function parseDirectoryFilter(text: string, vocabulary: DirectoryVocabulary): DirectoryCondition {
  return toCondition(parseFilter(text), vocabulary);
}

/** A problem of `$search` or `$select`; the message names the parameter's supported properties. */
export class DirectoryParameterError extends Error {
  override readonly name = 'DirectoryParameterError';
}

/**
 * Graph's `$search`: `"displayName:ada"` looks in one property, plain text (quoted or not) in the
 * vocabulary's default properties. Matching is case-insensitive and anywhere in the text. An
 * unquoted `word:text` whose word is no property is plain text (a portal search box sends what
 * was typed); a quoted one names a property, and an unknown one is an error.
 */
export function parseDirectorySearch(
  search: string | undefined,
  v: DirectoryVocabulary,
): { text: string; properties: readonly string[] } | undefined {
  if (search === undefined) return undefined;
  const trimmed = search.trim();
  const quoted = /^"(.*)"$/.exec(trimmed);
  const unquoted = quoted ? quoted[1]! : trimmed;
  const clause = /^(\w+):(.*)$/.exec(unquoted);
  const name = clause ? find(v.searchable, clause[1]!) : undefined;
  if (clause && !name && quoted) {
    throw new DirectoryParameterError(
      `$search: '${clause[1]}' cannot be searched. Supported properties: ${v.searchable.join(', ')}; or search without a property, e.g. "ada".`,
    );
  }
  const text = (name ? clause![2]! : unquoted).trim();
  if (text === '') return undefined;
  return { text, properties: name ? [name] : v.searchDefault };
}

const EXTENSION = /^extension_[0-9a-f]+_\w+$/i;

/** Graph's `$select`: the properties to return, as Graph spells them; `id` always comes back. */
export function parseDirectorySelect(
  select: string | undefined,
  properties: readonly string[],
): string[] | null {
  if (select === undefined || select.trim() === '') return null;
  const out = new Set<string>(['id']);
  for (const raw of select.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    const known = find(properties, name) ?? (EXTENSION.test(name) ? name : undefined);
    if (!known) {
      throw new DirectoryParameterError(
        `$select: '${name}' is not a property. Supported properties: ${properties.join(', ')}.`,
      );
    }
    out.add(known);
  }
  return [...out];
}

/** An object with only the selected properties (all of them without `$select`). */
export function selectProperties<T extends { id: string }>(
  object: T,
  select: readonly string[] | null,
): Partial<T> & { id: string } {
  if (!select) return object;
  const out: Record<string, unknown> = {};
  for (const key of select) if (key in object) out[key] = (object as Record<string, unknown>)[key];
  return out as Partial<T> & { id: string };
}
