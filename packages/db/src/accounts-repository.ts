import type { Role } from '@provisio/contracts';
import { dialectOf, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';
import { newId, nowIso } from './util';

export interface AdminAccount {
  id: string;
  userName: string;
  passwordHash: string;
  role: Role;
  createdAt: string;
}
interface Row {
  id: string;
  user_name: string;
  password_hash: string;
  role: Role;
  created_at: string;
}
const toAccount = (r: Row): AdminAccount => ({
  id: r.id,
  userName: r.user_name,
  passwordHash: r.password_hash,
  role: r.role,
  createdAt: r.created_at,
});

/** How often a session's last use is written. */
const SESSION_TOUCH_MS = 60_000;

/** Portal accounts and their sign-in sessions (only a hash of each session token is stored). */
export class AccountsRepository {
  private readonly d: SqlDialect;
  constructor(private readonly runner: SqlRunner) {
    this.d = dialectOf(runner.dialect);
  }

  async countAccounts(): Promise<number> {
    return (await this.runner.get<{ n: number }>('SELECT COUNT(*) AS n FROM admin_accounts'))!.n;
  }
  async insertAccount(a: { userName: string; passwordHash: string; role: Role }): Promise<AdminAccount> {
    const id = newId();
    await this.runner.run(
      'INSERT INTO admin_accounts (id, user_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)',
      [id, a.userName, a.passwordHash, a.role, nowIso()],
    );
    return (await this.findAccountByUserName(a.userName))!;
  }
  /** The account of a user name, whatever its case. */
  async findAccountByUserName(userName: string): Promise<AdminAccount | null> {
    const { nocaseOperand } = this.d;
    const r = await this.runner.get<Row>(
      `SELECT * FROM admin_accounts WHERE ${nocaseOperand('user_name')} = ${nocaseOperand('?')}`,
      [userName],
    );
    return r ? toAccount(r) : null;
  }
  async findAccount(id: string): Promise<AdminAccount | null> {
    const r = await this.runner.get<Row>('SELECT * FROM admin_accounts WHERE id = ?', [id]);
    return r ? toAccount(r) : null;
  }

  /** Every account, by user name. */
  async listAccounts(): Promise<AdminAccount[]> {
    return (
      await this.runner.all<Row>(`SELECT * FROM admin_accounts ORDER BY ${this.d.nocase('user_name')}`)
    ).map(toAccount);
  }
  /** Removes the account and, with it, its sessions. */
  async deleteAccount(id: string): Promise<void> {
    await this.runner.run('DELETE FROM admin_accounts WHERE id = ?', [id]);
  }
  /** A new password hash; every session of the account but `keepSession` ends. */
  async updatePassword(id: string, passwordHash: string, keepSession?: string): Promise<void> {
    await this.runner.transaction(async (tx) => {
      await tx.run('UPDATE admin_accounts SET password_hash = ? WHERE id = ?', [passwordHash, id]);
      await tx.run('DELETE FROM sessions WHERE account_id = ? AND token_hash IS DISTINCT FROM ?', [
        id,
        keepSession ?? null,
      ]);
    });
  }

  /** A new session that ends at `expiresAt`, or sooner when unused for the idle period. */
  async insertSession(
    tokenHash: string,
    accountId: string,
    expiresAt: Date,
    now: Date = new Date(),
  ): Promise<void> {
    await this.runner.run(
      'INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
      [tokenHash, accountId, now.toISOString(), expiresAt.toISOString(), now.toISOString()],
    );
  }
  /**
   * The account of a live session — known, before its absolute end, and used within `idleMs` —
   * or null. A use is recorded at most once a minute, so reads do not write on every request.
   */
  async findSessionAccount(
    tokenHash: string,
    now: Date,
    idleMs = Number.POSITIVE_INFINITY,
  ): Promise<AdminAccount | null> {
    const r = await this.runner.get<Row & { last_seen_at: string }>(
      `SELECT a.*, s.last_seen_at FROM sessions s JOIN admin_accounts a ON a.id = s.account_id
       WHERE s.token_hash = ? AND s.expires_at > ?`,
      [tokenHash, now.toISOString()],
    );
    if (!r) return null;
    const idle = now.getTime() - Date.parse(r.last_seen_at);
    if (idle >= idleMs) return null;
    if (idle >= SESSION_TOUCH_MS) {
      await this.runner.run('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?', [
        now.toISOString(),
        tokenHash,
      ]);
    }
    return toAccount(r);
  }
  /** Ends every session of the account (sign out everywhere, a role change). */
  async deleteSessionsOf(accountId: string): Promise<number> {
    return (await this.runner.run('DELETE FROM sessions WHERE account_id = ?', [accountId])).changes;
  }
  /** A new role; the account's sessions end, so its next request is made with the new rights. */
  async updateRole(id: string, role: Role): Promise<void> {
    await this.runner.transaction(async (tx) => {
      await tx.run('UPDATE admin_accounts SET role = ? WHERE id = ?', [role, id]);
      await new AccountsRepository(tx).deleteSessionsOf(id);
    });
  }
  async deleteSession(tokenHash: string): Promise<void> {
    await this.runner.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]);
  }
  async deleteExpiredSessions(now: Date): Promise<void> {
    await this.runner.run('DELETE FROM sessions WHERE expires_at <= ?', [now.toISOString()]);
  }
}
