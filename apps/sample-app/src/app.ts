import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { registerAdminRoutes, sendAdminError } from './admin-routes';
import { defaultFaults, FaultState, mergeFaults, type FaultSettings } from './faults';
import { RequestLog, type RequestLogOptions } from './request-log';
import { ScimError, invalidSyntax } from './scim/errors';
import { registerScimRoutes, SCIM_PREFIX, sendScimError } from './scim/routes';
import { ScimService } from './scim/service';
import { Store } from './store';

export interface SampleAppOptions {
  /** The bearer token clients must send to /scim/v2. Required and non-empty. */
  token: string;
  /** Folder for the SQLite file (`sample-app.db`); created if missing. Default `./data`. */
  dataDir?: string;
  /** A full path for the SQLite file instead (`:memory:` works); overrides dataDir. */
  databaseFile?: string;
  /** Fault switches in force at start (validated; unknown keys are rejected). Default all off. */
  faults?: Partial<FaultSettings>;
  requestLog?: RequestLogOptions;
  /** Page size when a list request names no `count`. Default 100. */
  defaultPageSize?: number;
  /** Largest page served (ServiceProviderConfig filter.maxResults). Default 1000. */
  maxPageSize?: number;
  /** Most members a group response carries; a larger group needs excludedAttributes=members. Default 10000. */
  maxMembersReturned?: number;
  /** Largest request body in bytes. Default 10 MiB (a PUT of a large group). */
  bodyLimit?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body as received, kept for the request log. */
    rawBody: string | undefined;
    scimStartedAt: number;
    scimReceivedAt: string;
  }
}

function isScimRequest(request: FastifyRequest): boolean {
  // Routing is case-insensitive, so the URL is compared lowercased; the matched route covers encodings.
  return (
    request.url.toLowerCase().startsWith(SCIM_PREFIX + '/') ||
    request.url.toLowerCase() === SCIM_PREFIX ||
    (request.routeOptions.url ?? '').startsWith(SCIM_PREFIX)
  );
}

/** A request to /Groups or below (the noGroups switch answers them 404). */
function isGroupsRequest(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!.toLowerCase();
  const groups = `${SCIM_PREFIX}/groups`.toLowerCase();
  return path === groups || path.startsWith(`${groups}/`) || path.startsWith(`${groups}.`);
}

/**
 * Builds the sample SCIM application (not listening). Close it with `app.close()`, which also flushes
 * the request log and closes the database.
 *
 * @example
 * const app = buildSampleApp({ token: 's3cret', dataDir: tmp });
 * await app.listen({ port: 0, host: '127.0.0.1' });
 */
export function buildSampleApp(options: SampleAppOptions): FastifyInstance {
  if (!options.token) throw new Error('buildSampleApp: a non-empty token is required.');
  let file = options.databaseFile;
  if (!file) {
    const dir = resolve(options.dataDir ?? './data');
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'sample-app.db');
  }
  const store = new Store(file);
  const faults = new FaultState(mergeFaults(defaultFaults, options.faults ?? {}));
  const requestLog = new RequestLog(store, options.token, options.requestLog);
  const service = new ScimService(store, faults, {
    defaultPageSize: options.defaultPageSize ?? 100,
    maxPageSize: options.maxPageSize ?? 1000,
    maxMembersReturned: options.maxMembersReturned ?? 10_000,
  });
  const expected = Buffer.from(options.token);

  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    // Keep-alive sockets must not hold up close() (tests and graceful shutdown).
    forceCloseConnections: true,
    return503OnClosing: true,
  });

  app.decorateRequest('rawBody', undefined);
  app.decorateRequest('scimStartedAt', 0);
  app.decorateRequest('scimReceivedAt', '');

  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    ['application/json', 'application/scim+json'],
    { parseAs: 'string' },
    (request, body, done) => {
      const text = body as string;
      request.rawBody = text;
      // A DELETE or GET with a JSON content type and no body is not an error.
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      jsonParser(request, text, done);
    },
  );

  app.addHook('onRequest', async (request, reply) => {
    if (!isScimRequest(request)) return;
    request.scimStartedAt = performance.now();
    request.scimReceivedAt = new Date().toISOString();
    const decision = faults.decide();
    switch (decision.kind) {
      case 'drop':
        reply.hijack();
        request.raw.socket.destroy();
        requestLog.record({
          time: request.scimReceivedAt,
          method: request.method,
          url: request.url,
          headers: request.headers,
          rawBody: undefined,
          status: 0,
          durationMs: performance.now() - request.scimStartedAt,
        });
        // Already logged; keeps onResponse (should the closed socket trigger it) from logging it again.
        request.scimStartedAt = 0;
        return;
      case 'rateLimited':
      case 'throttled':
        return sendScimError(
          reply,
          new ScimError(
            429,
            decision.kind === 'rateLimited'
              ? `Rate limit of ${faults.settings.rateLimitPerSecond} requests per second exceeded.`
              : 'Too many requests.',
            undefined,
            { 'Retry-After': String(decision.retryAfterSeconds) },
          ),
        );
      case 'error':
        return sendScimError(
          reply,
          new ScimError(
            decision.status,
            decision.status === 503 ? 'Service temporarily unavailable.' : 'Internal server error.',
          ),
        );
      case 'pass':
        if (decision.delayMs > 0) await sleep(decision.delayMs);
    }
    const header = request.headers.authorization ?? '';
    const match = /^bearer\s+(.+)$/i.exec(header.trim());
    const given = match ? Buffer.from(match[1]!) : null;
    if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return sendScimError(
        reply,
        new ScimError(
          401,
          header ? 'The bearer token is not valid.' : 'Authorization with a bearer token is required.',
          undefined,
          {
            'WWW-Authenticate': 'Bearer realm="sample-app"',
          },
        ),
      );
    }
    const noPatch = faults.settings.noPatch;
    if (request.method === 'PATCH' && noPatch !== 'off') {
      return sendScimError(
        reply,
        noPatch === '405'
          ? new ScimError(405, 'PATCH is not supported: PUT only.', undefined, { Allow: 'GET, PUT, DELETE' })
          : new ScimError(501, 'PATCH is not implemented: PUT only.'),
      );
    }
    if (faults.settings.noGroups && isGroupsRequest(request)) {
      return sendScimError(
        reply,
        new ScimError(
          404,
          `No SCIM endpoint ${request.method} ${request.url.split('?')[0]}: this application has no groups.`,
        ),
      );
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!requestLog.enabled || request.scimStartedAt === 0) return;
    requestLog.record({
      time: request.scimReceivedAt,
      method: request.method,
      url: request.url,
      headers: request.headers,
      rawBody: request.rawBody,
      status: reply.statusCode,
      durationMs: performance.now() - request.scimStartedAt,
    });
  });

  app.setErrorHandler((error, request, reply) => {
    const scim = isScimRequest(request);
    if (error instanceof ScimError) {
      if (scim) return sendScimError(reply, error);
      return sendAdminError(reply, error.status, 'request.invalid', error.message);
    }
    const e = error as { statusCode?: number; message?: string; code?: string };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status === 500) {
      // Details stay in the server's output; the client gets no internals.
      console.error(`sample-app: ${request.method} ${request.url} failed:`, error);
    }
    if (scim) {
      if (status === 400)
        return sendScimError(reply, invalidSyntax(`The request body is not valid JSON: ${e.message ?? ''}`));
      if (status === 415) {
        return sendScimError(
          reply,
          new ScimError(415, 'Send the body as application/scim+json or application/json.'),
        );
      }
      if (status === 413) return sendScimError(reply, new ScimError(413, 'The request body is too large.'));
      return sendScimError(
        reply,
        new ScimError(status, status === 500 ? 'Internal server error.' : (e.message ?? 'Request failed.')),
      );
    }
    if (status === 500) return sendAdminError(reply, 500, 'internal', 'Internal server error.');
    return sendAdminError(reply, status, 'request.invalid', e.message ?? 'Request failed.');
  });

  app.setNotFoundHandler((request, reply) => {
    if (isScimRequest(request)) {
      return sendScimError(
        reply,
        new ScimError(404, `No SCIM endpoint ${request.method} ${request.url.split('?')[0]}.`),
      );
    }
    return sendAdminError(
      reply,
      404,
      'route.not_found',
      `No route ${request.method} ${request.url.split('?')[0]}.`,
    );
  });

  registerScimRoutes(app, {
    service,
    patchSupported: () => faults.settings.noPatch === 'off',
    enterpriseServed: () => faults.settings.rejectEnterpriseExtension === 'off',
    groupsServed: () => !faults.settings.noGroups,
  });
  registerAdminRoutes(app, { store, faults, requestLog });

  app.addHook('onClose', async () => {
    requestLog.close();
    store.close();
  });

  return app;
}
