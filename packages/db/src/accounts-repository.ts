import type { Role } from '@provisio/contracts';
import type { Sqlite } from './database';
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

/** Portal accounts and their sign-in sessions (only a hash of each session token is stored). */
export class AccountsRepository {
  constructor(private readonly db: Sqlite) {}

  countAccounts(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM admin_accounts').get() as { n: number }).n;
  }
  insertAccount(a: { userName: string; passwordHash: string; role: Role }): AdminAccount {
    const id = newId();
    this.db
      .prepare(
        'INSERT INTO admin_accounts (id, user_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(id, a.userName, a.passwordHash, a.role, nowIso());
    return this.findAccountByUserName(a.userName)!;
  }
  findAccountByUserName(userName: string): AdminAccount | null {
    const r = this.db.prepare('SELECT * FROM admin_accounts WHERE user_name = ?').get(userName) as
      Row | undefined;
    return r ? toAccount(r) : null;
  }
  findAccount(id: string): AdminAccount | null {
    const r = this.db.prepare('SELECT * FROM admin_accounts WHERE id = ?').get(id) as Row | undefined;
    return r ? toAccount(r) : null;
  }

  /** Every account, by user name. */
  listAccounts(): AdminAccount[] {
    return (
      this.db.prepare('SELECT * FROM admin_accounts ORDER BY user_name COLLATE NOCASE').all() as Row[]
    ).map(toAccount);
  }
  /** Removes the account and, with it, its sessions. */
  deleteAccount(id: string): void {
    this.db.prepare('DELETE FROM admin_accounts WHERE id = ?').run(id);
  }
  /** A new password hash; every session of the account but `keepSession` ends. */
  updatePassword(id: string, passwordHash: string, keepSession?: string): void {
    this.db.prepare('UPDATE admin_accounts SET password_hash = ? WHERE id = ?').run(passwordHash, id);
    this.db
      .prepare('DELETE FROM sessions WHERE account_id = ? AND token_hash IS NOT ?')
      .run(id, keepSession ?? null);
  }

  insertSession(tokenHash: string, accountId: string, expiresAt: Date): void {
    this.db
      .prepare('INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, accountId, nowIso(), expiresAt.toISOString());
  }
  /** The account of a live session, or null when unknown or expired. */
  findSessionAccount(tokenHash: string, now: Date): AdminAccount | null {
    const r = this.db
      .prepare(
        `SELECT a.* FROM sessions s JOIN admin_accounts a ON a.id = s.account_id
         WHERE s.token_hash = ? AND s.expires_at > ?`,
      )
      .get(tokenHash, now.toISOString()) as Row | undefined;
    return r ? toAccount(r) : null;
  }
  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }
  deleteExpiredSessions(now: Date): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString());
  }
}
