import type {
  ExtensionAttributeValue,
  ExtensionDataType,
  ExtensionProperty,
  Group,
} from '@provisio/contracts';
import { dialectOf, directoryTransaction, type SqlDialect } from './dialect';
import { DirectoryRepository } from './directory-repository';
import type { SqlRunner } from './sql-runner';
import { bulkChunks, containsPattern, newId, NotFoundError, nowIso } from './util';

interface ExtensionPropertyRow {
  id: string;
  name: string;
  data_type: ExtensionDataType;
  is_multi_valued: number;
  target_objects: string;
  created_at: string;
}

/** The name the directory's extension application shows, as Entra's "Tenant Schema Extension App". */
export const EXTENSION_APP_DISPLAY_NAME = 'Provisio directory extensions';

const toExtensionProperty = (r: ExtensionPropertyRow): ExtensionProperty => ({
  id: r.id,
  name: r.name,
  appDisplayName: EXTENSION_APP_DISPLAY_NAME,
  dataType: r.data_type,
  isMultiValued: r.is_multi_valued === 1,
  isSyncedFromOnPremises: false,
  targetObjects: JSON.parse(r.target_objects) as 'User'[],
  createdDateTime: r.created_at,
});

/**
 * Directory extension attributes (their definitions and users' values) and nested groups (groups
 * that are members of groups). Writes that change what a user looks like, or which groups a group
 * holds, record a directory change, so the next incremental cycle visits the object.
 */
export class DirectoryExtensionsRepository {
  private readonly d: SqlDialect;
  constructor(
    private readonly runner: SqlRunner,
    private readonly directory: DirectoryRepository,
  ) {
    this.d = dialectOf(runner.dialect);
  }

  /** Runs `fn` with this repository bound to a transaction that may record directory changes. */
  private write<T>(fn: (repo: DirectoryExtensionsRepository, tx: SqlRunner) => Promise<T>): Promise<T> {
    return directoryTransaction(this.runner, (tx) =>
      fn(new DirectoryExtensionsRepository(tx, new DirectoryRepository(tx)), tx),
    );
  }

  // ---- extension properties ----

  /** The directory's extension application id (32 hexadecimal digits), part of every extension's name. */
  async extensionAppId(): Promise<string> {
    return (await this.runner.get<{ app_id: string }>(
      'SELECT app_id FROM directory_extension_app WHERE id = 1',
    ))!.app_id;
  }

  async listExtensionProperties(): Promise<ExtensionProperty[]> {
    return (
      await this.runner.all<ExtensionPropertyRow>(
        `SELECT * FROM directory_extension_properties ORDER BY ${this.d.nocase('name')}`,
      )
    ).map(toExtensionProperty);
  }

  async findExtensionProperty(id: string): Promise<ExtensionProperty | null> {
    const r = await this.runner.get<ExtensionPropertyRow>(
      'SELECT * FROM directory_extension_properties WHERE id = ?',
      [id],
    );
    return r ? toExtensionProperty(r) : null;
  }

  /** The property of a name, whatever its case. */
  async findExtensionPropertyByName(name: string): Promise<ExtensionProperty | null> {
    const { nocaseOperand } = this.d;
    const r = await this.runner.get<ExtensionPropertyRow>(
      `SELECT * FROM directory_extension_properties WHERE ${nocaseOperand('name')} = ${nocaseOperand('?')}`,
      [name],
    );
    return r ? toExtensionProperty(r) : null;
  }

  async insertExtensionProperty(input: {
    name: string;
    dataType: ExtensionDataType;
    isMultiValued: boolean;
  }): Promise<ExtensionProperty> {
    const id = newId();
    await this.runner.run(
      `INSERT INTO directory_extension_properties (id, name, data_type, is_multi_valued, target_objects, created_at)
       VALUES (?, ?, ?, ?, '["User"]', ?)`,
      [id, input.name, input.dataType, input.isMultiValued ? 1 : 0, nowIso()],
    );
    const created = await this.findExtensionProperty(id);
    if (!created) throw new NotFoundError('extension_property', id);
    return created;
  }

  /**
   * Deletes the definition and clears its value from every user that had one, recording a change
   * for each: a mapping that read it now reads null. Returns the ids of those users.
   */
  deleteExtensionProperty(id: string): Promise<string[]> {
    return this.write(async (repo, tx) => {
      const property = await repo.findExtensionProperty(id);
      if (!property) throw new NotFoundError('extension_property', id);
      // Values are stored as JSON.stringify writes them, so a user that has one has `"<name>":` in
      // its text: LIKE finds those (and perhaps a few whose values hold that text), the parsed
      // object tells. The same on both dialects, with no JSON function of either.
      const rows = await tx.all<{ id: string; extension_attributes: string }>(
        `SELECT id, extension_attributes FROM directory_users WHERE extension_attributes LIKE ? ESCAPE '\\'
         ORDER BY ${this.d.insertionOrder}${this.d.forUpdate}`,
        [containsPattern(`${JSON.stringify(property.name)}:`)],
      );
      const userIds: string[] = [];
      const now = nowIso();
      for (const r of rows) {
        const values = JSON.parse(r.extension_attributes) as Record<string, ExtensionAttributeValue>;
        if (!Object.hasOwn(values, property.name)) continue;
        delete values[property.name];
        await tx.run('UPDATE directory_users SET extension_attributes = ?, updated_at = ? WHERE id = ?', [
          JSON.stringify(values),
          now,
          r.id,
        ]);
        userIds.push(r.id);
      }
      for (const userId of userIds) await repo.directory.recordChange('user', userId, 'update');
      await tx.run('DELETE FROM directory_extension_properties WHERE id = ?', [id]);
      return userIds;
    });
  }

  /**
   * Sets extension attribute values of a user (full names); null clears one. Records a change and
   * returns true when a value differs from the stored one.
   */
  setUserExtensionAttributes(
    userId: string,
    values: Readonly<Record<string, ExtensionAttributeValue>>,
  ): Promise<boolean> {
    return this.write(async (repo, tx) => {
      // Read and written in one transaction, the row locked on PostgreSQL: two writers of one user's
      // values do not undo each other.
      const r = await tx.get<{ extension_attributes: string }>(
        `SELECT extension_attributes FROM directory_users WHERE id = ?${this.d.forUpdate}`,
        [userId],
      );
      if (!r) throw new NotFoundError('user', userId);
      const stored = JSON.parse(r.extension_attributes) as Record<string, ExtensionAttributeValue>;
      const next: Record<string, ExtensionAttributeValue> = { ...stored };
      for (const [name, value] of Object.entries(values)) {
        if (value === null) delete next[name];
        else next[name] = value;
      }
      const before = JSON.stringify(stored);
      const after = JSON.stringify(next);
      if (before === after) return false;
      await tx.run('UPDATE directory_users SET extension_attributes = ?, updated_at = ? WHERE id = ?', [
        after,
        nowIso(),
        userId,
      ]);
      await repo.directory.recordChange('user', userId, 'update');
      return true;
    });
  }

  // ---- nested groups ----

  /**
   * Adds a group as a member of another; false when it already is one. The outer group records a
   * `nesting` change: its next incremental cycle visits it, and its event names the nested group.
   */
  addMemberGroup(groupId: string, memberGroupId: string): Promise<boolean> {
    return this.changeNesting(
      groupId,
      'INSERT INTO group_member_groups (group_id, member_group_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      [groupId, memberGroupId, nowIso()],
    );
  }

  /** Removes a nested group; the outer group records a `nesting` change, as for `addMemberGroup`. */
  removeMemberGroup(groupId: string, memberGroupId: string): Promise<boolean> {
    return this.changeNesting(
      groupId,
      'DELETE FROM group_member_groups WHERE group_id = ? AND member_group_id = ?',
      [groupId, memberGroupId],
    );
  }

  /** Runs a write of `groupId`'s nested groups; when it changed a row, records the `nesting` change. */
  private changeNesting(groupId: string, sql: string, params: unknown[]): Promise<boolean> {
    return this.write(async (repo, tx) => {
      if ((await tx.run(sql, params)).changes === 0) return false;
      await repo.directory.recordChange('group', groupId, 'nesting');
      return true;
    });
  }

  /**
   * True when `nestedId` is `groupId` or is nested in it at any depth. Adding group M to group G makes
   * a loop when `containsGroup(M, G)`.
   */
  async containsGroup(groupId: string, nestedId: string): Promise<boolean> {
    if (groupId === nestedId) return true;
    const found = await this.runner.get(
      `WITH RECURSIVE below(id) AS (
         SELECT member_group_id FROM group_member_groups WHERE group_id = ?
         UNION SELECT m.member_group_id FROM group_member_groups m JOIN below b ON m.group_id = b.id
       ) SELECT 1 FROM below WHERE id = ? LIMIT 1`,
      [groupId, nestedId],
    );
    return found !== undefined;
  }

  /**
   * The groups nested in each of some groups (their direct member groups), by name: what a cycle's
   * events of those groups name. Groups without any are absent.
   */
  async listMemberGroupsOf(
    groupIds: readonly string[],
  ): Promise<Map<string, { id: string; displayName: string }[]>> {
    const out = new Map<string, { id: string; displayName: string }[]>();
    for (const { chunk } of bulkChunks(groupIds)) {
      const rows = await this.runner.all<{ group_id: string; id: string; display_name: string }>(
        `SELECT m.group_id, g.id, g.display_name FROM group_member_groups m
           JOIN directory_groups g ON g.id = m.member_group_id
         WHERE m.group_id IN (${chunk.map(() => '?').join(', ')}) AND g.deleted_at IS NULL
         ORDER BY m.group_id, ${this.d.nocase('g.display_name')}, g.id`,
        chunk,
      );
      for (const r of rows) {
        const nested = out.get(r.group_id) ?? [];
        nested.push({ id: r.id, displayName: r.display_name });
        out.set(r.group_id, nested);
      }
    }
    return out;
  }

  /** The groups that are direct members of a group, by name. */
  async listMemberGroups(groupId: string): Promise<Group[]> {
    const ids = (
      await this.runner.all<{ member_group_id: string }>(
        `SELECT m.member_group_id FROM group_member_groups m JOIN directory_groups g ON g.id = m.member_group_id
         WHERE m.group_id = ? ORDER BY ${this.d.nocase('g.display_name')}, g.id`,
        [groupId],
      )
    ).map((r) => r.member_group_id);
    const byId = new Map((await this.directory.listGroupsByIds(ids)).map((g) => [g.id, g]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
