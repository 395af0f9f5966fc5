import {
  accountCollectionSchema,
  accountCreateSchema,
  accountSchema,
  accountUpdateSchema,
  apiTokenCollectionSchema,
  apiTokenCreatedSchema,
  apiTokenCreateSchema,
  idParamsSchema,
  meSchema,
  passwordChangeSchema,
  signInRequestSchema,
} from '@provisio/contracts';
import { hashSessionToken } from '../services/auth-service';
import { AppError } from '../errors';
import type { Actor } from '../services/context';
import { adminErrors, ctx, errorRef, errors, noContent, originOf, type RoutePlugin } from './common';

export const SESSION_COOKIE = 'provisio_session';

/** Sign-in, sign-out and the current account. */
export const authRoutes: RoutePlugin<{ cookieSecure: boolean }> = async (app, { services, cookieSecure }) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: cookieSecure };

  app.post(
    '/sign-in',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in to the portal; sets the provisio_session cookie.',
        security: [],
        body: signInRequestSchema,
        response: { 200: meSchema, 400: errorRef, 401: errorRef, 429: errorRef, 500: errorRef },
      },
    },
    async (request, reply) => {
      const { me, token, expiresAt } = await services.auth.signIn(
        request.body.userName,
        request.body.password,
        {
          id: request.id,
          from: originOf(request),
        },
      );
      void reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires: expiresAt });
      return me;
    },
  );

  app.post(
    '/sign-out',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary: 'Ends the session and clears its cookie.',
        response: { 204: noContent, ...errors() },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await services.auth.signOut(token);
      void reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { access: 'signedIn' },
      schema: { tags: ['auth'], summary: 'The signed-in account.', response: { 200: meSchema, ...errors() } },
    },
    async (request) => ({ userName: request.actor!.userName, role: request.actor!.role }),
  );

  app.post(
    '/sign-out-everywhere',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary:
          "Ends every session of the signed-in account (this one too) and clears this browser's cookie.",
        response: { 204: noContent, ...errors(400) },
      },
    },
    async (request, reply) => {
      const context = ctx(request);
      requireSession(context.actor);
      await services.auth.signOutEverywhere(context);
      void reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/password',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['auth'],
        summary:
          "Changes the signed-in account's password (at least 12 characters); its other sessions end, this one stays.",
        body: passwordChangeSchema,
        response: { 204: noContent, ...errors(400) },
      },
    },
    async (request, reply) => {
      const context = ctx(request);
      requireSession(context.actor);
      const token = request.cookies[SESSION_COOKIE] ?? '';
      await services.accounts.changePassword(context, hashSessionToken(token), request.body);
      return reply.code(204).send(null);
    },
  );
};

/** Portal accounts (our addition): Administrators manage them; passwords are never returned. */
export const accountRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['accounts'];
  app.get(
    '/accounts',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Every portal account, by user name.',
        response: { 200: accountCollectionSchema, ...adminErrors() },
      },
    },
    async () => ({ value: await services.accounts.list() }),
  );
  app.post(
    '/accounts',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          'Creates a portal account: an Administrator, an Application Administrator (applications, provisioning and the directory) or a Reports Reader (logs and status only).',
        body: accountCreateSchema,
        response: { 201: accountSchema, ...adminErrors(400, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.accounts.create(ctx(request), request.body)),
  );
  app.patch(
    '/accounts/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          "Changes an account's role; its sessions end. 409 account.last_administrator for the only Administrator.",
        params: idParamsSchema,
        body: accountUpdateSchema,
        response: { 200: accountSchema, ...adminErrors(400, 404, 409) },
      },
    },
    async (request) => services.accounts.updateRole(ctx(request), request.params.id, request.body),
  );
  app.delete(
    '/accounts/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          'Deletes a portal account and ends its sessions; not the signed-in account, nor the last Administrator.',
        params: idParamsSchema,
        response: { 204: noContent, ...adminErrors(404, 409) },
      },
    },
    async (request, reply) => {
      await services.accounts.delete(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};

/** API tokens (our addition): Administrators create, list and revoke them; a token is shown once. */
export const tokenRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['tokens'];
  const config = { access: 'admin' as const };
  app.get(
    '/tokens',
    {
      config,
      schema: {
        tags,
        summary: 'Every API token, newest first, with its state and last use (never the token itself).',
        response: { 200: apiTokenCollectionSchema, ...adminErrors() },
      },
    },
    async () => ({ value: await services.tokens.list() }),
  );
  app.post(
    '/tokens',
    {
      config,
      schema: {
        tags,
        summary:
          'Creates an API token with a role, a name and an expiry (1–365 days). The answer holds the token: it is shown once; send it as "Authorization: Bearer <token>".',
        body: apiTokenCreateSchema,
        response: { 201: apiTokenCreatedSchema, ...adminErrors(400) },
      },
    },
    async (request, reply) => reply.code(201).send(await services.tokens.create(ctx(request), request.body)),
  );
  app.delete(
    '/tokens/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Revokes an API token: its next request is refused.',
        params: idParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await services.tokens.revoke(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};

/** Sessions belong to accounts: a token cannot change a password or end sessions. */
function requireSession(actor: Actor): void {
  if (actor.via !== 'session') {
    throw new AppError(
      'auth.session_required',
      400,
      'This applies to a signed-in account, not to an API token. Sign in to the portal to do it.',
    );
  }
}
