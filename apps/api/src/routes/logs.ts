import {
  directoryAuditCollectionSchema,
  directoryAuditSchema,
  idParamsSchema,
  provisioningLogDownloadQuerySchema,
  provisioningLogQuerySchema,
  provisioningObjectSummaryCollectionSchema,
  provisioningLogSummaryQuerySchema,
  provisioningLogSummarySchema,
  provisioningObjectSummarySchema,
} from '@provisio/contracts';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { Download } from '../services/logs-service';
import { attachment, collection, errors, type RoutePlugin } from './common';

/** Streams a log download as an attachment. */
function sendDownload(reply: FastifyReply, download: Download) {
  return reply
    .header('Content-Type', download.contentType)
    .header('Content-Disposition', attachment(download.fileName))
    .header('Cache-Control', 'no-store')
    .send(Readable.from(download.body));
}

const tags = ['logs'];

/** A log download's route options: every role may read logs; the file streams, or 400 before anything is sent. */
const downloadRoute = (summary: string) => ({
  config: { access: 'read' as const },
  schema: {
    tags,
    summary,
    querystring: provisioningLogDownloadQuerySchema,
    response: {
      200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file, streamed.' }),
      ...errors(400),
    },
  },
});

/** Provisioning logs and audit logs; every role may read them. */
export const logRoutes: RoutePlugin = async (app, { services }) => {
  const config = { access: 'read' as const };

  app.get(
    '/auditLogs/provisioning',
    {
      config,
      schema: {
        tags,
        summary:
          "Provisioning events, newest first; Graph's $filter, $top (≤ 1000, default 50), $orderby=activityDateTime asc|desc, $skiptoken.",
        querystring: provisioningLogQuerySchema,
        response: { 200: provisioningObjectSummaryCollectionSchema, ...errors(400) },
      },
    },
    async (request) => collection(request, await services.logs.listProvisioningEvents(request.query)),
  );
  app.get(
    '/auditLogs/provisioning/download',
    downloadRoute(
      'Every provisioning event matching $filter, as a file: format=json gives a JSON array, format=csv a ZIP of ProvisioningLogs.csv, ProvisioningLogs_ProvisioningSteps.csv and ProvisioningLogs_ModifiedProperties.csv, joined on Change ID; at most 250,000 events.',
    ),
    async (request, reply) =>
      sendDownload(reply, await services.logs.downloadProvisioningEvents(request.query)),
  );
  app.get(
    '/auditLogs/provisioning/summary',
    {
      config,
      schema: {
        tags,
        summary:
          'Our addition: provisioning events per hour (range=24h) or per UTC day (7d, 30d) by status, the last 20 cycles with their durations, and how far back the provisioning and audit logs go; of one application with servicePrincipalId.',
        querystring: provisioningLogSummaryQuerySchema,
        response: { 200: provisioningLogSummarySchema, ...errors(400) },
      },
    },
    async (request) => services.logSummary.summarize(request.query),
  );
  app.get(
    '/auditLogs/provisioning/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One provisioning event.',
        params: idParamsSchema,
        response: { 200: provisioningObjectSummarySchema, ...errors(404) },
      },
    },
    async (request) => services.logs.getProvisioningEvent(request.params.id),
  );
  app.get(
    '/auditLogs/directoryAudits',
    {
      config,
      schema: {
        tags,
        summary:
          'Audit events, newest first; $filter on activityDisplayName, category, activityDateTime, targetResources/any(t: t/id eq …).',
        querystring: provisioningLogQuerySchema,
        response: { 200: directoryAuditCollectionSchema, ...errors(400) },
      },
    },
    async (request) => collection(request, await services.logs.listAuditEvents(request.query)),
  );
  app.get(
    '/auditLogs/directoryAudits/download',
    downloadRoute(
      'Every audit event matching $filter, newest first, as a file: format=json gives a JSON array, format=csv one CSV file (AuditLogs.csv); at most 250,000 events.',
    ),
    async (request, reply) => sendDownload(reply, await services.logs.downloadAuditEvents(request.query)),
  );
  app.get(
    '/auditLogs/directoryAudits/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One audit event.',
        params: idParamsSchema,
        response: { 200: directoryAuditSchema, ...errors(404) },
      },
    },
    async (request) => services.logs.getAuditEvent(request.params.id),
  );
};
