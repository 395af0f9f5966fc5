// The SCIM operations over the store: create, read, list/search, replace, patch, delete. Handlers in
// routes.ts only translate HTTP to these calls. better-sqlite3 is synchronous, so each operation runs
// start to finish without interleaving: the reference checks and the write that follows see one state.

import { randomUUID } from 'node:crypto';
import { invalidFilter, invalidValue, notFound, ScimError, uniqueness } from './errors';
import { indexedEquality, matches, parseFilter, type ParsedFilter } from './filter';
import { applyPatch } from './patch';
import { makeContext, normalizeResource, Projection, type Doc, type ScimContext } from './resources';
import {
  ENTERPRISE_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  groupType,
  userType,
  type ResourceKind,
  type ResourceTypeDef,
} from './schemas';
import type { FaultState } from '../faults';
import { NameTakenError, type ResourceRow, type Store } from '../store';

export interface ListQuery {
  filter?: string | undefined;
  startIndex?: number | undefined;
  count?: number | undefined;
  attributes?: string | undefined;
  excludedAttributes?: string | undefined;
}

export interface Written {
  resource: Doc;
  etag: string;
  location: string;
}

export interface PagingOptions {
  /** Page size when a request names no `count`. */
  defaultPageSize: number;
  /** Largest page served, advertised as filter.maxResults. */
  maxPageSize: number;
  /**
   * Most members a group response carries: a group with more is answered 400 tooMany unless the
   * request leaves its members out (`excludedAttributes=members`, or `attributes` without them).
   */
  maxMembersReturned: number;
}

const typeOf = (kind: ResourceKind): ResourceTypeDef => (kind === 'User' ? userType : groupType);

export const etagOf = (version: number): string => `W/"${version}"`;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class ScimService {
  constructor(
    private readonly store: Store,
    private readonly faults: FaultState,
    readonly paging: PagingOptions,
  ) {}

  context(kind: ResourceKind): ScimContext {
    const reject = this.faults.settings.rejectEnterpriseExtension;
    return makeContext(typeOf(kind), reject === 'off' ? null : reject);
  }

  private row(kind: ResourceKind, id: string): ResourceRow {
    const row = this.store.getRow(kind, id);
    if (!row) throw notFound(`${kind} ${id} not found.`);
    return row;
  }

  private checkIfMatch(row: ResourceRow, ifMatch: string | undefined): void {
    if (!ifMatch) return;
    const current = String(row.version);
    const tags = ifMatch.split(',').map((t) => t.trim());
    const ok = tags.some((t) => t === '*' || t.replace(/^W\//, '').replace(/^"|"$/g, '') === current);
    if (!ok) throw new ScimError(412, `The resource has changed: its version is ${etagOf(row.version)}.`);
  }

  /** Renders a stored row as a SCIM resource, loading members/groups/manager only when returned. */
  render(
    kind: ResourceKind,
    row: ResourceRow,
    base: string,
    ctx: ScimContext,
    projection?: Projection,
    groupsOf?: Map<string, { id: string; display_name: string }[]>,
    /** A group over `maxMembersReturned`: refused (a read), or answered without its members (a write, already done). */
    overLimit: 'refuse' | 'omit' = 'refuse',
  ): Doc {
    const doc = JSON.parse(row.doc) as Doc;
    const served = ctx.extensions.map((e) => e.id);
    const out: Doc = { schemas: [ctx.type.core.id, ...served.filter((id) => isObject(doc[id]))], id: row.id };
    if (doc.externalId !== undefined) out.externalId = doc.externalId;
    for (const [k, v] of Object.entries(doc)) {
      if (k === 'externalId' || k.includes(':')) continue;
      out[k] = v;
    }
    if (kind === 'User') {
      if (!projection || projection.returns(null, 'groups')) {
        const groups = groupsOf ? (groupsOf.get(row.id) ?? []) : this.store.userGroups(row.id);
        if (groups.length > 0) {
          out.groups = groups.map((g) => ({
            value: g.id,
            $ref: `${base}/Groups/${g.id}`,
            display: g.display_name,
            type: 'direct',
          }));
        }
      }
      for (const id of served) {
        const ext = doc[id];
        if (!isObject(ext)) continue;
        const manager = ext.manager;
        if (id === ENTERPRISE_SCHEMA && isObject(manager) && typeof manager.value === 'string') {
          const found = this.store.lookup(manager.value);
          ext.manager = {
            value: manager.value,
            $ref: `${base}/Users/${manager.value}`,
            ...(found ? { displayName: found.display } : {}),
          };
        }
        out[id] = ext;
      }
    } else if (!projection || projection.returns(null, 'members')) {
      const count = this.store.memberCount(row.id);
      const over = count > this.paging.maxMembersReturned;
      if (over && overLimit === 'refuse') {
        throw new ScimError(
          400,
          `Group ${row.id} has ${count} members, more than the ${this.paging.maxMembersReturned} a response carries. Ask for it with excludedAttributes=members and change its members with PATCH.`,
          'tooMany',
        );
      }
      // A write is done by now: its answer leaves the members out rather than fail after the fact.
      const members = over ? [] : this.store.members(row.id);
      // An empty multi-valued attribute is unassigned (RFC 7643 §2.4), so it is left out.
      if (members.length > 0)
        out.members = members.map((m) => ({
          value: m.value,
          $ref: `${base}/${m.type === 'User' ? 'Users' : 'Groups'}/${m.value}`,
          ...(m.display === null ? {} : { display: m.display }),
          type: m.type,
        }));
    }
    out.meta = {
      resourceType: kind,
      created: row.created,
      lastModified: row.last_modified,
      location: `${base}${ctx.type.endpoint}/${row.id}`,
      version: etagOf(row.version),
    };
    return projection ? projection.apply(out, served) : out;
  }

  /**
   * Stores a normalized document: enforces uniqueness and member references, diffs group members and
   * keeps the version when nothing changed (so an ETag stays valid across a no-op PATCH).
   */
  private persist(kind: ResourceKind, id: string, doc: Doc, existing: ResourceRow | undefined): ResourceRow {
    const nameAttr = kind === 'User' ? 'userName' : 'displayName';
    const name = doc[nameAttr] as string;
    let members: { value: string; type: 'User' | 'Group' }[] | null = null;
    if (kind === 'Group') {
      members = [];
      for (const m of (doc.members as Doc[] | undefined) ?? []) {
        const value = m.value as string;
        if (value === id) throw invalidValue('A group cannot be a member of itself.');
        const found = this.store.lookup(value);
        if (!found) throw invalidValue(`Member '${value}' is neither a user nor a group here.`);
        members.push({ value, type: found.type });
      }
      delete doc.members;
    }
    const text = JSON.stringify(doc);
    const now = new Date().toISOString();
    try {
      return this.store.transaction(() => this.write(kind, id, name, doc, text, now, members, existing));
    } catch (e) {
      // The unique index decides, inside the transaction, so two writers can never both win.
      if (e instanceof NameTakenError)
        throw uniqueness(`A ${kind.toLowerCase()} with ${nameAttr} '${name}' already exists.`);
      throw e;
    }
  }

  private write(
    kind: ResourceKind,
    id: string,
    name: string,
    doc: Doc,
    text: string,
    now: string,
    members: { value: string; type: 'User' | 'Group' }[] | null,
    existing: ResourceRow | undefined,
  ): ResourceRow {
    let changed = !existing || existing.doc !== text;
    if (members) {
      const before = new Set(existing ? this.store.memberRefs(id).map((m) => m.value) : []);
      const after = new Set(members.map((m) => m.value));
      for (const m of members) {
        if (!before.has(m.value)) {
          this.store.addMember(id, m.value, m.type);
          changed = true;
        }
      }
      for (const v of before) {
        if (!after.has(v)) {
          this.store.removeMember(id, v);
          changed = true;
        }
      }
    }
    if (existing && !changed) return existing;
    const write = {
      id,
      name,
      externalId: typeof doc.externalId === 'string' ? doc.externalId : null,
      displayName: typeof doc.displayName === 'string' ? doc.displayName : null,
      created: existing ? existing.created : now,
      lastModified: now,
      version: existing ? existing.version + 1 : 1,
      doc: text,
    };
    if (existing) this.store.update(kind, write);
    else this.store.insert(kind, write);
    return { id, created: write.created, last_modified: now, version: write.version, doc: text };
  }

  private written(
    kind: ResourceKind,
    row: ResourceRow,
    base: string,
    ctx: ScimContext,
    projection?: Projection,
    groupsOf?: Map<string, { id: string; display_name: string }[]>,
    overLimit: 'refuse' | 'omit' = 'omit',
  ): Written {
    return {
      resource: this.render(kind, row, base, ctx, projection, groupsOf, overLimit),
      etag: etagOf(row.version),
      location: `${base}${ctx.type.endpoint}/${row.id}`,
    };
  }

  create(kind: ResourceKind, body: unknown, base: string, projection?: Projection): Written {
    const ctx = this.context(kind);
    const doc = normalizeResource(ctx, body);
    const row = this.persist(kind, randomUUID(), doc, undefined);
    // A user that did not exist a moment ago belongs to no group: skip the lookup.
    return this.written(kind, row, base, ctx, projection, new Map());
  }

  get(kind: ResourceKind, id: string, base: string, projection: Projection): Written {
    const ctx = this.context(kind);
    return this.written(kind, this.row(kind, id), base, ctx, projection, undefined, 'refuse');
  }

  versionOf(kind: ResourceKind, id: string): string {
    return etagOf(this.row(kind, id).version);
  }

  replace(
    kind: ResourceKind,
    id: string,
    body: unknown,
    ifMatch: string | undefined,
    base: string,
    projection?: Projection,
  ): Written {
    const ctx = this.context(kind);
    const existing = this.row(kind, id);
    this.checkIfMatch(existing, ifMatch);
    const doc = normalizeResource(ctx, body);
    if (kind === 'Group' && doc.members === undefined) doc.members = [];
    return this.written(kind, this.persist(kind, id, doc, existing), base, ctx, projection);
  }

  patch(
    kind: ResourceKind,
    id: string,
    body: unknown,
    ifMatch: string | undefined,
    base: string,
    projection?: Projection,
  ): Written {
    const ctx = this.context(kind);
    const existing = this.row(kind, id);
    this.checkIfMatch(existing, ifMatch);
    const doc = JSON.parse(existing.doc) as Doc;
    if (kind === 'Group')
      doc.members = this.store.memberRefs(id).map((m) => ({ value: m.value, type: m.type }));
    applyPatch(ctx, doc, body);
    const normalized = normalizeResource(ctx, doc);
    if (kind === 'Group' && normalized.members === undefined) normalized.members = [];
    // Extension data the request could not see (withdrawn by a fault switch) is kept as it was.
    const stored = JSON.parse(existing.doc) as Doc;
    for (const ext of ctx.type.extensions) {
      if (!ctx.extensions.includes(ext) && stored[ext.id] !== undefined) normalized[ext.id] = stored[ext.id];
    }
    return this.written(kind, this.persist(kind, id, normalized, existing), base, ctx, projection);
  }

  delete(kind: ResourceKind, id: string, ifMatch: string | undefined): void {
    const existing = this.row(kind, id);
    this.checkIfMatch(existing, ifMatch);
    this.store.delete(kind, id);
  }

  list(kind: ResourceKind, q: ListQuery, base: string): Doc {
    const ctx = this.context(kind);
    const projection = new Projection(ctx, q.attributes, q.excludedAttributes);
    const startIndex = q.startIndex !== undefined && q.startIndex >= 1 ? Math.floor(q.startIndex) : 1;
    const count = Math.min(
      this.paging.maxPageSize,
      q.count === undefined ? this.paging.defaultPageSize : Math.max(0, Math.floor(q.count)),
    );
    let total: number;
    let rows: ResourceRow[];
    if (q.filter === undefined || q.filter.trim() === '') {
      total = this.store.count(kind);
      rows = count === 0 ? [] : this.store.page(kind, count, startIndex - 1);
    } else {
      const parsed = parseFilter(ctx, q.filter);
      this.checkRejectedAttributes(parsed);
      const indexed = indexedEquality(parsed.root);
      const candidates = indexed
        ? this.store.rowsBy(kind, indexed.attribute, indexed.value)
        : this.store.iterate(kind);
      // A filter that is just the indexed `eq` needs no second check: the SQL comparison is the same.
      const exact = indexed !== null && parsed.root.k === 'cmp';
      const needsMembers = kind === 'Group' && parsed.attributes.has('members');
      const needsGroups = kind === 'User' && parsed.attributes.has('groups');
      total = 0;
      rows = [];
      for (const row of candidates) {
        if (!exact && !matches(parsed.root, this.filterView(kind, row, needsMembers, needsGroups))) continue;
        total++;
        if (total >= startIndex && rows.length < count) rows.push(row);
      }
    }
    const groupsOf =
      kind === 'User' && rows.length > 1 && projection.returns(null, 'groups')
        ? this.store.groupsOfUsers(rows.map((r) => r.id))
        : undefined;
    const resources = rows.map((r) => this.render(kind, r, base, ctx, projection, groupsOf));
    return {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      startIndex,
      itemsPerPage: resources.length,
      Resources: resources,
    };
  }

  private filterView(kind: ResourceKind, row: ResourceRow, members: boolean, groups: boolean): Doc {
    const view = JSON.parse(row.doc) as Doc;
    view.id = row.id;
    view.meta = {
      resourceType: kind,
      created: row.created,
      lastModified: row.last_modified,
      version: etagOf(row.version),
    };
    if (members) view.members = this.store.members(row.id);
    if (groups)
      view.groups = this.store
        .userGroups(row.id)
        .map((g) => ({ value: g.id, display: g.display_name, type: 'direct' }));
    return view;
  }

  private checkRejectedAttributes(parsed: ParsedFilter): void {
    const rejected = this.faults.settings.rejectFilterAttributes;
    for (const name of rejected) {
      if (parsed.attributes.has(name.toLowerCase())) {
        throw invalidFilter(`Filtering on '${name}' is not supported by this application.`);
      }
    }
  }

  /** Counts for the page and the admin API. */
  counts(): { users: number; groups: number } {
    return { users: this.store.count('User'), groups: this.store.count('Group') };
  }
}
