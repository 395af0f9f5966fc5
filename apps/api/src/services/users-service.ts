import type { AppRoleAssignment, Group, User, UserCreate, UserUpdate } from '@provisio/contracts';
import type { DirectoryUserRecord, ProvisioDb } from '@provisio/db';
import { AppError, invalidField } from '../errors';
import { diffProperties, recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import {
  diffExtensionAttributes,
  extensionAttributesOf,
  ExtensionPropertiesService,
  withoutExtensionAttributes,
} from './extension-properties-service';
import { writeTransaction } from './transaction';

/**
 * The Graph shape: the user's properties, and its extension attributes as top-level
 * `extension_<appId>_<name>` keys; the engine's bookkeeping (change numbers) stays inside.
 */
export const toUser = (u: DirectoryUserRecord): User => ({
  ...(u.extensionAttributes as User),
  id: u.id,
  userPrincipalName: u.userPrincipalName,
  displayName: u.displayName,
  givenName: u.givenName,
  surname: u.surname,
  mail: u.mail,
  mailNickname: u.mailNickname,
  department: u.department,
  jobTitle: u.jobTitle,
  employeeId: u.employeeId,
  accountEnabled: u.accountEnabled,
  managerId: u.managerId,
  createdDateTime: u.createdDateTime,
  deletedDateTime: u.deletedDateTime,
});

const auditedKeys = [
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'department',
  'jobTitle',
  'employeeId',
  'accountEnabled',
  'managerId',
] as const;

/** Directory users: create, edit, soft delete (recycle bin). */
export class UsersService {
  private readonly extensions: ExtensionPropertiesService;
  constructor(private readonly deps: ServiceDeps) {
    this.extensions = new ExtensionPropertiesService(deps);
  }

  async get(id: string): Promise<User> {
    return toUser(await this.deps.db.directory.getUser(id));
  }

  /** The groups the user is a direct member of (Graph's `memberOf`), by name. */
  async listMemberOf(id: string): Promise<Group[]> {
    const { directory } = this.deps.db;
    await directory.getUser(id);
    const groups = await directory.listGroupsByIds(await directory.listGroupIdsOfUser(id));
    return groups.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
  }

  /** The applications the user is assigned to directly (Graph's `appRoleAssignments`). */
  async listAppRoleAssignments(id: string): Promise<AppRoleAssignment[]> {
    await this.deps.db.directory.getUser(id);
    return this.deps.db.applications.listAssignmentsOfPrincipal(id);
  }

  create(ctx: RequestContext, input: UserCreate): Promise<User> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const taken = await tx.directory.findUserByPrincipalName(input.userPrincipalName);
      if (taken) {
        throw new AppError(
          'user.conflict',
          409,
          `The user principal name ${input.userPrincipalName} is already taken${taken.deletedDateTime ? ' by a user in the recycle bin' : ''}. Choose another one.`,
          [{ code: 'user.conflict', message: 'Already taken.', target: 'body/userPrincipalName' }],
        );
      }
      await this.checkManager(tx, input.managerId, null);
      const extensionValues = extensionAttributesOf(input);
      await this.extensions.checkValues(tx, extensionValues);
      const inserted = await tx.directory.insertUser(withoutExtensionAttributes(input));
      await tx.directoryExtensions.setUserExtensionAttributes(inserted.id, extensionValues);
      const user = await tx.directory.getUser(inserted.id);
      await recordAudit(tx, ctx, now(), {
        category: 'UserManagement',
        activity: 'Add user',
        operationType: 'Add',
        targets: [
          {
            id: user.id,
            displayName: user.userPrincipalName,
            type: 'User',
            modifiedProperties: [
              ...diffProperties({} as Partial<User>, toUser(user), auditedKeys),
              ...diffExtensionAttributes({}, user.extensionAttributes),
            ],
          },
        ],
      });
      return toUser(user);
    });
  }

  update(ctx: RequestContext, id: string, patch: UserUpdate): Promise<User> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const before = await this.live(tx, id);
      if (
        patch.userPrincipalName &&
        patch.userPrincipalName.toLowerCase() !== before.userPrincipalName.toLowerCase()
      ) {
        const taken = await tx.directory.findUserByPrincipalName(patch.userPrincipalName);
        if (taken) {
          throw new AppError(
            'user.conflict',
            409,
            `The user principal name ${patch.userPrincipalName} is already taken. Choose another one.`,
            [{ code: 'user.conflict', message: 'Already taken.', target: 'body/userPrincipalName' }],
          );
        }
      }
      if ('managerId' in patch) await this.checkManager(tx, patch.managerId, id);
      const extensionValues = extensionAttributesOf(patch);
      await this.extensions.checkValues(tx, extensionValues);
      await tx.directory.updateUser(id, withoutExtensionAttributes(patch));
      await tx.directoryExtensions.setUserExtensionAttributes(id, extensionValues);
      const after = await tx.directory.getUser(id);
      const changes = [
        ...diffProperties(toUser(before), toUser(after), auditedKeys),
        ...diffExtensionAttributes(before.extensionAttributes, after.extensionAttributes),
      ];
      if (changes.length > 0) {
        await recordAudit(tx, ctx, now(), {
          category: 'UserManagement',
          activity: 'Update user',
          operationType: 'Update',
          targets: [{ id, displayName: after.userPrincipalName, type: 'User', modifiedProperties: changes }],
        });
      }
      return toUser(after);
    });
  }

  /** Moves the user to the recycle bin: provisioning disables the account in every application. */
  async softDelete(ctx: RequestContext, id: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const user = await this.live(tx, id);
      await tx.directory.softDeleteUser(id);
      await recordAudit(tx, ctx, now(), {
        category: 'UserManagement',
        activity: 'Delete user',
        operationType: 'Delete',
        targets: [{ id, displayName: user.userPrincipalName, type: 'User' }],
        resultReason: 'Moved to the recycle bin (soft delete).',
      });
    });
  }

  /** A user that exists and is not in the recycle bin. */
  private async live(tx: ProvisioDb, id: string): Promise<DirectoryUserRecord> {
    const user = await tx.directory.getUser(id);
    if (user.deletedDateTime) {
      throw new AppError(
        'user.not_found',
        404,
        `User '${id}' is in the recycle bin; restore it before changing it.`,
      );
    }
    return user;
  }

  private async checkManager(
    tx: ProvisioDb,
    managerId: string | null | undefined,
    selfId: string | null,
  ): Promise<void> {
    if (managerId === null || managerId === undefined) return;
    if (managerId === selfId)
      throw invalidField('body/managerId', 'body/managerId: a user cannot be their own manager.');
    const manager = await tx.directory.findUser(managerId);
    if (!manager || manager.deletedDateTime) {
      throw invalidField(
        'body/managerId',
        `body/managerId: there is no user with id '${managerId}'. Pick the manager from the directory.`,
      );
    }
  }
}
