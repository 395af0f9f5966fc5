import {
  ROLE_LABEL,
  type Account,
  type AccountCreate,
  type AccountUpdate,
  type PasswordChange,
} from '@provisio/contracts';
import type { AdminAccount } from '@provisio/db';
import { hashPassword, verifyPassword } from '../auth/password';
import { AppError, invalidField } from '../errors';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { writeTransaction } from './transaction';

const toAccount = (a: AdminAccount): Account => ({
  id: a.id,
  userName: a.userName,
  role: a.role,
  createdDateTime: a.createdAt,
});

/**
 * The accounts that sign in to the portal: Administrators, and Reports Readers who see the logs
 * only. Passwords are stored as salted scrypt hashes and never returned.
 */
export class AccountsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(): Promise<Account[]> {
    return (await this.deps.db.accounts.listAccounts()).map(toAccount);
  }

  async create(ctx: RequestContext, input: AccountCreate): Promise<Account> {
    const { db, now } = this.deps;
    const userName = input.userName.trim();
    // Hashing takes a while on purpose: do it before the write transaction, not inside it.
    const passwordHash = await hashPassword(input.password);
    return writeTransaction(db, async (tx) => {
      if (await tx.accounts.findAccountByUserName(userName)) {
        throw new AppError(
          'account.conflict',
          409,
          `There is already an account named ${userName} (user names ignore case). Choose another one.`,
          [{ code: 'account.conflict', message: 'Already taken.', target: 'body/userName' }],
        );
      }
      const account = await tx.accounts.insertAccount({ userName, passwordHash, role: input.role });
      await recordAudit(tx, ctx, now(), {
        category: 'RoleManagement',
        activity: 'Add portal account',
        operationType: 'Add',
        targets: [
          {
            id: account.id,
            displayName: account.userName,
            type: 'Account',
            modifiedProperties: [{ displayName: 'role', oldValue: null, newValue: ROLE_LABEL[account.role] }],
          },
        ],
      });
      return toAccount(account);
    });
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const { db, now } = this.deps;
    await writeTransaction(db, async (tx) => {
      // Two Administrators deleting each other at once: the second request finds its own account
      // gone and stops, so one Administrator always remains.
      if (ctx.actor.via === 'session' && !(await tx.accounts.findAccount(ctx.actor.id))) {
        throw new AppError(
          'auth.unauthenticated',
          401,
          'Your account no longer exists. Sign in with another account.',
        );
      }
      const account = await tx.accounts.findAccount(id);
      if (!account) throw new AppError('account.not_found', 404, `There is no account '${id}'.`);
      // Only Administrators delete accounts and never their own, so one Administrator always remains.
      if (account.id === ctx.actor.id) {
        throw new AppError(
          'account.self_delete',
          409,
          'You cannot delete the account you are signed in with. Sign in as another Administrator to delete it.',
        );
      }
      await tx.accounts.deleteAccount(id);
      await recordAudit(tx, ctx, now(), {
        category: 'RoleManagement',
        activity: 'Delete portal account',
        operationType: 'Delete',
        targets: [{ id: account.id, displayName: account.userName, type: 'Account' }],
      });
    });
  }

  /**
   * A new role for an account; its sessions end, so it signs in again with the new rights. The last
   * Administrator keeps its role, so that someone can always manage accounts.
   */
  updateRole(ctx: RequestContext, id: string, input: AccountUpdate): Promise<Account> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const account = await tx.accounts.findAccount(id);
      if (!account) throw new AppError('account.not_found', 404, `There is no account '${id}'.`);
      if (account.role === input.role) return toAccount(account);
      if (
        account.role === 'Administrator' &&
        (await tx.accounts.listAccounts()).filter((a) => a.role === 'Administrator').length === 1
      ) {
        throw new AppError(
          'account.last_administrator',
          409,
          `${account.userName} is the only Administrator: give another account the Administrator role first.`,
        );
      }
      await tx.accounts.updateRole(id, input.role);
      await recordAudit(tx, ctx, now(), {
        category: 'RoleManagement',
        activity: 'Change portal account role',
        operationType: 'Update',
        targets: [
          {
            id: account.id,
            displayName: account.userName,
            type: 'Account',
            modifiedProperties: [
              { displayName: 'role', oldValue: ROLE_LABEL[account.role], newValue: ROLE_LABEL[input.role] },
            ],
          },
        ],
        resultReason: 'The account’s sessions were ended.',
      });
      return toAccount({ ...account, role: input.role });
    });
  }

  /** The signed-in account's own password; its other sessions end, this one stays. */
  async changePassword(ctx: RequestContext, sessionTokenHash: string, input: PasswordChange): Promise<void> {
    const { db, now } = this.deps;
    const account = await db.accounts.findAccount(ctx.actor.id);
    if (!account) throw new AppError('account.not_found', 404, 'Your account no longer exists.');
    if (!(await verifyPassword(input.currentPassword, account.passwordHash))) {
      throw invalidField(
        'body/currentPassword',
        'body/currentPassword: this is not your current password. Type the password you signed in with.',
        'auth.invalid_current_password',
      );
    }
    if (input.newPassword === input.currentPassword) {
      throw invalidField(
        'body/newPassword',
        'body/newPassword: the new password is the current one. Choose a different password.',
      );
    }
    const passwordHash = await hashPassword(input.newPassword);
    await writeTransaction(db, async (tx) => {
      await tx.accounts.updatePassword(account.id, passwordHash, sessionTokenHash);
      await recordAudit(tx, ctx, now(), {
        category: 'RoleManagement',
        activity: 'Change portal account password',
        operationType: 'Update',
        targets: [{ id: account.id, displayName: account.userName, type: 'Account' }],
      });
    });
  }
}
