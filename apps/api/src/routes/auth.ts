import { meSchema, signInRequestSchema } from '@provisio/contracts';
import { errorRef, errors, noContent, type RoutePlugin } from './common';

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
};
