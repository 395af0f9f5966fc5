// The local admin API (fault switches, request log, reset) and the page. No bearer token: it is meant
// for the machine the app runs on (HOST defaults to 127.0.0.1). Cross-site writes are refused by
// checking Origin, so a web page the operator visits cannot flip switches or wipe data.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { defaultFaults, FaultValidationError, mergeFaults, type FaultState } from './faults';
import { PAGE_CSS, PAGE_JS, renderPage, roleNames, type PageGroup, type PageUser } from './page';
import type { RequestLog } from './request-log';
import { ENTERPRISE_SCHEMA } from './scim/schemas';
import type { Store } from './store';

export interface AdminRouteOptions {
  store: Store;
  faults: FaultState;
  requestLog: RequestLog;
}

/** The admin API's error body, the project's one shape for non-SCIM errors. */
export function sendAdminError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

function intParam(raw: unknown, fallback: number, min: number, max: number): number | null {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) return null;
  return n;
}

export function registerAdminRoutes(app: FastifyInstance, opts: AdminRouteOptions): void {
  const { store, faults, requestLog } = opts;

  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (!request.url.toLowerCase().startsWith('/admin/')) return;
    if (!sameOrigin(request)) {
      return sendAdminError(
        reply,
        403,
        'admin.cross_origin',
        'The admin API only accepts requests from its own page.',
      );
    }
  });

  const putFaults = (request: FastifyRequest, reply: FastifyReply, base: typeof defaultFaults) => {
    try {
      faults.set(mergeFaults(base, request.body ?? {}));
    } catch (e) {
      if (e instanceof FaultValidationError) {
        return sendAdminError(reply, 400, 'faults.invalid_setting', e.message, { field: e.field });
      }
      throw e;
    }
    return reply.send(faults.settings);
  };

  app.get('/admin/faults', async (_request, reply) => reply.send(faults.settings));
  // PUT replaces: whatever the body leaves out goes back to off.
  app.put('/admin/faults', async (request, reply) => putFaults(request, reply, defaultFaults));
  app.patch('/admin/faults', async (request, reply) => putFaults(request, reply, faults.settings));
  app.delete('/admin/faults', async (_request, reply) => {
    faults.set({ ...defaultFaults, rejectFilterAttributes: [] });
    return reply.send(faults.settings);
  });

  app.get<{ Querystring: { limit?: string; offset?: string } }>('/admin/requests', async (request, reply) => {
    const limit = intParam(request.query.limit, 100, 1, 10_000);
    const offset = intParam(request.query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    if (limit === null)
      return sendAdminError(
        reply,
        400,
        'requests.invalid_limit',
        'limit must be an integer from 1 to 10000.',
      );
    if (offset === null)
      return sendAdminError(reply, 400, 'requests.invalid_offset', 'offset must be a non-negative integer.');
    const { total, requests } = requestLog.list(limit, offset);
    return reply.send({
      enabled: requestLog.enabled,
      maxRows: requestLog.maxRows,
      total,
      limit,
      offset,
      requests,
    });
  });

  app.delete('/admin/requests', async (_request, reply) => {
    requestLog.clear();
    return reply.code(204).send();
  });

  app.post('/admin/reset', async (_request, reply) => {
    requestLog.clear();
    store.reset();
    return reply.code(204).send();
  });

  app.get('/admin/stats', async (_request, reply) =>
    reply.send({
      users: store.count('User'),
      groups: store.count('Group'),
      requestLog: { enabled: requestLog.enabled, maxRows: requestLog.maxRows },
    }),
  );

  app.get('/healthz', async (_request, reply) => reply.send({ status: 'ok' }));

  app.get('/', async (request, reply) => {
    const users: PageUser[] = store.page('User', 200, 0).map((row) => {
      const doc = JSON.parse(row.doc) as Record<string, unknown>;
      const ext = (doc[ENTERPRISE_SCHEMA] ?? {}) as Record<string, unknown>;
      return {
        id: row.id,
        userName: String(doc.userName ?? ''),
        displayName: String(doc.displayName ?? ''),
        active: doc.active === undefined ? '' : String(doc.active),
        department: String(ext.department ?? ''),
        roles: roleNames(doc.roles),
      };
    });
    const groups: PageGroup[] = store.page('Group', 100, 0).map((row) => {
      const doc = JSON.parse(row.doc) as Record<string, unknown>;
      const members = store.members(row.id);
      return {
        id: row.id,
        displayName: String(doc.displayName ?? ''),
        members: members.slice(0, 25).map((m) => m.display ?? m.value),
        memberCount: members.length,
      };
    });
    const log = requestLog.enabled ? requestLog.list(50, 0) : { total: 0, requests: [] };
    const html = renderPage({
      scimBaseUrl: `${request.protocol}://${request.host}/scim/v2`,
      users,
      userCount: store.count('User'),
      groups,
      groupCount: store.count('Group'),
      requests: log.requests,
      requestCount: log.total,
      requestLogEnabled: requestLog.enabled,
      faults: faults.settings,
    });
    return reply
      .header(
        'Content-Security-Policy',
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
      )
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  });
  app.get('/assets/page.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(PAGE_CSS),
  );
  app.get('/assets/page.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(PAGE_JS),
  );
}
