import type { DirectoryGroupRecord as Group, ProvisioDb } from '@provisio/db';
import {
  buildScopedGroupView,
  GROUP_OBJECT_CHANGES,
  selectIncrementalGroups,
  type CompiledObjectMapping,
} from '@provisio/engine';
import type { ScimClient } from '@provisio/scim-client';
import {
  selectInitialOf,
  type ObjectTypeHandler,
  type SyncItem,
  type TargetOperations,
} from './object-handler';
import { dbWrite } from './durable-writer';

/**
 * Groups: directory groups to the target's `/Groups`. A group is created without members and
 * matched by `displayName` (or the mapping's matching attributes); its members are exported in the
 * memberships phase. A group that leaves scope is deleted in the target (when the Delete action is
 * on), since a group has no disabled state.
 */
export function groupHandler(compiled: CompiledObjectMapping): ObjectTypeHandler<Group> {
  return {
    objectType: 'Group',
    units: 'Groups',
    compiled,
    outOfScope: 'delete',
    async selectObjects(db, job, kind, window) {
      if (kind === 'Initial')
        return selectInitialOf(
          db,
          job,
          'Group',
          job.syncAll
            ? await db.directory.listGroupIds()
            : await db.applications.listAssignedGroupIds(job.servicePrincipalId),
        );
      return selectIncrementalGroups({
        changedGroups: await db.directory.listChangedObjectIdsByChangeType(
          window.after,
          window.upTo,
          'group',
          GROUP_OBJECT_CHANGES,
        ),
        dueEscrows: await db.escrows.listDueSourceIds(job.jobId, window.now.toISOString(), 'Group'),
      });
    },
    loadItems: loadGroups,
    viewOf(group, entitlement, scope) {
      return buildScopedGroupView({
        group,
        entitlement,
        appRoles: scope.appRoles,
        syncAll: scope.syncAll,
        scope: compiled.scope,
      });
    },
    identify(item) {
      const lastExported = item.connector?.lastExported ?? {};
      const name =
        item.source?.displayName ??
        (typeof lastExported.displayName === 'string' ? lastExported.displayName : item.sourceId);
      // A group without a name is still named in its event, by its id.
      const reportableIdentifier = name === '' ? item.sourceId : name;
      return { displayName: reportableIdentifier, reportableIdentifier };
    },
    target: groupOperations,
    onTargetChanged: (jobId, sourceId) => [dbWrite('connector', 'clearMemberships', jobId, sourceId)],
  };
}

async function loadGroups(
  db: ProvisioDb,
  job: { jobId: string; servicePrincipalId: string },
  ids: readonly string[],
): Promise<SyncItem<Group>[]> {
  const groups = new Map((await db.directory.listGroupsByIds(ids)).map((g) => [g.id, g]));
  const connectors = await db.connector.listObjectsBySourceIds(job.jobId, ids);
  const escrows = await db.escrows.listEscrowsBySourceIds(job.jobId, ids);
  const assignments = await db.applications.listGroupAssignmentsOf(job.servicePrincipalId, ids);
  const nested = await db.directoryExtensions.listMemberGroupsOf(ids);
  return ids.map((sourceId) => ({
    sourceId,
    source: groups.get(sourceId) ?? null,
    entitlement: assignments.get(sourceId) ?? null,
    connector: connectors.get(sourceId) ?? null,
    escrow: escrows.get(sourceId) ?? null,
    nestedGroups: nested.get(sourceId) ?? [],
  }));
}

function groupOperations(client: ScimClient): TargetOperations {
  return {
    find: (attribute, value) => client.findGroupsBy(attribute, value),
    get: (id) => client.getGroup(id),
    list: (startIndex, count, attributes) => client.listGroups(startIndex, count, { attributes }),
    create: (body) => client.createGroup(body),
    update: (id, changes) => client.updateGroup(id, changes),
    disable: () =>
      Promise.reject(new Error('A group has no disabled state: it is deleted when it leaves scope.')),
    delete: (id) => client.deleteGroup(id),
  };
}
