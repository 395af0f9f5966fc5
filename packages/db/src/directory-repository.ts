import type {
  ExtensionAttributeValue,
  Group,
  GroupCreate,
  GroupUpdate,
  User,
  UserCreate,
  UserUpdate,
} from '@provisio/contracts';
import type { Sqlite } from './database';
import { containsPattern, decodeCursor, encodeCursor, newId, NotFoundError, nowIso, type Page } from './util';

interface UserRow {
  id: string;
  user_principal_name: string;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  mail: string | null;
  mail_nickname: string | null;
  department: string | null;
  job_title: string | null;
  employee_id: string | null;
  account_enabled: number;
  manager_id: string | null;
  extension_attributes: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  change_seq: number;
}

/** A directory user as the sync engine sees it: the Graph shape plus what the engine needs. */
/** A directory group as the repository returns it (Graph's group with its member count). */
export type DirectoryGroupRecord = Group;

export interface DirectoryUserRecord extends User {
  /** Extension attribute values by full name (`extension_<appId>_<name>`). */
  extensionAttributes: Record<string, ExtensionAttributeValue>;
  changeSeq: number;
}

const userColumns: Record<keyof UserCreate, string> = {
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
  managerId: 'manager_id',
};

function toUser(r: UserRow): DirectoryUserRecord {
  return {
    id: r.id,
    userPrincipalName: r.user_principal_name,
    displayName: r.display_name,
    givenName: r.given_name,
    surname: r.surname,
    mail: r.mail,
    mailNickname: r.mail_nickname,
    department: r.department,
    jobTitle: r.job_title,
    employeeId: r.employee_id,
    accountEnabled: r.account_enabled === 1,
    managerId: r.manager_id,
    createdDateTime: r.created_at,
    deletedDateTime: r.deleted_at,
    extensionAttributes: JSON.parse(r.extension_attributes) as Record<string, ExtensionAttributeValue>,
    changeSeq: r.change_seq,
  };
}

interface GroupRow {
  id: string;
  display_name: string;
  description: string | null;
  mail_nickname: string | null;
  security_enabled: number;
  created_at: string;
  deleted_at: string | null;
  member_count: number;
}
function toGroup(r: GroupRow): Group {
  return {
    id: r.id,
    displayName: r.display_name,
    description: r.description,
    mailNickname: r.mail_nickname,
    securityEnabled: r.security_enabled === 1,
    memberCount: r.member_count,
    createdDateTime: r.created_at,
    deletedDateTime: r.deleted_at,
  };
}

export interface ListOptions {
  top: number;
  cursor?: string | undefined;
  search?: string | undefined;
  includeDeleted?: boolean;
}

/** Adds the condition "the text is in the user's display name, user principal name or mail". */
function userTextMatch(text: string, where: string[], params: unknown[]): void {
  where.push(
    "(display_name LIKE ? ESCAPE '\\' OR user_principal_name LIKE ? ESCAPE '\\' OR mail LIKE ? ESCAPE '\\')",
  );
  const pattern = containsPattern(text);
  params.push(pattern, pattern, pattern);
}

/**
 * Directory users, groups and memberships. Every write records a directory
 * change (and stamps the object's `change_seq`) so incremental cycles can
 * find what changed after their watermark.
 */
export class DirectoryRepository {
  private readonly insertChange;
  constructor(private readonly db: Sqlite) {
    this.insertChange = db.prepare(
      'INSERT INTO directory_changes (object_type, object_id, change_type, changed_at) VALUES (?, ?, ?, ?)',
    );
  }

  /** Records a change and returns its number. */
  recordChange(objectType: 'user' | 'group', objectId: string, changeType: string): number {
    const info = this.insertChange.run(objectType, objectId, changeType, nowIso());
    const seq = Number(info.lastInsertRowid);
    const table = objectType === 'user' ? 'directory_users' : 'directory_groups';
    this.db.prepare(`UPDATE ${table} SET change_seq = ? WHERE id = ?`).run(seq, objectId);
    return seq;
  }

  latestChangeSeq(): number {
    const r = this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM directory_changes').get() as {
      seq: number;
    };
    return r.seq;
  }

  /** The distinct objects changed in (after, upTo], oldest change first. */
  listChangedObjects(
    after: number,
    upTo: number,
  ): { objectType: 'user' | 'group'; objectId: string; seq: number }[] {
    return (
      this.db
        .prepare(
          `SELECT object_type, object_id, MAX(seq) AS seq FROM directory_changes
           WHERE seq > ? AND seq <= ? GROUP BY object_type, object_id ORDER BY seq`,
        )
        .all(after, upTo) as { object_type: 'user' | 'group'; object_id: string; seq: number }[]
    ).map((r) => ({ objectType: r.object_type, objectId: r.object_id, seq: r.seq }));
  }

  /**
   * Ids of the objects of one type changed in (after, upTo] by one of the given kinds of
   * change (`assignment`, `unassignment`, `membership`, …), oldest first.
   */
  listChangedObjectIdsByChangeType(
    after: number,
    upTo: number,
    objectType: 'user' | 'group',
    changeTypes: readonly string[],
  ): string[] {
    if (changeTypes.length === 0) return [];
    return (
      this.db
        .prepare(
          `SELECT object_id, MAX(seq) AS seq FROM directory_changes
           WHERE seq > ? AND seq <= ? AND object_type = ? AND change_type IN (${changeTypes.map(() => '?').join(',')})
           GROUP BY object_id ORDER BY seq`,
        )
        .all(after, upTo, objectType, ...changeTypes) as { object_id: string }[]
    ).map((r) => r.object_id);
  }

  // ---- users ----

  /** Every user id (soft-deleted users only when asked), for initial cycles with "Sync all users and groups". */
  listUserIds(options: { includeDeleted?: boolean } = {}): string[] {
    return (
      this.db
        .prepare(
          `SELECT id FROM directory_users ${options.includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY id`,
        )
        .all() as { id: string }[]
    ).map((r) => r.id);
  }

  insertUser(input: UserCreate, id: string = newId()): DirectoryUserRecord {
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO directory_users (id, user_principal_name, display_name, given_name, surname, mail, mail_nickname,
           department, job_title, employee_id, account_enabled, manager_id, created_at, updated_at)
         VALUES (@id, @upn, @displayName, @givenName, @surname, @mail, @mailNickname, @department, @jobTitle,
           @employeeId, @accountEnabled, @managerId, @now, @now)`,
      )
      .run({
        id,
        upn: input.userPrincipalName,
        displayName: input.displayName,
        givenName: input.givenName ?? null,
        surname: input.surname ?? null,
        mail: input.mail ?? null,
        mailNickname: input.mailNickname ?? input.userPrincipalName.split('@')[0] ?? null,
        department: input.department ?? null,
        jobTitle: input.jobTitle ?? null,
        employeeId: input.employeeId ?? null,
        accountEnabled: input.accountEnabled === false ? 0 : 1,
        managerId: input.managerId ?? null,
        now,
      });
    this.recordChange('user', id, 'add');
    return this.getUser(id);
  }

  findUser(id: string): DirectoryUserRecord | null {
    const r = this.db.prepare('SELECT * FROM directory_users WHERE id = ?').get(id) as UserRow | undefined;
    return r ? toUser(r) : null;
  }
  getUser(id: string): DirectoryUserRecord {
    const u = this.findUser(id);
    if (!u) throw new NotFoundError('user', id);
    return u;
  }
  findUserByPrincipalName(upn: string): DirectoryUserRecord | null {
    const r = this.db.prepare('SELECT * FROM directory_users WHERE user_principal_name = ?').get(upn) as
      UserRow | undefined;
    return r ? toUser(r) : null;
  }

  /** Users by id, in one query (missing ids are left out). */
  listUsersByIds(ids: readonly string[]): DirectoryUserRecord[] {
    const out: DirectoryUserRecord[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT * FROM directory_users WHERE id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as UserRow[];
      out.push(...rows.map(toUser));
    }
    return out;
  }

  listUsers(opts: ListOptions): Page<DirectoryUserRecord> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!opts.includeDeleted) where.push('deleted_at IS NULL');
    if (opts.search) userTextMatch(opts.search, where, params);
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push('(display_name COLLATE NOCASE, id) > (?, ?)');
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM directory_users ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY display_name COLLATE NOCASE, id LIMIT ?`,
      )
      .all(...params, opts.top + 1) as UserRow[];
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toUser);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor([last.displayName, last.id]) : null };
  }

  countUsers(): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM directory_users WHERE deleted_at IS NULL').get() as {
        n: number;
      }
    ).n;
  }

  updateUser(id: string, patch: UserUpdate): DirectoryUserRecord {
    const before = this.getUser(id);
    const sets: string[] = [];
    const params: Record<string, unknown> = { id, now: nowIso() };
    for (const [key, column] of Object.entries(userColumns) as [keyof UserCreate, string][]) {
      if (!(key in patch)) continue;
      const v = patch[key];
      sets.push(`${column} = @${key}`);
      params[key] = key === 'accountEnabled' ? (v === false ? 0 : 1) : (v ?? null);
    }
    if (sets.length === 0) return before;
    this.db
      .prepare(`UPDATE directory_users SET ${sets.join(', ')}, updated_at = @now WHERE id = @id`)
      .run(params);
    this.recordChange('user', id, 'update');
    return this.getUser(id);
  }

  /** Soft delete: the user goes to the recycle bin and leaves every application's scope. */
  softDeleteUser(id: string): void {
    this.getUser(id);
    this.db
      .prepare('UPDATE directory_users SET deleted_at = ?, updated_at = ? WHERE id = ?')
      .run(nowIso(), nowIso(), id);
    this.recordChange('user', id, 'softDelete');
  }
  restoreUser(id: string): void {
    this.getUser(id);
    this.db
      .prepare('UPDATE directory_users SET deleted_at = NULL, updated_at = ? WHERE id = ?')
      .run(nowIso(), id);
    this.recordChange('user', id, 'restore');
  }
  /**
   * Users in the recycle bin (*Deleted users*), the most recently deleted first, optionally narrowed
   * by a text in the display name, user principal name or mail.
   */
  listDeletedUsers(opts: Omit<ListOptions, 'includeDeleted'>): Page<DirectoryUserRecord> {
    const where = ['deleted_at IS NOT NULL'];
    const params: unknown[] = [];
    if (opts.search) userTextMatch(opts.search, where, params);
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push('(deleted_at, id) < (?, ?)');
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM directory_users WHERE ${where.join(' AND ')} ORDER BY deleted_at DESC, id DESC LIMIT ?`,
      )
      .all(...params, opts.top + 1) as UserRow[];
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toUser);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: more && last ? encodeCursor([last.deletedDateTime ?? '', last.id]) : null,
    };
  }

  /** Up to `limit` users deleted (soft) before `before`, the oldest first: those due for a hard delete. */
  listDeletedUsersBefore(before: Date, limit: number): DirectoryUserRecord[] {
    return (
      this.db
        .prepare(
          'SELECT * FROM directory_users WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY deleted_at, id LIMIT ?',
        )
        .all(before.toISOString(), limit) as UserRow[]
    ).map(toUser);
  }

  /** Hard delete: the row goes; the change row stays so incremental cycles see the deletion. */
  hardDeleteUser(id: string): void {
    this.getUser(id);
    this.db.prepare('DELETE FROM directory_users WHERE id = ?').run(id);
    this.db.prepare('DELETE FROM app_role_assignments WHERE principal_id = ?').run(id);
    this.insertChange.run('user', id, 'hardDelete', nowIso());
  }

  // ---- groups ----

  private readonly groupSelect = `SELECT g.*, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS member_count
     FROM directory_groups g`;

  insertGroup(input: GroupCreate, id: string = newId()): Group {
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO directory_groups (id, display_name, description, mail_nickname, security_enabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.displayName,
        input.description ?? null,
        input.mailNickname ?? null,
        input.securityEnabled === false ? 0 : 1,
        now,
        now,
      );
    this.recordChange('group', id, 'add');
    return this.getGroup(id);
  }
  findGroup(id: string): Group | null {
    const r = this.db.prepare(`${this.groupSelect} WHERE g.id = ?`).get(id) as GroupRow | undefined;
    return r ? toGroup(r) : null;
  }
  getGroup(id: string): Group {
    const g = this.findGroup(id);
    if (!g) throw new NotFoundError('group', id);
    return g;
  }
  /** Ids of every group not in the recycle bin, in id order (Sync all). */
  listGroupIds(): string[] {
    return this.db
      .prepare('SELECT id FROM directory_groups WHERE deleted_at IS NULL ORDER BY id')
      .pluck()
      .all() as string[];
  }
  /** Groups by id, in one query per 500 ids; ids of deleted groups are absent. */
  listGroupsByIds(ids: readonly string[]): Group[] {
    const out: Group[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(`${this.groupSelect} WHERE g.id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as GroupRow[];
      out.push(...rows.map(toGroup));
    }
    return out;
  }
  listGroups(opts: ListOptions): Page<Group> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!opts.includeDeleted) where.push('g.deleted_at IS NULL');
    if (opts.search) {
      where.push("g.display_name LIKE ? ESCAPE '\\'");
      params.push(containsPattern(opts.search));
    }
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push('(g.display_name COLLATE NOCASE, g.id) > (?, ?)');
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = this.db
      .prepare(
        `${this.groupSelect} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY g.display_name COLLATE NOCASE, g.id LIMIT ?`,
      )
      .all(...params, opts.top + 1) as GroupRow[];
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toGroup);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor([last.displayName, last.id]) : null };
  }
  updateGroup(id: string, patch: GroupUpdate): Group {
    this.getGroup(id);
    const map: Record<string, string> = {
      displayName: 'display_name',
      description: 'description',
      mailNickname: 'mail_nickname',
      securityEnabled: 'security_enabled',
    };
    const sets: string[] = [];
    const params: Record<string, unknown> = { id, now: nowIso() };
    for (const [k, col] of Object.entries(map)) {
      if (!(k in patch)) continue;
      const v = (patch as Record<string, unknown>)[k];
      sets.push(`${col} = @${k}`);
      params[k] = k === 'securityEnabled' ? (v === false ? 0 : 1) : (v ?? null);
    }
    if (sets.length) {
      this.db
        .prepare(`UPDATE directory_groups SET ${sets.join(', ')}, updated_at = @now WHERE id = @id`)
        .run(params);
      this.recordChange('group', id, 'update');
    }
    return this.getGroup(id);
  }
  deleteGroup(id: string): void {
    this.getGroup(id);
    const members = this.listMemberIds(id);
    this.db.prepare('DELETE FROM directory_groups WHERE id = ?').run(id);
    this.db.prepare('DELETE FROM app_role_assignments WHERE principal_id = ?').run(id);
    this.insertChange.run('group', id, 'hardDelete', nowIso());
    for (const m of members) this.recordChange('user', m, 'membership');
  }

  // ---- memberships (direct only) ----

  addMember(groupId: string, userId: string): boolean {
    this.getGroup(groupId);
    this.getUser(userId);
    const info = this.db
      .prepare('INSERT OR IGNORE INTO group_members (group_id, user_id, created_at) VALUES (?, ?, ?)')
      .run(groupId, userId, nowIso());
    if (info.changes === 0) return false;
    this.recordChange('user', userId, 'membership');
    this.recordChange('group', groupId, 'membership');
    return true;
  }
  removeMember(groupId: string, userId: string): boolean {
    const info = this.db
      .prepare('DELETE FROM group_members WHERE group_id = ? AND user_id = ?')
      .run(groupId, userId);
    if (info.changes === 0) return false;
    this.recordChange('user', userId, 'membership');
    this.recordChange('group', groupId, 'membership');
    return true;
  }
  listMemberIds(groupId: string): string[] {
    return (
      this.db
        .prepare('SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id')
        .all(groupId) as {
        user_id: string;
      }[]
    ).map((r) => r.user_id);
  }
  listMembers(groupId: string, opts: ListOptions): Page<DirectoryUserRecord> {
    const cursor = decodeCursor(opts.cursor);
    const params: unknown[] = [groupId];
    let extra = '';
    if (cursor && cursor.length === 2) {
      extra = 'AND (u.display_name COLLATE NOCASE, u.id) > (?, ?)';
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = this.db
      .prepare(
        `SELECT u.* FROM group_members m JOIN directory_users u ON u.id = m.user_id
         WHERE m.group_id = ? ${extra} ORDER BY u.display_name COLLATE NOCASE, u.id LIMIT ?`,
      )
      .all(...params, opts.top + 1) as UserRow[];
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toUser);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor([last.displayName, last.id]) : null };
  }
  /** The users whose manager is one of these users (their direct reports), each once. */
  listDirectReportIds(managerIds: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < managerIds.length; i += 500) {
      const chunk = managerIds.slice(i, i + 500);
      out.push(
        ...(this.db
          .prepare(`SELECT id FROM directory_users WHERE manager_id IN (${chunk.map(() => '?').join(',')})`)
          .pluck()
          .all(...chunk) as string[]),
      );
    }
    return out;
  }
  /** The groups some users are direct members of, each once. */
  listGroupIdsOfUsers(userIds: readonly string[]): string[] {
    const out = new Set<string>();
    for (let i = 0; i < userIds.length; i += 500) {
      const chunk = userIds.slice(i, i + 500);
      const ids = this.db
        .prepare(
          `SELECT DISTINCT group_id FROM group_members WHERE user_id IN (${chunk.map(() => '?').join(',')})`,
        )
        .pluck()
        .all(...chunk) as string[];
      for (const id of ids) out.add(id);
    }
    return [...out];
  }
  listGroupIdsOfUser(userId: string): string[] {
    return (
      this.db.prepare('SELECT group_id FROM group_members WHERE user_id = ?').all(userId) as {
        group_id: string;
      }[]
    ).map((r) => r.group_id);
  }
}
