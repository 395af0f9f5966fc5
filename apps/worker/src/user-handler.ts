import type { DirectoryUserRecord, ProvisioDb } from '@provisio/db';
import {
  buildScopedUserView,
  GROUP_ENTITLEMENT_CHANGES,
  selectIncrementalUsers,
  selectInitialObjects,
  type CompiledObjectMapping,
} from '@provisio/engine';
import type { ScimClient } from '@provisio/scim-client';
import type { ObjectTypeHandler, SyncItem, TargetOperations } from './object-handler';

/** Users: directory users to the target's `/Users`. */
export function userHandler(compiled: CompiledObjectMapping): ObjectTypeHandler<DirectoryUserRecord> {
  return {
    objectType: 'User',
    units: 'Users',
    compiled,
    outOfScope: 'disable',
    selectObjects(db, job, kind, window) {
      if (kind === 'Initial') {
        return selectInitialObjects(
          {
            all: () => db.directory.listUserIds(),
            entitled: () => db.applications.listEntitledUserIdList(job.servicePrincipalId),
            provisioned: db.connector.listActiveSourceIds(job.jobId, 'User'),
            escrowed: db.escrows.listSourceIds(job.jobId, 'User'),
          },
          job.syncAll,
        );
      }
      return selectIncrementalUsers({
        changes: db.directory.listChangedObjects(window.after, window.upTo),
        reassignedGroups: db.directory.listChangedObjectIdsByChangeType(
          window.after,
          window.upTo,
          'group',
          GROUP_ENTITLEMENT_CHANGES,
        ),
        membersOf: (groupId) => db.directory.listMemberIds(groupId),
        dueEscrows: db.escrows.listDueSourceIds(job.jobId, window.now.toISOString(), 'User'),
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

function loadUsers(
  db: ProvisioDb,
  job: { jobId: string; servicePrincipalId: string },
  ids: readonly string[],
): SyncItem<DirectoryUserRecord>[] {
  const users = new Map(db.directory.listUsersByIds(ids).map((u) => [u.id, u]));
  const connectors = db.connector.listObjectsBySourceIds(job.jobId, ids);
  const escrows = db.escrows.listEscrowsBySourceIds(job.jobId, ids);
  const entitlements = db.applications.listEntitlementsOf(job.servicePrincipalId, ids);
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
