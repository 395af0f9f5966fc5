import {
  applicationServicePrincipalSchema,
  applicationTemplateCollectionSchema,
  applicationTemplateInstantiateSchema,
  applicationTemplateListQuerySchema,
  applicationTemplateSchema,
  idParamsSchema,
  synchronizationTemplateCollectionSchema,
} from '@provisio/contracts';
import { adminErrors, ctx, type RoutePlugin } from './common';

/**
 * The gallery (Graph's `/applicationTemplates` and `instantiate`) and the synchronization
 * templates of an application (`/servicePrincipals/{id}/synchronization/templates`).
 */
export const applicationTemplateRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/applicationTemplates',
    {
      config: { access: 'read' },
      schema: {
        tags: ['applications'],
        summary: 'Lists the gallery: application templates, the non-gallery SCIM template first.',
        querystring: applicationTemplateListQuerySchema,
        response: { 200: applicationTemplateCollectionSchema, ...adminErrors(400) },
      },
    },
    async (request) => ({ value: services.applicationTemplates.list(request.query) }),
  );
  app.get(
    '/applicationTemplates/:id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['applications'],
        summary: 'One application template, with its features, SCIM dialect, app roles and setup tutorial.',
        params: idParamsSchema,
        response: { 200: applicationTemplateSchema, ...adminErrors(404) },
      },
    },
    async (request) => services.applicationTemplates.get(request.params.id),
  );
  app.post(
    '/applicationTemplates/:id/instantiate',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['applications'],
        summary:
          "Adds an application from the template: its app roles and a provisioning job from the template's synchronization template.",
        params: idParamsSchema,
        body: applicationTemplateInstantiateSchema,
        response: { 201: applicationServicePrincipalSchema, ...adminErrors(400, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await services.applicationTemplates.instantiate(
            ctx(request),
            request.params.id,
            request.body.displayName,
          ),
        ),
  );
  app.get(
    '/servicePrincipals/:id/synchronization/templates',
    {
      config: { access: 'read' },
      schema: {
        tags: ['synchronization'],
        summary:
          "The synchronization templates a provisioning job of this application may be created from (its template's).",
        params: idParamsSchema,
        response: { 200: synchronizationTemplateCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({
      value: await services.applicationTemplates.synchronizationTemplates(request.params.id),
    }),
  );
};
