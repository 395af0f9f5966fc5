import { randomUUID } from 'node:crypto';
import type { ConnectorObject, DirectoryGroupRecord, EscrowRecord, ProvisioDb } from '@provisio/db';
import {
  buildProvisioningEvent,
  emptyTally,
  planMembershipChanges,
  selectMembershipGroups,
  type AttributeDiff,
  type CycleKind,
  type ExportOutcome,
  type FailureDecision,
  type MemberRef,
  type ObjectActionPlan,
} from '@provisio/engine';
import { ScimClient, type ScimExchange } from '@provisio/scim-client';
import type { ChangeWindow, ObjectTypeHandler, SyncItem } from './object-handler';
import type { PhaseWork } from './run-phase';
import { ObjectFailure, send } from './send';
import { escrowStep, type CycleContext, type ObjectResult } from './sync-object';
import { Interrupted } from './target-gate';
import { timeOrderedId } from './time-ordered-id';

/** Escrows of a group's memberships are kept apart from the group's own: `<group id>/members`. */
const MEMBERSHIP_ESCROW = '/members';
const membershipEscrowId = (groupId: string) => `${groupId}${MEMBERSHIP_ESCROW}`;
const groupOfEscrow = (sourceId: string) => sourceId.slice(0, -MEMBERSHIP_ESCROW.length);

/** One group whose members the phase compares with what the target holds. */
export interface MembershipItem {
  group: SyncItem<DirectoryGroupRecord>;
  escrow: EscrowRecord | null;
}

/**
 * The work of the memberships phase: for each group the job provisions, the direct members in
 * scope that exist in the target are compared with the members the job exported before, and only
 * the difference is sent, `MembershipBatchSize` members per PATCH. It runs after the users and
 * groups phases, so that a member provisioned in the same cycle is added at once. Nested groups
 * are not expanded (the directory holds users as members only).
 */
export function membershipWork(
  groups: ObjectTypeHandler<DirectoryGroupRecord>,
  users: ObjectTypeHandler | undefined,
  job: { jobId: string; servicePrincipalId: string; syncAll: boolean },
  kind: CycleKind,
  window: ChangeWindow,
  db: ProvisioDb,
): PhaseWork<MembershipItem> {
  const ids = selectMembershipGroups(kind, {
    provisionedGroups: () => db.connector.listActiveSourceIds(job.jobId, 'Group'),
    changedMemberships: () =>
      db.directory.listChangedObjectIdsByChangeType(window.after, window.upTo, 'group', ['membership']),
    groupsOfVisitedUsers: () =>
      db.directory.listGroupIdsOfUsers(users ? users.selectObjects(db, job, kind, window) : []),
    visitedGroups: () => groups.selectObjects(db, job, kind, window),
    dueEscrows: db.escrows
      .listDueSourceIds(job.jobId, window.now.toISOString(), 'Membership')
      .map(groupOfEscrow),
  });
  return {
    ids,
    load: (chunk) => loadMembershipItems(db, groups, job, chunk),
    process: (ctx, item) => syncMemberships(ctx, groups, item),
  };
}

/** Reads the groups of these ids with their membership escrows. */
export function loadMembershipItems(
  db: ProvisioDb,
  groups: ObjectTypeHandler<DirectoryGroupRecord>,
  job: { jobId: string; servicePrincipalId: string },
  ids: readonly string[],
): MembershipItem[] {
  const items = groups.loadItems(db, job, ids);
  const escrows = db.escrows.listEscrowsBySourceIds(job.jobId, ids.map(membershipEscrowId));
  return items.map((group) => ({ group, escrow: escrows.get(membershipEscrowId(group.sourceId)) ?? null }));
}

const settledQuietly = (): ObjectResult => ({
  kind: 'settled',
  tally: emptyTally(),
  wroteEvent: false,
  event: null,
  entriesDelta: 0,
});

/** How a member is named in the group's event: the name it was exported with, else its id. */
function memberName(connector: ConnectorObject | undefined, sourceId: string): string {
  const name = connector?.lastExported.userName ?? connector?.lastExported.displayName;
  return typeof name === 'string' && name !== '' ? name : sourceId;
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
  const { db, jobId } = ctx;
  const { group } = item;
  const targetId = group.connector?.state === 'linked' ? group.connector.targetId : null;
  const scoped =
    group.source === null
      ? null
      : groups.viewOf(group.source, group.entitlement, {
          syncAll: ctx.options.syncAll,
          appRoles: ctx.servicePrincipal.appRoles,
        });
  // A group that is not in the target, or is leaving scope, has no members to keep.
  const clearEscrow = async () => {
    const escrow = item.escrow;
    if (escrow) await ctx.writer.write(() => db.escrows.deleteEscrow(jobId, escrow.sourceId));
  };
  if (targetId === null || scoped === null || !scoped.scope.inScope) {
    await clearEscrow();
    return settledQuietly();
  }

  const memberIds = db.directory.listMemberIds(group.sourceId).filter((id) => !only || only.has(id));
  const held = db.connector.listMemberships(jobId, group.sourceId);
  if (only) for (const id of [...held.keys()]) if (!only.has(id)) held.delete(id);
  const connectors = db.connector.listObjectsBySourceIds(jobId, [...new Set([...memberIds, ...held.keys()])]);
  const desired = new Map<string, string>();
  for (const id of memberIds) {
    const c = connectors.get(id);
    // Members in the target: provisioned and active (a disabled account leaves its groups).
    if (c?.state === 'linked' && c.targetId !== null) desired.set(id, c.targetId);
  }
  const plan = planMembershipChanges({ desired, held, batchSize: ctx.options.membershipBatchSize });
  if (plan.add.length === 0 && plan.remove.length === 0) {
    await clearEscrow();
    return settledQuietly();
  }

  const time = ctx.now();
  const exchanges: ScimExchange[] = [];
  const client = new ScimClient({
    tenantUrl: ctx.options.tenantUrl,
    secretToken: ctx.options.secretToken,
    onExchange: (x) => exchanges.push(x),
    transport: ctx.transport,
  });
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
      await ctx.writer.write(() =>
        db.connector.saveMembershipChanges(jobId, group.sourceId, { add: added, remove: removed }),
      );
      return { kind: 'interrupted', entriesDelta: 0 };
    }
    if (!(error instanceof ObjectFailure)) throw error;
    failure = error.decision;
  }

  const names = (refs: MemberRef[]) =>
    refs.map((m) => memberName(connectors.get(m.sourceId), m.sourceId)).sort();
  // What was sent, or attempted when it failed.
  const shown = failure
    ? { add: plan.add.flat(), remove: plan.remove.flat() }
    : { add: added, remove: removed };
  const changes: AttributeDiff[] = [];
  if (shown.add.length > 0)
    changes.push({ path: 'members (added)', oldValue: null, newValue: names(shown.add) });
  if (shown.remove.length > 0)
    changes.push({ path: 'members (removed)', oldValue: names(shown.remove), newValue: null });
  const update: ObjectActionPlan = { kind: 'update', targetId, changes, values: {} };
  const outcome: ExportOutcome = failure
    ? { kind: 'failure', decision: failure }
    : { kind: 'success', targetId };
  const escrow = escrowStep(
    ctx,
    { sourceId: membershipEscrowId(group.sourceId), objectType: 'Membership', escrow: item.escrow },
    failure,
    'update',
    time,
  );
  const { displayName, reportableIdentifier } = groups.identify(group);
  const event = buildProvisioningEvent({
    id: timeOrderedId(time.getTime()),
    changeId: randomUUID(),
    cycleId: ctx.cycleId,
    jobId,
    activityDateTime: time.toISOString(),
    durationInMilliseconds: ctx.now().getTime() - time.getTime(),
    servicePrincipal: { id: ctx.servicePrincipal.id, displayName: ctx.servicePrincipal.displayName },
    targetObjectName: groups.compiled.targetObjectName,
    source: { id: group.sourceId, displayName, reportableIdentifier, view: scoped.view },
    objectType: 'Group',
    scope: scoped.scope,
    lookup: 'byLink',
    match: {
      kind: 'one',
      targetId,
      resource: { id: targetId, ...group.connector?.lastExported },
      via: { kind: 'link' },
    },
    matchingValues: [],
    plan: update,
    outcome,
    exportExchanges: exchanges,
    escrow: escrow.note,
    ...(ctx.initiatedBy ? { initiatedBy: ctx.initiatedBy } : {}),
  });
  // What the target now holds, the escrow and the event commit together.
  await ctx.writer.write(() => {
    db.connector.saveMembershipChanges(jobId, group.sourceId, { add: added, remove: removed });
    if (escrow.write === 'clear') db.escrows.deleteEscrow(jobId, membershipEscrowId(group.sourceId));
    else if (escrow.write) db.escrows.saveEscrow(escrow.write);
    db.events.insertProvisioningEvent(event);
  });

  const tally = emptyTally();
  tally.exports = exchanges.length;
  if (failure) {
    tally.failed = 1;
    if (failure.disposition === 'escrow') tally.escrowed = 1;
  } else {
    tally.updated = 1;
    tally.exported = 1;
  }
  return { kind: 'settled', tally, wroteEvent: true, event, entriesDelta: 0 };
}
