import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFiles, openProvisioDb, SecretBox } from '@provisio/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { ensureAdminAccount } from '../src/auth/accounts';
import { hashPassword, verifyPassword } from '../src/auth/password';
import { hashSessionToken } from '../src/services/auth-service';
import {
  ADMIN,
  describeAccess,
  errorOf,
  READER,
  signIn,
  startTestApp,
  TEST_DIALECT,
  type TestContext,
} from './helpers';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'POST', url: '/api/auth/sign-out', readerAllowed: true },
    { method: 'GET', url: '/api/auth/me', readerAllowed: true },
  ]);
});

describe('POST /api/auth/sign-in', () => {
  it('signs in and sets an HttpOnly SameSite=Lax session cookie; only its hash is stored', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: ADMIN });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ userName: 'admin', role: 'Administrator' });
    const cookie = res.cookies.find((c) => c.name === 'provisio_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(Buffer.from(cookie.value, 'base64url')).toHaveLength(32);
    const stored = await t.sql.all<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(stored.map((s) => s.token_hash)).toContain(hashSessionToken(cookie.value));
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie.value);
    const expires = new Date(cookie.expires!).getTime() - Date.now();
    expect(expires).toBeGreaterThan(11.9 * 3600_000);
    expect(expires).toBeLessThan(12.1 * 3600_000);
  });

  it('signs in a Reports Reader with its role', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: READER });
    expect(res.json()).toEqual({ userName: 'reader', role: 'ReportsReader' });
  });

  it('answers 401 auth.invalid_credentials alike for a wrong password and an unknown user, not too fast', async () => {
    for (const payload of [
      { userName: 'admin', password: 'wrong' },
      { userName: 'nobody', password: 'wrong' },
    ]) {
      const started = Date.now();
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload });
      expect(res.statusCode).toBe(401);
      expect(errorOf(res).code).toBe('auth.invalid_credentials');
      expect(res.cookies).toHaveLength(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    }
  });

  it('answers 400 naming the field for a malformed body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { password: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('request.invalid');
    expect(errorOf(res).details?.[0]?.target).toBe('body/userName');
  });

  it('locks a user name after five failures with 429 and Retry-After', async () => {
    const local = await startTestApp();
    try {
      for (let i = 0; i < 5; i += 1) {
        const res = await local.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { userName: 'admin', password: `bad${i}` },
        });
        expect(res.statusCode).toBe(401);
      }
      const locked = await local.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: ADMIN });
      expect(locked.statusCode).toBe(429);
      expect(errorOf(locked).code).toBe('auth.too_many_attempts');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      // Another user name is not affected.
      expect(
        (await local.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: READER })).statusCode,
      ).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe('GET /api/auth/me and POST /api/auth/sign-out', () => {
  it('returns the signed-in account', async () => {
    const res = await t.app.inject({ url: '/api/auth/me', headers: { cookie: t.reader } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ userName: 'reader', role: 'ReportsReader' });
  });

  it('signs out: 204, the cookie is cleared and the session no longer works', async () => {
    const cookie = await signIn(t.app, ADMIN);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } });
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((c) => c.name === 'provisio_session')!;
    expect(cleared.value).toBe('');
    expect(new Date(cleared.expires!).getTime()).toBeLessThan(Date.now());
    const after = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).code).toBe('auth.unauthenticated');
  });

  it('expires sessions after the session lifetime', async () => {
    let clock = new Date('2026-11-01T08:00:00Z');
    const local = await startTestApp({ now: () => clock, sessionTtlMs: 60_000 });
    try {
      const cookie = await signIn(local.app, ADMIN);
      expect((await local.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
      clock = new Date(clock.getTime() + 61_000);
      expect((await local.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    } finally {
      await local.close();
    }
  });

  it('marks the cookie Secure when asked', async () => {
    const local = await startTestApp({ cookieSecure: true });
    try {
      const res = await local.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: ADMIN });
      expect(res.cookies.find((c) => c.name === 'provisio_session')?.secure).toBe(true);
    } finally {
      await local.close();
    }
  });
});

describe('passwords and the first Administrator', () => {
  it('hashes with salted scrypt in a self-describing format', async () => {
    const a = await hashPassword('s3cret');
    const b = await hashPassword('s3cret');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret', a)).toBe(true);
    expect(await verifyPassword('s3cret!', a)).toBe(false);
    expect(await verifyPassword('s3cret', 'plain')).toBe(false);
  });

  it('creates the first Administrator only in an empty database, returning a generated password only when it made one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provisio-first-admin-'));
    const db = openProvisioDb({
      file: dataFiles(dir).database,
      secretBox: SecretBox.fromKey(randomBytes(32)),
    });
    try {
      const generated = await ensureAdminAccount(db, { userName: 'root' });
      expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const root = await db.accounts.findAccountByUserName('root');
      expect(root?.role).toBe('Administrator');
      expect(await verifyPassword(generated!, root!.passwordHash)).toBe(true);
      expect(await ensureAdminAccount(db, { userName: 'root' })).toBeNull();
      // Accounts exist: a configured name is not added, and a deleted Administrator does not come back.
      expect(await ensureAdminAccount(db, { userName: 'chosen', password: 'my own password' })).toBeNull();
      expect(await db.accounts.findAccountByUserName('chosen')).toBeNull();
      await db.accounts.insertAccount({
        userName: 'other',
        passwordHash: root!.passwordHash,
        role: 'Administrator',
      });
      await db.accounts.deleteAccount(root!.id);
      expect(await ensureAdminAccount(db, { userName: 'root' })).toBeNull();
      expect(await db.accounts.findAccountByUserName('root')).toBeNull();
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the first Administrator with the configured password, and returns none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provisio-first-admin-'));
    const db = openProvisioDb({
      file: dataFiles(dir).database,
      secretBox: SecretBox.fromKey(randomBytes(32)),
    });
    try {
      expect(await ensureAdminAccount(db, { userName: 'chosen', password: 'my own password' })).toBeNull();
      const chosen = await db.accounts.findAccountByUserName('chosen');
      expect(await verifyPassword('my own password', chosen!.passwordHash)).toBe(true);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('public routes, unknown routes and errors', () => {
  it('serves the OpenAPI document without a session', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1.0/users',
        '/api/v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/validateCredentials',
        '/api/v1.0/auditLogs/provisioning',
      ]),
    );
  });

  it('answers unknown /api routes with 404 route.not_found in the envelope', async () => {
    for (const [method, url] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/v1.0/nothing'],
      ['GET', '/api'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: { cookie: t.admin } });
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('route.not_found');
      expect(errorOf(res).requestId).toBeTruthy();
    }
  });

  it('answers 500 internal.error without internals when something unexpected fails', async () => {
    const local = await startTestApp();
    try {
      await local.sql.run(`DROP TABLE directory_groups${TEST_DIALECT === 'postgres' ? ' CASCADE' : ''}`);
      const res = await local.app.inject({ url: '/api/v1.0/groups', headers: { cookie: local.admin } });
      expect(res.statusCode).toBe(500);
      const error = errorOf(res);
      expect(error.code).toBe('internal.error');
      expect(error.message).toContain(error.requestId);
      expect(res.body).not.toMatch(/directory_groups|sqlite|stack/i);
    } finally {
      await local.close();
    }
  });

  it('answers malformed JSON with 400 request.invalid', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/users',
      headers: { cookie: t.admin, 'content-type': 'application/json' },
      payload: '{"userPrincipalName":',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('request.invalid');
  });
});

describe('the portal', () => {
  it('serves the built portal at / with an SPA fallback, without a session', async () => {
    const webDist = mkdtempSync(join(tmpdir(), 'provisio-web-'));
    mkdirSync(join(webDist, 'assets'));
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Provisio</title><div id="root"></div>');
    writeFileSync(join(webDist, 'assets', 'app-abc123.js'), 'console.log("portal")');
    const local = await startTestApp({ webDist });
    try {
      const root = await local.app.inject({ url: '/' });
      expect(root.statusCode).toBe(200);
      expect(root.body).toContain('<title>Provisio</title>');
      expect(root.headers['content-security-policy']).toContain("default-src 'self'");
      const page = await local.app.inject({ url: '/enterprise-applications/123/provisioning' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<div id="root">');
      const asset = await local.app.inject({ url: '/assets/app-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      const missingAsset = await local.app.inject({ url: '/assets/missing.js' });
      expect(missingAsset.statusCode).toBe(404);
      const api = await local.app.inject({ url: '/api/unknown' });
      expect(api.statusCode).toBe(404);
      expect(errorOf(api).code).toBe('route.not_found');
      const apiNoSession = await local.app.inject({ url: '/api/v1.0/users' });
      expect(apiNoSession.statusCode).toBe(401);
    } finally {
      await local.close();
      rmSync(webDist, { recursive: true, force: true });
    }
  });

  it('answers 404 route.not_found at / when there is no portal build', async () => {
    const local = await startTestApp({ webDist: null });
    try {
      const res = await local.app.inject({ url: '/' });
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('route.not_found');
    } finally {
      await local.close();
    }
  });
});

describe('buildApp', () => {
  it('is an app that is not listening', async () => {
    const app = await buildApp({ db: t.db });
    expect(app.server.listening).toBe(false);
    await app.close();
  });
});
