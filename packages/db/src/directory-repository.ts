import type {
  ExtensionAttributeValue,
  Group,
  GroupCreate,
  GroupUpdate,
  User,
  UserCreate,
  UserUpdate,
} from '@provisio/contracts';
import { dialectOf, directoryTransaction, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';
import {
  bulkChunks,
  containsPattern,
  decodeCursor,
  encodeCursor,
  newId,
  NotFoundError,
  nowIso,
  valueRows,
  type Page,
} from './util';

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

/** Adds the condition "the text is in the user's display name, user principal name or mail" (any case). */
function userTextMatch(d: SqlDialect, text: string, where: string[], params: unknown[]): void {
  where.push(
    `(${d.likeNocase('display_name')} OR ${d.likeNocase('user_principal_name')} OR ${d.likeNocase('mail')})`,
  );
  const pattern = containsPattern(text);
  params.push(pattern, pattern, pattern);
}

const USER_COLUMNS = 14;
const INSERT_USERS = `INSERT INTO directory_users (id, user_principal_name, display_name, given_name, surname, mail,
  mail_nickname, department, job_title, employee_id, account_enabled, manager_id, created_at, updated_at) VALUES`;

const INSERT_USER = `${INSERT_USERS} ${valueRows(1, USER_COLUMNS)}`;

/** One row of INSERT_USERS. */
function userRow(input: UserCreate, id: string, now: string): unknown[] {
  return [
    id,
    input.userPrincipalName,
    input.displayName,
    input.givenName ?? null,
    input.surname ?? null,
    input.mail ?? null,
    input.mailNickname ?? input.userPrincipalName.split('@')[0] ?? null,
    input.department ?? null,
    input.jobTitle ?? null,
    input.employeeId ?? null,
    input.accountEnabled === false ? 0 : 1,
    input.managerId ?? null,
    now,
    now,
  ];
}

/** Every change is numbered by this insert: it answers the number. */
const INSERT_CHANGE =
  'INSERT INTO directory_changes (object_type, object_id, change_type, changed_at) VALUES (?, ?, ?, ?) RETURNING seq';

/**
 * Directory users, groups and memberships. Every write records a directory
 * change (and stamps the object's `change_seq`) so incremental cycles can
 * find what changed after their watermark.
 */
export class DirectoryRepository {
  private readonly d: SqlDialect;
  constructor(private readonly runner: SqlRunner) {
    this.d = dialectOf(runner.dialect);
  }

  /**
   * Runs `fn` with this repository bound to a transaction (a savepoint inside the caller's) that
   * holds the directory change lock: a write and the changes it records commit together, numbered
   * in commit order (see `directoryTransaction`).
   */
  private write<T>(fn: (repo: DirectoryRepository) => Promise<T>): Promise<T> {
    return directoryTransaction(this.runner, (tx) => fn(new DirectoryRepository(tx)));
  }

  /** Records a change and returns its number. */
  recordChange(objectType: 'user' | 'group', objectId: string, changeType: string): Promise<number> {
    return this.write((repo) => repo.stampChange(objectType, objectId, changeType));
  }

  /** Records a change and stamps the object with it, inside the caller's `write`. */
  private async stampChange(
    objectType: 'user' | 'group',
    objectId: string,
    changeType: string,
  ): Promise<number> {
    const seq = await this.insertChange(objectType, objectId, changeType);
    const table = objectType === 'user' ? 'directory_users' : 'directory_groups';
    await this.runner.run(`UPDATE ${table} SET change_seq = ? WHERE id = ?`, [seq, objectId]);
    return seq;
  }

  private async insertChange(objectType: 'user' | 'group', objectId: string, changeType: string) {
    const r = await this.runner.get<{ seq: number }>(INSERT_CHANGE, [
      objectType,
      objectId,
      changeType,
      nowIso(),
    ]);
    return r!.seq;
  }

  async latestChangeSeq(): Promise<number> {
    const r = await this.runner.get<{ seq: number }>(
      'SELECT COALESCE(MAX(seq), 0) AS seq FROM directory_changes',
    );
    return r!.seq;
  }

  /** The distinct objects changed in (after, upTo], oldest change first. */
  async listChangedObjects(
    after: number,
    upTo: number,
  ): Promise<{ objectType: 'user' | 'group'; objectId: string; seq: number }[]> {
    return (
      await this.runner.all<{ object_type: 'user' | 'group'; object_id: string; seq: number }>(
        `SELECT object_type, object_id, MAX(seq) AS seq FROM directory_changes
         WHERE seq > ? AND seq <= ? GROUP BY object_type, object_id ORDER BY seq`,
        [after, upTo],
      )
    ).map((r) => ({ objectType: r.object_type, objectId: r.object_id, seq: r.seq }));
  }

  /**
   * Ids of the objects of one type changed in (after, upTo] by one of the given kinds of
   * change (`assignment`, `unassignment`, `membership`, …), oldest first.
   */
  async listChangedObjectIdsByChangeType(
    after: number,
    upTo: number,
    objectType: 'user' | 'group',
    changeTypes: readonly string[],
  ): Promise<string[]> {
    if (changeTypes.length === 0) return [];
    return (
      await this.runner.all<{ object_id: string }>(
        `SELECT object_id, MAX(seq) AS seq FROM directory_changes
         WHERE seq > ? AND seq <= ? AND object_type = ? AND change_type IN (${changeTypes.map(() => '?').join(',')})
         GROUP BY object_id ORDER BY seq`,
        [after, upTo, objectType, ...changeTypes],
      )
    ).map((r) => r.object_id);
  }

  // ---- users ----

  /** Every user id (soft-deleted users only when asked), for initial cycles with "Sync all users and groups". */
  async listUserIds(options: { includeDeleted?: boolean } = {}): Promise<string[]> {
    return (
      await this.runner.all<{ id: string }>(
        `SELECT id FROM directory_users ${options.includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY id`,
      )
    ).map((r) => r.id);
  }

  insertUser(input: UserCreate, id: string = newId()): Promise<DirectoryUserRecord> {
    return this.write((repo) => repo.insertUserNow(input, id));
  }

  private async insertUserNow(input: UserCreate, id: string): Promise<DirectoryUserRecord> {
    await this.runner.run(INSERT_USER, userRow(input, id, nowIso()));
    await this.stampChange('user', id, 'add');
    return this.getUser(id);
  }

  /**
   * Adds many users in one directory write, each with its `add` change as `insertUser` records it,
   * in a few statements per `BULK_ROWS` users rather than several per user: for imports and
   * seeding, where round trips to the database (PostgreSQL's above all) would dominate. Answers
   * the new users' ids in the order given.
   */
  insertUsers(inputs: readonly UserCreate[]): Promise<string[]> {
    return this.write(async (repo) => {
      const ids: string[] = [];
      for (const { chunk } of bulkChunks(inputs)) {
        const now = nowIso();
        const chunkIds = chunk.map(() => newId());
        await repo.runner.run(
          `${INSERT_USERS} ${valueRows(chunk.length, USER_COLUMNS)}`,
          chunk.flatMap((input, k) => userRow(input, chunkIds[k]!, now)),
        );
        await repo.stampChanges('user', chunkIds, 'add', now);
        ids.push(...chunkIds);
      }
      return ids;
    });
  }

  /**
   * Has the database look at the directory's tables again for its query plans: PostgreSQL's
   * `ANALYZE` of the users, groups, memberships and assignments (a sample of each, a fraction of a
   * second); nothing on SQLite, whose plans do not depend on such statistics here.
   */
  async refreshStatistics(): Promise<void> {
    if (this.runner.dialect !== 'postgres') return;
    await this.runner.run('ANALYZE directory_users, directory_groups, group_members, app_role_assignments');
  }

  /** Records one change of each object (a bulk `recordChange`). */
  recordChanges(
    objectType: 'user' | 'group',
    objectIds: readonly string[],
    changeType: string,
  ): Promise<void> {
    return this.write((repo) => repo.stampChanges(objectType, objectIds, changeType, nowIso()));
  }

  /**
   * Records one change per object and stamps each object with its own, inside the caller's `write`:
   * two statements per `BULK_ROWS` objects.
   */
  private async stampChanges(
    objectType: 'user' | 'group',
    ids: readonly string[],
    changeType: string,
    now: string,
  ): Promise<void> {
    const table = objectType === 'user' ? 'directory_users' : 'directory_groups';
    for (const { chunk } of bulkChunks(ids)) {
      await this.runner.run(
        `INSERT INTO directory_changes (object_type, object_id, change_type, changed_at) VALUES ${valueRows(chunk.length, 4)}`,
        chunk.flatMap((id) => [objectType, id, changeType, now]),
      );
      await this.runner.run(
        `UPDATE ${table} SET change_seq = (SELECT MAX(c.seq) FROM directory_changes c
           WHERE c.object_type = ? AND c.object_id = ${table}.id) WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        [objectType, ...chunk],
      );
    }
  }

  async findUser(id: string): Promise<DirectoryUserRecord | null> {
    const r = await this.runner.get<UserRow>('SELECT * FROM directory_users WHERE id = ?', [id]);
    return r ? toUser(r) : null;
  }
  async getUser(id: string): Promise<DirectoryUserRecord> {
    const u = await this.findUser(id);
    if (!u) throw new NotFoundError('user', id);
    return u;
  }
  /** The user of a user principal name, whatever its case. */
  async findUserByPrincipalName(upn: string): Promise<DirectoryUserRecord | null> {
    const { nocaseOperand } = this.d;
    const r = await this.runner.get<UserRow>(
      `SELECT * FROM directory_users WHERE ${nocaseOperand('user_principal_name')} = ${nocaseOperand('?')}`,
      [upn],
    );
    return r ? toUser(r) : null;
  }

  /** Users by id, in one query (missing ids are left out). */
  async listUsersByIds(ids: readonly string[]): Promise<DirectoryUserRecord[]> {
    const out: DirectoryUserRecord[] = [];
    for (const { chunk } of bulkChunks(ids)) {
      const rows = await this.runner.all<UserRow>(
        `SELECT * FROM directory_users WHERE id IN (${chunk.map(() => '?').join(',')})`,
        chunk,
      );
      out.push(...rows.map(toUser));
    }
    return out;
  }

  async listUsers(opts: ListOptions): Promise<Page<DirectoryUserRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const { nocase, nocaseOperand } = this.d;
    if (!opts.includeDeleted) where.push('deleted_at IS NULL');
    if (opts.search) userTextMatch(this.d, opts.search, where, params);
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push(`(${nocase('display_name')}, id) > (${nocaseOperand('?')}, ?)`);
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = await this.runner.all<UserRow>(
      `SELECT * FROM directory_users ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${nocase('display_name')}, id LIMIT ?`,
      [...params, opts.top + 1],
    );
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toUser);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor([last.displayName, last.id]) : null };
  }

  async countUsers(): Promise<number> {
    return (await this.runner.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM directory_users WHERE deleted_at IS NULL',
    ))!.n;
  }

  updateUser(id: string, patch: UserUpdate): Promise<DirectoryUserRecord> {
    return this.write((repo) => repo.updateUserNow(id, patch));
  }

  private async updateUserNow(id: string, patch: UserUpdate): Promise<DirectoryUserRecord> {
    const before = await this.getUser(id);
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [key, column] of Object.entries(userColumns) as [keyof UserCreate, string][]) {
      if (!(key in patch)) continue;
      const v = patch[key];
      sets.push(`${column} = ?`);
      params.push(key === 'accountEnabled' ? (v === false ? 0 : 1) : (v ?? null));
    }
    if (sets.length === 0) return before;
    await this.runner.run(`UPDATE directory_users SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, [
      ...params,
      nowIso(),
      id,
    ]);
    await this.stampChange('user', id, 'update');
    return this.getUser(id);
  }

  /** Soft delete: the user goes to the recycle bin and leaves every application's scope. */
  softDeleteUser(id: string): Promise<void> {
    return this.write(async (repo) => {
      await repo.getUser(id);
      await repo.runner.run('UPDATE directory_users SET deleted_at = ?, updated_at = ? WHERE id = ?', [
        nowIso(),
        nowIso(),
        id,
      ]);
      await repo.stampChange('user', id, 'softDelete');
    });
  }
  restoreUser(id: string): Promise<void> {
    return this.write(async (repo) => {
      await repo.getUser(id);
      await repo.runner.run('UPDATE directory_users SET deleted_at = NULL, updated_at = ? WHERE id = ?', [
        nowIso(),
        id,
      ]);
      await repo.stampChange('user', id, 'restore');
    });
  }
  /**
   * Users in the recycle bin (*Deleted users*), the most recently deleted first, optionally narrowed
   * by a text in the display name, user principal name or mail.
   */
  async listDeletedUsers(opts: Omit<ListOptions, 'includeDeleted'>): Promise<Page<DirectoryUserRecord>> {
    const where = ['deleted_at IS NOT NULL'];
    const params: unknown[] = [];
    if (opts.search) userTextMatch(this.d, opts.search, where, params);
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push('(deleted_at, id) < (?, ?)');
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = await this.runner.all<UserRow>(
      `SELECT * FROM directory_users WHERE ${where.join(' AND ')} ORDER BY deleted_at DESC, id DESC LIMIT ?`,
      [...params, opts.top + 1],
    );
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toUser);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: more && last ? encodeCursor([last.deletedDateTime ?? '', last.id]) : null,
    };
  }

  /** Up to `limit` users deleted (soft) before `before`, the oldest first: those due for a hard delete. */
  async listDeletedUsersBefore(before: Date, limit: number): Promise<DirectoryUserRecord[]> {
    return (
      await this.runner.all<UserRow>(
        'SELECT * FROM directory_users WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY deleted_at, id LIMIT ?',
        [before.toISOString(), limit],
      )
    ).map(toUser);
  }

  /**
   * Hard delete: the row goes, with its memberships and assignments, and its reports lose their
   * manager (each a change, so that cycles clear the reference in applications); the change row
   * stays so incremental cycles see the deletion.
   */
  hardDeleteUser(id: string): Promise<void> {
    return this.write(async (repo) => {
      await repo.getUser(id);
      const reports = await repo.runner.all<{ id: string }>(
        'SELECT id FROM directory_users WHERE manager_id = ?',
        [id],
      );
      if (reports.length > 0) {
        const now = nowIso();
        await repo.runner.run(
          'UPDATE directory_users SET manager_id = NULL, updated_at = ? WHERE manager_id = ?',
          [now, id],
        );
        await repo.stampChanges(
          'user',
          reports.map((r) => r.id),
          'update',
          now,
        );
      }
      await repo.runner.run('DELETE FROM directory_users WHERE id = ?', [id]);
      await repo.runner.run('DELETE FROM app_role_assignments WHERE principal_id = ?', [id]);
      await repo.insertChange('user', id, 'hardDelete');
    });
  }

  // ---- groups ----

  // A group's member count leaves out members in the recycle bin, as its members list does. The
  // users in the bin are read once per statement (a set the database builds from their index) rather
  // than each member's user row: every cycle's groups are read this way, and reading each member's
  // row made reading 2,000 groups of 100 members ten times as long.
  private readonly groupSelect = `SELECT g.*, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id
      AND m.user_id NOT IN (SELECT id FROM directory_users WHERE deleted_at IS NOT NULL)) AS member_count
     FROM directory_groups g`;

  insertGroup(input: GroupCreate, id: string = newId()): Promise<Group> {
    return this.write((repo) => repo.insertGroupNow(input, id));
  }

  private async insertGroupNow(input: GroupCreate, id: string): Promise<Group> {
    const now = nowIso();
    await this.runner.run(
      `INSERT INTO directory_groups (id, display_name, description, mail_nickname, security_enabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        input.displayName,
        input.description ?? null,
        input.mailNickname ?? null,
        input.securityEnabled === false ? 0 : 1,
        now,
        now,
      ],
    );
    await this.stampChange('group', id, 'add');
    return this.getGroup(id);
  }
  async findGroup(id: string): Promise<Group | null> {
    const r = await this.runner.get<GroupRow>(`${this.groupSelect} WHERE g.id = ?`, [id]);
    return r ? toGroup(r) : null;
  }
  async getGroup(id: string): Promise<Group> {
    const g = await this.findGroup(id);
    if (!g) throw new NotFoundError('group', id);
    return g;
  }
  /** Ids of every group not in the recycle bin, in id order (Sync all). */
  async listGroupIds(): Promise<string[]> {
    return (
      await this.runner.all<{ id: string }>(
        'SELECT id FROM directory_groups WHERE deleted_at IS NULL ORDER BY id',
      )
    ).map((r) => r.id);
  }
  /** Groups by id, in one query per 500 ids; ids of deleted groups are absent. */
  async listGroupsByIds(ids: readonly string[]): Promise<Group[]> {
    const out: Group[] = [];
    for (const { chunk } of bulkChunks(ids)) {
      const rows = await this.runner.all<GroupRow>(
        `${this.groupSelect} WHERE g.id IN (${chunk.map(() => '?').join(',')})`,
        chunk,
      );
      out.push(...rows.map(toGroup));
    }
    return out;
  }
  async listGroups(opts: ListOptions): Promise<Page<Group>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const { nocase, nocaseOperand, likeNocase } = this.d;
    if (!opts.includeDeleted) where.push('g.deleted_at IS NULL');
    if (opts.search) {
      where.push(likeNocase('g.display_name'));
      params.push(containsPattern(opts.search));
    }
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push(`(${nocase('g.display_name')}, g.id) > (${nocaseOperand('?')}, ?)`);
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = await this.runner.all<GroupRow>(
      `${this.groupSelect} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${nocase('g.display_name')}, g.id LIMIT ?`,
      [...params, opts.top + 1],
    );
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toGroup);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor([last.displayName, last.id]) : null };
  }
  updateGroup(id: string, patch: GroupUpdate): Promise<Group> {
    return this.write((repo) => repo.updateGroupNow(id, patch));
  }

  private async updateGroupNow(id: string, patch: GroupUpdate): Promise<Group> {
    const before = await this.getGroup(id);
    const map: Record<string, string> = {
      displayName: 'display_name',
      description: 'description',
      mailNickname: 'mail_nickname',
      securityEnabled: 'security_enabled',
    };
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [k, col] of Object.entries(map)) {
      if (!(k in patch)) continue;
      const v = (patch as Record<string, unknown>)[k];
      sets.push(`${col} = ?`);
      params.push(k === 'securityEnabled' ? (v === false ? 0 : 1) : (v ?? null));
    }
    if (sets.length) {
      await this.runner.run(`UPDATE directory_groups SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, [
        ...params,
        nowIso(),
        id,
      ]);
      await this.stampChange('group', id, 'update');
      if ('displayName' in patch && before.displayName !== patch.displayName)
        await this.stampChanges('group', await this.groupsHolding(id), 'nesting', nowIso());
    }
    return this.getGroup(id);
  }
  /**
   * The groups that hold `groupId` as a nested group. Their provisioning events name it, so they
   * record a `nesting` change when it is renamed or deleted, as when it is nested or taken out.
   */
  private async groupsHolding(groupId: string): Promise<string[]> {
    return (
      await this.runner.all<{ group_id: string }>(
        'SELECT group_id FROM group_member_groups WHERE member_group_id = ? ORDER BY group_id',
        [groupId],
      )
    ).map((r) => r.group_id);
  }
  /**
   * Deletes a group with its memberships and assignments; each former member records a membership
   * change, and each group that held it nested a nesting change.
   */
  deleteGroup(id: string): Promise<void> {
    return this.write(async (repo) => {
      await repo.getGroup(id);
      const members = await repo.listMemberIds(id);
      const holders = await repo.groupsHolding(id);
      await repo.runner.run('DELETE FROM directory_groups WHERE id = ?', [id]);
      await repo.runner.run('DELETE FROM app_role_assignments WHERE principal_id = ?', [id]);
      await repo.insertChange('group', id, 'hardDelete');
      const now = nowIso();
      await repo.stampChanges('user', members, 'membership', now);
      await repo.stampChanges('group', holders, 'nesting', now);
    });
  }

  // ---- memberships (direct only) ----

  async addMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.addMembers(groupId, [userId])) === 1;
  }
  /**
   * Adds many direct members to a group in one directory write (users already members are left
   * as they are), with the membership changes `addMember` records. Answers how many were added.
   */
  addMembers(groupId: string, userIds: readonly string[]): Promise<number> {
    return this.write(async (repo) => {
      await repo.getGroup(groupId);
      let added = 0;
      for (const { chunk } of bulkChunks(userIds)) {
        const now = nowIso();
        const known = await repo.runner.all<{ id: string }>(
          `SELECT id FROM directory_users WHERE id IN (${chunk.map(() => '?').join(', ')})`,
          chunk,
        );
        if (known.length < new Set(chunk).size) {
          const have = new Set(known.map((r) => r.id));
          throw new NotFoundError('user', chunk.find((id) => !have.has(id)) ?? '');
        }
        const inserted = await repo.runner.all<{ user_id: string }>(
          `INSERT INTO group_members (group_id, user_id, created_at) VALUES ${valueRows(chunk.length, 3)}
           ON CONFLICT DO NOTHING RETURNING user_id`,
          chunk.flatMap((id) => [groupId, id, now]),
        );
        await repo.stampChanges(
          'user',
          inserted.map((r) => r.user_id),
          'membership',
          now,
        );
        added += inserted.length;
      }
      if (added > 0) await repo.stampChange('group', groupId, 'membership');
      return added;
    });
  }

  removeMember(groupId: string, userId: string): Promise<boolean> {
    return this.write(async (repo) => {
      const info = await repo.runner.run('DELETE FROM group_members WHERE group_id = ? AND user_id = ?', [
        groupId,
        userId,
      ]);
      if (info.changes === 0) return false;
      await repo.stampChange('user', userId, 'membership');
      await repo.stampChange('group', groupId, 'membership');
      return true;
    });
  }
  async listMemberIds(groupId: string): Promise<string[]> {
    return (await this.listMemberIdsOf([groupId])).get(groupId) ?? [];
  }
  /**
   * The direct user members of each of some groups, in user id order: one statement per
   * `BULK_ROWS` groups. A group without members has an empty list.
   */
  async listMemberIdsOf(groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(groupIds.map((id) => [id, []]));
    for (const { chunk } of bulkChunks(groupIds)) {
      const rows = await this.runner.all<{ group_id: string; user_id: string }>(
        `SELECT group_id, user_id FROM group_members WHERE group_id IN (${chunk.map(() => '?').join(', ')})
         ORDER BY group_id, user_id`,
        chunk,
      );
      for (const r of rows) out.get(r.group_id)?.push(r.user_id);
    }
    return out;
  }
  /** A group's direct members, by display name; users in the recycle bin are left out, as Graph does. */
  async listMembers(groupId: string, opts: ListOptions): Promise<Page<DirectoryUserRecord>> {
    const cursor = decodeCursor(opts.cursor);
    const params: unknown[] = [groupId];
    let extra = '';
    const { nocase, nocaseOperand } = this.d;
    if (cursor && cursor.length === 2) {
      extra = `AND (${nocase('u.display_name')}, u.id) > (${nocaseOperand('?')}, ?)`;
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = await this.runner.all<UserRow>(
      `SELECT u.* FROM group_members m JOIN directory_users u ON u.id = m.user_id
       WHERE m.group_id = ? AND u.deleted_at IS NULL ${extra} ORDER BY ${nocase('u.display_name')}, u.id LIMIT ?`,
      [...params, opts.top + 1],
    );
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toUser);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor([last.displayName, last.id]) : null };
  }
  /** The users whose manager is one of these users (their direct reports), each once. */
  async listDirectReportIds(managerIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const { chunk } of bulkChunks(managerIds)) {
      const rows = await this.runner.all<{ id: string }>(
        `SELECT id FROM directory_users WHERE manager_id IN (${chunk.map(() => '?').join(',')})`,
        chunk,
      );
      out.push(...rows.map((r) => r.id));
    }
    return out;
  }
  /** The groups some users are direct members of, each once. */
  async listGroupIdsOfUsers(userIds: readonly string[]): Promise<string[]> {
    const out = new Set<string>();
    for (const { chunk } of bulkChunks(userIds)) {
      const rows = await this.runner.all<{ group_id: string }>(
        `SELECT DISTINCT group_id FROM group_members WHERE user_id IN (${chunk.map(() => '?').join(',')})`,
        chunk,
      );
      for (const r of rows) out.add(r.group_id);
    }
    return [...out];
  }
  async listGroupIdsOfUser(userId: string): Promise<string[]> {
    return (
      await this.runner.all<{ group_id: string }>('SELECT group_id FROM group_members WHERE user_id = ?', [
        userId,
      ])
    ).map((r) => r.group_id);
  }
}
