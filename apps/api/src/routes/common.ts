import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Collection, ErrorBody } from '@provisio/contracts';
import type { Page } from '@provisio/db';
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Services } from '../services';
import type { RequestContext, RequestOrigin } from '../services/context';

export type RoutePlugin<Extra = object> = FastifyPluginAsyncTypebox<{ services: Services } & Extra>;

/** The shared error envelope, registered once with `addSchema` and referenced by every route. */
export const errorRef = Type.Unsafe<ErrorBody>({ $ref: 'ErrorBody#' });

/** Per-status error responses for a route, e.g. `...errors(400, 404)`; 401 and 500 apply to every route. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [...new Set([401, ...statuses, 500])]) out[s] = errorRef;
  return out;
}

/** Administrator-only routes also answer 403 to other roles. */
export const adminErrors = (...statuses: number[]) => errors(403, ...statuses);

export const noContent = Type.Null({ description: 'No content.' });

export const jobParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200, description: 'The application (service principal) id.' }),
  jobId: Type.String({ minLength: 1, maxLength: 200 }),
});
export const memberParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  userId: Type.String({ minLength: 1, maxLength: 200 }),
});
export const assignmentParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  assignmentId: Type.String({ minLength: 1, maxLength: 200 }),
});

/**
 * The address of the next page, absolute as Graph's are (clients such as Graph's PageIterator
 * follow it as it is): this request's own path and query with the new `$skiptoken`, so filters and
 * page size carry over, on the portal's public origin (PROVISIO_PORTAL_URL) or the one it was sent to.
 */
export function nextLink(request: FastifyRequest, cursor: string | null): string | undefined {
  if (!cursor) return undefined;
  const q = request.url.indexOf('?');
  const path = q < 0 ? request.url : request.url.slice(0, q);
  const params = (q < 0 ? '' : request.url.slice(q + 1))
    .split('&')
    .filter((p) => p !== '' && !/^(\$|%24)skiptoken=/i.test(p));
  params.push(`$skiptoken=${encodeURIComponent(cursor)}`);
  const origin = request.server.publicOrigin ?? new URL(`${request.protocol}://${request.host}`).origin;
  return `${origin}${path}?${params.join('&')}`;
}

/** A Graph collection page from a repository page. */
export function collection<T>(request: FastifyRequest, page: Page<T>): Collection<T> {
  const link = nextLink(request, page.nextCursor);
  return {
    ...(page.count === undefined ? {} : { '@odata.count': page.count }),
    value: page.items,
    ...(link ? { '@odata.nextLink': link } : {}),
  };
}

/** Where a request came from. */
export const originOf = (request: FastifyRequest): RequestOrigin => ({
  ip: request.ip,
  userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
});

/** Who is asking and from where, for audit events. */
export function ctx(request: FastifyRequest): RequestContext & { from: RequestOrigin } {
  const actor = request.actor;
  if (!actor) throw new Error('ctx() used on a public route; declare the route’s access.');
  return { actor, requestId: request.id, from: originOf(request) };
}

/** `attachment` with the name as typed, and an ASCII stand-in for clients that ignore `filename*`. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // RFC 8187 leaves ' ( ) out of the characters that may stand unencoded.
  const encoded = encodeURIComponent(fileName).replace(
    /['()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
