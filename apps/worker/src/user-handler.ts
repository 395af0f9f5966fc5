import type { DirectoryUserRecord, ProvisioDb } from '@provisio/db';
import {
  buildScopedUserView,
  GROUP_ENTITLEMENT_CHANGES,
  selectIncrementalUsers,
  type CompiledObjectMapping,
} from '@provisio/engine';
import type { ScimClient } from '@provisio/scim-client';
import {
  selectInitialOf,
  type ObjectTypeHandler,
  type SyncItem,
  type TargetOperations,
} from './object-handler';

/** Users: directory users to the target's `/Users`. */
export function userHandler(compiled: CompiledObjectMapping): ObjectTypeHandler<DirectoryUserRecord> {
  return {
    objectType: 'User',
    units: 'Users',
    compiled,
    outOfScope: 'disable',
    async selectObjects(db, job, kind, window) {
      if (kind === 'Initial')
        return selectInitialOf(
          db,
          job,
          'User',
          job.syncAll
            ? await db.directory.listUserIds()
            : await db.applications.listEntitledUserIdList(job.servicePrincipalId),
        );
      const changes = await db.directory.listChangedObjects(window.after, window.upTo);
      const reassignedGroups = await db.directory.listChangedObjectIdsByChangeType(
        window.after,
        window.upTo,
        'group',
        GROUP_ENTITLEMENT_CHANGES,
      );
      // The members of each group whose assignment changed, read before the engine asks for them.
      const members = new Map<string, readonly string[]>();
      for (const groupId of reassignedGroups)
        if (!members.has(groupId)) members.set(groupId, await db.directory.listMemberIds(groupId));
      return selectIncrementalUsers({
        changes,
        reassignedGroups,
        membersOf: (groupId) => members.get(groupId) ?? [],
        dueEscrows: await db.escrows.listDueSourceIds(job.jobId, window.now.toISOString(), 'User'),
      });
    },
    loadItems: loadUsers,
    viewOf(user, entitlement, scope) {
      return buildScopedUserView({
        user,
        entitlement,
        appRoles: scope.appRoles,
        syncAll: scope.syncAll,
        scope: compiled.scope,
      });
    },
    identify(item) {
      const lastExported = item.connector?.lastExported ?? {};
      const reportableIdentifier =
        item.source?.userPrincipalName ??
        (typeof lastExported.userName === 'string' ? lastExported.userName : item.sourceId);
      return { displayName: item.source?.displayName ?? reportableIdentifier, reportableIdentifier };
    },
    target: userOperations,
  };
}

async function loadUsers(
  db: ProvisioDb,
  job: { jobId: string; servicePrincipalId: string },
  ids: readonly string[],
): Promise<SyncItem<DirectoryUserRecord>[]> {
  const users = new Map((await db.directory.listUsersByIds(ids)).map((u) => [u.id, u]));
  const connectors = await db.connector.listObjectsBySourceIds(job.jobId, ids);
  const escrows = await db.escrows.listEscrowsBySourceIds(job.jobId, ids);
  const entitlements = await db.applications.listEntitlementsOf(job.servicePrincipalId, ids);
  return ids.map((sourceId) => ({
    sourceId,
    source: users.get(sourceId) ?? null,
    entitlement: entitlements.get(sourceId) ?? null,
    connector: connectors.get(sourceId) ?? null,
    escrow: escrows.get(sourceId) ?? null,
  }));
}

function userOperations(client: ScimClient): TargetOperations {
  return {
    find: (attribute, value) => client.findUsers(attribute, value),
    get: (id) => client.getUser(id),
    list: (startIndex, count, attributes) => client.listUsers(startIndex, count, { attributes }),
    create: (body) => client.createUser(body),
    update: (id, changes) => client.updateUser(id, changes),
    disable: (id) => client.disableUser(id),
    delete: (id) => client.deleteUser(id),
  };
}
