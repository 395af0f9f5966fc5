// PATCH (RFC 7644 §3.5.2) over a canonical stored document. Operations are applied in order to a
// working copy; the caller re-normalizes the result (so `"False"` becomes false and a bare manager id
// becomes `{value}`) before storing it, and nothing is stored if any operation fails.

import { looksLikeUrn, resolveAttrPath, splitSchemaPrefix } from './attribute-paths';
import { invalidPath, invalidSyntax, invalidValue, mutability, noTarget, ScimError } from './errors';
import { equalityTemplate, matches, parseValueFilter, type FilterNode } from './filter';
import { assertExtensionAllowed, type Doc, type ScimContext } from './resources';
import { PATCH_OP_SCHEMA, type AttributeDef } from './schemas';

type Op = 'add' | 'replace' | 'remove';

interface PatchTarget {
  container: string | null;
  attr: AttributeDef;
  filter: FilterNode | undefined;
  sub: AttributeDef | undefined;
  path: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a PatchOp body and applies its operations to `doc` (mutated and returned). */
export function applyPatch(ctx: ScimContext, doc: Doc, body: unknown): Doc {
  if (!isObject(body)) throw invalidSyntax('The request body must be a PatchOp JSON object.');
  const schemas = body.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())
  ) {
    throw invalidSyntax(`'schemas' must contain ${PATCH_OP_SCHEMA}.`);
  }
  const ops = body.Operations ?? body.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw invalidSyntax("'Operations' must be a non-empty array.");
  ops.forEach((raw: unknown, index) => {
    if (!isObject(raw)) throw invalidSyntax(`Operation ${index + 1} is not an object.`);
    const opName = typeof raw.op === 'string' ? raw.op.toLowerCase() : '';
    if (opName !== 'add' && opName !== 'replace' && opName !== 'remove') {
      throw invalidSyntax(`Operation ${index + 1}: 'op' must be add, replace or remove (any case).`);
    }
    const op = opName as Op;
    const path = raw.path;
    if (path !== undefined && path !== null && typeof path !== 'string')
      throw invalidPath(`Operation ${index + 1}: 'path' must be a string.`);
    const hasPath = typeof path === 'string' && path.trim() !== '';
    if (op !== 'remove' && !('value' in raw))
      throw invalidSyntax(`Operation ${index + 1}: '${op}' needs a 'value'.`);
    if (!hasPath) {
      if (op === 'remove') throw noTarget(`Operation ${index + 1}: 'remove' needs a 'path'.`);
      applyWithoutPath(ctx, doc, op, raw.value);
    } else {
      const trimmed = path.trim();
      if (looksLikeUrn(trimmed)) assertExtensionAllowed(ctx, trimmed);
      const whole = looksLikeUrn(trimmed) ? splitSchemaPrefix(ctx, trimmed) : null;
      if (whole && whole.rest === '') {
        // The path names a whole schema: its attributes are the keys of the value.
        if (op === 'remove') {
          if (whole.isExtension) delete doc[whole.schema.id];
          else throw invalidPath(`'${trimmed}': the core schema cannot be removed.`);
        } else
          applyWithoutPath(ctx, doc, op, whole.isExtension ? { [whole.schema.id]: raw.value } : raw.value);
      } else applyOp(doc, op, parsePatchPath(ctx, trimmed), raw.value);
    }
  });
  return doc;
}

/** `add`/`replace` without a path: the value is a resource fragment, keys may be dotted or URN-prefixed. */
function applyWithoutPath(ctx: ScimContext, doc: Doc, op: Op, value: unknown): void {
  if (!isObject(value)) throw invalidValue(`'${op}' without a path needs an object value.`);
  for (const [key, v] of Object.entries(value)) {
    if (key.toLowerCase() === 'schemas') continue;
    if (looksLikeUrn(key)) {
      assertExtensionAllowed(ctx, key);
      const split = splitSchemaPrefix(ctx, key);
      if (split && split.rest === '') {
        if (!split.isExtension) continue;
        if (!isObject(v)) throw invalidValue(`'${split.schema.id}' must be an object.`);
        for (const [k2, v2] of Object.entries(v)) {
          applyOp(doc, op, parsePatchPath(ctx, `${split.schema.id}:${k2}`), v2);
        }
        continue;
      }
    }
    applyOp(doc, op, parsePatchPath(ctx, key), v);
  }
}

/** Splits `attr[filter].sub` honouring quoted strings inside the brackets. */
function splitValuePath(path: string): { attrPart: string; filterPart?: string; subPart?: string } {
  const open = path.indexOf('[');
  if (open < 0) return { attrPart: path };
  let i = open + 1;
  let inString = false;
  for (; i < path.length; i++) {
    const c = path[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') break;
  }
  if (i >= path.length) throw invalidPath(`'${path}': missing ']'.`);
  const rest = path.slice(i + 1);
  if (rest !== '' && !rest.startsWith('.')) throw invalidPath(`'${path}': unexpected text after ']'.`);
  return {
    attrPart: path.slice(0, open),
    filterPart: path.slice(open + 1, i),
    subPart: rest === '' ? undefined : rest.slice(1),
  };
}

export function parsePatchPath(ctx: ScimContext, path: string): PatchTarget {
  const { attrPart, filterPart, subPart } = splitValuePath(path);
  if (looksLikeUrn(attrPart)) assertExtensionAllowed(ctx, attrPart);
  const r = resolveAttrPath(ctx, attrPart);
  if (!r) throw invalidPath(`'${path}' does not name an attribute of ${ctx.type.kind}.`);
  if (r.attr.mutability === 'readOnly' || (r.common && r.attr.name !== 'externalId')) {
    throw mutability(`'${r.attr.name}' is read-only.`);
  }
  let filter: FilterNode | undefined;
  let sub = r.sub;
  if (filterPart !== undefined) {
    if (r.sub || !r.attr.multiValued || r.attr.type !== 'complex') {
      throw invalidPath(`'${path}': only multi-valued complex attributes take a [filter].`);
    }
    try {
      filter = parseValueFilter(ctx, filterPart, r.attr);
    } catch (e) {
      if (e instanceof ScimError) throw invalidPath(`'${path}': ${e.message}`);
      throw e;
    }
    if (subPart !== undefined) {
      sub = r.attr.subByName?.get(subPart.toLowerCase());
      if (!sub) throw invalidPath(`'${path}': '${subPart}' is not a sub-attribute of '${r.attr.name}'.`);
    }
  }
  if (sub && sub.mutability === 'readOnly') throw mutability(`'${r.attr.name}.${sub.name}' is read-only.`);
  return { container: r.container, attr: r.attr, filter, sub, path };
}

/** Maps the keys of a complex value (or of each element) to canonical sub-attribute names. */
function canonicalize(def: AttributeDef, value: unknown): unknown {
  if (def.type !== 'complex' || !def.subByName) return value;
  const one = (v: unknown): unknown => {
    if (!isObject(v)) return v;
    const out: Doc = {};
    for (const [k, sv] of Object.entries(v)) {
      const sub = def.subByName!.get(k.toLowerCase());
      if (!sub) throw invalidPath(`'${k}' is not a sub-attribute of '${def.name}'.`);
      out[sub.name] = sv;
    }
    return out;
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function sameElement(def: AttributeDef, a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) {
    if (a.value === undefined && b.value === undefined) return JSON.stringify(a) === JSON.stringify(b);
    const va =
      typeof a.value === 'string' && !def.subByName?.get('value')?.caseExact
        ? a.value.toLowerCase()
        : a.value;
    const vb =
      typeof b.value === 'string' && !def.subByName?.get('value')?.caseExact
        ? b.value.toLowerCase()
        : b.value;
    // Members are identified by id alone; other multi-valued values by value and type.
    return va === vb && (def.name === 'members' || (a.type ?? null) === (b.type ?? null));
  }
  return a === b;
}

function applyOp(doc: Doc, op: Op, t: PatchTarget, rawValue: unknown): void {
  const value = t.sub ? rawValue : canonicalize(t.attr, rawValue);
  let holder: Doc;
  if (t.container) {
    const existing = doc[t.container];
    if (!isObject(existing)) {
      if (op === 'remove') return;
      doc[t.container] = holder = {};
    } else holder = existing;
  } else holder = doc;
  const name = t.attr.name;
  const current = holder[name];

  if (t.filter) {
    const arr = Array.isArray(current) ? (current as unknown[]) : [];
    const hits = arr.filter((el) => matches(t.filter!, el));
    if (op === 'remove') {
      if (t.sub) for (const el of hits) delete (el as Doc)[t.sub.name];
      else holder[name] = arr.filter((el) => !hits.includes(el));
    } else if (hits.length === 0) {
      // Entra replaces `emails[type eq "work"].value` on users that have no work email yet; RFC 7644
      // says noTarget, but an all-`eq` filter describes the element to create, so create it.
      const template = equalityTemplate(t.filter);
      if (!template) throw noTarget(`No value of '${name}' matches '${t.path}'.`);
      const created: Doc = t.sub
        ? { ...template, [t.sub.name]: value }
        : { ...template, ...(isObject(value) ? value : { value }) };
      holder[name] = [...arr, created];
    } else {
      for (const el of hits) {
        const i = arr.indexOf(el);
        if (t.sub) (el as Doc)[t.sub.name] = value;
        else if (!isObject(value)) throw invalidValue(`'${t.path}' needs an object value.`);
        else arr[i] = op === 'replace' ? value : { ...(el as Doc), ...value };
      }
    }
  } else if (t.sub) {
    if (t.attr.multiValued) {
      const arr = Array.isArray(current) ? (current as Doc[]) : [];
      if (arr.length === 0) {
        if (op !== 'remove') holder[name] = [{ [t.sub.name]: value }];
      } else {
        for (const el of arr) {
          if (op === 'remove') delete el[t.sub.name];
          else el[t.sub.name] = value;
        }
      }
    } else if (op === 'remove') {
      if (isObject(current)) delete current[t.sub.name];
    } else {
      holder[name] = { ...(isObject(current) ? current : {}), [t.sub.name]: value };
    }
  } else if (op === 'remove') {
    if (value !== undefined && value !== null && t.attr.multiValued && Array.isArray(current)) {
      // `{"op":"Remove","path":"members","value":[{"value":"id"}]}`: remove the listed values only.
      const gone = Array.isArray(value) ? value : [value];
      holder[name] = current.filter((el) => !gone.some((g) => sameElement(t.attr, el, g)));
    } else delete holder[name];
  } else if (t.attr.multiValued) {
    const items = value === null ? [] : Array.isArray(value) ? value : [value];
    if (op === 'replace' || !Array.isArray(current)) holder[name] = items;
    else {
      const merged = [...current];
      for (const item of items) {
        const at = merged.findIndex((el) => sameElement(t.attr, el, item));
        if (at >= 0)
          merged[at] = isObject(item) && isObject(merged[at]) ? { ...(merged[at] as Doc), ...item } : item;
        else merged.push(item);
      }
      holder[name] = merged;
    }
  } else if (t.attr.type === 'complex' && isObject(value) && isObject(current) && name !== 'manager') {
    // Sub-attributes not in the value are left unchanged (RFC 7644 §3.5.2.1 and §3.5.2.3).
    holder[name] = { ...current, ...value };
  } else {
    holder[name] = value;
  }

  const after = holder[name];
  if (
    after === null ||
    (Array.isArray(after) && after.length === 0) ||
    (isObject(after) && Object.keys(after).length === 0)
  ) {
    delete holder[name];
  }
  if (t.container && Object.keys(holder).length === 0) delete doc[t.container];
}
