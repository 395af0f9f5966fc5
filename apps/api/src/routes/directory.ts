import {
  appRoleAssignmentCollectionSchema,
  deletedUserCollectionSchema,
  directoryListQuerySchema,
  directoryObjectRefSchema,
  extensionPropertyCollectionSchema,
  extensionPropertyCreateSchema,
  extensionPropertySchema,
  groupCollectionSchema,
  groupCreateSchema,
  groupSchema,
  groupUpdateSchema,
  idParamsSchema,
  pageQuerySchema,
  selectedGroupCollectionSchema,
  selectedUserCollectionSchema,
  userCollectionSchema,
  userCreateSchema,
  userSchema,
  userUpdateSchema,
} from '@provisio/contracts';
import { Type } from 'typebox';
import { pageRequest } from '../services/paging';
import { adminErrors, collection, ctx, memberParamsSchema, noContent, type RoutePlugin } from './common';

/**
 * A list that takes only some of the OData parameters: any other (`$filter`, `$select`, `$count`…)
 * is refused, naming it and the ones it takes, rather than ignored; parameters without `$` pass.
 */
const onlyTheseParameters = { additionalProperties: false, patternProperties: { '^[^$]': {} } };
const memberQuerySchema = Type.Pick(pageQuerySchema, ['$top', '$skiptoken'], onlyTheseParameters);
const deletedItemsQuerySchema = Type.Pick(
  pageQuerySchema,
  ['$top', '$skiptoken', '$search'],
  onlyTheseParameters,
);

/** Directory users, groups and group members (Graph's `/users`, `/groups`). */
export const directoryRoutes: RoutePlugin = async (app, { services }) => {
  // ---- users ----
  app.get(
    '/users',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary:
          'Lists users (not in the recycle bin), ordered by displayName: $filter, $search, $select, $top, $count.',
        querystring: directoryListQuerySchema,
        response: { 200: selectedUserCollectionSchema, ...adminErrors(400) },
      },
    },
    async (request) => collection(request, await services.directoryQueries.listUsers(request.query)),
  );
  app.post(
    '/users',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Creates a user.',
        body: userCreateSchema,
        response: { 201: userSchema, ...adminErrors(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await services.users.create(ctx(request), request.body)),
  );
  app.get(
    '/users/:id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'One user (also while in the recycle bin: deletedDateTime is set).',
        params: idParamsSchema,
        response: { 200: userSchema, ...adminErrors(404) },
      },
    },
    async (request) => services.users.get(request.params.id),
  );
  app.patch(
    '/users/:id',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Updates the properties given.',
        params: idParamsSchema,
        body: userUpdateSchema,
        response: { 204: noContent, ...adminErrors(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await services.users.update(ctx(request), request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/users/:id',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Soft delete: moves the user to the recycle bin; provisioning disables its accounts.',
        params: idParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await services.users.softDelete(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users/:id/memberOf',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'The groups the user is a direct member of, ordered by displayName.',
        params: idParamsSchema,
        response: { 200: groupCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({ value: await services.users.listMemberOf(request.params.id) }),
  );
  app.get(
    '/users/:id/appRoleAssignments',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'The applications the user is assigned to directly (not through a group).',
        params: idParamsSchema,
        response: { 200: appRoleAssignmentCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({ value: await services.users.listAppRoleAssignments(request.params.id) }),
  );

  // ---- deleted users (the recycle bin) ----
  app.get(
    '/directory/deletedItems/microsoft.graph.user',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary:
          'Deleted users, the most recently deleted first, each with when it is deleted permanently (PROVISIO_DELETED_USER_DAYS after deletedDateTime).',
        querystring: deletedItemsQuerySchema,
        response: { 200: deletedUserCollectionSchema, ...adminErrors(400) },
      },
    },
    async (request) => collection(request, await services.deletedUsers.list(pageRequest(request.query))),
  );
  app.post(
    '/directory/deletedItems/:id/restore',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Restores a deleted user; provisioning enables its accounts again.',
        params: idParamsSchema,
        response: { 200: userSchema, ...adminErrors(404) },
      },
    },
    async (request) => services.deletedUsers.restore(ctx(request), request.params.id),
  );
  app.delete(
    '/directory/deletedItems/:id',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary:
          'Deletes a deleted user permanently; provisioning deletes its accounts where the Delete action is on.',
        params: idParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await services.deletedUsers.permanentlyDelete(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  // ---- groups ----
  app.get(
    '/groups',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'Lists groups, ordered by displayName: $filter, $search, $select, $top, $count.',
        querystring: directoryListQuerySchema,
        response: { 200: selectedGroupCollectionSchema, ...adminErrors(400) },
      },
    },
    async (request) => collection(request, await services.directoryQueries.listGroups(request.query)),
  );
  app.post(
    '/groups',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Creates a group.',
        body: groupCreateSchema,
        response: { 201: groupSchema, ...adminErrors(400) },
      },
    },
    async (request, reply) => reply.code(201).send(await services.groups.create(ctx(request), request.body)),
  );
  app.get(
    '/groups/:id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'One group.',
        params: idParamsSchema,
        response: { 200: groupSchema, ...adminErrors(404) },
      },
    },
    async (request) => services.groups.get(request.params.id),
  );
  app.patch(
    '/groups/:id',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Updates the properties given.',
        params: idParamsSchema,
        body: groupUpdateSchema,
        response: { 204: noContent, ...adminErrors(400, 404) },
      },
    },
    async (request, reply) => {
      await services.groups.update(ctx(request), request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/groups/:id',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Deletes the group, its memberships and its assignments.',
        params: idParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await services.groups.delete(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/groups/:id/appRoleAssignments',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'The applications the group is assigned to, with the app role (Graph).',
        params: idParamsSchema,
        response: { 200: appRoleAssignmentCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({ value: await services.groups.listAppRoleAssignments(request.params.id) }),
  );

  // ---- members ----
  app.get(
    '/groups/:id/members',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'Direct members of a group.',
        params: idParamsSchema,
        querystring: memberQuerySchema,
        response: { 200: userCollectionSchema, ...adminErrors(400, 404) },
      },
    },
    async (request) =>
      collection(request, await services.groups.listMembers(request.params.id, pageRequest(request.query))),
  );
  app.get(
    '/groups/:id/members/microsoft.graph.group',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary:
          'Groups that are direct members of the group (nested groups: kept in the directory, not expanded for assignment).',
        params: idParamsSchema,
        response: { 200: groupCollectionSchema, ...adminErrors(404) },
      },
    },
    async (request) => ({ value: await services.groups.listMemberGroups(request.params.id) }),
  );
  app.post(
    '/groups/:id/members/$ref',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary:
          'Adds a direct member: body { "@odata.id": "…/users/{id}" }, or "…/groups/{id}" for a nested group.',
        params: idParamsSchema,
        body: directoryObjectRefSchema,
        response: { 204: noContent, ...adminErrors(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await services.groups.addMember(ctx(request), request.params.id, request.body['@odata.id']);
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/groups/:id/members/:userId/$ref',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Removes a direct member (a user or a nested group).',
        params: memberParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await services.groups.removeMember(ctx(request), request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  // ---- directory extension attributes ----
  app.get(
    '/directory/extensionProperties',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'The directory extension attributes users can carry (extension_<appId>_<name>), by name.',
        response: { 200: extensionPropertyCollectionSchema },
      },
    },
    async () => ({ value: await services.extensionProperties.list() }),
  );
  app.post(
    '/directory/extensionProperties',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: 'Defines a directory extension attribute of users: { name, dataType, isMultiValued }.',
        body: extensionPropertyCreateSchema,
        response: { 201: extensionPropertySchema, ...adminErrors(400, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await services.extensionProperties.create(ctx(request), request.body)),
  );
  app.get(
    '/directory/extensionProperties/:id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['directory'],
        summary: 'One directory extension attribute.',
        params: idParamsSchema,
        response: { 200: extensionPropertySchema, ...adminErrors(404) },
      },
    },
    async (request) => services.extensionProperties.get(request.params.id),
  );
  app.delete(
    '/directory/extensionProperties/:id',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['directory'],
        summary: "Deletes a directory extension attribute and clears users' values of it.",
        params: idParamsSchema,
        response: { 204: noContent, ...adminErrors(404) },
      },
    },
    async (request, reply) => {
      await services.extensionProperties.delete(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
