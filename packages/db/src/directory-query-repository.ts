import { dialectOf, type SqlDialect } from './dialect';
import type { DirectoryGroupRecord, DirectoryUserRecord } from './directory-repository';
import type { SqlRunner } from './sql-runner';
import { containsPattern, decodeCursor, encodeCursor, type Page } from './util';

/**
 * A condition of a Graph `$filter` on directory objects, once the API has checked its properties:
 * `eq` and `startsWith` on a property (case-insensitive, as Graph's directory is), `and`/`or` of
 * conditions, and (users only) assigned to an application, directly or through a group.
 */
export type DirectoryCondition =
  | { kind: 'and' | 'or'; conditions: DirectoryCondition[] }
  | { kind: 'eq'; property: string; value: string | boolean | null }
  | { kind: 'startsWith'; property: string; value: string }
  | { kind: 'assignedTo'; servicePrincipalId: string };

export interface DirectoryQuery {
  top: number;
  cursor?: string | undefined;
  filter?: DirectoryCondition | undefined;
  /** Case-insensitive text looked for anywhere in the given properties. */
  search?: { text: string; properties: readonly string[] } | undefined;
  /** Count every match (OData's `$count=true`). */
  count?: boolean | undefined;
}

/** The properties of users a filter or a search may name, and their columns. */
export const USER_QUERY_COLUMNS: Readonly<Record<string, string>> = {
  id: 'id',
  userPrincipalName: 'user_principal_name',
  displayName: 'display_name',
  givenName: 'given_name',
  surname: 'surname',
  mail: 'mail',
  mailNickname: 'mail_nickname',
  department: 'department',
  jobTitle: 'job_title',
  employeeId: 'employee_id',
  accountEnabled: 'account_enabled',
};
export const GROUP_QUERY_COLUMNS: Readonly<Record<string, string>> = {
  id: 'id',
  displayName: 'display_name',
  mailNickname: 'mail_nickname',
  description: 'description',
};

/** Change kinds that do not alter a user's or group's own properties (delta leaves them out). */
const USER_CHANGES_NOT_IN_DELTA = ['membership', 'assignment', 'unassignment'];
const GROUP_CHANGES_NOT_IN_DELTA = ['assignment', 'unassignment'];

/** One object a delta round reports: changed in the window, at its last change's number. */
export interface ChangedObject {
  id: string;
  seq: number;
}

interface Where {
  sql: string;
  params: unknown[];
}

/** A search found at most this many times is sorted; more and the display name index is walked. */
const SORT_LIMIT = 2000;

/** Properties with an index of their own: a condition on one of them finds its users directly. */
const INDEXED = new Set([
  'id',
  'userPrincipalName',
  'displayName',
  'mail',
  'employeeId',
  'givenName',
  'surname',
  'jobTitle',
  'department',
  'mailNickname',
]);

function isIndexed(condition: DirectoryCondition): boolean {
  switch (condition.kind) {
    case 'eq':
    case 'startsWith':
      return (
        INDEXED.has(condition.property) && condition.value !== null && typeof condition.value !== 'boolean'
      );
    case 'assignedTo':
      return true;
    case 'and':
      return condition.conditions.some(isIndexed);
    case 'or':
      return condition.conditions.every(isIndexed);
  }
}

/**
 * What PostgreSQL's trigram index `directory_users_search` (migrations/postgres/0001-initial.sql)
 * is built on, written exactly as there: the planner uses the index only for this expression.
 */
const POSTGRES_SEARCH_EXPRESSION = `lower(
    coalesce(display_name, '') || ' ' || coalesce(user_principal_name, '') || ' ' || coalesce(mail, '')
      || ' ' || coalesce(employee_id, '') || ' ' || coalesce(given_name, '') || ' ' || coalesce(surname, '')
      || ' ' || coalesce(mail_nickname, '')
  )`;

/** ASCII letters lower-cased, others left as they are: what lower() does in the C collation. */
const lowerAscii = (text: string) => text.replace(/[A-Z]+/g, (s) => s.toLowerCase());

/**
 * The directory's trigram search for text anywhere in some columns of directory_users: a condition
 * its index answers, which may let through rows where the text is in another column or spans two
 * (a LIKE on each searched column keeps the exact meaning), and a statement counting up to `?` of
 * the rows it lets through. Null when the text is shorter than a trigram and the index cannot help.
 * SQLite: a MATCH on the FTS5 table `directory_users_search` (`{a b}: "text"`). PostgreSQL: a LIKE
 * on the lower-cased columns that the pg_trgm index is built on.
 */
function trigramSearch(
  d: SqlDialect,
  text: string,
  columns: readonly string[],
): { candidates: Where; count: Where } | null {
  if ([...text].length < 3) return null;
  if (d.name === 'sqlite') {
    const match = `{${columns.join(' ')}}: "${text.replace(/"/g, '""')}"`;
    return {
      candidates: {
        sql: 'rowid IN (SELECT rowid FROM directory_users_search WHERE directory_users_search MATCH ?)',
        params: [match],
      },
      count: {
        sql: 'SELECT COUNT(*) AS found FROM (SELECT rowid FROM directory_users_search WHERE directory_users_search MATCH ? LIMIT ?)',
        params: [match],
      },
    };
  }
  const pattern = lowerAscii(containsPattern(text));
  return {
    candidates: { sql: `${POSTGRES_SEARCH_EXPRESSION} LIKE ?`, params: [pattern] },
    count: {
      sql: `SELECT COUNT(*) AS found FROM (SELECT 1 FROM directory_users WHERE ${POSTGRES_SEARCH_EXPRESSION} LIKE ? LIMIT ?) AS t`,
      params: [pattern],
    },
  };
}

/**
 * Ids are GUIDs, which compare in any case and are stored in lower case: a condition on one compares
 * the column as it is with the value lowered, so that it reads the primary key (compared without
 * case, every row would be read).
 */
const isId = (property: string): boolean => property === 'id';

/** The highest text with a given prefix under NOCASE: the upper end of a startswith range. */
const PREFIX_END = '\u{10FFFF}';

function compile(
  d: SqlDialect,
  condition: DirectoryCondition,
  columns: Readonly<Record<string, string>>,
  table: string,
): Where {
  switch (condition.kind) {
    case 'and':
    case 'or': {
      const parts = condition.conditions.map((c) => compile(d, c, columns, table));
      if (condition.kind === 'or' && condition.conditions.every(isIndexed)) {
        // SQLite would rather scan than combine two indexes for an OR; a UNION reads each one.
        const row = d.insertionOrder;
        return {
          sql: `${row} IN (${parts.map((p) => `SELECT ${row} FROM ${table} WHERE ${p.sql}`).join(' UNION ')})`,
          params: parts.flatMap((p) => p.params),
        };
      }
      return {
        sql: `(${parts.map((p) => p.sql).join(condition.kind === 'and' ? ' AND ' : ' OR ')})`,
        params: parts.flatMap((p) => p.params),
      };
    }
    case 'eq': {
      const column = columnOf(columns, condition.property);
      if (condition.value === null) return { sql: `${column} IS NULL`, params: [] };
      if (typeof condition.value === 'boolean')
        return { sql: `${column} = ?`, params: [condition.value ? 1 : 0] };
      if (isId(condition.property)) return { sql: `${column} = ?`, params: [condition.value.toLowerCase()] };
      return { sql: `${d.nocaseOperand(column)} = ${d.nocase('?')}`, params: [condition.value] };
    }
    case 'startsWith': {
      const column = columnOf(columns, condition.property);
      if (isId(condition.property)) {
        const prefix = condition.value.toLowerCase();
        return { sql: `(${column} >= ? AND ${column} < ?)`, params: [prefix, `${prefix}${PREFIX_END}`] };
      }
      // The range lets the database read the property's index; LIKE keeps the exact meaning.
      const { nocase, nocaseOperand } = d;
      return {
        sql: `(${nocaseOperand(column)} >= ${nocase('?')} AND ${nocaseOperand(column)} < ${nocase('?')} AND ${d.likeNocase(column)})`,
        params: [
          condition.value,
          `${condition.value}${PREFIX_END}`,
          `${containsPattern(condition.value).slice(1)}`,
        ],
      };
    }
    case 'assignedTo':
      return {
        sql: `id IN (SELECT principal_id FROM app_role_assignments WHERE service_principal_id = ?
                UNION SELECT m.user_id FROM app_role_assignments a JOIN group_members m ON m.group_id = a.principal_id
                WHERE a.service_principal_id = ?)`,
        params: [condition.servicePrincipalId, condition.servicePrincipalId],
      };
  }
}

function columnOf(columns: Readonly<Record<string, string>>, property: string): string {
  const column = columns[property];
  if (!column) throw new Error(`'${property}' cannot be filtered on.`);
  return column;
}

/**
 * Graph's list parameters and delta query over the directory: filtered, searched, counted pages in
 * display name order (keyset, so a deep page costs what the first does), and the objects changed
 * between two directory change numbers.
 */
export class DirectoryQueryRepository {
  private readonly d: SqlDialect;
  constructor(
    private readonly runner: SqlRunner,
    /** Loads rows by id: the directory repository's, over the same runner. */
    private readonly rows: {
      users: (ids: readonly string[]) => Promise<DirectoryUserRecord[]>;
      groups: (ids: readonly string[]) => Promise<DirectoryGroupRecord[]>;
      /** Each group's direct user members, in user id order. */
      members: (groupIds: readonly string[]) => Promise<Map<string, string[]>>;
    },
  ) {
    this.d = dialectOf(runner.dialect);
  }

  /** Users not in the recycle bin matching a query, by display name. */
  queryUsers(query: DirectoryQuery): Promise<Page<DirectoryUserRecord>> {
    return this.query('directory_users', query, this.rows.users);
  }

  /** Groups not deleted matching a query, by display name. */
  queryGroups(query: DirectoryQuery): Promise<Page<DirectoryGroupRecord>> {
    return this.query('directory_groups', query, this.rows.groups);
  }

  /**
   * The WHERE clause and ORDER BY of a query (the tests read its plan). Two ways to a page: walk
   * the display name index, testing each user (good when many match: a page fills quickly), or
   * find the few that match through an index of what the condition names and sort them (good when
   * few match: the walk would read the whole directory for them). A search whose text the trigram
   * index finds at most SORT_LIMIT times, or a filter whose every alternative is an indexed
   * property, takes the second way; the rest the first.
   */
  async querySql(
    table: 'directory_users' | 'directory_groups',
    query: Omit<DirectoryQuery, 'top'>,
  ): Promise<{ where: Where; order: string; countWhere: Where }> {
    const { d } = this;
    const columns = table === 'directory_users' ? USER_QUERY_COLUMNS : GROUP_QUERY_COLUMNS;
    const parts: Where[] = [{ sql: 'deleted_at IS NULL', params: [] }];
    let narrow = false;
    if (query.filter) {
      parts.push(compile(d, query.filter, columns, table));
      narrow = query.filter.kind === 'or' && query.filter.conditions.every(isIndexed);
    }
    let countParts = parts;
    if (query.search) {
      const pattern = containsPattern(query.search.text);
      const cols = query.search.properties.map((p) => columnOf(columns, p));
      const like: Where = {
        sql: `(${cols.map((c) => d.likeNocase(c)).join(' OR ')})`,
        params: cols.map(() => pattern),
      };
      countParts = [...parts, like];
      const search = table === 'directory_users' ? trigramSearch(d, query.search.text, cols) : null;
      if (search) {
        // The trigram index narrows, LIKE keeps the exact meaning (and what the index cannot tell).
        const { candidates } = search;
        countParts = [...countParts, candidates];
        const { found } = (await this.runner.get<{ found: number }>(search.count.sql, [
          ...search.count.params,
          SORT_LIMIT + 1,
        ]))!;
        if (found <= SORT_LIMIT) {
          parts.push(candidates);
          narrow = true;
        }
      }
      parts.push(like);
    }
    const join = (list: Where[]): Where => ({
      sql: list.map((p) => p.sql).join(' AND '),
      params: list.flatMap((p) => p.params),
    });
    return {
      where: join(parts),
      // `+` keeps SQLite from walking the display name index for the order: the matches are few.
      order: narrow
        ? `${d.withoutIndex(d.nocase('display_name'))}, ${d.withoutIndex('id')}`
        : `${d.nocase('display_name')}, id`,
      countWhere: join(countParts),
    };
  }

  private async query<T extends { id: string; displayName: string }>(
    table: 'directory_users' | 'directory_groups',
    query: DirectoryQuery,
    load: (ids: readonly string[]) => Promise<T[]>,
  ): Promise<Page<T>> {
    const { where, order, countWhere } = await this.querySql(table, query);
    const keyset: Where = { sql: '', params: [] };
    const cursor = decodeCursor(query.cursor);
    if (cursor && cursor.length === 2) {
      // The first term seeks the display name index (a row value with a collation would not).
      const { nocase, nocaseOperand } = this.d;
      keyset.sql = ` AND ${nocaseOperand('display_name')} >= ${nocase('?')} AND (${nocaseOperand('display_name')} > ${nocase('?')} OR id > ?)`;
      keyset.params = [String(cursor[0]), String(cursor[0]), String(cursor[1])];
    }
    const ids = (
      await this.runner.all<{ id: string }>(
        `SELECT id FROM ${table} WHERE ${where.sql}${keyset.sql} ORDER BY ${order} LIMIT ?`,
        [...where.params, ...keyset.params, query.top + 1],
      )
    ).map((r) => r.id);
    const more = ids.length > query.top;
    const byId = new Map((await load(ids.slice(0, query.top))).map((o) => [o.id, o]));
    const items = ids.slice(0, query.top).flatMap((id) => byId.get(id) ?? []);
    const last = items[items.length - 1];
    const page: Page<T> = {
      items,
      nextCursor: more && last ? encodeCursor([last.displayName, last.id]) : null,
    };
    if (query.count) {
      page.count = (await this.runner.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${table} WHERE ${countWhere.sql}`,
        countWhere.params,
      ))!.n;
    }
    return page;
  }

  /** A page of the objects that exist now (a delta round's first pass), in id order after `afterId`. */
  async listLiveIds(objectType: 'user' | 'group', afterId: string, limit: number): Promise<string[]> {
    const table = objectType === 'user' ? 'directory_users' : 'directory_groups';
    return (
      await this.runner.all<{ id: string }>(
        `SELECT id FROM ${table} WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?`,
        [afterId, limit],
      )
    ).map((r) => r.id);
  }

  /**
   * The objects of one type changed in (after, upTo], each once at its last change, in change order:
   * a page after a change number `after` (start with the round's first number), `limit` long.
   */
  async listChangedIds(
    objectType: 'user' | 'group',
    after: number,
    upTo: number,
    limit: number,
  ): Promise<ChangedObject[]> {
    // `+` keeps SQLite on the change numbers (a small window of a long log), not on every change of the type.
    const skipped = objectType === 'user' ? USER_CHANGES_NOT_IN_DELTA : GROUP_CHANGES_NOT_IN_DELTA;
    const notIn = `change_type NOT IN (${skipped.map(() => '?').join(',')})`;
    return this.runner.all<ChangedObject>(
      `SELECT c.object_id AS id, c.seq FROM directory_changes c
       WHERE c.seq > ? AND c.seq <= ? AND ${this.d.withoutIndex('c.object_type')} = ? AND c.${notIn}
         AND NOT EXISTS (SELECT 1 FROM directory_changes later
           WHERE later.object_type = c.object_type AND later.object_id = c.object_id
             AND later.seq > c.seq AND later.seq <= ? AND later.${notIn})
       ORDER BY c.seq LIMIT ?`,
      [after, upTo, objectType, ...skipped, upTo, ...skipped, limit],
    );
  }

  /** Users by id whether or not they are in the recycle bin (a delta reports the deleted ones as removed). */
  listUsersAnyState(ids: readonly string[]): Promise<DirectoryUserRecord[]> {
    return this.rows.users(ids);
  }

  /**
   * Members of some groups: every current member (a delta round's first pass), or with `since` the
   * users who joined or left each group in (since, upTo] and whether they are members now.
   */
  async listMemberChanges(
    groupIds: readonly string[],
    window?: { since: number; upTo: number },
  ): Promise<{ groupId: string; userId: string; member: boolean }[]> {
    if (groupIds.length === 0) return [];
    if (!window) {
      return [...(await this.rows.members(groupIds))].flatMap(([groupId, userIds]) =>
        userIds.map((userId) => ({ groupId, userId, member: true })),
      );
    }
    const marks = groupIds.map(() => '?').join(',');
    return (
      await this.runner.all<{ group_id: string; user_id: string; member: number }>(
        // CASE: EXISTS is a boolean on PostgreSQL, 0 or 1 on SQLite.
        `SELECT DISTINCT c.group_id, c.user_id,
           CASE WHEN EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = c.group_id AND m.user_id = c.user_id)
             THEN 1 ELSE 0 END AS member
         FROM group_member_changes c
         WHERE c.group_id IN (${marks}) AND c.after_seq >= ? AND c.after_seq < ?
         ORDER BY c.group_id, c.user_id`,
        [...groupIds, window.since, window.upTo],
      )
    ).map((r) => ({ groupId: r.group_id, userId: r.user_id, member: r.member === 1 }));
  }

  /** The first and last directory change numbers kept (a delta token older than the first has expired). */
  async changeRange(): Promise<{ first: number; last: number }> {
    return (await this.runner.get<{ first: number; last: number }>(
      'SELECT COALESCE(MIN(seq), 0) AS first, COALESCE(MAX(seq), 0) AS last FROM directory_changes',
    ))!;
  }
}
