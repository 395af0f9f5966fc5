import type { DeletedUser, User } from '@provisio/contracts';
import type { DirectoryUserRecord, Page, ProvisioDb } from '@provisio/db';
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

  async list(page: PageRequest): Promise<Page<DeletedUser>> {
    const result = await this.deps.db.directory.listDeletedUsers(page);
    return { items: result.items.map((u) => this.toDeletedUser(u)), nextCursor: result.nextCursor };
  }

  /** Takes the user out of the recycle bin as it was; its accounts are enabled again on the next cycle. */
  restore(ctx: RequestContext, id: string): Promise<User> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const user = await this.deleted(tx, id);
      await tx.directory.restoreUser(id);
      await recordAudit(tx, ctx, now(), {
        category: 'UserManagement',
        activity: 'Restore user',
        operationType: 'Update',
        targets: [{ id, displayName: user.userPrincipalName, type: 'User' }],
        resultReason: 'Restored from Deleted users.',
      });
      return toUser(await tx.directory.getUser(id));
    });
  }

  /** Deletes a user of the recycle bin for good; its accounts are deleted where the Delete action is on. */
  async permanentlyDelete(ctx: RequestContext, id: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      const user = await this.deleted(tx, id);
      await tx.directory.hardDeleteUser(id);
      await recordAudit(tx, ctx, now(), {
        category: 'UserManagement',
        activity: 'Hard delete user',
        operationType: 'Delete',
        targets: [{ id, displayName: user.userPrincipalName, type: 'User' }],
        resultReason: 'Deleted permanently from Deleted users.',
      });
    });
  }

  /** A user in the recycle bin; any other id is not a deleted item. */
  private async deleted(
    tx: ProvisioDb,
    id: string,
  ): Promise<DirectoryUserRecord & { deletedDateTime: string }> {
    const user = await tx.directory.findUser(id);
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
