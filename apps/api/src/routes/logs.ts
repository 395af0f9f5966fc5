import {
  directoryAuditCollectionSchema,
  directoryAuditSchema,
  idParamsSchema,
  provisioningLogQuerySchema,
  provisioningObjectSummaryCollectionSchema,
  provisioningObjectSummarySchema,
} from '@provisio/contracts';
import { collection, errors, type RoutePlugin } from './common';

const tags = ['logs'];

/** Provisioning logs and audit logs; Reports Readers may read them too. */
export const logRoutes: RoutePlugin = async (app, { services }) => {
  const config = { access: 'signedIn' as const };

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
    async (request) => collection(request, services.logs.listProvisioningEvents(request.query)),
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
    async (request) => collection(request, services.logs.listAuditEvents(request.query)),
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
