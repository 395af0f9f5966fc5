import {
  DEFAULT_ACCESS_ROLE_ID,
  type AppRoleAssignment,
  type AppRole,
  type AppRoleAssignmentCreate,
  type AppRoleAssignmentUpdate,
  type PrincipalType,
  type ServicePrincipal,
  type ServicePrincipalCreate,
  type ServicePrincipalUpdate,
} from '@provisio/contracts';
import { defaultAppRoles, type Page, type ProvisioDb } from '@provisio/db';
import { nonGalleryScimTemplate } from '@provisio/gallery';
import { AppError, invalidField } from '../errors';
import { appRoleChanges, checkAppRoles, normalizeAppRoles, recordRoleChanges } from './app-roles';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { writeTransaction } from './transaction';
import type { PageRequest } from './paging';

/** Enterprise applications (service principals) and who is assigned to them. */
export class ApplicationsService {
  constructor(private readonly deps: ServiceDeps) {}

  list(page: PageRequest): Promise<Page<ServicePrincipal>> {
    return this.deps.db.applications.listServicePrincipals(page);
  }

  get(id: string): Promise<ServicePrincipal> {
    return this.deps.db.applications.getServicePrincipal(id);
  }

  /** Adds a non-gallery SCIM application with the default "User" app role. */
  create(ctx: RequestContext, input: ServicePrincipalCreate): Promise<ServicePrincipal> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const sp = await tx.applications.insertServicePrincipal({
        displayName: input.displayName,
        applicationTemplateId: nonGalleryScimTemplate.id,
        appRoles: defaultAppRoles(),
        notes: input.notes ?? null,
      });
      await recordAudit(tx, ctx, now(), {
        category: 'ApplicationManagement',
        activity: 'Add service principal',
        operationType: 'Add',
        targets: [{ id: sp.id, displayName: sp.displayName, type: 'ServicePrincipal' }],
      });
      return sp;
    });
  }

  /**
   * Changes an application's name, notes or app roles (Graph's `PATCH /servicePrincipals/{id}`).
   * `appRoles` replaces the whole list, with Graph's rules (see {@link checkAppRoles}); assignments
   * of a role that is disabled, removed or renamed are marked as changed, so the next incremental
   * cycle visits their users (a user whose role is gone is no longer effectively entitled).
   */
  update(ctx: RequestContext, id: string, input: ServicePrincipalUpdate): Promise<ServicePrincipal> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const sp = await tx.applications.getServicePrincipal(id);
      const appRoles = input.appRoles === undefined ? undefined : normalizeAppRoles(input.appRoles);
      if (input.appRoles !== undefined) {
        const problems = checkAppRoles(sp.appRoles, input.appRoles);
        if (problems) {
          const first = problems.details[0]!;
          const more =
            problems.details.length > 1 ? ` (and ${problems.details.length - 1} more problem(s))` : '';
          throw new AppError(problems.code, 400, `${first.message}${more}`, problems.details);
        }
      }
      const updated = await tx.applications.updateServicePrincipal(id, {
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
        ...(appRoles !== undefined ? { appRoles } : {}),
      });
      const modifiedProperties = [
        ...(updated.displayName !== sp.displayName
          ? [{ displayName: 'DisplayName', oldValue: sp.displayName, newValue: updated.displayName }]
          : []),
        ...(updated.notes !== sp.notes
          ? [{ displayName: 'Notes', oldValue: sp.notes, newValue: updated.notes }]
          : []),
        ...appRoleChanges(sp.appRoles, updated.appRoles),
      ];
      if (modifiedProperties.length === 0) return updated;
      await recordRoleChanges(tx, id, sp.appRoles, updated.appRoles);
      await recordAudit(tx, ctx, now(), {
        category: 'ApplicationManagement',
        activity: 'Update service principal',
        operationType: 'Update',
        targets: [{ id, displayName: updated.displayName, type: 'ServicePrincipal', modifiedProperties }],
      });
      return updated;
    });
  }

  /** Removes the application with its assignments and its provisioning job; the logs stay. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const sp = await tx.applications.getServicePrincipal(id);
      await tx.applications.deleteServicePrincipal(id);
      await recordAudit(tx, ctx, now(), {
        category: 'ApplicationManagement',
        activity: 'Remove service principal',
        operationType: 'Delete',
        targets: [{ id, displayName: sp.displayName, type: 'ServicePrincipal' }],
      });
    });
  }

  async listAssignments(servicePrincipalId: string): Promise<AppRoleAssignment[]> {
    const { db } = this.deps;
    await db.applications.getServicePrincipal(servicePrincipalId);
    return db.applications.listAssignmentsOf(servicePrincipalId);
  }

  /** Assigns a user or a group (its direct members) to the application with an app role. */
  assign(
    ctx: RequestContext,
    servicePrincipalId: string,
    input: AppRoleAssignmentCreate,
  ): Promise<AppRoleAssignment> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const sp = await tx.applications.getServicePrincipal(servicePrincipalId);
      if (input.resourceId !== undefined && input.resourceId !== servicePrincipalId) {
        throw invalidField(
          'body/resourceId',
          `body/resourceId must be this application's id (${servicePrincipalId}) or left out.`,
        );
      }
      const principal = await this.findPrincipal(tx, input.principalId);
      const appRoleId = input.appRoleId ?? DEFAULT_ACCESS_ROLE_ID;
      const role = this.assignableRole(sp, appRoleId);
      const existing = await tx.applications.findAssignmentOf(servicePrincipalId, input.principalId);
      if (existing) {
        throw new AppError(
          'app_role_assignment.conflict',
          409,
          `${principal.displayName} is already assigned to ${sp.displayName}. To give it another role, change the role of that assignment (Change role).`,
        );
      }
      const assignment = await tx.applications.insertAssignment({
        servicePrincipalId,
        principalId: input.principalId,
        principalType: principal.type,
        appRoleId: role.id,
      });
      await recordAudit(tx, ctx, now(), {
        category: 'ApplicationManagement',
        activity:
          principal.type === 'User'
            ? 'Add app role assignment grant to user'
            : 'Add app role assignment to group',
        operationType: 'Assign',
        targets: [
          { id: sp.id, displayName: sp.displayName, type: 'ServicePrincipal' },
          {
            id: principal.id,
            displayName: principal.displayName,
            type: principal.type,
            modifiedProperties: [
              { displayName: 'AppRole.DisplayName', oldValue: null, newValue: role.displayName },
            ],
          },
        ],
      });
      return assignment;
    });
  }

  /** Gives an assignment another role in one step (our addition; Graph has no update of an assignment). */
  changeRole(
    ctx: RequestContext,
    servicePrincipalId: string,
    assignmentId: string,
    input: AppRoleAssignmentUpdate,
  ): Promise<AppRoleAssignment> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const sp = await tx.applications.getServicePrincipal(servicePrincipalId);
      const assignment = await this.assignmentOf(tx, sp, assignmentId);
      const role = this.assignableRole(sp, input.appRoleId);
      if (assignment.appRoleId.toLowerCase() === role.id.toLowerCase()) return assignment;
      const before = sp.appRoles.find((r) => r.id.toLowerCase() === assignment.appRoleId.toLowerCase());
      const updated = await tx.applications.updateAssignmentRole(assignmentId, role.id);
      await recordAudit(tx, ctx, now(), {
        category: 'ApplicationManagement',
        activity:
          assignment.principalType === 'User'
            ? 'Update app role assignment of user'
            : 'Update app role assignment of group',
        operationType: 'Update',
        targets: [
          { id: sp.id, displayName: sp.displayName, type: 'ServicePrincipal' },
          {
            id: assignment.principalId,
            displayName: assignment.principalDisplayName,
            type: assignment.principalType,
            modifiedProperties: [
              {
                displayName: 'AppRole.DisplayName',
                oldValue: before?.displayName ?? assignment.appRoleId,
                newValue: role.displayName,
              },
            ],
          },
        ],
      });
      return updated;
    });
  }

  async unassign(ctx: RequestContext, servicePrincipalId: string, assignmentId: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const sp = await tx.applications.getServicePrincipal(servicePrincipalId);
      const assignment = await this.assignmentOf(tx, sp, assignmentId);
      await tx.applications.deleteAssignment(assignmentId);
      await recordAudit(tx, ctx, now(), {
        category: 'ApplicationManagement',
        activity:
          assignment.principalType === 'User'
            ? 'Remove app role assignment from user'
            : 'Remove app role assignment from group',
        operationType: 'Unassign',
        targets: [
          { id: sp.id, displayName: sp.displayName, type: 'ServicePrincipal' },
          {
            id: assignment.principalId,
            displayName: assignment.principalDisplayName,
            type: assignment.principalType,
          },
        ],
      });
    });
  }

  private async assignmentOf(
    tx: ProvisioDb,
    sp: ServicePrincipal,
    assignmentId: string,
  ): Promise<AppRoleAssignment> {
    const assignment = await tx.applications.findAssignment(assignmentId);
    if (!assignment || assignment.resourceId !== sp.id) {
      throw new AppError(
        'app_role_assignment.not_found',
        404,
        `${sp.displayName} has no assignment '${assignmentId}'. Reload the list of users and groups.`,
      );
    }
    return assignment;
  }

  /** An enabled role of the application that users and groups may be given. */
  private assignableRole(sp: ServicePrincipal, appRoleId: string): AppRole {
    const role = sp.appRoles.find((r) => r.id.toLowerCase() === appRoleId.toLowerCase() && r.isEnabled);
    if (!role) {
      throw invalidField(
        'body/appRoleId',
        `body/appRoleId: ${sp.displayName} has no enabled app role '${appRoleId}'. Use one of: ${sp.appRoles
          .filter((r) => r.isEnabled)
          .map((r) => `${r.id} (${r.displayName})`)
          .join(', ')}, or leave it out for the default role.`,
        'app_role_assignment.role_not_found',
      );
    }
    if (!role.allowedMemberTypes.includes('User')) {
      throw invalidField(
        'body/appRoleId',
        `body/appRoleId: app role '${role.displayName}' is for applications only (allowedMemberTypes), so users and groups cannot be assigned to it. Pick a role that allows users, or add "User" to its allowed member types.`,
        'app_role_assignment.role_not_assignable',
      );
    }
    return role;
  }

  private async findPrincipal(
    tx: ProvisioDb,
    id: string,
  ): Promise<{ id: string; displayName: string; type: PrincipalType }> {
    const user = await tx.directory.findUser(id);
    if (user && !user.deletedDateTime) return { id, displayName: user.displayName, type: 'User' };
    const group = await tx.directory.findGroup(id);
    if (group && !group.deletedDateTime) return { id, displayName: group.displayName, type: 'Group' };
    throw invalidField(
      'body/principalId',
      `body/principalId: there is no user or group with id '${id}' in the directory. Pick a user or a group that exists.`,
      'app_role_assignment.principal_not_found',
    );
  }
}
