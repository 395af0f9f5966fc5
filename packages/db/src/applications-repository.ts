import {
  DEFAULT_ACCESS_ROLE_ID,
  type AppRole,
  type AppRoleAssignment,
  type PrincipalType,
  type ServicePrincipal,
} from '@provisio/contracts';
import { dialectOf, directoryTransaction, type SqlDialect } from './dialect';
import { DirectoryRepository } from './directory-repository';
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

interface SpRow {
  id: string;
  app_id: string;
  display_name: string;
  application_template_id: string | null;
  app_roles: string;
  notes: string | null;
  created_at: string;
}
const toSp = (r: SpRow): ServicePrincipal => ({
  id: r.id,
  appId: r.app_id,
  displayName: r.display_name,
  applicationTemplateId: r.application_template_id,
  appRoles: JSON.parse(r.app_roles) as AppRole[],
  createdDateTime: r.created_at,
  notes: r.notes,
});

interface AssignmentRow {
  id: string;
  service_principal_id: string;
  principal_id: string;
  principal_type: PrincipalType;
  app_role_id: string;
  created_at: string;
  principal_display_name: string | null;
  resource_display_name: string;
}
const toAssignment = (r: AssignmentRow): AppRoleAssignment => ({
  id: r.id,
  appRoleId: r.app_role_id,
  principalId: r.principal_id,
  principalType: r.principal_type,
  principalDisplayName: r.principal_display_name ?? '',
  resourceId: r.service_principal_id,
  resourceDisplayName: r.resource_display_name,
  createdDateTime: r.created_at,
});

export const defaultAppRoles = (): AppRole[] => [
  {
    id: DEFAULT_ACCESS_ROLE_ID,
    displayName: 'User',
    value: null,
    description: 'Default access',
    allowedMemberTypes: ['User'],
    isEnabled: true,
  },
];

type Entitlement = { appRoleId: string; via: 'User' | 'Group' };
interface EntitlementRow {
  user_id: string;
  app_role_id: string;
  via: 'User' | 'Group';
}

/** Enterprise applications (service principals) and their assignments. */
export class ApplicationsRepository {
  private readonly d: SqlDialect;
  constructor(
    private readonly runner: SqlRunner,
    private readonly directory: DirectoryRepository,
  ) {
    this.d = dialectOf(runner.dialect);
  }

  /**
   * Runs `fn` with this repository (and its directory) bound to a transaction that may record
   * directory changes (see `directoryTransaction`); a savepoint inside the caller's.
   */
  private write<T>(fn: (repo: ApplicationsRepository) => Promise<T>): Promise<T> {
    return directoryTransaction(this.runner, (tx) =>
      fn(new ApplicationsRepository(tx, new DirectoryRepository(tx))),
    );
  }

  async insertServicePrincipal(input: {
    displayName: string;
    applicationTemplateId?: string | null;
    appRoles?: AppRole[];
    notes?: string | null;
  }): Promise<ServicePrincipal> {
    const id = newId();
    await this.runner.run(
      `INSERT INTO service_principals (id, app_id, display_name, application_template_id, app_roles, notes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        newId(),
        input.displayName,
        input.applicationTemplateId ?? null,
        JSON.stringify(input.appRoles ?? defaultAppRoles()),
        input.notes ?? null,
        nowIso(),
      ],
    );
    return this.getServicePrincipal(id);
  }
  async findServicePrincipal(id: string): Promise<ServicePrincipal | null> {
    const r = await this.runner.get<SpRow>('SELECT * FROM service_principals WHERE id = ?', [id]);
    return r ? toSp(r) : null;
  }
  async getServicePrincipal(id: string): Promise<ServicePrincipal> {
    const sp = await this.findServicePrincipal(id);
    if (!sp) throw new NotFoundError('service_principal', id);
    return sp;
  }
  async listServicePrincipals(opts: {
    top: number;
    cursor?: string | undefined;
    search?: string | undefined;
  }): Promise<Page<ServicePrincipal>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const { nocase, nocaseOperand, likeNocase } = this.d;
    if (opts.search) {
      where.push(likeNocase('display_name'));
      params.push(containsPattern(opts.search));
    }
    const cursor = decodeCursor(opts.cursor);
    if (cursor && cursor.length === 2) {
      where.push(`(${nocase('display_name')}, id) > (${nocaseOperand('?')}, ?)`);
      params.push(String(cursor[0]), String(cursor[1]));
    }
    const rows = await this.runner.all<SpRow>(
      `SELECT * FROM service_principals ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${nocase('display_name')}, id LIMIT ?`,
      [...params, opts.top + 1],
    );
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toSp);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor([last.displayName, last.id]) : null };
  }
  /**
   * Replaces the properties given; `appRoles` is stored as the whole list. The row is read and
   * written in one transaction, locked on PostgreSQL, so that two updates do not undo each other.
   */
  async updateServicePrincipal(
    id: string,
    input: { displayName?: string; notes?: string | null; appRoles?: readonly AppRole[] },
  ): Promise<ServicePrincipal> {
    return this.runner.transaction(async (tx) => {
      const r = await tx.get<SpRow>(`SELECT * FROM service_principals WHERE id = ?${this.d.forUpdate}`, [id]);
      if (!r) throw new NotFoundError('service_principal', id);
      const sp = toSp(r);
      await tx.run('UPDATE service_principals SET display_name = ?, notes = ?, app_roles = ? WHERE id = ?', [
        input.displayName ?? sp.displayName,
        input.notes === undefined ? sp.notes : input.notes,
        JSON.stringify(input.appRoles ?? sp.appRoles),
        id,
      ]);
      return new ApplicationsRepository(tx, new DirectoryRepository(tx)).getServicePrincipal(id);
    });
  }
  /** Deletes the application and its assignments, each recorded as an unassignment of its principal. */
  deleteServicePrincipal(id: string): Promise<void> {
    return this.write(async (repo) => {
      await repo.getServicePrincipal(id);
      for (const a of await repo.listAssignmentsOf(id)) await repo.deleteAssignment(a.id);
      await repo.runner.run('DELETE FROM service_principals WHERE id = ?', [id]);
    });
  }

  // ---- assignments ----

  private readonly assignmentSelect = `SELECT a.*, sp.display_name AS resource_display_name,
      COALESCE(u.display_name, g.display_name) AS principal_display_name
    FROM app_role_assignments a
    JOIN service_principals sp ON sp.id = a.service_principal_id
    LEFT JOIN directory_users u ON a.principal_type = 'User' AND u.id = a.principal_id
    LEFT JOIN directory_groups g ON a.principal_type = 'Group' AND g.id = a.principal_id`;

  /** Assigns a principal to an application, recorded as an assignment change of the principal. */
  insertAssignment(input: {
    servicePrincipalId: string;
    principalId: string;
    principalType: PrincipalType;
    appRoleId: string;
  }): Promise<AppRoleAssignment> {
    return this.write(async (repo) => {
      const id = newId();
      await repo.runner.run(
        `INSERT INTO app_role_assignments (id, service_principal_id, principal_id, principal_type, app_role_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [id, input.servicePrincipalId, input.principalId, input.principalType, input.appRoleId, nowIso()],
      );
      await repo.directory.recordChange(
        input.principalType === 'User' ? 'user' : 'group',
        input.principalId,
        'assignment',
      );
      return repo.getAssignment(id);
    });
  }
  /**
   * Assigns many users to one app role of a service principal in one write, each with the
   * `assignment` change `insertAssignment` records: for imports and seeding. Answers the
   * assignments' ids in the order given.
   */
  insertUserAssignments(input: {
    servicePrincipalId: string;
    appRoleId: string;
    userIds: readonly string[];
  }): Promise<string[]> {
    return this.write(async (repo) => {
      const ids: string[] = [];
      for (const { chunk } of bulkChunks(input.userIds)) {
        const now = nowIso();
        const chunkIds = chunk.map(() => newId());
        await repo.runner.run(
          `INSERT INTO app_role_assignments (id, service_principal_id, principal_id, principal_type, app_role_id, created_at)
           VALUES ${valueRows(chunk.length, 6)}`,
          chunk.flatMap((userId, k) => [
            chunkIds[k],
            input.servicePrincipalId,
            userId,
            'User',
            input.appRoleId,
            now,
          ]),
        );
        await repo.directory.recordChanges('user', chunk, 'assignment');
        ids.push(...chunkIds);
      }
      return ids;
    });
  }
  async findAssignment(id: string): Promise<AppRoleAssignment | null> {
    const r = await this.runner.get<AssignmentRow>(`${this.assignmentSelect} WHERE a.id = ?`, [id]);
    return r ? toAssignment(r) : null;
  }
  async getAssignment(id: string): Promise<AppRoleAssignment> {
    const a = await this.findAssignment(id);
    if (!a) throw new NotFoundError('app_role_assignment', id);
    return a;
  }
  async findAssignmentOf(servicePrincipalId: string, principalId: string): Promise<AppRoleAssignment | null> {
    const r = await this.runner.get<AssignmentRow>(
      `${this.assignmentSelect} WHERE a.service_principal_id = ? AND a.principal_id = ?`,
      [servicePrincipalId, principalId],
    );
    return r ? toAssignment(r) : null;
  }
  /** An application's assignments, by principal name (those whose principal is gone first). */
  async listAssignmentsOf(servicePrincipalId: string): Promise<AppRoleAssignment[]> {
    // PostgreSQL orders by an output column's name only as it is, not inside an expression such as
    // lower(…): the names are ordered outside the query that gives them.
    return (
      await this.runner.all<AssignmentRow>(
        `SELECT * FROM (${this.assignmentSelect} WHERE a.service_principal_id = ?) AS a
         ORDER BY ${this.d.nocase('a.principal_display_name')} NULLS FIRST, a.id`,
        [servicePrincipalId],
      )
    ).map(toAssignment);
  }
  /**
   * The applications a user or group is assigned to directly (Graph's `appRoleAssignments` of a
   * principal), by application name.
   */
  async listAssignmentsOfPrincipal(principalId: string): Promise<AppRoleAssignment[]> {
    return (
      await this.runner.all<AssignmentRow>(
        `${this.assignmentSelect} WHERE a.principal_id = ? ORDER BY ${this.d.nocase('sp.display_name')}, a.id`,
        [principalId],
      )
    ).map(toAssignment);
  }
  /** Gives an assignment another app role; recorded as an assignment change of its principal. */
  updateAssignmentRole(id: string, appRoleId: string): Promise<AppRoleAssignment> {
    return this.write(async (repo) => {
      const a = await repo.getAssignment(id);
      await repo.runner.run('UPDATE app_role_assignments SET app_role_id = ? WHERE id = ?', [appRoleId, id]);
      await repo.directory.recordChange(
        a.principalType === 'User' ? 'user' : 'group',
        a.principalId,
        'assignment',
      );
      return repo.getAssignment(id);
    });
  }
  /** Removes an assignment, recorded as an unassignment change of its principal. */
  deleteAssignment(id: string): Promise<AppRoleAssignment> {
    return this.write(async (repo) => {
      const a = await repo.getAssignment(id);
      await repo.runner.run('DELETE FROM app_role_assignments WHERE id = ?', [id]);
      await repo.directory.recordChange(
        a.principalType === 'User' ? 'user' : 'group',
        a.principalId,
        'unassignment',
      );
      return a;
    });
  }

  /**
   * Ids of the users entitled through an application's assignments: users
   * assigned directly and direct members of assigned groups (no nesting), with
   * the role each is entitled by.
   */
  async listEntitledUserIds(servicePrincipalId: string): Promise<Map<string, Entitlement>> {
    const rows = await this.runner.all<EntitlementRow>(
      `SELECT a.principal_id AS user_id, a.app_role_id, 'User' AS via FROM app_role_assignments a
         WHERE a.service_principal_id = ? AND a.principal_type = 'User'
       UNION ALL
       SELECT m.user_id, a.app_role_id, 'Group' AS via FROM app_role_assignments a
         JOIN group_members m ON m.group_id = a.principal_id
         WHERE a.service_principal_id = ? AND a.principal_type = 'Group'`,
      [servicePrincipalId, servicePrincipalId],
    );
    const out = new Map<string, Entitlement>();
    for (const r of rows)
      if (!out.has(r.user_id) || r.via === 'User')
        out.set(r.user_id, { appRoleId: r.app_role_id, via: r.via });
    return out;
  }

  /** Ids of the users entitled to an application (as {@link listEntitledUserIds}), without their roles. */
  async listEntitledUserIdList(servicePrincipalId: string): Promise<string[]> {
    return (
      await this.runner.all<{ user_id: string }>(
        `SELECT a.principal_id AS user_id FROM app_role_assignments a
             WHERE a.service_principal_id = ? AND a.principal_type = 'User'
           UNION
           SELECT m.user_id FROM app_role_assignments a JOIN group_members m ON m.group_id = a.principal_id
             WHERE a.service_principal_id = ? AND a.principal_type = 'Group'`,
        [servicePrincipalId, servicePrincipalId],
      )
    ).map((r) => r.user_id);
  }

  /** Ids of the groups assigned to an application (groups are provisioned when their own assignment says so). */
  async listAssignedGroupIds(servicePrincipalId: string): Promise<string[]> {
    return (
      await this.runner.all<{ principal_id: string }>(
        "SELECT principal_id FROM app_role_assignments WHERE service_principal_id = ? AND principal_type = 'Group'",
        [servicePrincipalId],
      )
    ).map((r) => r.principal_id);
  }

  /** The assignments of some groups to an application: group id → its app role. Groups not assigned are absent. */
  async listGroupAssignmentsOf(
    servicePrincipalId: string,
    groupIds: readonly string[],
  ): Promise<Map<string, { appRoleId: string; via: 'Group' }>> {
    const out = new Map<string, { appRoleId: string; via: 'Group' }>();
    for (const { chunk } of bulkChunks(groupIds)) {
      const rows = await this.runner.all<{ principal_id: string; app_role_id: string }>(
        `SELECT principal_id, app_role_id FROM app_role_assignments
           WHERE service_principal_id = ? AND principal_type = 'Group' AND principal_id IN (${chunk.map(() => '?').join(',')})`,
        [servicePrincipalId, ...chunk],
      );
      for (const r of rows) out.set(r.principal_id, { appRoleId: r.app_role_id, via: 'Group' });
    }
    return out;
  }

  /**
   * The entitlements of some users (a cycle's chunk), in two queries per 500 users that start from
   * the users, so the cost follows the users asked for, not the application's assignments. Users
   * not entitled are absent; a direct assignment wins over a group's.
   */
  async listEntitlementsOf(
    servicePrincipalId: string,
    userIds: readonly string[],
  ): Promise<Map<string, Entitlement>> {
    const out = new Map<string, Entitlement>();
    for (const { chunk } of bulkChunks(userIds)) {
      const marks = chunk.map(() => '?').join(',');
      const rows = await this.runner.all<EntitlementRow>(
        `SELECT a.principal_id AS user_id, a.app_role_id, 'User' AS via FROM app_role_assignments a
           WHERE a.service_principal_id = ? AND a.principal_type = 'User' AND a.principal_id IN (${marks})
         UNION ALL
         SELECT m.user_id, a.app_role_id, 'Group' AS via FROM group_members m
           CROSS JOIN app_role_assignments a
           WHERE a.service_principal_id = ? AND a.principal_id = m.group_id
             AND m.user_id IN (${marks}) AND a.principal_type = 'Group'`,
        [servicePrincipalId, ...chunk, servicePrincipalId, ...chunk],
      );
      for (const r of rows)
        if (!out.has(r.user_id) || r.via === 'User')
          out.set(r.user_id, { appRoleId: r.app_role_id, via: r.via });
    }
    return out;
  }

  /**
   * Whether one user is entitled to an application, directly or through a group it is a direct
   * member of. Starts from the user's memberships (CROSS JOIN fixes SQLite's order; PostgreSQL, which
   * takes no ON after CROSS JOIN, weighs it itself), so the cost does not grow with the application's
   * assignments: incremental cycles call it once per changed user.
   */
  async findEntitlement(servicePrincipalId: string, userId: string): Promise<Entitlement | null> {
    const r = await this.runner.get<{ app_role_id: string; via: 'User' | 'Group' }>(
      `SELECT a.app_role_id, 'User' AS via FROM app_role_assignments a
         WHERE a.service_principal_id = ? AND a.principal_type = 'User' AND a.principal_id = ?
       UNION ALL
       SELECT a.app_role_id, 'Group' AS via FROM group_members m
         CROSS JOIN app_role_assignments a
         WHERE a.service_principal_id = ? AND a.principal_id = m.group_id AND m.user_id = ? AND a.principal_type = 'Group'
       LIMIT 1`,
      [servicePrincipalId, userId, servicePrincipalId, userId],
    );
    return r ? { appRoleId: r.app_role_id, via: r.via } : null;
  }
}
