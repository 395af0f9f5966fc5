import { createHash, randomBytes } from 'node:crypto';
import type { Me } from '@provisio/contracts';
import type { AdminAccount } from '@provisio/db';
import { decoyHash, verifyPassword } from '../auth/password';
import { AppError } from '../errors';
import type { ServiceDeps } from './context';

/** Failed sign-ins allowed per user name within the window before it is locked for the rest of the window. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** A failed sign-in never answers faster than this, whatever failed, so timing tells nothing. */
const FAILURE_FLOOR_MS = 300;
const MAX_TRACKED_NAMES = 10_000;

export const hashSessionToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Portal sign-in with opaque session tokens: the browser holds a random
 * 32-byte token, the database only its SHA-256, so a copy of the database
 * cannot be used to sign in.
 */
export class AuthService {
  /** Recent failure times per lower-cased user name; in memory, so a restart forgets them. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly sessionTtlMs: number,
  ) {}

  async signIn(userName: string, password: string): Promise<{ me: Me; token: string; expiresAt: Date }> {
    const started = Date.now();
    const key = userName.trim().toLowerCase();
    const nowMs = this.deps.now().getTime();
    const recent = (this.failures.get(key) ?? []).filter((t) => nowMs - t < FAILURE_WINDOW_MS);
    if (recent.length >= MAX_FAILURES) {
      const retryAfter = Math.ceil((recent[0]! + FAILURE_WINDOW_MS - nowMs) / 1000);
      throw new AppError(
        'auth.too_many_attempts',
        429,
        `Too many failed sign-ins for ${userName}. Wait ${Math.ceil(retryAfter / 60)} minute(s) and try again.`,
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
    const account = this.deps.db.accounts.findAccountByUserName(userName.trim());
    // An unknown user name costs a full hash too, so it cannot be told apart from a wrong password.
    const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
    if (!account || !ok) {
      recent.push(nowMs);
      this.failures.set(key, recent);
      this.forgetOldFailures(nowMs);
      await sleep(Math.max(0, FAILURE_FLOOR_MS - (Date.now() - started)));
      throw new AppError(
        'auth.invalid_credentials',
        401,
        'The user name or password is incorrect. Check them and try again.',
      );
    }
    this.failures.delete(key);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(nowMs + this.sessionTtlMs);
    this.deps.db.accounts.deleteExpiredSessions(this.deps.now());
    this.deps.db.accounts.insertSession(hashSessionToken(token), account.id, expiresAt);
    return { me: { userName: account.userName, role: account.role }, token, expiresAt };
  }

  /** The account of a live session token, or null. */
  authenticate(token: string | undefined): AdminAccount | null {
    if (!token) return null;
    return this.deps.db.accounts.findSessionAccount(hashSessionToken(token), this.deps.now());
  }

  /** Keeps the failure table small when many different user names are tried. */
  private forgetOldFailures(nowMs: number): void {
    if (this.failures.size <= MAX_TRACKED_NAMES) return;
    for (const [name, times] of this.failures) {
      if (times.every((t) => nowMs - t >= FAILURE_WINDOW_MS)) this.failures.delete(name);
    }
  }

  signOut(token: string): void {
    this.deps.db.accounts.deleteSession(hashSessionToken(token));
  }
}
