// HTTP for /scim/v2: translate requests into ScimService calls and results into SCIM responses.
// Bodies are serialized here once and sent as strings with the SCIM media type.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ScimError, invalidSyntax, invalidValue } from './errors';
import { Projection } from './resources';
import {
  enterpriseSchema,
  groupSchema,
  groupType,
  LIST_RESPONSE_SCHEMA,
  schemaDocument,
  SEARCH_REQUEST_SCHEMA,
  userSchema,
  userType,
  type ResourceKind,
  type ResourceTypeDef,
} from './schemas';
import type { ScimService } from './service';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
export const SCIM_PREFIX = '/scim/v2';

export function sendScim(
  reply: FastifyReply,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): FastifyReply {
  reply.code(status).headers(headers);
  if (body === undefined) return reply.send();
  return reply.type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}

export function sendScimError(reply: FastifyReply, error: ScimError): FastifyReply {
  return sendScim(reply, error.status, error.toBody(), error.headers);
}

/** `${protocol}://${host}/scim/v2` as the client addressed us, for `meta.location` and `$ref`. */
function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${SCIM_PREFIX}`;
}

type Query = Record<string, string | undefined>;

/** Query parameter names are matched case-insensitively (`startindex`, `Filter`, …). */
function query(request: FastifyRequest): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries(request.query as Record<string, unknown>)) {
    out[k.toLowerCase()] = Array.isArray(v) ? String(v[v.length - 1]) : (v as string | undefined);
  }
  return out;
}

function integerParam(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw invalidValue(`'${name}' must be an integer.`);
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ScimRouteOptions {
  service: ScimService;
  /** Whether PATCH is currently served (a fault switch can turn it off). */
  patchSupported: () => boolean;
  enterpriseServed: () => boolean;
  /** Whether groups are served (the noGroups switch hides them from discovery too). */
  groupsServed: () => boolean;
}

export function registerScimRoutes(app: FastifyInstance, opts: ScimRouteOptions): void {
  const { service } = opts;
  const resourceTypes = (): ResourceTypeDef[] => (opts.groupsServed() ? [userType, groupType] : [userType]);

  const discoveryTypes = (base: string) =>
    resourceTypes().map((t) => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: t.kind,
      name: t.kind,
      endpoint: t.endpoint,
      description: t.description,
      schema: t.core.id,
      schemaExtensions: t.extensions
        .filter((e) => e !== enterpriseSchema || opts.enterpriseServed())
        .map((e) => ({ schema: e.id, required: false })),
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${t.kind}` },
    }));
  const discoverySchemas = (base: string) =>
    [
      userSchema,
      ...(opts.enterpriseServed() ? [enterpriseSchema] : []),
      ...(opts.groupsServed() ? [groupSchema] : []),
    ].map((s) => schemaDocument(s, `${base}/Schemas/${s.id}`));
  const listOf = (items: unknown[]) => ({
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: items.length,
    startIndex: 1,
    itemsPerPage: items.length,
    Resources: items,
  });

  app.get(`${SCIM_PREFIX}/ServiceProviderConfig`, async (request, reply) => {
    const base = baseUrl(request);
    return sendScim(reply, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri: `${request.protocol}://${request.host}/`,
      patch: { supported: opts.patchSupported() },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: service.paging.maxPageSize },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'A long-lived bearer token in the Authorization header (SAMPLE_APP_TOKEN).',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    });
  });

  app.get(`${SCIM_PREFIX}/ResourceTypes`, async (request, reply) =>
    sendScim(reply, 200, listOf(discoveryTypes(baseUrl(request)))),
  );
  app.get<{ Params: { name: string } }>(`${SCIM_PREFIX}/ResourceTypes/:name`, async (request, reply) => {
    const found = discoveryTypes(baseUrl(request)).find(
      (t) => t.id.toLowerCase() === request.params.name.toLowerCase(),
    );
    if (!found) throw new ScimError(404, `Resource type ${request.params.name} not found.`);
    return sendScim(reply, 200, found);
  });
  app.get(`${SCIM_PREFIX}/Schemas`, async (request, reply) =>
    sendScim(reply, 200, listOf(discoverySchemas(baseUrl(request)))),
  );
  app.get<{ Params: { id: string } }>(`${SCIM_PREFIX}/Schemas/:id`, async (request, reply) => {
    const found = discoverySchemas(baseUrl(request)).find(
      (s) => String(s.id).toLowerCase() === request.params.id.toLowerCase(),
    );
    if (!found) throw new ScimError(404, `Schema ${request.params.id} not found.`);
    return sendScim(reply, 200, found);
  });

  for (const kind of ['User', 'Group'] as ResourceKind[]) {
    const endpoint = `${SCIM_PREFIX}${kind === 'User' ? userType.endpoint : groupType.endpoint}`;
    const projectionOf = (q: Query) =>
      new Projection(service.context(kind), q.attributes, q.excludedattributes);

    app.get(endpoint, async (request, reply) => {
      const q = query(request);
      const list = service.list(
        kind,
        {
          filter: q.filter,
          startIndex: integerParam(q.startindex, 'startIndex'),
          count: integerParam(q.count, 'count'),
          attributes: q.attributes,
          excludedAttributes: q.excludedattributes,
        },
        baseUrl(request),
      );
      return sendScim(reply, 200, list);
    });

    app.post(`${endpoint}/.search`, async (request, reply) => {
      const body = request.body;
      if (!isObject(body)) throw invalidSyntax('The request body must be a SearchRequest object.');
      const schemas = body.schemas;
      if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST_SCHEMA)) {
        throw invalidSyntax(`'schemas' must contain ${SEARCH_REQUEST_SCHEMA}.`);
      }
      const names = (v: unknown, field: string): string | undefined => {
        if (v === undefined || v === null) return undefined;
        if (typeof v === 'string') return v;
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
        throw invalidValue(`'${field}' must be a list of attribute names.`);
      };
      const int = (v: unknown, field: string): number | undefined => {
        if (v === undefined || v === null) return undefined;
        if (typeof v !== 'number' || !Number.isInteger(v))
          throw invalidValue(`'${field}' must be an integer.`);
        return v;
      };
      if (body.filter !== undefined && typeof body.filter !== 'string')
        throw invalidValue("'filter' must be a string.");
      const list = service.list(
        kind,
        {
          filter: body.filter as string | undefined,
          startIndex: int(body.startIndex, 'startIndex'),
          count: int(body.count, 'count'),
          attributes: names(body.attributes, 'attributes'),
          excludedAttributes: names(body.excludedAttributes, 'excludedAttributes'),
        },
        baseUrl(request),
      );
      return sendScim(reply, 200, list);
    });

    app.post(endpoint, async (request, reply) => {
      const w = service.create(kind, request.body, baseUrl(request), projectionOf(query(request)));
      return sendScim(reply, 201, w.resource, { Location: w.location, ETag: w.etag });
    });

    app.get<{ Params: { id: string } }>(`${endpoint}/:id`, async (request, reply) => {
      const w = service.get(kind, request.params.id, baseUrl(request), projectionOf(query(request)));
      const inm = request.headers['if-none-match'];
      if (inm && inm.split(',').some((t) => t.trim() === w.etag || t.trim() === '*')) {
        return reply.code(304).header('ETag', w.etag).send();
      }
      return sendScim(reply, 200, w.resource, { ETag: w.etag, Location: w.location });
    });

    app.put<{ Params: { id: string } }>(`${endpoint}/:id`, async (request, reply) => {
      const w = service.replace(
        kind,
        request.params.id,
        request.body,
        request.headers['if-match'],
        baseUrl(request),
        projectionOf(query(request)),
      );
      return sendScim(reply, 200, w.resource, { ETag: w.etag, Location: w.location });
    });

    app.patch<{ Params: { id: string } }>(`${endpoint}/:id`, async (request, reply) => {
      const q = query(request);
      // A group's answer would carry every member; like the services Entra is built against, answer
      // 204 unless the client asked for attributes (RFC 7644 §3.5.2 allows either).
      const noContent = kind === 'Group' && q.attributes === undefined && q.excludedattributes === undefined;
      const w = service.patch(
        kind,
        request.params.id,
        request.body,
        request.headers['if-match'],
        baseUrl(request),
        noContent ? new Projection(service.context(kind), undefined, 'members') : projectionOf(q),
      );
      if (noContent) {
        return reply.code(204).headers({ ETag: w.etag, Location: w.location }).send();
      }
      return sendScim(reply, 200, w.resource, { ETag: w.etag, Location: w.location });
    });

    app.delete<{ Params: { id: string } }>(`${endpoint}/:id`, async (request, reply) => {
      service.delete(kind, request.params.id, request.headers['if-match']);
      return reply.code(204).send();
    });
  }

  const unsupported = async () => {
    throw new ScimError(501, 'This endpoint is not implemented by this application.');
  };
  app.all(`${SCIM_PREFIX}/Bulk`, unsupported);
  app.all(`${SCIM_PREFIX}/Me`, unsupported);
  app.post(`${SCIM_PREFIX}/.search`, unsupported);
}
