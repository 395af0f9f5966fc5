import {
  accountCollectionSchema,
  accountCreateSchema,
  accountSchema,
  idParamsSchema,
  meSchema,
  passwordChangeSchema,
  signInRequestSchema,
} from '@provisio/contracts';
import { hashSessionToken } from '../services/auth-service';
import { adminErrors, ctx, errorRef, errors, noContent, type RoutePlugin } from './common';

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
      if (token) services.auth.signOut(token);
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
    async (request) => ({ userName: request.account!.userName, role: request.account!.role }),
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
      const token = request.cookies[SESSION_COOKIE] ?? '';
      await services.accounts.changePassword(ctx(request), hashSessionToken(token), request.body);
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
      schema: {
        tags,
        summary: 'Every portal account, by user name.',
        response: { 200: accountCollectionSchema, ...adminErrors() },
      },
    },
    async () => ({ value: services.accounts.list() }),
  );
  app.post(
    '/accounts',
    {
      schema: {
        tags,
        summary: 'Creates a portal account: an Administrator or a Reports Reader (logs only).',
        body: accountCreateSchema,
        response: { 201: accountSchema, ...adminErrors(400, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.accounts.create(ctx(request), request.body)),
  );
  app.delete(
    '/accounts/:id',
    {
      schema: {
        tags,
        summary:
          'Deletes a portal account and ends its sessions; not the signed-in account, nor the last Administrator.',
        params: idParamsSchema,
        response: { 204: noContent, ...adminErrors(404, 409) },
      },
    },
    async (request, reply) => {
      services.accounts.delete(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
