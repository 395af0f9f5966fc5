import {
  attributeMappingFunctionCollectionSchema,
  explainQuerySchema,
  explanationSchema,
  cyclePreviewCollectionSchema,
  cyclePreviewObjectCollectionSchema,
  cyclePreviewObjectQuerySchema,
  cyclePreviewSchema,
  previewParamsSchema,
  cycleCollectionSchema,
  cycleQuerySchema,
  idParamsSchema,
  parseExpressionRequestSchema,
  parseExpressionResponseSchema,
  schemaValidationSchema,
  provisionOnDemandRequestSchema,
  provisionOnDemandResponseSchema,
  restartSchema,
  restoreDefaultsRequestSchema,
  restoreDefaultsResultSchema,
  secretsPutSchema,
  secretsViewSchema,
  synchronizationJobCollectionSchema,
  synchronizationJobCreateSchema,
  synchronizationJobPatchSchema,
  testNotificationResultSchema,
  mailStatusSchema,
  synchronizationJobSchema,
  synchronizationSchemaPutSchema,
  synchronizationSchemaSchema,
  targetCheckSchema,
  validateCredentialsSchema,
  provisioningConfigurationSchema,
  provisioningConfigurationImportSchema,
  provisioningConfigurationImportResultSchema,
  provisioningConfigurationValidationSchema,
} from '@provisio/contracts';
import {
  adminErrors,
  attachment,
  collection,
  ctx,
  errors,
  jobParamsSchema,
  noContent,
  type RoutePlugin,
} from './common';

const tags = ['provisioning'];

/** Provisioning jobs of an application (Graph's `…/synchronization/jobs`) and its secrets. */
export const synchronizationRoutes: RoutePlugin = async (app, { services }) => {
  const jobs = services.jobs;
  const schema = services.schema;
  const base = '/servicePrincipals/:id/synchronization';

  app.get(
    `${base}/jobs`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The provisioning job of the application (at most one).',
        params: idParamsSchema,
        response: { 200: synchronizationJobCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({ value: await jobs.list(request.params.id) }),
  );
  app.post(
    `${base}/jobs`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Creates the provisioning job from a template ({"templateId":"scim"}); status NotConfigured.',
        params: idParamsSchema,
        body: synchronizationJobCreateSchema,
        response: { 201: synchronizationJobSchema, ...adminErrors(400, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await jobs.create(ctx(request), request.params.id, request.body.templateId)),
  );
  app.get(
    `${base}/jobs/:jobId`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The job with its schedule and synchronizationStatus (plus currentCycle).',
        params: jobParamsSchema,
        response: { 200: synchronizationJobSchema, ...adminErrors(404) },
      },
    },
    async (request) => jobs.get(request.params.id, request.params.jobId),
  );
  app.patch(
    `${base}/jobs/:jobId`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Sets job settings and the cycle interval (an addition to Graph): {"synchronizationJobSettings":[{"name":"QuarantineTooManyDeletesThreshold","value":"500"}],"schedule":{"interval":"PT40M"}}; an empty setting value removes one; the interval is from PT20M to PT24H.',
        params: jobParamsSchema,
        body: synchronizationJobPatchSchema,
        response: { 200: synchronizationJobSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) => jobs.update(ctx(request), request.params.id, request.params.jobId, request.body),
  );
  app.post(
    `${base}/jobs/:jobId/sendTestNotification`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          "Sends a test email to the job's Notification Email (an addition); 400 when mail is not configured or no address is set, 502 when the mail server refuses it.",
        params: jobParamsSchema,
        response: { 200: testNotificationResultSchema, ...adminErrors(400, 404, 502) },
      },
    },
    async (request) => jobs.sendTestNotification(request.params.id, request.params.jobId),
  );
  app.get(
    '/mail',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Whether this installation can send email (PROVISIO_SMTP_URL), and as whom (an addition).',
        response: { 200: mailStatusSchema, ...adminErrors() },
      },
    },
    async () => jobs.mailStatus(),
  );
  app.delete(
    `${base}/jobs/:jobId`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary: 'Deletes the job and all its state (links to target objects, cycles).',
        params: jobParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await jobs.delete(ctx(request), request.params.id, request.params.jobId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/jobs/:jobId/start`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary: 'Provisioning Status On: schedules cycles and runs one now; lifts a quarantine.',
        params: jobParamsSchema,
        response: { 204: noContent, ...adminErrors(400, 404) },
      },
    },
    async (request, reply) => {
      await jobs.start(ctx(request), request.params.id, request.params.jobId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/jobs/:jobId/pause`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary: 'Provisioning Status Off: no new cycle starts; a running one finishes.',
        params: jobParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await jobs.pause(ctx(request), request.params.id, request.params.jobId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/jobs/:jobId/restart`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Restart provisioning: resets what criteria.resetScope names (default QuarantineState, Watermark, Escrows) and runs a cycle.',
        params: jobParamsSchema,
        body: restartSchema,
        response: { 204: noContent, ...adminErrors(400, 404) },
      },
    },
    async (request, reply) => {
      await jobs.restart(
        ctx(request),
        request.params.id,
        request.params.jobId,
        request.body?.criteria?.resetScope,
      );
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/jobs/:jobId/runNow`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary: 'Our addition: starts a cycle now instead of at the next interval.',
        params: jobParamsSchema,
        response: { 204: noContent, ...adminErrors(400, 404) },
      },
    },
    async (request, reply) => {
      await jobs.runNow(request.params.id, request.params.jobId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/jobs/:jobId/provisionOnDemand`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Provision on demand: runs the subjects (users, at most five) through import, scoping, matching and export now, whether provisioning is on or off, and answers with the provisioning event (Graph: a stringKeyStringValuePair; provisioningEvents is our addition). The worker does the work; the API waits up to 30 s (504 provisioning_on_demand.timeout). 5 requests per 10 s per job (429 with Retry-After).',
        params: jobParamsSchema,
        body: provisionOnDemandRequestSchema,
        response: { 200: provisionOnDemandResponseSchema, ...adminErrors(400, 404, 429, 504) },
      },
    },
    async (request) =>
      services.onDemand.provision(ctx(request), request.params.id, request.params.jobId, request.body),
  );
  app.get(
    `${base}/jobs/:jobId/explain`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'Explain (an addition to Graph): whether the next cycle will provision the user or group objectId, what it will do and why not, and the fix, computed now from the same rules as a cycle, with one read-only lookup in the application: {willProvision, action, reason, recommendedAction, checks: [{name, passed, detail}]}.',
        params: jobParamsSchema,
        querystring: explainQuerySchema,
        response: { 200: explanationSchema, ...errors(400, 404) },
      },
    },
    async (request) =>
      services.explain.explain(request.params.id, request.params.jobId, request.query.objectId),
  );
  app.post(
    `${base}/jobs/:jobId/targetChecks`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Target conformance check (an addition to Graph): probes the application behind the saved Tenant URL and Secret Token — discovery, filters on the matching attributes, paging, both PATCH forms, disabling, groups and memberships, 409 on duplicates, error bodies, 429 and Retry-After, latency — with read-only requests and a test user and group it removes afterwards, and answers with the findings {id, severity: error|warning|info, title, detail, fix}. Runs in the request (a minute at most); 409 target_check.running while another check of the job runs.',
        params: jobParamsSchema,
        response: { 200: targetCheckSchema, ...adminErrors(400, 404, 409) },
      },
    },
    async (request) => services.targetChecks.run(ctx(request), request.params.id, request.params.jobId),
  );
  app.get(
    `${base}/jobs/:jobId/targetChecks/latest`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          "The job's latest target conformance check (status running while it runs); 404 target_check.not_found before the first.",
        params: jobParamsSchema,
        response: { 200: targetCheckSchema, ...errors(404) },
      },
    },
    async (request) => services.targetChecks.latest(request.params.id, request.params.jobId),
  );
  app.post(
    `${base}/jobs/:jobId/previews`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Previews the next cycle (an addition to Graph): a worker plans every object the next cycle would visit — action, reason and attribute changes — reading the application and changing nothing in it. Answers 202 with the preview, running until it has succeeded or failed.',
        params: jobParamsSchema,
        response: { 202: cyclePreviewSchema, ...adminErrors(400, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await services.previews.create(ctx(request), request.params.id, request.params.jobId)),
  );
  app.get(
    `${base}/jobs/:jobId/previews`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: "The job's recent previews of the next cycle, newest first.",
        params: jobParamsSchema,
        response: { 200: cyclePreviewCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({ value: await services.previews.list(request.params.id, request.params.jobId) }),
  );
  app.get(
    `${base}/jobs/:jobId/previews/:previewId`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'One preview: status (running, succeeded, failed), counts per action, progress while running, and staleReason when its plan can no longer be run.',
        params: previewParamsSchema,
        response: { 200: cyclePreviewSchema, ...adminErrors(404) },
      },
    },
    async (request) =>
      services.previews.get(request.params.id, request.params.jobId, request.params.previewId),
  );
  app.get(
    `${base}/jobs/:jobId/previews/:previewId/objects`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'The objects of a preview, a page at a time: sourceIdentity, action, reason and modifiedProperties (old → new). Filter with action=create|update|disable|delete|skip|staged|failed and $search.',
        params: previewParamsSchema,
        querystring: cyclePreviewObjectQuerySchema,
        response: { 200: cyclePreviewObjectCollectionSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) =>
      collection(
        request,
        await services.previews.listObjects(
          request.params.id,
          request.params.jobId,
          request.params.previewId,
          request.query,
        ),
      ),
  );
  app.post(
    `${base}/jobs/:jobId/previews/:previewId/run`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Runs the previewed plan: starts provisioning if it is off and runs the cycle now. Objects changed in the directory since the preview are planned again (run.changedSincePreview says how many). 409 provisioning_preview.not_ready, .already_run, or .stale when the mappings, scope or settings changed or a cycle ran since.',
        params: previewParamsSchema,
        response: { 202: cyclePreviewSchema, ...adminErrors(400, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await services.previews.run(
            ctx(request),
            request.params.id,
            request.params.jobId,
            request.params.previewId,
          ),
        ),
  );
  app.get(
    `${base}/jobs/:jobId/cycles`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Our addition: the cycles the job ran, newest first.',
        params: jobParamsSchema,
        querystring: cycleQuerySchema,
        response: { 200: cycleCollectionSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) => ({
      value: await jobs.listCycles(request.params.id, request.params.jobId, request.query.$top ?? 20),
    }),
  );
  app.get(
    `${base}/jobs/:jobId/schema`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Directories, object mappings, attribute mappings and scoping filters of the job.',
        params: jobParamsSchema,
        response: { 200: synchronizationSchemaSchema, ...adminErrors(404) },
      },
    },
    async (request) => schema.get(request.params.id, request.params.jobId),
  );
  app.put(
    `${base}/jobs/:jobId/schema`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Saves the whole schema (attribute mappings, target object actions, scope, attribute lists). Every mapping is checked first: 400 schema.invalid with one detail per problem (target = the JSON path of the field, plus the position for expressions). A change bumps version, clears the watermark (the next cycle is an initial cycle) and runs a cycle now when provisioning is on.',
        params: jobParamsSchema,
        body: synchronizationSchemaPutSchema,
        response: { 204: noContent, ...adminErrors(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await schema.put(ctx(request), request.params.id, request.params.jobId, request.body);
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/jobs/:jobId/schema/validate`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Our addition: checks a schema as PUT …/schema would, without saving it. 200 with the problems PUT would refuse it with (the details of its 400 schema.invalid), none when it would be accepted.',
        params: jobParamsSchema,
        body: synchronizationSchemaPutSchema,
        response: { 200: schemaValidationSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) => ({
      problems: await schema.validate(request.params.id, request.params.jobId, request.body),
    }),
  );
  app.post(
    `${base}/jobs/:jobId/schema/restoreDefaults`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Our addition: restores the gallery template\'s attribute mappings, scoping filters and attribute lists, and lists what changes ({"preview":true} changes nothing). A change is saved as a schema PUT is: version bumped, watermark cleared, audited.',
        params: jobParamsSchema,
        body: restoreDefaultsRequestSchema,
        response: { 200: restoreDefaultsResultSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) =>
      schema.restoreDefaults(ctx(request), request.params.id, request.params.jobId, request.body),
  );
  app.get(
    `${base}/jobs/:jobId/schema/functions`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'The functions of the expression language with their parameters (attributeMappingFunctionSchema).',
        params: jobParamsSchema,
        response: { 200: attributeMappingFunctionCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({ value: await schema.functions(request.params.id, request.params.jobId) }),
  );
  app.post(
    `${base}/jobs/:jobId/schema/parseExpression`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Parses an expression and evaluates it against testInputObject properties and/or a directory user (testUserId, our addition, read as a cycle reads it). Parse and evaluation errors are in the answer (200), with their position.',
        params: jobParamsSchema,
        body: parseExpressionRequestSchema,
        response: { 200: parseExpressionResponseSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) => schema.parseExpression(request.params.id, request.params.jobId, request.body),
  );
  app.get(
    `${base}/jobs/:jobId/configuration`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          "Our addition: exports the job's provisioning configuration as one JSON document, a download: the schema (attribute lists, object mappings, attribute mappings, scoping filters, matching precedence), the settings (interval, scope, SkipOutOfScopeDeletions, notification settings, job settings) and the application's appRoles. Never the Tenant URL or the Secret Token.",
        params: jobParamsSchema,
        response: { 200: provisioningConfigurationSchema, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      const { document, fileName } = await services.configuration.export(
        request.params.id,
        request.params.jobId,
      );
      return reply
        .header('Content-Disposition', attachment(fileName))
        .header('Cache-Control', 'no-store')
        .send(document);
    },
  );
  app.put(
    `${base}/jobs/:jobId/configuration`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Our addition: imports a document exported by GET …/configuration. Everything is checked first: 400 provisioning_configuration.invalid with one detail per problem naming its field (codes such as provisioning_configuration.unsupported_format, mapping.invalid_expression, provisioning_configuration.role_in_use), and nothing changed. Then schema, settings and appRoles are replaced in one transaction and one audit event "Import provisioning configuration" is written; the Tenant URL and Secret Token stay as they are. A changed schema bumps its version and makes the next cycle an initial cycle.',
        params: jobParamsSchema,
        body: provisioningConfigurationImportSchema,
        response: { 200: provisioningConfigurationImportResultSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) =>
      services.configuration.import(ctx(request), request.params.id, request.params.jobId, request.body),
  );
  app.post(
    `${base}/jobs/:jobId/configuration/validate`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Our addition: checks a configuration document as PUT …/configuration would, without changing anything: 200 with the problems it would be refused with, or none and the changes it would make.',
        params: jobParamsSchema,
        body: provisioningConfigurationImportSchema,
        response: { 200: provisioningConfigurationValidationSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) => services.configuration.validate(request.params.id, request.params.jobId, request.body),
  );
  app.post(
    `${base}/jobs/:jobId/validateCredentials`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Test Connection: looks up a user that cannot exist at the Tenant URL; 204 when the endpoint answers as SCIM requires.',
        params: jobParamsSchema,
        body: validateCredentialsSchema,
        response: { 204: noContent, ...adminErrors(400, 404) },
      },
    },
    async (request, reply) => {
      await jobs.validateCredentials(request.params.id, request.params.jobId, request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${base}/secrets`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Our addition: the saved credentials and settings; the Secret Token is never returned (hasValue tells whether one is set).',
        params: idParamsSchema,
        response: { 200: secretsViewSchema, ...adminErrors(404) },
      },
    },
    async (request) => jobs.getSecrets(request.params.id),
  );
  app.put(
    `${base}/secrets`,
    {
      config: { access: 'manage' },
      schema: {
        tags,
        summary:
          'Saves credentials and settings (BaseAddress, SecretToken, SyncAll, SkipOutOfScopeDeletions, SyncNotificationSettings); keys left out keep their value, an empty value clears one.',
        params: idParamsSchema,
        body: secretsPutSchema,
        response: { 204: noContent, ...adminErrors(400, 404) },
      },
    },
    async (request, reply) => {
      await jobs.putSecrets(ctx(request), request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );
};
