// The sample app's own SQLite file. Each resource is a JSON document plus the columns that lookups
// and uniqueness need (userName lowercased because it is caseExact false; externalId as given because
// it is caseExact true). Group memberships are rows of their own so a large group's PATCH touches only
// the rows that change and a user's `groups` is one indexed lookup. Every statement is prepared once.

import Database from 'better-sqlite3';
import type { IndexedAttribute } from './scim/filter';

export interface ResourceRow {
  id: string;
  created: string;
  last_modified: string;
  version: number;
  doc: string;
}

export interface ResourceWrite {
  id: string;
  /** userName for users, displayName for groups. */
  name: string;
  externalId: string | null;
  displayName: string | null;
  created: string;
  lastModified: string;
  version: number;
  doc: string;
}

export interface MemberRow {
  value: string;
  type: 'User' | 'Group';
  display: string | null;
}

export interface RequestLogRow {
  id: number;
  time: string;
  method: string;
  path: string;
  query: string;
  headers: string;
  body: string | null;
  status: number;
  duration_ms: number;
}

export type RequestLogWrite = Omit<RequestLogRow, 'id'>;

/** The userName (users) or displayName (groups) is already another resource's, compared lowercased. */
export class NameTakenError extends Error {
  constructor() {
    super('name taken');
    this.name = 'NameTakenError';
  }
}

function translate(error: unknown): unknown {
  if (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    /_name_lc/.test(error.message)
  ) {
    return new NameTakenError();
  }
  return error;
}

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  user_name_lc TEXT NOT NULL UNIQUE,
  external_id TEXT,
  display_name TEXT,
  display_name_lc TEXT,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_external_id ON users(external_id);
CREATE INDEX IF NOT EXISTS users_display_name_lc ON users(display_name_lc);
CREATE TABLE IF NOT EXISTS groups (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  display_name_lc TEXT NOT NULL UNIQUE,
  external_id TEXT,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS groups_external_id ON groups(external_id);
CREATE TABLE IF NOT EXISTS group_members (
  group_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  member_type TEXT NOT NULL,
  PRIMARY KEY (group_id, member_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS group_members_member ON group_members(member_id);
CREATE TABLE IF NOT EXISTS request_log (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  query TEXT NOT NULL,
  headers TEXT NOT NULL,
  body TEXT,
  status INTEGER NOT NULL,
  duration_ms REAL NOT NULL
);
`;

type Kind = 'users' | 'groups';

/** Prepared statements for one resource table. */
function resourceStatements(db: Database.Database, table: Kind) {
  const cols = 'id, created, last_modified, version, doc';
  const byColumn = (column: string) =>
    db.prepare<[string], ResourceRow>(`SELECT ${cols} FROM ${table} WHERE ${column} = ? ORDER BY rowid`);
  return {
    get: db.prepare<[string], ResourceRow>(`SELECT ${cols} FROM ${table} WHERE id = ?`),
    by: {
      id: byColumn('id'),
      // Groups have no userName; the lookup then answers nothing.
      userName: table === 'users' ? byColumn('user_name_lc') : null,
      externalId: byColumn('external_id'),
      displayName: byColumn('display_name_lc'),
    } satisfies Record<IndexedAttribute, unknown>,
    page: db.prepare<[number, number], ResourceRow>(
      `SELECT ${cols} FROM ${table} ORDER BY rowid LIMIT ? OFFSET ?`,
    ),
    all: db.prepare<[], ResourceRow>(`SELECT ${cols} FROM ${table} ORDER BY rowid`),
    count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`),
    insert:
      table === 'users'
        ? db.prepare(
            `INSERT INTO users (id, user_name, user_name_lc, external_id, display_name, display_name_lc, created, last_modified, version, doc)
             VALUES (@id, @name, @nameLc, @externalId, @displayName, @displayNameLc, @created, @lastModified, @version, @doc)`,
          )
        : db.prepare(
            `INSERT INTO groups (id, display_name, display_name_lc, external_id, created, last_modified, version, doc)
             VALUES (@id, @name, @nameLc, @externalId, @created, @lastModified, @version, @doc)`,
          ),
    update:
      table === 'users'
        ? db.prepare(
            `UPDATE users SET user_name = @name, user_name_lc = @nameLc, external_id = @externalId, display_name = @displayName,
             display_name_lc = @displayNameLc, last_modified = @lastModified, version = @version, doc = @doc WHERE id = @id`,
          )
        : db.prepare(
            `UPDATE groups SET display_name = @name, display_name_lc = @nameLc, external_id = @externalId,
             last_modified = @lastModified, version = @version, doc = @doc WHERE id = @id`,
          ),
    delete: db.prepare<[string]>(`DELETE FROM ${table} WHERE id = ?`),
  };
}

export class Store {
  readonly db: Database.Database;
  private readonly users;
  private readonly groups;
  private readonly s;
  // better-sqlite3 builds four wrapper functions per db.transaction() call; one generic wrapper, built once.
  private readonly tx: (fn: () => unknown) => unknown;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // In WAL mode OFF still survives a killed process (the OS has every write); it only gives up
    // durability on power loss, which a test target does not need, and it saves the checkpoint fsyncs
    // that otherwise triple the cost of a write.
    this.db.pragma('synchronous = OFF');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -32000');
    this.db.pragma('temp_store = MEMORY');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version !== 0 && version !== SCHEMA_VERSION) {
      // The sample app's data is disposable; a file from another layout is not worth migrating.
      throw new Error(
        `${file} has layout ${version}, this version uses ${SCHEMA_VERSION}: delete the file to start afresh.`,
      );
    }
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.tx = this.db.transaction((fn: () => unknown) => fn());
    this.users = resourceStatements(this.db, 'users');
    this.groups = resourceStatements(this.db, 'groups');
    const db = this.db;
    this.s = {
      members: db.prepare<[string], MemberRow>(
        `SELECT m.member_id AS value, m.member_type AS type,
                CASE m.member_type WHEN 'User' THEN coalesce(u.display_name, u.user_name) ELSE g.display_name END AS display
         FROM group_members m
         LEFT JOIN users u ON m.member_type = 'User' AND u.id = m.member_id
         LEFT JOIN groups g ON m.member_type = 'Group' AND g.id = m.member_id
         WHERE m.group_id = ?`,
      ),
      memberRefs: db.prepare<[string], { value: string; type: 'User' | 'Group' }>(
        'SELECT member_id AS value, member_type AS type FROM group_members WHERE group_id = ?',
      ),
      addMember: db.prepare<[string, string, string]>(
        'INSERT OR IGNORE INTO group_members (group_id, member_id, member_type) VALUES (?, ?, ?)',
      ),
      removeMember: db.prepare<[string, string]>(
        'DELETE FROM group_members WHERE group_id = ? AND member_id = ?',
      ),
      removeAllMembers: db.prepare<[string]>('DELETE FROM group_members WHERE group_id = ?'),
      memberCount: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM group_members WHERE group_id = ?',
      ),
      removeFromAllGroups: db.prepare<[string]>('DELETE FROM group_members WHERE member_id = ?'),
      userGroups: db.prepare<[string], { id: string; display_name: string }>(
        `SELECT g.id, g.display_name FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.member_id = ? ORDER BY g.display_name_lc`,
      ),
      groupsOfUsers: db.prepare<[string], { member_id: string; id: string; display_name: string }>(
        `SELECT m.member_id, g.id, g.display_name FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.member_id IN (SELECT value FROM json_each(?)) ORDER BY g.display_name_lc`,
      ),
      userExists: db.prepare<[string], { display: string }>(
        'SELECT coalesce(display_name, user_name) AS display FROM users WHERE id = ?',
      ),
      groupExists: db.prepare<[string], { display: string }>(
        'SELECT display_name AS display FROM groups WHERE id = ?',
      ),
      logInsert: db.prepare<[RequestLogWrite]>(
        `INSERT INTO request_log (time, method, path, query, headers, body, status, duration_ms)
         VALUES (@time, @method, @path, @query, @headers, @body, @status, @duration_ms)`,
      ),
      logTrim: db.prepare<[number]>(
        'DELETE FROM request_log WHERE id <= (SELECT max(id) FROM request_log) - ?',
      ),
      logPage: db.prepare<[number, number], RequestLogRow>(
        'SELECT * FROM request_log ORDER BY id DESC LIMIT ? OFFSET ?',
      ),
      logCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM request_log'),
      logClear: db.prepare('DELETE FROM request_log'),
    };
  }

  table(kind: 'User' | 'Group') {
    return kind === 'User' ? this.users : this.groups;
  }

  getRow(kind: 'User' | 'Group', id: string): ResourceRow | undefined {
    return this.table(kind).get.get(id);
  }

  rowsBy(kind: 'User' | 'Group', attribute: IndexedAttribute, value: string): ResourceRow[] {
    const statement = this.table(kind).by[attribute];
    if (!statement) return [];
    const lowered = attribute === 'userName' || attribute === 'displayName' ? value.toLowerCase() : value;
    return statement.all(lowered);
  }

  page(kind: 'User' | 'Group', limit: number, offset: number): ResourceRow[] {
    return this.table(kind).page.all(limit, offset);
  }

  iterate(kind: 'User' | 'Group'): IterableIterator<ResourceRow> {
    return this.table(kind).all.iterate();
  }

  count(kind: 'User' | 'Group'): number {
    return this.table(kind).count.get()!.n;
  }

  /** Throws NameTakenError when the name is another resource's (the unique index decides, atomically). */
  insert(kind: 'User' | 'Group', w: ResourceWrite): void {
    try {
      this.table(kind).insert.run(bind(w));
    } catch (e) {
      throw translate(e);
    }
  }

  update(kind: 'User' | 'Group', w: ResourceWrite): void {
    try {
      this.table(kind).update.run(bind(w));
    } catch (e) {
      throw translate(e);
    }
  }

  delete(kind: 'User' | 'Group', id: string): boolean {
    return this.transaction(() => {
      const gone = this.table(kind).delete.run(id).changes > 0;
      if (gone) {
        this.s.removeFromAllGroups.run(id);
        if (kind === 'Group') this.s.removeAllMembers.run(id);
      }
      return gone;
    });
  }

  members(groupId: string): MemberRow[] {
    return this.s.members.all(groupId);
  }

  memberCount(groupId: string): number {
    return this.s.memberCount.get(groupId)?.n ?? 0;
  }

  memberRefs(groupId: string): { value: string; type: 'User' | 'Group' }[] {
    return this.s.memberRefs.all(groupId);
  }

  addMember(groupId: string, memberId: string, type: 'User' | 'Group'): void {
    this.s.addMember.run(groupId, memberId, type);
  }

  removeMember(groupId: string, memberId: string): void {
    this.s.removeMember.run(groupId, memberId);
  }

  userGroups(userId: string): { id: string; display_name: string }[] {
    return this.s.userGroups.all(userId);
  }

  /** The groups of many users in one query (a page of a list). */
  groupsOfUsers(userIds: string[]): Map<string, { id: string; display_name: string }[]> {
    const out = new Map<string, { id: string; display_name: string }[]>();
    for (const r of this.s.groupsOfUsers.all(JSON.stringify(userIds))) {
      const list = out.get(r.member_id);
      if (list) list.push(r);
      else out.set(r.member_id, [r]);
    }
    return out;
  }

  /** What an id refers to, for member and manager references. */
  lookup(id: string): { type: 'User' | 'Group'; display: string } | undefined {
    const u = this.s.userExists.get(id);
    if (u) return { type: 'User', display: u.display };
    const g = this.s.groupExists.get(id);
    return g ? { type: 'Group', display: g.display } : undefined;
  }

  /** Runs `fn` atomically (a savepoint when already inside a transaction). */
  transaction<T>(fn: () => T): T {
    return this.tx(fn) as T;
  }

  appendRequests(rows: RequestLogWrite[], keep: number): void {
    this.transaction(() => {
      for (const r of rows) this.s.logInsert.run(r);
      this.s.logTrim.run(keep);
    });
  }

  listRequests(limit: number, offset: number): { total: number; rows: RequestLogRow[] } {
    return { total: this.s.logCount.get()!.n, rows: this.s.logPage.all(limit, offset) };
  }

  clearRequests(): void {
    this.s.logClear.run();
  }

  reset(): void {
    this.db.exec(
      'DELETE FROM group_members; DELETE FROM groups; DELETE FROM users; DELETE FROM request_log;',
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function bind(w: ResourceWrite): Record<string, unknown> {
  return {
    id: w.id,
    name: w.name,
    nameLc: w.name.toLowerCase(),
    externalId: w.externalId,
    displayName: w.displayName,
    displayNameLc: w.displayName === null ? null : w.displayName.toLowerCase(),
    created: w.created,
    lastModified: w.lastModified,
    version: w.version,
    doc: w.doc,
  };
}
