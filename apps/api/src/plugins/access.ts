import type { Role } from '@provisio/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import type { Services } from '../services';
import type { Actor } from '../services/context';

/**
 * Who may call a route, declared beside it (`config: { access }`); a route that declares nothing is
 * for Administrators only.
 * - `public`: anyone (sign-in, the OpenAPI document).
 * - `signedIn`: any account or token, for its own session (me, sign-out, password).
 * - `read`: every role: the logs, the audit logs and the status of applications and jobs.
 * - `manage`: Administrators and Application Administrators: applications, provisioning,
 *   assignments, mappings and the directory.
 * - `admin`: Administrators: portal accounts and API tokens.
 */
export type Access = 'public' | 'signedIn' | 'read' | 'manage' | 'admin';

/** The roles each kind of route admits. */
export const ROLES_OF: Record<Exclude<Access, 'public'>, readonly Role[]> = {
  signedIn: ['Administrator', 'ApplicationAdministrator', 'ReportsReader'],
  read: ['Administrator', 'ApplicationAdministrator', 'ReportsReader'],
  manage: ['Administrator', 'ApplicationAdministrator'],
  admin: ['Administrator'],
};

const ROLE_RIGHTS: Record<Role, string> = {
  Administrator: 'Administrator',
  ApplicationAdministrator:
    'Application Administrator) manages applications, provisioning and the directory, not portal accounts or API tokens',
  ReportsReader: 'Reports Reader) may read the logs, the audit logs and the status only',
};

/** One route of the API and who may call it (the access tests walk this table). */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
  /** Whether the route declares its access (every route should; the default is `admin`). */
  declared: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** Who the request acts for; set for every route that is not public. */
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every API route with its access, as registered. */
    routeTable: RouteAccess[];
    /** The portal's public origin (PROVISIO_PORTAL_URL), when it is served through a proxy. */
    publicOrigin: string | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authentication, authorization and the cross-site request defence of every `/api/` route, in one
 * `onRequest` hook: a `Bearer` API token or the session cookie says who asks; the route's access
 * says whether its role may; a write made with the session cookie must come from the portal's own
 * origin and carry JSON (a token is sent by a script, never by a browser on its own, so it is exempt).
 * Register before the routes, so that the route table sees them all.
 */
export function registerAccess(
  app: FastifyInstance,
  options: { services: Services; sessionCookie: string; publicOrigin: string | null },
): void {
  const { services, sessionCookie } = options;
  app.decorateRequest('actor', null);
  app.decorate('routeTable', [] as RouteAccess[]);
  app.decorate('publicOrigin', options.publicOrigin);
  // Parsed once: every cookie write compares its Origin with it.
  const portalHost = options.publicOrigin ? new URL(options.publicOrigin).host.toLowerCase() : null;
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.routeTable.push({
        method,
        url: route.url,
        access: route.config?.access ?? 'admin',
        declared: route.config?.access !== undefined,
      });
    }
  });
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    const routeUrl = request.routeOptions.url;
    // Portal files and unknown paths are public; the 404 handler answers those.
    if (!path.startsWith('/api/') || routeUrl === undefined || routeUrl === '/*') return;
    const access = request.routeOptions.config.access ?? 'admin';
    if (access === 'public') {
      // Sign-in from another site's page (login CSRF) is refused too.
      if (!SAFE_METHODS.has(request.method) && request.headers.origin !== undefined)
        checkSameOrigin(request, portalHost);
      return;
    }
    const actor = await authenticate(request, services, sessionCookie);
    if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
      checkSameOrigin(request, portalHost);
      checkJsonBody(request);
    }
    request.actor = actor;
    if (!ROLES_OF[access].includes(actor.role)) {
      throw new AppError(
        'auth.forbidden',
        403,
        `Your role (${ROLE_RIGHTS[actor.role]}). Ask an Administrator to make this change.`,
      );
    }
  });
}

async function authenticate(
  request: FastifyRequest,
  services: Services,
  sessionCookie: string,
): Promise<Actor> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    const actor = bearer ? await services.auth.authenticateToken(bearer, request.ip) : null;
    if (!actor) {
      throw new AppError(
        'auth.invalid_token',
        401,
        'The API token is unknown, revoked or expired (send it as "Authorization: Bearer <token>"). An Administrator creates a new one under API tokens.',
      );
    }
    return actor;
  }
  const actor = await services.auth.authenticate(request.cookies[sessionCookie]);
  if (!actor) {
    throw new AppError(
      'auth.unauthenticated',
      401,
      'Sign in first, or send an API token: this request has no valid session (it may have expired).',
    );
  }
  return actor;
}

/** `host[:port]` without the scheme's default port, lower-cased. */
function normalHost(scheme: string, host: string): string | null {
  try {
    return new URL(`${scheme}://${host}`).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * A write made with the session cookie must come from a page of the portal itself: its `Origin`
 * (or, without one, its `Referer`) names this server — the host the request was sent to (a page of
 * another site cannot make the browser send a matching pair), or PROVISIO_PORTAL_URL when the portal
 * is served through a proxy under another name.
 */
function checkSameOrigin(request: FastifyRequest, portalHost: string | null): void {
  const source = request.headers.origin || request.headers.referer;
  const from = (() => {
    try {
      return source && source !== 'null' ? new URL(source) : null;
    } catch {
      return null;
    }
  })();
  const expected = [normalHost(request.protocol, request.host), portalHost];
  const actual = from ? normalHost(from.protocol.replace(':', ''), from.host) : null;
  if (actual === null || !expected.includes(actual)) {
    throw new AppError(
      'auth.cross_site_request',
      403,
      source
        ? `This change was sent from ${from?.origin ?? 'an unknown page'}, not from the Provisio portal, so it was refused. Make it in the portal, or call the API with an API token.`
        : 'This change names no Origin or Referer, so it cannot be told apart from a request forged by another site, and was refused. Make it in the portal, or call the API with an API token.',
    );
  }
}

/**
 * A body sent with the session cookie must be JSON, or CSV (a bulk operation's file): a form or
 * text/plain body is what another site can send; JSON and text/csv need a CORS preflight, which
 * this API never grants.
 */
function checkJsonBody(request: FastifyRequest): void {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
  if (!hasBody) return;
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'text/csv') {
    throw new AppError(
      'request.unsupported_media_type',
      415,
      `The body must be JSON (Content-Type: application/json), not ${type || 'untyped'}.`,
    );
  }
}
