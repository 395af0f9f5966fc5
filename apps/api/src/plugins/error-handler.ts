import { DbBusyError, DbConflictError, NotFoundError } from '@provisio/db';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody, type ErrorDetail } from '../errors';
import { describeValidation } from './validation';

/** Table names of unique constraints → the entity named in `<entity>.conflict`. */
const entityOfTable: Record<string, string> = {
  directory_users: 'user',
  directory_groups: 'group',
  group_members: 'group_member',
  service_principals: 'service_principal',
  app_role_assignments: 'app_role_assignment',
  provisioning_jobs: 'provisioning_job',
  admin_accounts: 'account',
};

/** A unique or primary key violation, whatever the database, as the entity and columns it concerns. */
function uniqueViolation(error: unknown): { entity: string; columns: string } | null {
  if (!(error instanceof DbConflictError)) return null;
  return { entity: entityOfTable[error.table] ?? 'resource', columns: error.columns.join(', ') };
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  message: string,
  details?: ErrorDetail[],
) {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(code, message, request.id, details));
}

/**
 * The one place errors become HTTP answers, always in Graph's envelope
 * `{ error: { code, message, details?, requestId } }`. Anything unexpected is
 * logged with the request id and answered without internals.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) void reply.headers(error.headers);
      return send(reply, request, error.status, error.code, error.message, error.details);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const part = fastifyError.validationContext ?? 'body';
      const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[part];
      const details = describeValidation(
        fastifyError.validation as never,
        part,
        schema as Parameters<typeof describeValidation>[2],
      );
      const first = details[0]?.message ?? 'The request is not valid.';
      const more =
        details.length > 1
          ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''}, see details)`
          : '';
      return send(reply, request, 400, 'request.invalid', `${first}${more}`, details);
    }
    if (error instanceof NotFoundError) {
      return send(
        reply,
        request,
        404,
        `${error.entity}.not_found`,
        `${error.message} Check the id; it may have been deleted.`,
      );
    }
    const unique = uniqueViolation(error);
    if (unique) {
      return send(
        reply,
        request,
        409,
        `${unique.entity}.conflict`,
        `Another ${unique.entity.replace(/_/g, ' ')} already has this ${unique.columns || 'value'}; use a different value or change the existing one.`,
      );
    }
    if (error instanceof DbBusyError) {
      // Another writer (a long import, a worker's commit) outlasted the busy timeout: the statement
      // that met the lock failed with its transaction, and the same request a moment later is
      // expected to go through.
      void reply.header('retry-after', '1');
      return send(
        reply,
        request,
        503,
        'database.busy',
        'The database is busy: another writer held it locked for longer than the busy timeout. Try again in a moment.',
      );
    }
    const status = fastifyError.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors (malformed JSON, wrong content type, body too large): their messages are safe to show.
      const code =
        status === 415
          ? 'request.unsupported_media_type'
          : status === 413
            ? 'request.too_large'
            : 'request.invalid';
      return send(reply, request, status, code, `${fastifyError.message}.`.replace(/\.\.$/, '.'));
    }
    request.log.error({ err: error, requestId: request.id }, 'unhandled error');
    return send(
      reply,
      request,
      500,
      'internal.error',
      `Something went wrong on the server. Try again; if it keeps happening, report request id ${request.id}.`,
    );
  });
}

/** 404 in the envelope for unknown `/api` routes (and anything else when there is no portal to fall back to). */
export function notFound(request: FastifyRequest, reply: FastifyReply) {
  return send(
    reply,
    request,
    404,
    'route.not_found',
    `There is no ${request.method} ${request.url.split('?')[0] ?? ''} route. See /api/openapi.json for the routes the API offers.`,
  );
}
