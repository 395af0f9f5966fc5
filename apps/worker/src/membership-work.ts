import type { DirectoryGroupRecord, ProvisioDb } from '@provisio/db';
import {
  planMembershipChanges,
  selectMembershipGroups,
  type AttributeDiff,
  type CycleKind,
  type FailureDecision,
  type MemberRef,
  objectOfRelationEscrow,
  relationEscrowId,
} from '@provisio/engine';
import type { ScimExchange } from '@provisio/scim-client';
import type { ChangeWindow, ObjectTypeHandler, SelectObjects } from './object-handler';
import { dbWrite } from './durable-writer';
import type { PhaseWork } from './run-phase';
import {
  failedEarlier,
  loadRelationItems,
  relationNames,
  settleQuietly,
  settleRelationExport,
  type RelationItem,
} from './relation-export';
import { ObjectFailure, send, targetClient } from './send';
import type { CycleContext, ObjectResult } from './sync-object';
import { Interrupted } from './target-gate';

/**
 * One group whose members the phase compares with what the target holds: its direct members in
 * the directory, the members the job exported to it, and the target ids of the members linked to
 * objects in the target (of every group of the chunk read together).
 */
export interface MembershipItem extends RelationItem<DirectoryGroupRecord> {
  memberIds: readonly string[];
  held: Map<string, string>;
  linked: ReadonlyMap<string, string>;
  /**
   * Members exported to the chunk's groups whose account is gone from the target (deleted by the
   * job, or forgotten): the target took them out of its groups with them, so no removal is sent.
   */
  gone: ReadonlySet<string>;
}

/**
 * Reads groups as the memberships phase compares them: a few statements for the whole chunk of
 * groups (their members, the members exported to them, those members' target ids) rather than
 * three per group, each a round trip on PostgreSQL. Members' names are read later, and only for
 * the members a group adds or removes (see `syncMemberships`).
 */
export async function loadMembershipItems(
  db: ProvisioDb,
  groups: ObjectTypeHandler<DirectoryGroupRecord>,
  job: { jobId: string; servicePrincipalId: string },
  ids: readonly string[],
  /** The cycle (or the provision on demand's request) whose skips the groups' events replace. */
  cycleId: string,
): Promise<MembershipItem[]> {
  const items = await loadRelationItems(db, groups, job, ids, 'members', cycleId);
  const groupIds = items.map((i) => i.object.sourceId);
  const memberIds = await db.directory.listMemberIdsOf(groupIds);
  const held = await db.connector.listMembershipsOf(job.jobId, groupIds);
  const everyone = new Set<string>();
  for (const list of memberIds.values()) for (const id of list) everyone.add(id);
  for (const map of held.values()) for (const id of map.keys()) everyone.add(id);
  const linked = await db.connector.listLinkedTargetIds(job.jobId, [...everyone]);
  const heldElsewhere = new Set<string>();
  for (const map of held.values()) for (const id of map.keys()) if (!linked.has(id)) heldElsewhere.add(id);
  const states = await db.connector.listStates(job.jobId, [...heldElsewhere]);
  const gone = new Set([...heldElsewhere].filter((id) => (states.get(id) ?? 'deleted') === 'deleted'));
  return items.map((item) => ({
    ...item,
    memberIds: memberIds.get(item.object.sourceId) ?? [],
    held: held.get(item.object.sourceId) ?? new Map(),
    linked,
    gone,
  }));
}

/**
 * The work of the memberships phase: for each group the job provisions, the direct members in
 * scope that exist in the target are compared with the members the job exported before, and only
 * the difference is sent, `MembershipBatchSize` members per PATCH. It runs after the users and
 * groups phases, so that a member provisioned in the same cycle is added at once. Nested groups
 * are not expanded: a group's members in the target are its direct user members, and its events
 * name the nested groups it holds in a warning step (see `buildProvisioningEvent`).
 */
export async function membershipWork(
  groups: ObjectTypeHandler<DirectoryGroupRecord>,
  users: ObjectTypeHandler | undefined,
  job: { jobId: string; servicePrincipalId: string; syncAll: boolean },
  kind: CycleKind,
  window: ChangeWindow,
  db: ProvisioDb,
  /** The cycle, whose events say which objects the earlier phases touched. */
  cycleId: string,
  select: SelectObjects,
): Promise<PhaseWork<MembershipItem>> {
  const dueEscrows = (
    await db.escrows.listDueSourceIds(job.jobId, window.now.toISOString(), 'Membership')
  ).map(objectOfRelationEscrow);
  // What the engine asks for a cycle of this kind, read first: an initial cycle's groups are those
  // the job provisions; an incremental cycle's follow the changes and what the earlier phases visited.
  let provisioned: Iterable<string> = [];
  let changed: Iterable<string> = [];
  let visited: readonly string[] = [];
  let groupsOfVisited: Iterable<string> = [];
  if (kind === 'Initial') {
    provisioned = await db.connector.listActiveSourceIds(job.jobId, 'Group');
  } else {
    visited = [
      ...new Set([
        ...(users ? await select(users) : []),
        ...(await select(groups as ObjectTypeHandler)),
        ...(await db.events.listSourceIdsOfCycle(cycleId)),
      ]),
    ];
    changed = await db.directory.listChangedObjectIdsByChangeType(window.after, window.upTo, 'group', [
      'membership',
    ]);
    groupsOfVisited = [
      ...(await db.directory.listGroupIdsOfUsers(visited)),
      ...(await db.connector.listGroupsHoldingMembers(job.jobId, visited)),
    ];
  }
  const ids = selectMembershipGroups(kind, {
    provisionedGroups: () => provisioned,
    changedMemberships: () => changed,
    visited: () => visited,
    groupsOfUsers: () => groupsOfVisited,
    dueEscrows,
  });
  return {
    ids,
    load: (chunk) => loadMembershipItems(db, groups, job, chunk, cycleId),
    process: (ctx, item) => syncMemberships(ctx, groups, item),
    // A group in flight holds its members and a PATCH of up to MembershipBatchSize of them.
    lanesPerRequest: 4,
    // A read of 100 groups of 100 members (10,000 connector records) held the cycle's thread for
    // tens of milliseconds on SQLite; 10 groups still take a few statements where they took 30.
    chunk: 10,
  };
}

/**
 * The members of one group in the target made to match the directory, and its event written.
 * `only` narrows it to some members (provision on demand of a group and up to five of them): the
 * others are neither added nor removed.
 */
export async function syncMemberships(
  ctx: CycleContext,
  groups: ObjectTypeHandler<DirectoryGroupRecord>,
  item: MembershipItem,
  only?: ReadonlySet<string>,
): Promise<ObjectResult> {
  const { jobId } = ctx;
  const { object: group } = item;
  const targetId = group.connector?.state === 'linked' ? group.connector.targetId : null;
  const scoped =
    group.source === null
      ? null
      : groups.viewOf(group.source, group.entitlement, {
          syncAll: ctx.options.syncAll,
          appRoles: ctx.servicePrincipal.appRoles,
        });
  // A group that is not in the target, or is leaving scope, has no members to keep.
  if (targetId === null || scoped === null || !scoped.scope.inScope) return settleQuietly(ctx, item.escrow);
  // Its own phase failed: its members wait for its retry, their escrow kept.
  if (failedEarlier(item.earlier)) return settleQuietly(ctx, null);

  const memberIds = only ? item.memberIds.filter((id) => only.has(id)) : item.memberIds;
  // Members whose account is gone from the target are forgotten, not removed (see `gone`).
  const held = new Map<string, string>();
  const forgotten: { sourceId: string }[] = [];
  for (const [id, memberTargetId] of item.held) {
    if (only && !only.has(id)) continue;
    if (item.gone.has(id)) forgotten.push({ sourceId: id });
    else held.set(id, memberTargetId);
  }
  const desired = new Map<string, string>();
  for (const id of memberIds) {
    // Members in the target: provisioned and active (a disabled account leaves its groups).
    const targetId = item.linked.get(id);
    if (targetId !== undefined) desired.set(id, targetId);
  }
  /** What the target now holds of the group: the members sent, and those forgotten. */
  const recordChanges = (add: MemberRef[], remove: MemberRef[]) =>
    dbWrite('connector', 'saveMembershipChanges', jobId, group.sourceId, {
      add,
      remove: [...remove, ...forgotten],
    });
  const plan = planMembershipChanges({ desired, held, batchSize: ctx.options.membershipBatchSize });
  if (plan.add.length === 0 && plan.remove.length === 0) {
    if (forgotten.length > 0) await ctx.writer.write([recordChanges([], [])]);
    return settleQuietly(ctx, item.escrow);
  }

  const time = ctx.now();
  const exchanges: ScimExchange[] = [];
  const client = targetClient(ctx, (x) => exchanges.push(x));
  const removed: MemberRef[] = [];
  const added: MemberRef[] = [];
  let failure: FailureDecision | null = null;
  try {
    for (const batch of plan.remove) {
      await send(ctx, 'update', () =>
        client.removeMembers(
          targetId,
          batch.map((m) => m.targetId),
        ),
      );
      removed.push(...batch);
    }
    for (const batch of plan.add) {
      await send(ctx, 'update', () =>
        client.addMembers(
          targetId,
          batch.map((m) => m.targetId),
        ),
      );
      added.push(...batch);
    }
  } catch (error) {
    if (error instanceof Interrupted) {
      // What was sent is recorded; the rest is sent when the phase resumes.
      await ctx.writer.write([recordChanges(added, removed)]);
      return { kind: 'interrupted', entriesDelta: 0 };
    }
    if (!(error instanceof ObjectFailure)) throw error;
    failure = error.decision;
  }

  // What was sent, or attempted when it failed.
  const shown = failure
    ? { add: plan.add.flat(), remove: plan.remove.flat() }
    : { add: added, remove: removed };
  // How a member is named in the group's event (`relationNames`). Read for these members alone:
  // PostgreSQL takes each name out of the record's JSON text, which for every member of every group
  // an incremental cycle visits was most of its statements' time.
  const shownIds = [...shown.add, ...shown.remove].map((m) => m.sourceId);
  const nameOf = await relationNames(
    ctx.db,
    await ctx.db.connector.listExportedNames(jobId, shownIds),
    shownIds,
  );
  const names = (refs: MemberRef[]) => refs.map((m) => nameOf(m.sourceId)).sort();
  const changes: AttributeDiff[] = [];
  if (shown.add.length > 0)
    changes.push({ path: 'members (added)', oldValue: null, newValue: names(shown.add) });
  if (shown.remove.length > 0)
    changes.push({ path: 'members (removed)', oldValue: names(shown.remove), newValue: null });
  return settleRelationExport(ctx, {
    handler: groups,
    item: group,
    scoped,
    targetId,
    earlier: item.earlier,
    changes,
    failure,
    exchanges,
    escrow: {
      sourceId: relationEscrowId(group.sourceId, 'members'),
      objectType: 'Membership',
      previous: item.escrow,
    },
    time,
    stateWrites: [recordChanges(added, removed)],
  });
}
