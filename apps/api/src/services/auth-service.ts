import { createHash, randomBytes } from 'node:crypto';
import type { Me } from '@provisio/contracts';
import { decoyHash, verifyPassword } from '../auth/password';
import { AppError } from '../errors';
import { recordAuthenticationAudit } from './audit';
import type { Actor, RequestOrigin, ServiceDeps } from './context';

/** Failed sign-ins allowed per user name within the window before it is locked for the rest of the window. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** A failed sign-in never answers faster than this, whatever failed, so timing tells nothing. */
const FAILURE_FLOOR_MS = 300;
const MAX_TRACKED_NAMES = 10_000;

export const hashSessionToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** How a session ends: at `maxMs` after sign-in, or after `idleMs` without a request. */
export interface SessionLifetime {
  maxMs: number;
  idleMs: number;
}

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
    private readonly session: SessionLifetime,
  ) {}

  /** Signs in, and records the attempt in the audit log whatever its outcome. */
  async signIn(
    userName: string,
    password: string,
    request: { id: string; from: RequestOrigin },
  ): Promise<{ me: Me; token: string; expiresAt: Date }> {
    const audit = (
      activity: string,
      result: 'success' | 'failure',
      resultReason: string,
      accountId: string | null,
    ) =>
      recordAuthenticationAudit(this.deps.db, this.deps.now(), {
        activity,
        result,
        resultReason,
        userName: userName.trim(),
        accountId,
        requestId: request.id,
        from: request.from,
      });
    const started = Date.now();
    const key = userName.trim().toLowerCase();
    const nowMs = this.deps.now().getTime();
    const recent = (this.failures.get(key) ?? []).filter((t) => nowMs - t < FAILURE_WINDOW_MS);
    if (recent.length >= MAX_FAILURES) {
      await audit('Sign-in', 'failure', 'The user name is locked out after too many failed sign-ins.', null);
      const retryAfter = Math.ceil((recent[0]! + FAILURE_WINDOW_MS - nowMs) / 1000);
      throw new AppError(
        'auth.too_many_attempts',
        429,
        `Too many failed sign-ins for ${userName}. Wait ${Math.ceil(retryAfter / 60)} minute(s) and try again.`,
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
    const account = await this.deps.db.accounts.findAccountByUserName(userName.trim());
    // An unknown user name costs a full hash too, so it cannot be told apart from a wrong password.
    const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
    if (!account || !ok) {
      recent.push(nowMs);
      this.failures.set(key, recent);
      this.forgetOldFailures(nowMs);
      await audit(
        'Sign-in',
        'failure',
        account ? 'The password is incorrect.' : 'There is no account with this user name.',
        account?.id ?? null,
      );
      if (recent.length === MAX_FAILURES) {
        await audit(
          'Portal account locked out',
          'failure',
          `${MAX_FAILURES} failed sign-ins within ${FAILURE_WINDOW_MS / 60_000} minutes: further attempts are refused until the window passes.`,
          account?.id ?? null,
        );
      }
      await sleep(Math.max(0, FAILURE_FLOOR_MS - (Date.now() - started)));
      throw new AppError(
        'auth.invalid_credentials',
        401,
        'The user name or password is incorrect. Check them and try again.',
      );
    }
    this.failures.delete(key);
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.now();
    const expiresAt = new Date(nowMs + this.session.maxMs);
    await this.deps.db.accounts.deleteExpiredSessions(now);
    await this.deps.db.accounts.insertSession(hashSessionToken(token), account.id, expiresAt, now);
    await audit('Sign-in', 'success', 'Signed in to the portal.', account.id);
    return { me: { userName: account.userName, role: account.role }, token, expiresAt };
  }

  /** Who a live session token belongs to, or null (unknown, past its end, or idle too long). */
  async authenticate(token: string | undefined): Promise<Actor | null> {
    if (!token) return null;
    const account = await this.deps.db.accounts.findSessionAccount(
      hashSessionToken(token),
      this.deps.now(),
      this.session.idleMs,
    );
    return account
      ? { id: account.id, userName: account.userName, role: account.role, via: 'session' }
      : null;
  }

  /** Who a live API token belongs to (recording its use and where from), or null (unknown, revoked or expired). */
  async authenticateToken(token: string, from: string): Promise<Actor | null> {
    const record = await this.deps.db.tokens.useToken(hashSessionToken(token), this.deps.now(), from);
    return record ? { id: record.id, userName: record.displayName, role: record.role, via: 'token' } : null;
  }

  /** Ends every session of the account, this one included. */
  async signOutEverywhere(ctx: { actor: Actor; requestId: string; from: RequestOrigin }): Promise<number> {
    const ended = await this.deps.db.accounts.deleteSessionsOf(ctx.actor.id);
    await recordAuthenticationAudit(this.deps.db, this.deps.now(), {
      activity: 'Sign out everywhere',
      result: 'success',
      resultReason: `Ended ${ended} session(s) of the account.`,
      userName: ctx.actor.userName,
      accountId: ctx.actor.id,
      requestId: ctx.requestId,
      from: ctx.from,
    });
    return ended;
  }

  /** Keeps the failure table small when many different user names are tried. */
  private forgetOldFailures(nowMs: number): void {
    if (this.failures.size <= MAX_TRACKED_NAMES) return;
    for (const [name, times] of this.failures) {
      if (times.every((t) => nowMs - t >= FAILURE_WINDOW_MS)) this.failures.delete(name);
    }
  }

  async signOut(token: string): Promise<void> {
    await this.deps.db.accounts.deleteSession(hashSessionToken(token));
  }
}
