import type {
  ExtensionAttributeValue,
  ExtensionDataType,
  ExtensionProperty,
  Group,
} from '@provisio/contracts';
import type { DirectoryRepository } from './directory-repository';
import type { SqlRunner } from './sql-runner';
import { newId, NotFoundError, nowIso } from './util';

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
 * that are members of groups). Writes that change what a user looks like record a directory change,
 * so the next incremental cycle sends it.
 */
export class DirectoryExtensionsRepository {
  constructor(
    private readonly runner: SqlRunner,
    private readonly directory: DirectoryRepository,
  ) {}

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
        'SELECT * FROM directory_extension_properties ORDER BY name COLLATE NOCASE',
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

  async findExtensionPropertyByName(name: string): Promise<ExtensionProperty | null> {
    const r = await this.runner.get<ExtensionPropertyRow>(
      'SELECT * FROM directory_extension_properties WHERE name = ?',
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
  async deleteExtensionProperty(id: string): Promise<string[]> {
    const property = await this.findExtensionProperty(id);
    if (!property) throw new NotFoundError('extension_property', id);
    const path = `$."${property.name}"`;
    const userIds = (
      await this.runner.all<{ id: string }>(
        'SELECT id FROM directory_users WHERE json_type(extension_attributes, ?) IS NOT NULL',
        [path],
      )
    ).map((r) => r.id);
    await this.runner.run(
      'UPDATE directory_users SET extension_attributes = json_remove(extension_attributes, ?), updated_at = ? WHERE json_type(extension_attributes, ?) IS NOT NULL',
      [path, nowIso(), path],
    );
    for (const userId of userIds) await this.directory.recordChange('user', userId, 'update');
    await this.runner.run('DELETE FROM directory_extension_properties WHERE id = ?', [id]);
    return userIds;
  }

  /**
   * Sets extension attribute values of a user (full names); null clears one. Records a change and
   * returns true when a value differs from the stored one.
   */
  async setUserExtensionAttributes(
    userId: string,
    values: Readonly<Record<string, ExtensionAttributeValue>>,
  ): Promise<boolean> {
    const user = await this.directory.getUser(userId);
    const next: Record<string, ExtensionAttributeValue> = { ...user.extensionAttributes };
    for (const [name, value] of Object.entries(values)) {
      if (value === null) delete next[name];
      else next[name] = value;
    }
    const before = JSON.stringify(user.extensionAttributes);
    const after = JSON.stringify(next);
    if (before === after) return false;
    await this.runner.run(
      'UPDATE directory_users SET extension_attributes = ?, updated_at = ? WHERE id = ?',
      [after, nowIso(), userId],
    );
    await this.directory.recordChange('user', userId, 'update');
    return true;
  }

  // ---- nested groups ----

  /** Adds a group as a member of another; false when it already is one. */
  async addMemberGroup(groupId: string, memberGroupId: string): Promise<boolean> {
    const info = await this.runner.run(
      'INSERT OR IGNORE INTO group_member_groups (group_id, member_group_id, created_at) VALUES (?, ?, ?)',
      [groupId, memberGroupId, nowIso()],
    );
    return info.changes > 0;
  }

  async removeMemberGroup(groupId: string, memberGroupId: string): Promise<boolean> {
    const info = await this.runner.run(
      'DELETE FROM group_member_groups WHERE group_id = ? AND member_group_id = ?',
      [groupId, memberGroupId],
    );
    return info.changes > 0;
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

  /** The groups that are direct members of a group, by name. */
  async listMemberGroups(groupId: string): Promise<Group[]> {
    const ids = (
      await this.runner.all<{ member_group_id: string }>(
        `SELECT m.member_group_id FROM group_member_groups m JOIN directory_groups g ON g.id = m.member_group_id
         WHERE m.group_id = ? ORDER BY g.display_name COLLATE NOCASE, g.id`,
        [groupId],
      )
    ).map((r) => r.member_group_id);
    const byId = new Map((await this.directory.listGroupsByIds(ids)).map((g) => [g.id, g]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
