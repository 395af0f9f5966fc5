import {
  appRoleAssignmentCollectionSchema,
  appRoleAssignmentCreateSchema,
  appRoleAssignmentSchema,
  appRoleAssignmentUpdateSchema,
  idParamsSchema,
  pageQuerySchema,
  servicePrincipalCollectionSchema,
  servicePrincipalCreateSchema,
  servicePrincipalSchema,
  servicePrincipalUpdateSchema,
} from '@provisio/contracts';
import { pageRequest } from '../services/paging';
import { adminErrors, assignmentParamsSchema, collection, ctx, noContent, type RoutePlugin } from './common';

/** Enterprise applications (Graph's `/servicePrincipals`) and their assignments (`appRoleAssignedTo`). */
export const applicationRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/servicePrincipals',
    {
      config: { access: 'read' },
      schema: {
        tags: ['applications'],
        summary: 'Lists enterprise applications, ordered by displayName.',
        querystring: pageQuerySchema,
        response: { 200: servicePrincipalCollectionSchema, ...adminErrors(400) },
      },
    },
    async (request) => collection(request, await services.applications.list(pageRequest(request.query))),
  );
  app.post(
    '/servicePrincipals',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['applications'],
        summary: 'Adds a non-gallery SCIM application with the default "User" app role.',
        body: servicePrincipalCreateSchema,
        response: { 201: servicePrincipalSchema, ...adminErrors(400) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.applications.create(ctx(request), request.body)),
  );
  app.get(
    '/servicePrincipals/:id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['applications'],
        summary: 'One enterprise application.',
        params: idParamsSchema,
        response: { 200: servicePrincipalSchema, ...adminErrors(404) },
      },
    },
    async (request) => services.applications.get(request.params.id),
  );
  app.patch(
    '/servicePrincipals/:id',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['applications'],
        summary:
          "Changes the application's displayName, notes or appRoles (the whole list; a role must be disabled before it is removed).",
        params: idParamsSchema,
        body: servicePrincipalUpdateSchema,
        response: { 200: servicePrincipalSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) => services.applications.update(ctx(request), request.params.id, request.body),
  );
  app.delete(
    '/servicePrincipals/:id',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['applications'],
        summary: 'Deletes the application, its assignments and its provisioning job (the logs stay).',
        params: idParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await services.applications.delete(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/servicePrincipals/:id/appRoleAssignedTo',
    {
      config: { access: 'read' },
      schema: {
        tags: ['applications'],
        summary: 'Users and groups assigned to the application.',
        params: idParamsSchema,
        response: { 200: appRoleAssignmentCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({ value: await services.applications.listAssignments(request.params.id) }),
  );
  app.post(
    '/servicePrincipals/:id/appRoleAssignedTo',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['applications'],
        summary:
          'Assigns a user or a group (its direct members); the default role when appRoleId is left out.',
        params: idParamsSchema,
        body: appRoleAssignmentCreateSchema,
        response: { 201: appRoleAssignmentSchema, ...adminErrors(400, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.applications.assign(ctx(request), request.params.id, request.body)),
  );
  app.patch(
    '/servicePrincipals/:id/appRoleAssignedTo/:assignmentId',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['applications'],
        summary:
          "Changes an assignment's app role in one step (an addition to Graph); the next cycle sends the new role.",
        params: assignmentParamsSchema,
        body: appRoleAssignmentUpdateSchema,
        response: { 200: appRoleAssignmentSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) =>
      services.applications.changeRole(
        ctx(request),
        request.params.id,
        request.params.assignmentId,
        request.body,
      ),
  );
  app.delete(
    '/servicePrincipals/:id/appRoleAssignedTo/:assignmentId',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['applications'],
        summary: 'Removes an assignment; provisioning then disables the accounts it entitled.',
        params: assignmentParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await services.applications.unassign(ctx(request), request.params.id, request.params.assignmentId);
      return reply.code(204).send(null);
    },
  );
};
