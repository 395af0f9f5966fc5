import type { DeletedUser, User } from '@provisio/contracts';
import type { DirectoryUserRecord, Page } from '@provisio/db';
import { permanentDeletionDateTime } from '@provisio/engine';
import { AppError } from '../errors';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import type { PageRequest } from './paging';
import { writeTransaction } from './transaction';
import { toUser } from './users-service';

/**
 * *Deleted users* (Graph's `directory/deletedItems`): users deleted (soft) stay restorable for
 * `deletedUserDays`, then go for good — by hand here, or when the worker finds their days ran out.
 * Each state reaches the applications on the next cycle: restored accounts are enabled again,
 * permanently deleted ones are deleted where the Delete action is on.
 */
export class DeletedUsersService {
  constructor(private readonly deps: ServiceDeps) {}

  list(page: PageRequest): Page<DeletedUser> {
    const result = this.deps.db.directory.listDeletedUsers(page);
    return { items: result.items.map((u) => this.toDeletedUser(u)), nextCursor: result.nextCursor };
  }

  /** Takes the user out of the recycle bin as it was; its accounts are enabled again on the next cycle. */
  restore(ctx: RequestContext, id: string): User {
    const { db, now } = this.deps;
    return writeTransaction(db, () => {
      const user = this.deleted(id);
      db.directory.restoreUser(id);
      recordAudit(db, ctx, now(), {
        category: 'UserManagement',
        activity: 'Restore user',
        operationType: 'Update',
        targets: [{ id, displayName: user.userPrincipalName, type: 'User' }],
        resultReason: 'Restored from Deleted users.',
      });
      return toUser(db.directory.getUser(id));
    });
  }

  /** Deletes a user of the recycle bin for good; its accounts are deleted where the Delete action is on. */
  permanentlyDelete(ctx: RequestContext, id: string): void {
    const { db, now } = this.deps;
    writeTransaction(db, () => {
      const user = this.deleted(id);
      db.directory.hardDeleteUser(id);
      recordAudit(db, ctx, now(), {
        category: 'UserManagement',
        activity: 'Hard delete user',
        operationType: 'Delete',
        targets: [{ id, displayName: user.userPrincipalName, type: 'User' }],
        resultReason: 'Deleted permanently from Deleted users.',
      });
    });
  }

  /** A user in the recycle bin; any other id is not a deleted item. */
  private deleted(id: string): DirectoryUserRecord & { deletedDateTime: string } {
    const user = this.deps.db.directory.findUser(id);
    if (!user?.deletedDateTime) {
      throw new AppError(
        'deleted_item.not_found',
        404,
        `There is no user '${id}' in Deleted users: it was never deleted, was restored, or is deleted permanently.`,
      );
    }
    return user as DirectoryUserRecord & { deletedDateTime: string };
  }

  private toDeletedUser(user: DirectoryUserRecord): DeletedUser {
    return {
      ...toUser(user),
      permanentDeletionDateTime: permanentDeletionDateTime(
        user.deletedDateTime ?? user.createdDateTime,
        this.deps.deletedUserDays,
      ),
    };
  }
}
