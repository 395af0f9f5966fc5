// Turning request bodies into canonical stored documents, and stored documents into responses.
// A stored document holds every writable attribute under its canonical name (extension attributes
// inside an object keyed by the extension URN); `id`, `meta`, a user's `groups` and a group's
// `members` live in columns and tables of their own.

import { resolveAttrPath, splitSchemaPrefix, looksLikeUrn, type ResolveContext } from './attribute-paths';
import { invalidSyntax, invalidValue, ScimError, type ScimType } from './errors';
import { ENTERPRISE_SCHEMA, type AttributeDef, type ResourceTypeDef, type SchemaDef } from './schemas';

export type Doc = Record<string, unknown>;

/** Per-request view of a resource type, shaped by the fault switches in force. */
export interface ScimContext extends ResolveContext {
  /** When set, any use of the enterprise extension fails with 400 and this scimType. */
  rejectEnterprise: ScimType | null;
}

export function makeContext(type: ResourceTypeDef, rejectEnterprise: ScimType | null): ScimContext {
  const extensions: SchemaDef[] = rejectEnterprise
    ? type.extensions.filter((e) => e.id !== ENTERPRISE_SCHEMA)
    : type.extensions;
  return { type, extensions, rejectEnterprise };
}

/** Throws the configured error when `raw` (a schema URI or URN-prefixed path) names the enterprise extension. */
export function assertExtensionAllowed(ctx: ScimContext, raw: string): void {
  if (!ctx.rejectEnterprise) return;
  const lower = raw.toLowerCase();
  const ent = ENTERPRISE_SCHEMA.toLowerCase();
  if (lower === ent || lower.startsWith(ent + ':')) {
    throw new ScimError(
      400,
      `This application does not support the schema extension ${ENTERPRISE_SCHEMA}.`,
      ctx.rejectEnterprise,
    );
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Coerces one attribute value to its definition. Returns undefined for "unassigned" (null, empty
 * array, complex value with nothing in it). Accepts Entra's forms: booleans as "True"/"False"
 * strings, a manager as a bare id, `{value}` or `[{value}]`.
 */
export function coerceValue(def: AttributeDef, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const out: unknown[] = [];
    for (const item of items) {
      const v = coerceSingle(def, item, path);
      if (v !== undefined) out.push(v);
    }
    if (out.length === 0) return undefined;
    if (def.type === 'complex' && out.filter((o) => (o as Doc).primary === true).length > 1) {
      throw invalidValue(`At most one value of '${path}' may be primary.`);
    }
    return out;
  }
  return coerceSingle(def, value, path);
}

function coerceSingle(def: AttributeDef, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case 'complex': {
      let v = value;
      if (Array.isArray(v) && !def.multiValued) v = v[0];
      if ((typeof v === 'string' || typeof v === 'number') && def.subByName?.has('value'))
        v = { value: String(v) };
      if (v === null || v === undefined) return undefined;
      if (!isObject(v)) throw invalidValue(`'${path}' must be an object.`);
      const out: Doc = {};
      for (const [k, sv] of Object.entries(v)) {
        const sub = def.subByName?.get(k.toLowerCase());
        if (!sub || sub.mutability === 'readOnly') continue;
        const c = coerceSingle(sub, sv, `${path}.${sub.name}`);
        if (c !== undefined) out[sub.name] = c;
      }
      if (Object.keys(out).length === 0) return undefined;
      // A reference or multi-valued element without its value says nothing (`{"$ref": null}`, `{"value": ""}`).
      if (def.subByName?.has('value') && (out.value === undefined || out.value === '')) return undefined;
      return out;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalidValue(`'${path}' must be a boolean.`);
    case 'integer':
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || (def.type === 'integer' && !Number.isInteger(n))) {
        throw invalidValue(`'${path}' must be ${def.type === 'integer' ? 'an integer' : 'a number'}.`);
      }
      return n;
    }
    case 'dateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw invalidValue(`'${path}' must be an xsd:dateTime string.`);
      }
      return value;
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw invalidValue(`'${path}' must be a string.`);
  }
}

/**
 * Builds the canonical stored document from a POST/PUT body (or a patched document). Unknown
 * attributes and read-only ones (`id`, `meta`, `groups`) are ignored as RFC 7644 §3.3 allows;
 * `password` is accepted and dropped.
 */
export function normalizeResource(ctx: ScimContext, input: unknown): Doc {
  if (!isObject(input)) throw invalidSyntax('The request body must be a JSON object.');
  const schemas = input.schemas;
  if (schemas !== undefined) {
    if (!Array.isArray(schemas) || schemas.some((s) => typeof s !== 'string')) {
      throw invalidSyntax("'schemas' must be an array of schema URIs.");
    }
    for (const s of schemas as string[]) {
      assertExtensionAllowed(ctx, s);
      const known =
        s.toLowerCase() === ctx.type.core.id.toLowerCase() ||
        ctx.extensions.some((e) => e.id.toLowerCase() === s.toLowerCase()) ||
        ctx.type.acceptedAliases.some((a) => a.toLowerCase() === s.toLowerCase());
      if (!known) throw invalidValue(`The schema ${s} is not supported for ${ctx.type.kind} resources.`);
    }
  }
  const doc: Doc = {};
  const put = (container: string | null, def: AttributeDef, value: unknown, path: string): void => {
    if (def.mutability === 'readOnly' || def.mutability === 'writeOnly') return;
    const v = coerceValue(def, value, path);
    const holder = container ? ((doc[container] as Doc | undefined) ?? (doc[container] = {})) : doc;
    if (v === undefined) delete holder[def.name];
    else holder[def.name] = v;
  };
  for (const [key, value] of Object.entries(input)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'id' || lower === 'meta') continue;
    if (looksLikeUrn(key)) {
      assertExtensionAllowed(ctx, key);
      const split = splitSchemaPrefix(ctx, key);
      if (!split) continue;
      if (split.rest === '') {
        if (!split.isExtension) continue;
        if (value === null) continue;
        if (!isObject(value)) throw invalidValue(`'${split.schema.id}' must be an object.`);
        for (const [k, v] of Object.entries(value)) {
          const def = split.schema.byName.get(k.toLowerCase());
          if (def) put(split.schema.id, def, v, `${split.schema.id}:${def.name}`);
        }
        continue;
      }
    }
    const r = resolveAttrPath(ctx, key);
    if (!r || r.sub) continue;
    if (r.common && r.attr.name !== 'externalId') continue;
    put(r.container, r.attr, value, key);
  }
  for (const ext of ctx.extensions) {
    const holder = doc[ext.id];
    if (isObject(holder) && Object.keys(holder).length === 0) delete doc[ext.id];
  }
  const required = ctx.type.kind === 'User' ? 'userName' : 'displayName';
  const v = doc[required];
  if (typeof v !== 'string' || v.trim() === '')
    throw invalidValue(`'${required}' is required and must not be empty.`);
  if (ctx.type.kind === 'Group' && Array.isArray(doc.members)) {
    const seen = new Set<string>();
    const members: Doc[] = [];
    for (const m of doc.members as Doc[]) {
      if (typeof m.value !== 'string' || m.value === '')
        throw invalidValue("Every member needs a 'value' (the member's id).");
      if (seen.has(m.value)) continue;
      seen.add(m.value);
      members.push(m.type === undefined ? { value: m.value } : { value: m.value, type: m.type });
    }
    doc.members = members;
  }
  return ordered(ctx, doc);
}

/** The document with attributes in schema order, so responses read the same whatever the client sent. */
function ordered(ctx: ScimContext, doc: Doc): Doc {
  const out: Doc = {};
  if (doc.externalId !== undefined) out.externalId = doc.externalId;
  for (const a of ctx.type.core.attributes) if (doc[a.name] !== undefined) out[a.name] = doc[a.name];
  for (const ext of ctx.extensions) {
    const holder = doc[ext.id];
    if (!isObject(holder)) continue;
    const inner: Doc = {};
    for (const a of ext.attributes) if (holder[a.name] !== undefined) inner[a.name] = holder[a.name];
    out[ext.id] = inner;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// attributes / excludedAttributes

type Selection = Map<string, Set<string> | true>;

/**
 * The RFC 7644 §3.9 attribute selection of one request. Names are resolved like filter names;
 * unknown names are ignored.
 */
export class Projection {
  private readonly include: Map<string, Selection | true> | null;
  private readonly exclude: Map<string, Selection | true>;

  constructor(ctx: ScimContext, attributes: string | undefined, excluded: string | undefined) {
    this.include = attributes ? Projection.parse(ctx, attributes) : null;
    this.exclude = excluded ? Projection.parse(ctx, excluded) : new Map();
  }

  private static parse(ctx: ScimContext, list: string): Map<string, Selection | true> {
    const out = new Map<string, Selection | true>();
    for (const raw of list.split(',')) {
      const name = raw.trim();
      if (!name) continue;
      const split = looksLikeUrn(name) ? splitSchemaPrefix(ctx, name) : null;
      if (split && split.rest === '') {
        out.set(split.isExtension ? split.schema.id : '', true);
        continue;
      }
      const r = resolveAttrPath(ctx, name);
      if (!r) continue;
      const key = r.container ?? '';
      let sel = out.get(key);
      if (sel === true) continue;
      if (!sel) out.set(key, (sel = new Map()));
      if (!r.sub) sel.set(r.attr.name, true);
      else {
        const cur = sel.get(r.attr.name);
        if (cur === true) continue;
        const subs = cur ?? new Set<string>();
        subs.add(r.sub.name);
        sel.set(r.attr.name, subs);
      }
    }
    return out;
  }

  /** Whether the attribute will appear at all (lets callers skip loading members or groups). */
  returns(container: string | null, name: string): boolean {
    const key = container ?? '';
    if (name === 'id' && !container) return true;
    if (this.include) {
      const sel = this.include.get(key);
      if (!sel) return false;
      if (sel !== true && !sel.has(name)) return false;
    }
    const ex = this.exclude.get(key);
    if (ex === true && container) return false;
    if (ex && ex !== true && ex.get(name) === true) return false;
    return true;
  }

  apply(resource: Doc, extensionIds: string[]): Doc {
    if (!this.include && this.exclude.size === 0) return resource;
    const out: Doc = {};
    for (const [k, v] of Object.entries(resource)) {
      if (k === 'schemas' || k === 'id') {
        out[k] = v;
        continue;
      }
      if (extensionIds.includes(k)) {
        const inner: Doc = {};
        for (const [ik, iv] of Object.entries(v as Doc)) {
          const pv = this.pick(k, ik, iv);
          if (pv !== undefined) inner[ik] = pv;
        }
        if (Object.keys(inner).length > 0) out[k] = inner;
        continue;
      }
      const pv = this.pick('', k, v);
      if (pv !== undefined) out[k] = pv;
    }
    return out;
  }

  private pick(container: string, name: string, value: unknown): unknown {
    let v = value;
    if (this.include) {
      const sel = this.include.get(container);
      if (!sel) return undefined;
      if (sel !== true) {
        const a = sel.get(name);
        if (!a) return undefined;
        if (a !== true) v = pickSubs(v, (s) => a.has(s));
      }
    }
    const ex = this.exclude.get(container);
    if (ex === true && container) return undefined;
    if (ex && ex !== true) {
      const a = ex.get(name);
      if (a === true) return undefined;
      if (a) v = pickSubs(v, (s) => !a.has(s));
    }
    return v;
  }
}

function pickSubs(value: unknown, keep: (sub: string) => boolean): unknown {
  const one = (o: unknown): Doc | undefined => {
    if (!isObject(o)) return undefined;
    const out: Doc = {};
    for (const [k, v] of Object.entries(o)) if (keep(k)) out[k] = v;
    return Object.keys(out).length > 0 ? out : undefined;
  };
  if (Array.isArray(value)) {
    const items = value.map(one).filter((x) => x !== undefined);
    return items.length > 0 ? items : undefined;
  }
  return one(value);
}
