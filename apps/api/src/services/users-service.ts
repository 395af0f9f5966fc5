import type { AppRoleAssignment, Group, User, UserCreate, UserUpdate } from '@provisio/contracts';
import type { DirectoryUserRecord } from '@provisio/db';
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

  get(id: string): User {
    return toUser(this.deps.db.directory.getUser(id));
  }

  /** The groups the user is a direct member of (Graph's `memberOf`), by name. */
  listMemberOf(id: string): Group[] {
    const { directory } = this.deps.db;
    directory.getUser(id);
    return directory
      .listGroupsByIds(directory.listGroupIdsOfUser(id))
      .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
  }

  /** The applications the user is assigned to directly (Graph's `appRoleAssignments`). */
  listAppRoleAssignments(id: string): AppRoleAssignment[] {
    this.deps.db.directory.getUser(id);
    return this.deps.db.applications.listAssignmentsOfPrincipal(id);
  }

  create(ctx: RequestContext, input: UserCreate): User {
    const { db, now } = this.deps;
    return writeTransaction(db, () => {
      const taken = db.directory.findUserByPrincipalName(input.userPrincipalName);
      if (taken) {
        throw new AppError(
          'user.conflict',
          409,
          `The user principal name ${input.userPrincipalName} is already taken${taken.deletedDateTime ? ' by a user in the recycle bin' : ''}. Choose another one.`,
          [{ code: 'user.conflict', message: 'Already taken.', target: 'body/userPrincipalName' }],
        );
      }
      this.checkManager(input.managerId, null);
      const extensionValues = extensionAttributesOf(input);
      this.extensions.checkValues(extensionValues);
      const inserted = db.directory.insertUser(withoutExtensionAttributes(input));
      db.directoryExtensions.setUserExtensionAttributes(inserted.id, extensionValues);
      const user = db.directory.getUser(inserted.id);
      recordAudit(db, ctx, now(), {
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

  update(ctx: RequestContext, id: string, patch: UserUpdate): User {
    const { db, now } = this.deps;
    return writeTransaction(db, () => {
      const before = this.live(id);
      if (
        patch.userPrincipalName &&
        patch.userPrincipalName.toLowerCase() !== before.userPrincipalName.toLowerCase()
      ) {
        const taken = db.directory.findUserByPrincipalName(patch.userPrincipalName);
        if (taken) {
          throw new AppError(
            'user.conflict',
            409,
            `The user principal name ${patch.userPrincipalName} is already taken. Choose another one.`,
            [{ code: 'user.conflict', message: 'Already taken.', target: 'body/userPrincipalName' }],
          );
        }
      }
      if ('managerId' in patch) this.checkManager(patch.managerId, id);
      const extensionValues = extensionAttributesOf(patch);
      this.extensions.checkValues(extensionValues);
      db.directory.updateUser(id, withoutExtensionAttributes(patch));
      db.directoryExtensions.setUserExtensionAttributes(id, extensionValues);
      const after = db.directory.getUser(id);
      const changes = [
        ...diffProperties(toUser(before), toUser(after), auditedKeys),
        ...diffExtensionAttributes(before.extensionAttributes, after.extensionAttributes),
      ];
      if (changes.length > 0) {
        recordAudit(db, ctx, now(), {
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
  softDelete(ctx: RequestContext, id: string): void {
    const { db, now } = this.deps;
    writeTransaction(db, () => {
      const user = this.live(id);
      db.directory.softDeleteUser(id);
      recordAudit(db, ctx, now(), {
        category: 'UserManagement',
        activity: 'Delete user',
        operationType: 'Delete',
        targets: [{ id, displayName: user.userPrincipalName, type: 'User' }],
        resultReason: 'Moved to the recycle bin (soft delete).',
      });
    });
  }

  /** A user that exists and is not in the recycle bin. */
  private live(id: string): DirectoryUserRecord {
    const user = this.deps.db.directory.getUser(id);
    if (user.deletedDateTime) {
      throw new AppError(
        'user.not_found',
        404,
        `User '${id}' is in the recycle bin; restore it before changing it.`,
      );
    }
    return user;
  }

  private checkManager(managerId: string | null | undefined, selfId: string | null): void {
    if (managerId === null || managerId === undefined) return;
    if (managerId === selfId)
      throw invalidField('body/managerId', 'body/managerId: a user cannot be their own manager.');
    const manager = this.deps.db.directory.findUser(managerId);
    if (!manager || manager.deletedDateTime) {
      throw invalidField(
        'body/managerId',
        `body/managerId: there is no user with id '${managerId}'. Pick the manager from the directory.`,
      );
    }
  }
}
