import { deltaQuerySchema, groupDeltaPageSchema, userDeltaPageSchema } from '@provisio/contracts';
import type { FastifyRequest } from 'fastify';
import type { DeltaLinks } from '../services/directory-query-service';
import { adminErrors, type RoutePlugin } from './common';

/** A delta round's links, absolute as Graph's are, on this request's path. */
function deltaLinks(request: FastifyRequest): DeltaLinks {
  const q = request.url.indexOf('?');
  const path = q < 0 ? request.url : request.url.slice(0, q);
  const origin = request.server.publicOrigin ?? new URL(`${request.protocol}://${request.host}`).origin;
  return {
    next: (token) => `${origin}${path}?$skiptoken=${encodeURIComponent(token)}`,
    delta: (token) => `${origin}${path}?$deltatoken=${encodeURIComponent(token)}`,
  };
}

/** Graph's delta query: `/users/delta` and `/groups/delta`. */
export const directoryDeltaRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/users/delta',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary:
          'Delta query: pages through every user, then the deltaLink returns the users created, changed and deleted since.',
        querystring: deltaQuerySchema,
        response: { 200: userDeltaPageSchema, ...adminErrors(400) },
      },
    },
    async (request) => services.directoryQueries.usersDelta(request.query, deltaLinks(request)),
  );
  app.get(
    '/groups/delta',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary:
          'Delta query: pages through every group with its members, then the deltaLink returns the groups and memberships changed since.',
        querystring: deltaQuerySchema,
        response: { 200: groupDeltaPageSchema, ...adminErrors(400) },
      },
    },
    async (request) => services.directoryQueries.groupsDelta(request.query, deltaLinks(request)),
  );
};
