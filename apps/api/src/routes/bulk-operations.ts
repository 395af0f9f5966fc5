import {
  bulkOperationCollectionSchema,
  bulkOperationCreateQuerySchema,
  bulkOperationResultCollectionSchema,
  bulkOperationSchema,
  bulkOperationTemplateQuerySchema,
  idParamsSchema,
  pageQuerySchema,
} from '@provisio/contracts';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { AppError } from '../errors';
import { templateCsv } from '../services/bulk-rows';
import { pageRequest } from '../services/paging';
import { adminErrors, collection, ctx, errors, type RoutePlugin } from './common';

const listQuerySchema = Type.Pick(pageQuerySchema, ['$top', '$skiptoken']);
const TEMPLATE_NAMES = {
  create: 'UserCreateTemplate.csv',
  update: 'UserUpdateTemplate.csv',
  delete: 'UserDeleteTemplate.csv',
};

/**
 * Bulk create, update and delete of directory users from a CSV file (our addition to Graph, after
 * Entra's Bulk operations): POST the file as `text/csv`, then poll the operation and read its
 * rejected rows.
 */
export const bulkOperationRoutes: RoutePlugin = async (app, { services }) => {
  // The file is streamed to disk, never buffered whole; the service enforces the size limit.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  app.addHook('onClose', async () => services.bulkOperations.stop());

  app.get(
    '/directory/bulkOperations/template',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary:
          'The CSV template of a bulk operation: its header row (create: the user attributes; update: id and the attributes; delete: id, userPrincipalName).',
        querystring: bulkOperationTemplateQuerySchema,
        response: { 200: Type.String({ description: 'text/csv' }), ...errors(400) },
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${TEMPLATE_NAMES[request.query.kind]}"`)
        .send(templateCsv(request.query.kind)),
  );
  app.post(
    '/directory/bulkOperations',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary:
          'Starts a bulk operation from a CSV file sent as the body (Content-Type: text/csv, at most 64 MB and 200,000 rows). Answers 202 at once; every row is validated first, then the valid rows are applied in batches.',
        querystring: bulkOperationCreateQuerySchema,
        response: { 202: bulkOperationSchema, ...adminErrors(400, 413, 415) },
      },
    },
    async (request, reply) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Partial<Readable>).pipe !== 'function') {
        throw new AppError(
          'request.unsupported_media_type',
          415,
          'Send the CSV file as the body with Content-Type: text/csv.',
        );
      }
      const operation = await services.bulkOperations.start(ctx(request), {
        kind: request.query.kind,
        fileName: request.query.fileName ?? 'upload.csv',
        body,
      });
      return reply
        .code(202)
        .header('location', `${request.url.split('?')[0]}/${operation.id}`)
        .send(operation);
    },
  );
  app.get(
    '/directory/bulkOperations',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'Bulk operations, newest first.',
        querystring: listQuerySchema,
        response: { 200: bulkOperationCollectionSchema, ...errors(400) },
      },
    },
    async (request) =>
      collection(request, await services.bulkOperations.list(pageRequest(request.query, 50))),
  );
  app.get(
    '/directory/bulkOperations/:id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'One bulk operation: its status and counts (poll it while it runs).',
        params: idParamsSchema,
        response: { 200: bulkOperationSchema, ...errors(404) },
      },
    },
    async (request) => services.bulkOperations.get(request.params.id),
  );
  app.get(
    '/directory/bulkOperations/:id/results',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'The rejected rows of a bulk operation: line, column and reason, in line order.',
        params: idParamsSchema,
        querystring: listQuerySchema,
        response: { 200: bulkOperationResultCollectionSchema, ...errors(400, 404) },
      },
    },
    async (request) =>
      collection(
        request,
        await services.bulkOperations.results(request.params.id, pageRequest(request.query, 100)),
      ),
  );
};
