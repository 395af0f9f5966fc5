import type { MatchingValue } from './attribute-mappings';
import { readScimAttribute } from './scim-resource';

/** What matching against a listing of the target found. */
export type IndexMatch =
  | { kind: 'one'; targetId: string; attribute: string; value: string }
  | { kind: 'many'; targetIds: string[]; attribute: string; value: string }
  | { kind: 'none'; tried: { attribute: string; value: string }[] }
  /** The listing cannot answer for sure (a value that differs only in case on an exact-case attribute): ask the target. */
  | { kind: 'askTarget' };

/**
 * The target's accounts indexed by the matching attributes, built from one paged listing, so an
 * initial cycle can match thousands of users without one filter query each. Only ids and matching
 * values are kept (tens of bytes per account), whatever the size of the accounts.
 *
 * Values compare case-insensitively, as SCIM servers compare `userName` and most strings; on an
 * attribute the target schema marks exact-case, a value that matches only case-insensitively is
 * left to the target's own filter.
 */
export class TargetIndex {
  private readonly maps: Map<string, { id: string; value: string }[]>[];
  size = 0;

  constructor(private readonly attributes: readonly { path: string; caseExact: boolean }[]) {
    this.maps = attributes.map(() => new Map());
  }

  /** The attribute names to ask the target for (`attributes=`), besides `id`. */
  get requestedAttributes(): string[] {
    return [...new Set(this.attributes.map((a) => topLevelAttribute(a.path)))];
  }

  add(resource: Readonly<Record<string, unknown>>): void {
    const id = resource.id;
    if (typeof id !== 'string' || id === '') return;
    this.size += 1;
    this.attributes.forEach((a, i) => {
      const raw = readScimAttribute(resource, a.path);
      for (const v of Array.isArray(raw) ? raw : [raw]) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
        const value = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
        const key = value.toLowerCase();
        const map = this.maps[i]!;
        const list = map.get(key);
        if (list) list.push({ id, value });
        else map.set(key, [{ id, value }]);
      }
    });
  }

  /** Matches by the matching attributes in precedence order, stopping at the first that finds something. */
  match(matchingValues: readonly MatchingValue[]): IndexMatch {
    const tried: { attribute: string; value: string }[] = [];
    for (const m of matchingValues) {
      if (m.value === null) continue;
      const i = this.attributes.findIndex(
        (a) => a.path.toLowerCase() === m.targetAttributeName.toLowerCase(),
      );
      if (i < 0) return { kind: 'askTarget' };
      const attribute = this.attributes[i]!;
      let found = this.maps[i]!.get(m.value.toLowerCase()) ?? [];
      if (attribute.caseExact && found.length > 0) {
        const exact = found.filter((f) => f.value === m.value);
        if (exact.length === 0) return { kind: 'askTarget' };
        found = exact;
      }
      const ids = [...new Set(found.map((f) => f.id))];
      if (ids.length === 1)
        return { kind: 'one', targetId: ids[0]!, attribute: m.targetAttributeName, value: m.value };
      if (ids.length > 1)
        return { kind: 'many', targetIds: ids, attribute: m.targetAttributeName, value: m.value };
      tried.push({ attribute: m.targetAttributeName, value: m.value });
    }
    return { kind: 'none', tried };
  }
}

/** `emails[type eq "work"].value` → `emails`; `name.givenName` → `name`; `urn:…:User:department` as is. */
function topLevelAttribute(path: string): string {
  if (/^urn:/i.test(path)) {
    const bracket = path.indexOf('[');
    return bracket >= 0 ? path.slice(0, bracket) : path;
  }
  return path.split(/[[.]/, 1)[0] ?? path;
}
