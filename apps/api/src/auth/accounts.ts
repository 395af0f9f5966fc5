import type { ProvisioDb } from '@provisio/db';
import { generatePassword, hashPassword } from './password';

/**
 * Makes sure the Administrator account `userName` exists. Creates it on first
 * start, with `password` when given, else with a generated one that is
 * returned so the caller can show it once. Returns null when the account
 * already existed (its password is left alone).
 *
 * @example const generated = await ensureAdminAccount(db, { userName: 'admin' }); // 'kq3…' on first start, then null
 */
export async function ensureAdminAccount(
  db: ProvisioDb,
  options: { userName: string; password?: string | undefined },
): Promise<string | null> {
  if (db.accounts.findAccountByUserName(options.userName)) return null;
  const password = options.password || generatePassword();
  db.accounts.insertAccount({
    userName: options.userName,
    passwordHash: await hashPassword(password),
    role: 'Administrator',
  });
  return options.password ? null : password;
}
