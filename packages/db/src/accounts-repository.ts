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

/** How often a session's last use is written. */
const SESSION_TOUCH_MS = 60_000;

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

  /** A new session that ends at `expiresAt`, or sooner when unused for the idle period. */
  insertSession(tokenHash: string, accountId: string, expiresAt: Date, now: Date = new Date()): void {
    this.db
      .prepare(
        'INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(tokenHash, accountId, now.toISOString(), expiresAt.toISOString(), now.toISOString());
  }
  /**
   * The account of a live session — known, before its absolute end, and used within `idleMs` —
   * or null. A use is recorded at most once a minute, so reads do not write on every request.
   */
  findSessionAccount(tokenHash: string, now: Date, idleMs = Number.POSITIVE_INFINITY): AdminAccount | null {
    const r = this.db
      .prepare(
        `SELECT a.*, s.last_seen_at FROM sessions s JOIN admin_accounts a ON a.id = s.account_id
         WHERE s.token_hash = ? AND s.expires_at > ?`,
      )
      .get(tokenHash, now.toISOString()) as (Row & { last_seen_at: string }) | undefined;
    if (!r) return null;
    const idle = now.getTime() - Date.parse(r.last_seen_at);
    if (idle >= idleMs) return null;
    if (idle >= SESSION_TOUCH_MS) {
      this.db
        .prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?')
        .run(now.toISOString(), tokenHash);
    }
    return toAccount(r);
  }
  /** Ends every session of the account (sign out everywhere, a role change). */
  deleteSessionsOf(accountId: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE account_id = ?').run(accountId).changes;
  }
  /** A new role; the account's sessions end, so its next request is made with the new rights. */
  updateRole(id: string, role: Role): void {
    this.db.prepare('UPDATE admin_accounts SET role = ? WHERE id = ?').run(role, id);
    this.deleteSessionsOf(id);
  }
  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }
  deleteExpiredSessions(now: Date): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString());
  }
}
