import { SOURCE_SYSTEM_NAME } from '@provisio/engine';
import type { ProvisioningAction, ProvisioningResult } from '@provisio/contracts';
import type { AuditEventFilter, ProvisioningEventFilter } from '@provisio/db';
import {
  conjuncts,
  disjuncts,
  FilterError,
  parseFilter,
  toIsoInstant,
  type CompareOp,
  type FilterNode,
  type Literal,
  type PropertyRef,
} from './odata-filter';

type TimeCondition = { op: 'gt' | 'ge' | 'lt' | 'le' | 'eq'; value: string };

const STATUSES: readonly ProvisioningResult[] = ['success', 'warning', 'failure', 'skipped'];
const ACTIONS: readonly ProvisioningAction[] = [
  'create',
  'update',
  'delete',
  'stagedDelete',
  'disable',
  'other',
];

/**
 * How a property may be filtered on:
 * - `enum`: eq, ne, in, and `or` of eq (a closed set of values)
 * - `list`: eq, in, and `or` of eq (ids)
 * - `single`: eq with one value
 * - `time`: eq, gt, ge, lt, le with a date
 * - `text`: contains(...) only
 */
type Spec =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list' }
  | { kind: 'single' }
  | { kind: 'time' }
  | { kind: 'text' };

/** A condition on one property, once parsed: what a repository filter is built from. */
type Condition =
  | { kind: 'values'; values: string[] }
  | { kind: 'time'; op: TimeCondition['op']; value: string }
  | { kind: 'contains'; value: string };

interface Vocabulary {
  /** Property path (exact case, as Graph spells it) → how it can be filtered. */
  properties: Record<string, Spec>;
  /** Collections usable with `any`, and the properties inside them. */
  lambdas?: Record<string, Record<string, Spec>>;
  example: string;
}

function supportedList(vocabulary: Vocabulary): string {
  const lambdas = Object.entries(vocabulary.lambdas ?? {}).flatMap(([collection, inner]) =>
    Object.keys(inner).map((p) => `${collection}/any(t: t/${p} eq '…')`),
  );
  return [...Object.keys(vocabulary.properties), ...lambdas].join(', ');
}

/** Parses a `$filter` and folds its conditions per property (ANDed across properties). */
function collectConditions(text: string, vocabulary: Vocabulary): Map<string, Condition[]> {
  const byProperty = new Map<string, Condition[]>();
  const add = (path: string, condition: Condition) => {
    const list = byProperty.get(path) ?? [];
    list.push(condition);
    byProperty.set(path, list);
  };

  const resolve = (
    ref: PropertyRef,
    scope: Record<string, Spec>,
    prefix = '',
  ): { path: string; spec: Spec } => {
    const key = Object.keys(scope).find((k) => k.toLowerCase() === ref.path.toLowerCase());
    if (!key) {
      throw new FilterError(
        `Unknown property '${prefix}${ref.path}' at position ${ref.position}. Supported properties: ${supportedList(vocabulary)}.`,
        ref.position,
      );
    }
    return { path: `${prefix}${key}`, spec: scope[key]! };
  };

  const leaf = (node: FilterNode, scope: Record<string, Spec>, prefix = ''): void => {
    switch (node.kind) {
      case 'compare': {
        const { path, spec } = resolve(node.property, scope, prefix);
        add(path, compareCondition(path, spec, node.op, node.value));
        return;
      }
      case 'in': {
        const { path, spec } = resolve(node.property, scope, prefix);
        if (spec.kind === 'time' || spec.kind === 'text') {
          throw new FilterError(
            `'in' cannot be used with ${path} (position ${node.position}).`,
            node.position,
          );
        }
        add(path, { kind: 'values', values: node.values.map((v) => valueOf(path, spec, v)) });
        return;
      }
      case 'function': {
        const { path, spec } = resolve(node.property, scope, prefix);
        if (node.name !== 'contains' || spec.kind !== 'text') {
          const textProps = Object.entries(scope)
            .filter(([, s]) => s.kind === 'text')
            .map(([p]) => `${prefix}${p}`);
          throw new FilterError(
            `${node.name}(${path}, …) at position ${node.position} is not supported.` +
              (textProps.length ? ` contains(...) works with ${textProps.join(' and ')}.` : '') +
              (spec.kind !== 'text' ? ` Compare ${path} with eq instead.` : ''),
            node.position,
          );
        }
        add(path, { kind: 'contains', value: stringOf(path, node.value) });
        return;
      }
      case 'any': {
        const collection = Object.keys(vocabulary.lambdas ?? {}).find(
          (c) => c.toLowerCase() === node.collection.toLowerCase(),
        );
        if (!collection) {
          throw new FilterError(
            `any() on '${node.collection}' at position ${node.position} is not supported. Supported properties: ${supportedList(vocabulary)}.`,
            node.position,
          );
        }
        const inner = vocabulary.lambdas![collection]!;
        for (const c of conjuncts(node.predicate)) {
          const alternatives = disjuncts(c);
          if (alternatives.length > 1) {
            throw new FilterError(
              `'or' inside any(...) is not supported (position ${c.position}).`,
              c.position,
            );
          }
          leaf(c, inner, `${collection}/`);
        }
        return;
      }
      default:
        throw new FilterError(`Unexpected '${node.kind}' at position ${node.position}.`, node.position);
    }
  };

  const tree = parseFilter(text);
  for (const part of conjuncts(tree)) {
    const alternatives = disjuncts(part);
    if (alternatives.length === 1) {
      leaf(part, vocabulary.properties);
      continue;
    }
    // `a eq 'x' or a eq 'y'` on one property is a list of values; anything else is not expressible.
    let first: { path: string; spec: Spec } | null = null;
    const values: string[] = [];
    for (const alt of alternatives) {
      if (alt.kind === 'and') {
        throw new FilterError(
          `'and' inside 'or' (position ${alt.position}) is not supported. Write the filter as conditions joined by 'and', where each 'or' lists values of one property.`,
          alt.position,
        );
      }
      if (!(alt.kind === 'compare' && alt.op === 'eq') && alt.kind !== 'in') {
        throw new FilterError(
          `Only eq conditions can be joined with 'or' (position ${alt.position}), e.g. (provisioningAction eq 'create' or provisioningAction eq 'update').`,
          alt.position,
        );
      }
      const resolved = resolve(alt.property, vocabulary.properties);
      if (first && first.path !== resolved.path) {
        throw new FilterError(
          `'or' across different properties (${first.path} and ${resolved.path}, position ${alt.position}) is not supported. ` +
            `'or' may only list values of one property, e.g. (provisioningStatusInfo/status eq 'failure' or provisioningStatusInfo/status eq 'warning'); make one request per property instead.`,
          alt.position,
        );
      }
      first = resolved;
      if (resolved.spec.kind === 'time' || resolved.spec.kind === 'text') {
        throw new FilterError(
          `${resolved.path} cannot be joined with 'or' (position ${alt.position}).`,
          alt.position,
        );
      }
      const literals = alt.kind === 'in' ? alt.values : [alt.value];
      for (const l of literals) values.push(valueOf(resolved.path, resolved.spec, l));
    }
    add(first!.path, { kind: 'values', values });
  }
  return byProperty;
}

function stringOf(path: string, literal: Literal): string {
  if (literal.type === 'string' || literal.type === 'guid') return String(literal.value);
  throw new FilterError(
    `${path} needs a text value in single quotes at position ${literal.position}, e.g. '${literal.raw}'.`,
    literal.position,
  );
}

function valueOf(path: string, spec: Spec, literal: Literal): string {
  const text = stringOf(path, literal);
  if (spec.kind !== 'enum') return text;
  const known = spec.values.find((v) => v.toLowerCase() === text.toLowerCase());
  if (!known) {
    throw new FilterError(
      `'${text}' (position ${literal.position}) is not a value of ${path}. Use one of: ${spec.values.join(', ')}.`,
      literal.position,
    );
  }
  return known;
}

function compareCondition(path: string, spec: Spec, op: CompareOp, literal: Literal): Condition {
  switch (spec.kind) {
    case 'time': {
      if (op === 'ne')
        throw new FilterError(
          `${path} cannot be compared with ne (position ${literal.position}); use gt, ge, lt, le or eq.`,
          literal.position,
        );
      const value = toIsoInstant(literal);
      if (!value) {
        throw new FilterError(
          `${path} needs a date such as 2026-11-01T00:00:00Z or 2026-11-01 at position ${literal.position}, found ${literal.raw}.`,
          literal.position,
        );
      }
      return { kind: 'time', op, value };
    }
    case 'text':
      throw new FilterError(
        `${path} is searched with contains(${path}, 'text'), not ${op} (position ${literal.position}).`,
        literal.position,
      );
    case 'enum': {
      if (op !== 'eq' && op !== 'ne') {
        throw new FilterError(
          `${path} can only be compared with eq or ne (position ${literal.position}).`,
          literal.position,
        );
      }
      const value = valueOf(path, spec, literal);
      return { kind: 'values', values: op === 'eq' ? [value] : spec.values.filter((v) => v !== value) };
    }
    default:
      if (op !== 'eq')
        throw new FilterError(
          `${path} can only be compared with eq (position ${literal.position}).`,
          literal.position,
        );
      return { kind: 'values', values: [valueOf(path, spec, literal)] };
  }
}

/** ANDed value lists: the values every condition allows. */
function intersect(conditions: Condition[]): string[] | undefined {
  let out: string[] | undefined;
  for (const c of conditions) {
    if (c.kind !== 'values') continue;
    out = out === undefined ? [...new Set(c.values)] : out.filter((v) => c.values.includes(v));
  }
  return out;
}

function times(conditions: Condition[] | undefined): TimeCondition[] | undefined {
  const out = (conditions ?? []).flatMap((c) => (c.kind === 'time' ? [{ op: c.op, value: c.value }] : []));
  return out.length ? out : undefined;
}

// ---- provisioning logs ----

const provisioningVocabulary: Vocabulary = {
  properties: {
    'provisioningStatusInfo/status': { kind: 'enum', values: STATUSES },
    provisioningAction: { kind: 'enum', values: ACTIONS },
    activityDateTime: { kind: 'time' },
    'servicePrincipal/id': { kind: 'single' },
    jobId: { kind: 'single' },
    cycleId: { kind: 'single' },
    changeId: { kind: 'single' },
    id: { kind: 'list' },
    'sourceIdentity/id': { kind: 'single' },
    'targetIdentity/id': { kind: 'single' },
    'sourceIdentity/displayName': { kind: 'text' },
    'targetIdentity/displayName': { kind: 'text' },
    'sourceSystem/displayName': { kind: 'single' },
    'targetSystem/displayName': { kind: 'single' },
  },
  example: "provisioningAction eq 'create' and activityDateTime gt 2026-11-01T00:00:00Z",
};

export const PROVISIONING_FILTER_PROPERTIES = supportedList(provisioningVocabulary);

export interface MappedFilter<T> {
  filter: T;
  /** The conditions contradict each other (e.g. `jobId eq 'a' and jobId eq 'b'`): the answer is empty. */
  matchesNothing: boolean;
}

/**
 * Maps a provisioning log `$filter` onto the events repository's filter.
 *
 * @example toProvisioningEventFilter("provisioningStatusInfo/status eq 'failure' and jobId eq 'scim.1'")
 *   // { filter: { statuses: ['failure'], jobId: 'scim.1' }, matchesNothing: false }
 */
export function toProvisioningEventFilter(text: string | undefined): MappedFilter<ProvisioningEventFilter> {
  const filter: ProvisioningEventFilter = {};
  if (text === undefined || text.trim() === '') return { filter, matchesNothing: false };
  const conditions = collectConditions(text, provisioningVocabulary);
  let matchesNothing = false;

  const list = (path: string): string[] | undefined => {
    const c = conditions.get(path);
    if (!c) return undefined;
    const values = intersect(c);
    if (values && values.length === 0) matchesNothing = true;
    return values;
  };
  const single = (path: string): string | undefined => {
    const values = list(path);
    if (values === undefined) return undefined;
    if (values.length > 1) {
      throw new FilterError(`${path} takes one value; make one request per value.`, 1);
    }
    return values[0];
  };

  const statuses = list('provisioningStatusInfo/status');
  if (statuses?.length) filter.statuses = statuses as ProvisioningResult[];
  const actions = list('provisioningAction');
  if (actions?.length) filter.actions = actions as ProvisioningAction[];
  // Provisio's own ids are lower-case GUIDs (and `scim.<hex>` job ids), which Graph compares without
  // regard to case; the application's ids (`targetIdentity/id`) are compared as given.
  const ids = list('id');
  if (ids?.length) filter.ids = ids.map((id) => id.toLowerCase());
  const time = times(conditions.get('activityDateTime'));
  if (time) filter.time = time;
  const ownIds: [string, 'servicePrincipalId' | 'jobId' | 'cycleId' | 'changeId' | 'sourceId'][] = [
    ['servicePrincipal/id', 'servicePrincipalId'],
    ['jobId', 'jobId'],
    ['cycleId', 'cycleId'],
    ['changeId', 'changeId'],
    ['sourceIdentity/id', 'sourceId'],
  ];
  for (const [path, field] of ownIds) {
    const v = single(path);
    if (v !== undefined) filter[field] = v.toLowerCase();
  }
  const targetId = single('targetIdentity/id');
  if (targetId !== undefined) filter.targetId = targetId;
  // Every event comes from the one directory: its name matches all of them, any other none.
  const sourceSystem = single('sourceSystem/displayName');
  if (sourceSystem !== undefined && sourceSystem !== SOURCE_SYSTEM_NAME) matchesNothing = true;
  const targetSystem = single('targetSystem/displayName');
  if (targetSystem !== undefined) filter.targetSystemName = targetSystem;
  const texts = [
    ...(conditions.get('sourceIdentity/displayName') ?? []),
    ...(conditions.get('targetIdentity/displayName') ?? []),
  ].flatMap((c) => (c.kind === 'contains' ? [c.value] : []));
  const distinct = [...new Set(texts.map((t) => t.toLowerCase()))];
  if (distinct.length > 1) {
    throw new FilterError(
      'Only one text can be searched for at a time: the identity search looks at source and target names and ids together. Use one contains(...) text.',
      1,
    );
  }
  if (texts[0] !== undefined) filter.identityContains = texts[0];
  return { filter, matchesNothing };
}

// ---- audit logs ----

const auditVocabulary: Vocabulary = {
  properties: {
    activityDisplayName: { kind: 'single' },
    category: { kind: 'single' },
    activityDateTime: { kind: 'time' },
    loggedByService: { kind: 'single' },
    result: { kind: 'enum', values: ['success', 'failure'] },
    // Graph's paths to who initiated an event, and our shorthand for either: one display name.
    'initiatedBy/user/displayName': { kind: 'single' },
    'initiatedBy/user/userPrincipalName': { kind: 'single' },
    'initiatedBy/app/displayName': { kind: 'single' },
    initiatedBy: { kind: 'single' },
  },
  lambdas: { targetResources: { id: { kind: 'single' }, displayName: { kind: 'single' } } },
  example: "category eq 'ProvisioningManagement' and activityDateTime gt 2026-11-01",
};

export const AUDIT_FILTER_PROPERTIES = supportedList(auditVocabulary);

/**
 * Maps an audit log `$filter` onto the events repository's audit filter.
 *
 * @example toAuditEventFilter("targetResources/any(t: t/id eq '42') and category eq 'ProvisioningManagement'")
 */
export function toAuditEventFilter(text: string | undefined): MappedFilter<AuditEventFilter> {
  const filter: AuditEventFilter = {};
  if (text === undefined || text.trim() === '') return { filter, matchesNothing: false };
  const conditions = collectConditions(text, auditVocabulary);
  let matchesNothing = false;
  const single = (path: string): string | undefined => {
    const c = conditions.get(path);
    if (!c) return undefined;
    const values = intersect(c) ?? [];
    if (values.length === 0) {
      matchesNothing = true;
      return undefined;
    }
    if (values.length > 1) throw new FilterError(`${path} takes one value; make one request per value.`, 1);
    return values[0];
  };
  const activity = single('activityDisplayName');
  if (activity !== undefined) filter.activity = activity;
  const category = single('category');
  if (category !== undefined) filter.category = category;
  const targetId = single('targetResources/id');
  if (targetId !== undefined) filter.targetId = targetId;
  const targetName = single('targetResources/displayName');
  if (targetName !== undefined) filter.targetName = targetName;
  const service = single('loggedByService');
  if (service !== undefined) filter.service = service;
  const result = single('result');
  if (result !== undefined) filter.result = result as 'success' | 'failure';
  const initiators = [
    'initiatedBy',
    'initiatedBy/user/displayName',
    'initiatedBy/user/userPrincipalName',
    'initiatedBy/app/displayName',
  ].flatMap((path) => {
    const v = single(path);
    return v === undefined ? [] : [v];
  });
  if (new Set(initiators).size > 1) matchesNothing = true;
  if (initiators[0] !== undefined) filter.initiatedBy = initiators[0];
  const time = times(conditions.get('activityDateTime'));
  if (time) filter.time = time;
  return { filter, matchesNothing };
}
