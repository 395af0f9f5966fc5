import { commonAttributes, type AttributeDef, type ResourceTypeDef, type SchemaDef } from './schemas';

/**
 * An attribute reference resolved against a resource type: where it lives in the stored document
 * (top level, or inside an extension object keyed by its URN) and its canonical definitions.
 */
export interface ResolvedAttr {
  /** The extension URN holding the attribute, or null for core and common attributes. */
  container: string | null;
  attr: AttributeDef;
  sub: AttributeDef | undefined;
  common: boolean;
}

export interface ResolveContext {
  type: ResourceTypeDef;
  /** Extensions currently served (a fault switch may withdraw the enterprise extension). */
  extensions: SchemaDef[];
}

/** Finds the schema a URN-prefixed path starts with; returns the schema and the rest of the path. */
export function splitSchemaPrefix(
  ctx: ResolveContext,
  raw: string,
): { schema: SchemaDef; rest: string; isExtension: boolean } | null {
  const lower = raw.toLowerCase();
  for (const s of [ctx.type.core, ...ctx.extensions]) {
    const id = s.id.toLowerCase();
    if (lower === id) return { schema: s, rest: '', isExtension: s !== ctx.type.core };
    if (lower.startsWith(id + ':')) {
      return { schema: s, rest: raw.slice(id.length + 1), isExtension: s !== ctx.type.core };
    }
  }
  return null;
}

/** True when `raw` names (or is prefixed by) a schema URN, served or not. */
export function looksLikeUrn(raw: string): boolean {
  return /^urn:/i.test(raw) || /^https?:\/\//i.test(raw);
}

/**
 * Resolves `[URN:]attr[.sub]` case-insensitively. Names without a URN are looked up among the common
 * attributes, then the core schema, then (leniently) the served extensions.
 * Returns null when nothing matches.
 */
export function resolveAttrPath(ctx: ResolveContext, raw: string): ResolvedAttr | null {
  let container: string | null = null;
  let rest = raw;
  let scoped: SchemaDef | null = null;
  if (raw.includes(':')) {
    const split = splitSchemaPrefix(ctx, raw);
    if (!split || split.rest === '') return null;
    scoped = split.schema;
    container = split.isExtension ? split.schema.id : null;
    rest = split.rest;
  }
  const parts = rest.split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) return null;
  const name = parts[0]!.toLowerCase();
  let attr: AttributeDef | undefined;
  let common = false;
  if (scoped) {
    attr = scoped.byName.get(name);
  } else {
    attr = commonAttributes.get(name);
    common = attr !== undefined;
    attr ??= ctx.type.core.byName.get(name);
    if (!attr) {
      for (const ext of ctx.extensions) {
        attr = ext.byName.get(name);
        if (attr) {
          container = ext.id;
          break;
        }
      }
    }
  }
  if (!attr) return null;
  let sub: AttributeDef | undefined;
  if (parts.length === 2) {
    sub = attr.subByName?.get(parts[1]!.toLowerCase());
    if (!sub) return null;
  }
  return { container, attr, sub, common };
}

/** The canonical spelling of a resolved path, e.g. `name.givenName` or `urn:…:User:manager.value`. */
export function formatResolved(r: ResolvedAttr): string {
  const base = r.sub ? `${r.attr.name}.${r.sub.name}` : r.attr.name;
  return r.container ? `${r.container}:${base}` : base;
}
