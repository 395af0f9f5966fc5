import type { ProvisioDb } from '@provisio/db';
import { generatePassword, hashPassword } from './password';

/**
 * Creates the first Administrator, `userName`, when the database has no account
 * at all (the first start), with `password` when given, else with a generated
 * one that is returned so the caller can show it once. Once accounts exist they
 * are managed in the portal: an Administrator deleted there stays deleted, and
 * this returns null.
 *
 * @example const generated = await ensureAdminAccount(db, { userName: 'admin' }); // 'kq3…' on first start, then null
 */
export async function ensureAdminAccount(
  db: ProvisioDb,
  options: { userName: string; password?: string | undefined },
): Promise<string | null> {
  if ((await db.accounts.countAccounts()) > 0) return null;
  const password = options.password || generatePassword();
  await db.accounts.insertAccount({
    userName: options.userName,
    passwordHash: await hashPassword(password),
    role: 'Administrator',
  });
  return options.password ? null : password;
}
