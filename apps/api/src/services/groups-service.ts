import type { AppRoleAssignment, Group, GroupCreate, GroupUpdate, User } from '@provisio/contracts';
import type { Page } from '@provisio/db';
import { AppError, invalidField } from '../errors';
import { diffProperties, recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { writeTransaction } from './transaction';
import type { PageRequest } from './paging';
import { toUser } from './users-service';

const auditedKeys = ['displayName', 'description', 'mailNickname', 'securityEnabled'] as const;

/** The user id at the end of a Graph `$ref` (`https://…/users/{id}`, `users/{id}` or a bare id). */
export function userIdOfRef(ref: string): string | null {
  const trimmed = ref.trim().replace(/\/+$/, '');
  const last = trimmed.split('/').pop() ?? '';
  const id = /^(?:users|groups|directoryObjects)\('([^']+)'\)$/.exec(last)?.[1] ?? last;
  return id === '' ? null : id;
}

/** The kind of object a `$ref` names by its path (`…/groups/{id}`), or null when it does not say (a bare id, `directoryObjects`). */
export function objectTypeOfRef(ref: string): 'User' | 'Group' | null {
  const path = ref.trim().replace(/\/+$/, '');
  if (/(?:^|\/)groups(?:\/[^/]+|\('[^']+'\))$/.test(path)) return 'Group';
  if (/(?:^|\/)users(?:\/[^/]+|\('[^']+'\))$/.test(path)) return 'User';
  return null;
}

/** Directory groups and their direct members. */
export class GroupsService {
  constructor(private readonly deps: ServiceDeps) {}

  get(id: string): Promise<Group> {
    return this.deps.db.directory.getGroup(id);
  }

  create(ctx: RequestContext, input: GroupCreate): Promise<Group> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const group = await tx.directory.insertGroup(input);
      await recordAudit(tx, ctx, now(), {
        category: 'GroupManagement',
        activity: 'Add group',
        operationType: 'Add',
        targets: [
          {
            id: group.id,
            displayName: group.displayName,
            type: 'Group',
            modifiedProperties: diffProperties({} as Partial<Group>, group, auditedKeys),
          },
        ],
      });
      return group;
    });
  }

  update(ctx: RequestContext, id: string, patch: GroupUpdate): Promise<Group> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const before = await tx.directory.getGroup(id);
      const after = await tx.directory.updateGroup(id, patch);
      const changes = diffProperties(before, after, auditedKeys);
      if (changes.length > 0) {
        await recordAudit(tx, ctx, now(), {
          category: 'GroupManagement',
          activity: 'Update group',
          operationType: 'Update',
          targets: [{ id, displayName: after.displayName, type: 'Group', modifiedProperties: changes }],
        });
      }
      return after;
    });
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const group = await tx.directory.getGroup(id);
      await tx.directory.deleteGroup(id);
      await recordAudit(tx, ctx, now(), {
        category: 'GroupManagement',
        activity: 'Delete group',
        operationType: 'Delete',
        targets: [{ id, displayName: group.displayName, type: 'Group' }],
      });
    });
  }

  async listMembers(id: string, page: PageRequest): Promise<Page<User>> {
    const { db } = this.deps;
    await db.directory.getGroup(id);
    const result = await db.directory.listMembers(id, page);
    return { items: result.items.map(toUser), nextCursor: result.nextCursor };
  }

  /** The groups that are direct members of a group (nested groups, not expanded for assignment). */
  async listMemberGroups(id: string): Promise<Group[]> {
    const { db } = this.deps;
    await db.directory.getGroup(id);
    return db.directoryExtensions.listMemberGroups(id);
  }

  /** The applications the group is assigned to (Graph's `appRoleAssignments` of a group). */
  async listAppRoleAssignments(id: string): Promise<AppRoleAssignment[]> {
    const { db } = this.deps;
    await db.directory.getGroup(id);
    return db.applications.listAssignmentsOfPrincipal(id);
  }

  /**
   * Adds a direct member named by a Graph `$ref`: a user, or a group (a nested group, kept in the
   * directory; an assignment of the outer group does not reach the inner group's members, as in Entra).
   */
  async addMember(ctx: RequestContext, groupId: string, ref: string): Promise<void> {
    const kind = objectTypeOfRef(ref);
    const id = userIdOfRef(ref);
    if (
      id &&
      (kind === 'Group' ||
        (kind === null &&
          !(await this.deps.db.directory.findUser(id)) &&
          (await this.deps.db.directory.findGroup(id))))
    ) {
      await this.addMemberGroup(ctx, groupId, id);
      return;
    }
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const group = await tx.directory.getGroup(groupId);
      const userId = id;
      const user = userId ? await tx.directory.findUser(userId) : null;
      if (!userId || !user || user.deletedDateTime) {
        throw invalidField(
          'body/@odata.id',
          `body/@odata.id must end with the id of a directory user or group, e.g. "https://…/users/{id}" or "https://…/groups/{id}"; ${userId ? `there is no user '${userId}'` : 'no id was found'}.`,
          'group_member.user_not_found',
        );
      }
      if (!(await tx.directory.addMember(groupId, userId))) {
        throw new AppError(
          'group_member.conflict',
          409,
          `${user.displayName} is already a member of ${group.displayName}: nothing to add.`,
          [{ code: 'group_member.conflict', message: 'Already a direct member.', target: 'body/@odata.id' }],
        );
      }
      await recordAudit(tx, ctx, now(), {
        category: 'GroupManagement',
        activity: 'Add member to group',
        operationType: 'Assign',
        targets: [
          { id: groupId, displayName: group.displayName, type: 'Group' },
          { id: userId, displayName: user.userPrincipalName, type: 'User' },
        ],
      });
    });
  }

  private async addMemberGroup(ctx: RequestContext, groupId: string, memberGroupId: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const group = await tx.directory.getGroup(groupId);
      const member = await tx.directory.findGroup(memberGroupId);
      if (!member || member.deletedDateTime) {
        throw invalidField(
          'body/@odata.id',
          `body/@odata.id names the group '${memberGroupId}', which does not exist. Pick the group from the directory.`,
          'group_member.group_not_found',
        );
      }
      if (await tx.directoryExtensions.containsGroup(memberGroupId, groupId)) {
        throw new AppError(
          'group_member.loop',
          400,
          memberGroupId === groupId
            ? `A group cannot be a member of itself.`
            : `${group.displayName} is already nested in ${member.displayName}, so ${member.displayName} cannot also be a member of ${group.displayName}.`,
          [{ code: 'group_member.loop', message: 'Would make a loop.', target: 'body/@odata.id' }],
        );
      }
      if (!(await tx.directoryExtensions.addMemberGroup(groupId, memberGroupId))) {
        throw new AppError(
          'group_member.conflict',
          409,
          `${member.displayName} is already a member of ${group.displayName}: nothing to add.`,
          [{ code: 'group_member.conflict', message: 'Already a direct member.', target: 'body/@odata.id' }],
        );
      }
      await recordAudit(tx, ctx, now(), {
        category: 'GroupManagement',
        activity: 'Add member to group',
        operationType: 'Assign',
        targets: [
          { id: groupId, displayName: group.displayName, type: 'Group' },
          { id: memberGroupId, displayName: member.displayName, type: 'Group' },
        ],
      });
    });
  }

  /** Removes a direct member, a user or a nested group. */
  async removeMember(ctx: RequestContext, groupId: string, userId: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const group = await tx.directory.getGroup(groupId);
      if (await tx.directoryExtensions.removeMemberGroup(groupId, userId)) {
        const member = await tx.directory.findGroup(userId);
        await recordAudit(tx, ctx, now(), {
          category: 'GroupManagement',
          activity: 'Remove member from group',
          operationType: 'Unassign',
          targets: [
            { id: groupId, displayName: group.displayName, type: 'Group' },
            { id: userId, displayName: member?.displayName ?? userId, type: 'Group' },
          ],
        });
        return;
      }
      if (!(await tx.directory.removeMember(groupId, userId))) {
        throw new AppError(
          'group_member.not_found',
          404,
          `'${userId}' is not a direct member of ${group.displayName}.`,
        );
      }
      const user = await tx.directory.findUser(userId);
      await recordAudit(tx, ctx, now(), {
        category: 'GroupManagement',
        activity: 'Remove member from group',
        operationType: 'Unassign',
        targets: [
          { id: groupId, displayName: group.displayName, type: 'Group' },
          { id: userId, displayName: user?.userPrincipalName ?? userId, type: 'User' },
        ],
      });
    });
  }
}
