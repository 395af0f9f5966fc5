import type { ExpressionValue } from '@provisio/expressions';
import { sameRoles, toScimRoles, type AppRoleFlow } from './app-role-values';
import type { TargetAttributeInfo } from './attribute-mappings';

export const SCIM_CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A target attribute path taken apart: `urn:…:User:department`, `name.givenName`, `emails[type eq "work"].value`. */
export interface TargetPath {
  /** Extension schema URN, or null for core attributes. */
  readonly schema: string | null;
  readonly attribute: string;
  readonly filter: { readonly attribute: string; readonly value: string } | null;
  readonly subAttribute: string | null;
}

const FILTERED = /^([^[\].]+)\[\s*([^\s\]]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\](?:\.(.+))?$/i;

/**
 * Paths parsed before: a cycle builds and reads the same few paths for every object. Bounded: a
 * worker that runs for months meets every path of every job's mappings, edited or not.
 */
const parsedPaths = new Map<string, TargetPath>();
const MAX_PARSED_PATHS = 1000;

/** Parses a target attribute path as mappings name them. */
export function parseTargetPath(path: string): TargetPath {
  let parsed = parsedPaths.get(path);
  if (parsed === undefined) {
    parsed = parsePath(path);
    if (parsedPaths.size < MAX_PARSED_PATHS) parsedPaths.set(path, parsed);
  }
  return parsed;
}

function parsePath(path: string): TargetPath {
  let schema: string | null = null;
  let rest = path;
  if (/^urn:/i.test(path)) {
    const bracket = path.indexOf('[');
    const head = bracket >= 0 ? path.slice(0, bracket) : path;
    const colon = head.lastIndexOf(':');
    schema = path.slice(0, colon);
    rest = path.slice(colon + 1);
    // Core attributes may be written with the core URN; they live at the top level all the same.
    if (
      schema.toLowerCase() === SCIM_CORE_USER.toLowerCase() ||
      schema.toLowerCase() === SCIM_CORE_GROUP.toLowerCase()
    ) {
      schema = null;
    }
  }
  const filtered = FILTERED.exec(rest);
  if (filtered) {
    return {
      schema,
      attribute: filtered[1] ?? rest,
      filter: { attribute: filtered[2] ?? 'type', value: (filtered[3] ?? '').replace(/\\(["\\])/g, '$1') },
      subAttribute: filtered[4] ?? null,
    };
  }
  const dot = rest.indexOf('.');
  return dot > 0
    ? { schema, attribute: rest.slice(0, dot), filter: null, subAttribute: rest.slice(dot + 1) }
    : { schema, attribute: rest, filter: null, subAttribute: null };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
function getCaseInsensitive(obj: Record<string, unknown>, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** A value as the target expects it: Boolean attributes as booleans, Integer attributes as numbers. */
export function toScimValue(path: string, value: ExpressionValue, info?: TargetAttributeInfo): unknown {
  const type = info?.type ?? (path.toLowerCase() === 'active' ? 'Boolean' : 'String');
  if (type === 'Boolean' && typeof value === 'string' && /^(true|false)$/i.test(value))
    return value.toLowerCase() === 'true';
  if (type === 'Integer' && typeof value === 'string' && /^[+-]?\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Builds the body of a create request from flat target values: core User schema (plus each
 * extension schema used), nested `name`, typed multi-valued entries such as
 * `emails: [{ type: "work", value, primary: true }]`, extension objects, `active` as a boolean.
 *
 * @example
 * toScimResource({ userName: 'a@x.io', 'name.givenName': 'A', active: 'True' }, SCIM_ENTERPRISE_USER)
 * // → { schemas: [core User], userName: 'a@x.io', name: { givenName: 'A' }, active: true }
 */
export function toScimResource(
  flat: Readonly<Record<string, ExpressionValue>>,
  targetObjectName: string,
  targetAttributes: Readonly<Record<string, TargetAttributeInfo>> = {},
  appRoleFlows: Readonly<Record<string, AppRoleFlow>> = {},
): Record<string, unknown> {
  const isGroup = /group$/i.test(targetObjectName);
  const schemas: string[] = [isGroup ? SCIM_CORE_GROUP : SCIM_CORE_USER];
  const resource: Record<string, unknown> = { schemas };
  for (const path in flat) {
    if (!Object.hasOwn(flat, path)) continue;
    const raw = flat[path]!;
    if (raw === null) continue;
    const flow = appRoleFlows[path];
    const value = flow ? toScimRoles(flow, raw) : toScimValue(path, raw, targetAttributes[path]);
    const p = parseTargetPath(path);
    let container = resource;
    if (p.schema !== null) {
      if (!schemas.includes(p.schema)) schemas.push(p.schema);
      const ext = resource[p.schema];
      container = isRecord(ext) ? ext : {};
      resource[p.schema] = container;
    }
    if (p.filter) {
      const existing = container[p.attribute];
      const list: Record<string, unknown>[] = Array.isArray(existing)
        ? (existing as Record<string, unknown>[])
        : [];
      let entry = list.find(
        (e) => String(e[p.filter!.attribute] ?? '').toLowerCase() === p.filter!.value.toLowerCase(),
      );
      if (!entry) {
        // Entra marks the entry it sends as primary: targets with one email show that one.
        entry = { [p.filter.attribute]: p.filter.value, ...(list.length === 0 ? { primary: true } : {}) };
        list.push(entry);
      }
      entry[p.subAttribute ?? 'value'] = value;
      container[p.attribute] = list;
    } else if (p.subAttribute !== null) {
      const existing = container[p.attribute];
      const nested = isRecord(existing) ? existing : {};
      nested[p.subAttribute] = value;
      container[p.attribute] = nested;
    } else {
      container[p.attribute] = value;
    }
  }
  return resource;
}

/**
 * Reads a target attribute path from a SCIM resource (a GET answer): attribute names
 * case-insensitively, extension URNs, dotted sub-attributes, `emails[type eq "work"].value`.
 * Undefined when absent.
 */
export function readScimAttribute(resource: Readonly<Record<string, unknown>>, path: string): unknown {
  const p = parseTargetPath(path);
  let container: unknown = resource;
  if (p.schema !== null) container = getCaseInsensitive(resource, p.schema);
  if (!isRecord(container)) return undefined;
  const value = getCaseInsensitive(container, p.attribute);
  if (p.filter) {
    if (!Array.isArray(value)) return undefined;
    const wanted = p.filter.value.toLowerCase();
    const entry = value.find(
      (e) => isRecord(e) && String(getCaseInsensitive(e, p.filter!.attribute) ?? '').toLowerCase() === wanted,
    );
    if (!isRecord(entry)) return undefined;
    return getCaseInsensitive(entry, p.subAttribute ?? 'value');
  }
  if (p.subAttribute !== null) return isRecord(value) ? getCaseInsensitive(value, p.subAttribute) : undefined;
  return value;
}

/** Reads several paths at once: path → value (undefined when absent). */
export function readScimAttributes(
  resource: Readonly<Record<string, unknown>>,
  paths: Iterable<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) out[path] = readScimAttribute(resource, path);
  return out;
}

/**
 * A resource flattened to the paths mappings use, for the matching step of a provisioning
 * event: top-level values, `name.givenName`, `emails[type eq "work"].value`, `urn:…:department`.
 */
export function flattenScimResource(resource: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, v: unknown) => {
    if (v === null || v === undefined || v === '') return;
    out[key] =
      typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'schemas' || k === 'meta') continue;
      if (/^urn:/i.test(k) && isRecord(v)) {
        walk(v, `${k}:`);
      } else if (isRecord(v)) {
        for (const [sk, sv] of Object.entries(v)) put(`${prefix}${k}.${sk}`, sv);
      } else if (Array.isArray(v) && v.every((e) => isRecord(e) && typeof e.type === 'string')) {
        for (const e of v as Record<string, unknown>[])
          put(`${prefix}${k}[type eq "${String(e.type)}"].value`, e.value);
      } else {
        put(`${prefix}${k}`, v);
      }
    }
  };
  walk(resource, '');
  return out;
}

/** One attribute that differs between what the source says and what the target has. */
export interface AttributeDiff {
  path: string;
  oldValue: unknown;
  newValue: ExpressionValue;
}

const BOOLEAN_TEXT = /^(true|false)$/i;

function scalarKey(v: unknown, caseExact: boolean): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return caseExact && !BOOLEAN_TEXT.test(v) ? v : v.toLowerCase();
  return JSON.stringify(v);
}

const absent = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** Whether a target value already equals the desired one (see {@link diffAttributes} for the rules). */
export function sameValue(desired: unknown, current: unknown, caseExact: boolean): boolean {
  if (absent(desired) || absent(current)) return absent(desired) && absent(current);
  if (Array.isArray(desired) || Array.isArray(current)) {
    const a = (Array.isArray(desired) ? desired : [desired]).map((x) => scalarKey(x, caseExact)).sort();
    const b = (Array.isArray(current) ? current : [current]).map((x) => scalarKey(x, caseExact)).sort();
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return scalarKey(desired, caseExact) === scalarKey(current, caseExact);
}

/**
 * The attributes whose desired value differs from the target's. Strings compare
 * case-insensitively unless the target attribute is `caseExact` (as Entra does: set Exact case
 * to re-case existing values); booleans equal their "True"/"False" strings; numbers their text;
 * multi-valued attributes compare as sets; an app role attribute compares its role names (see
 * {@link sameRoles}).
 *
 * @example
 * diffAttributes({ active: 'True', userName: 'A@x.io' }, { active: true, userName: 'a@x.io' }, {}) // → []
 */
export function diffAttributes(
  desired: Readonly<Record<string, ExpressionValue>>,
  current: Readonly<Record<string, unknown>>,
  caseExactByPath: Readonly<Record<string, boolean>> = {},
  appRoleFlows: Readonly<Record<string, AppRoleFlow>> = {},
): AttributeDiff[] {
  const out: AttributeDiff[] = [];
  for (const [path, newValue] of Object.entries(desired)) {
    const oldValue = current[path];
    const flow = appRoleFlows[path];
    const same = flow
      ? sameRoles(flow, newValue, oldValue)
      : sameValue(newValue, oldValue, caseExactByPath[path] === true);
    if (!same) out.push({ path, oldValue, newValue });
  }
  return out;
}
