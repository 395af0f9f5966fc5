import {
  provisioningEventRow,
  timeOrderedId,
  type EscrowRecord,
  type ExportedName,
  type LastEventOfCycle,
  type ProvisioDb,
} from '@provisio/db';
import {
  buildProvisioningEvent,
  emptyTally,
  type AttributeDiff,
  type FailureDecision,
  type ReferenceResolution,
  type RelationKind,
  relationEscrowId,
  type ScopeResult,
  type SkipReason,
  type SourceView,
  withReferenceSteps,
} from '@provisio/engine';
import type { ScimExchange } from '@provisio/scim-client';
import type { ObjectTypeHandler, SyncItem } from './object-handler';
import { dbWrite, type DbWrite } from './durable-writer';
import { escrowStep, escrowWrites, type CycleContext, type ObjectResult } from './sync-object';

/**
 * What the cycle wrote for an object before its relations phase, which decides how that phase's
 * event is written and counted:
 * - a skip that found it already matching (`RedundantExport`), or a reference found waiting by an
 *   earlier run of a resumed references phase (`ReferencePending`): the relation's event takes that
 *   row's place (same id), so that the log does not say "already match" beside the update that
 *   follows, and the object is counted as the new event says;
 * - a creation or an update by its own phase: the relation's event comes after it (both were sent),
 *   and the object is counted once, as its own phase counted it; a reference that only waits is told
 *   in that event (a step added to it), not in a second one.
 */
const REPLACED_SKIPS: readonly SkipReason[] = ['RedundantExport', 'ReferencePending'];

/** The event of the cycle that a relation's event takes the place of, if any (see `REPLACED_SKIPS`). */
function replacedByRelation(earlier: LastEventOfCycle | null): LastEventOfCycle | null {
  const reason = earlier?.status === 'skipped' ? earlier.skipReason : null;
  return reason !== null && (REPLACED_SKIPS as readonly string[]).includes(reason) ? earlier : null;
}

/** Whether the object's own phase counted it as created or updated in this cycle. */
const exportedEarlier = (earlier: LastEventOfCycle | null): earlier is LastEventOfCycle =>
  earlier !== null &&
  (earlier.action === 'create' || earlier.action === 'update') &&
  (earlier.status === 'success' || earlier.status === 'warning');

/**
 * Whether the object's own phase failed in this cycle. Its relations then wait for the object's
 * retry (or its next change), which visits them again: one failure for the object, not a second
 * one for its members or manager sent to an account the cycle could not reach.
 */
export const failedEarlier = (earlier: LastEventOfCycle | null) => earlier?.status === 'failure';

/** One object whose relations a phase compares with what the target holds, with their escrow. */
export interface RelationItem<Source> {
  object: SyncItem<Source>;
  escrow: EscrowRecord | null;
  /** The object's last event of this cycle, if any (see `REPLACED_SKIPS`). */
  earlier: LastEventOfCycle | null;
}

/**
 * Reads the objects of these ids with the escrows of their relations and their last events of the
 * cycle (its id, which a provision on demand's request id stands for).
 */
export async function loadRelationItems<Source>(
  db: ProvisioDb,
  handler: ObjectTypeHandler<Source>,
  job: { jobId: string; servicePrincipalId: string },
  ids: readonly string[],
  kind: RelationKind,
  cycleId: string,
): Promise<RelationItem<Source>[]> {
  const escrows = await db.escrows.listEscrowsBySourceIds(
    job.jobId,
    ids.map((id) => relationEscrowId(id, kind)),
  );
  const earlier = await db.events.listLastEventsOfObjects(job.jobId, cycleId, ids);
  return (await handler.loadItems(db, job, ids)).map((object) => ({
    object,
    escrow: escrows.get(relationEscrowId(object.sourceId, kind)) ?? null,
    earlier: earlier.get(object.sourceId) ?? null,
  }));
}

/** The export of an object's relations (a group's members, a user's manager), as it ended. */
export interface RelationExport<Source> {
  handler: ObjectTypeHandler<Source>;
  item: SyncItem<Source>;
  scoped: { view: SourceView; scope: ScopeResult };
  /** The object's id in the target. */
  targetId: string;
  /** The object's last event of this cycle, if any (see `REPLACED_SKIPS`). */
  earlier: LastEventOfCycle | null;
  /** What was sent (or attempted, when it failed), as the event's modified properties. */
  changes: AttributeDiff[];
  references?: readonly ReferenceResolution[];
  failure: FailureDecision | null;
  exchanges: readonly ScimExchange[];
  /** The escrow of these relations: kept apart from the object's own (`<id>/members`). */
  escrow: { sourceId: string; objectType: 'Membership' | 'Reference'; previous: EscrowRecord | null };
  time: Date;
  /** The writes that record what the target now holds; they go in the same durable write as the event. */
  stateWrites: DbWrite[];
  /**
   * Set when nothing was sent because a reference waits for the object it points at (named here):
   * the event is a ReferencePending skip, and the object is not counted again (its own phase did).
   */
  waitingFor?: string;
}

/**
 * Settles a relations export: one Update event for the object (with its reference steps), or a
 * ReferencePending skip when a reference only waits (or its step, added to the object's creation or
 * update of the cycle), the escrow of a failure (or its removal), and what the target now holds, in
 * one durable write.
 */
export async function settleRelationExport<Source>(
  ctx: CycleContext,
  e: RelationExport<Source>,
): Promise<ObjectResult> {
  const { jobId } = ctx;
  const escrow = escrowStep(
    ctx,
    { sourceId: e.escrow.sourceId, objectType: e.escrow.objectType, escrow: e.escrow.previous },
    e.failure,
    'update',
    e.time,
  );
  const replaces = replacedByRelation(e.earlier);
  const { displayName, reportableIdentifier } = e.handler.identify(e.item);
  // A reference that only waits, of an object created or updated in this cycle: told in that event.
  const folded =
    e.waitingFor !== undefined && exportedEarlier(e.earlier)
      ? await ctx.db.events.findProvisioningEvent(e.earlier.id)
      : null;
  const event = folded
    ? withReferenceSteps(folded, e.references ?? [], e.handler.objectType, reportableIdentifier)
    : buildProvisioningEvent({
        id: replaces?.id ?? timeOrderedId(e.time.getTime()),
        changeId: timeOrderedId(e.time.getTime()),
        cycleId: ctx.cycleId,
        jobId,
        activityDateTime: e.time.toISOString(),
        durationInMilliseconds: ctx.now().getTime() - e.time.getTime(),
        servicePrincipal: { id: ctx.servicePrincipal.id, displayName: ctx.servicePrincipal.displayName },
        targetObjectName: e.handler.compiled.targetObjectName,
        source: { id: e.item.sourceId, displayName, reportableIdentifier, view: e.scoped.view },
        objectType: e.handler.objectType,
        scope: e.scoped.scope,
        lookup: 'byLink',
        match: {
          kind: 'one',
          targetId: e.targetId,
          resource: { id: e.targetId, ...e.item.connector?.lastExported },
          via: { kind: 'link' },
        },
        matchingValues: [],
        plan:
          e.waitingFor === undefined
            ? { kind: 'update', targetId: e.targetId, changes: e.changes, values: {} }
            : {
                kind: 'skip',
                reason: 'ReferencePending',
                status: 'skipped',
                targetId: e.targetId,
                note: e.waitingFor,
                connectorState: null,
              },
        outcome:
          e.waitingFor !== undefined
            ? null
            : e.failure
              ? { kind: 'failure', decision: e.failure }
              : { kind: 'success', targetId: e.targetId },
        exportExchanges: e.exchanges,
        escrow: escrow.note,
        ...(e.references ? { references: e.references } : {}),
        ...(e.item.nestedGroups ? { nestedGroups: e.item.nestedGroups } : {}),
        ...(ctx.initiatedBy ? { initiatedBy: ctx.initiatedBy } : {}),
      });
  const committed = ctx.writer.write([
    ...e.stateWrites,
    ...escrowWrites(jobId, e.escrow.sourceId, escrow.write),
    dbWrite('events', replaces || folded ? 'replaceEventRow' : 'insertEventRow', provisioningEventRow(event)),
  ]);
  // Settled before the commit: only the result waits for it (see `keepEvents`).
  const tally = emptyTally();
  tally.exports = e.exchanges.length;
  if (replaces?.skipReason === 'RedundantExport') {
    // Its own phase counted it as already matching: it is counted as what this event says instead.
    tally.redundant = -1;
    if (e.waitingFor === undefined) tally.skipped = -1;
  }
  if (e.waitingFor !== undefined) {
    // Counted by its own phase: a waiting reference adds an event, not an object.
  } else if (e.failure) {
    tally.failed = 1;
    if (e.failure.disposition === 'escrow') tally.escrowed = 1;
  } else if (!exportedEarlier(e.earlier)) {
    tally.updated = 1;
    tally.exported = 1;
  }
  const settled: ObjectResult = {
    kind: 'settled',
    tally,
    wroteEvent: true,
    event: ctx.keepEvents ? event : null,
    replacedEvent: replaces !== null || folded !== null,
    entriesDelta: 0,
  };
  await committed;
  return settled;
}

/**
 * Nothing to export: the object settles without a request or an event, and without its old escrow
 * when one is given (null keeps it).
 */
export async function settleQuietly(ctx: CycleContext, escrow: EscrowRecord | null): Promise<ObjectResult> {
  if (escrow) await ctx.writer.write(escrowWrites(ctx.jobId, escrow.sourceId, 'clear'));
  return { kind: 'settled', tally: emptyTally(), wroteEvent: false, event: null, entriesDelta: 0 };
}

/**
 * How a relation's event names the objects it involves (a group's members, a user's manager): the
 * name each was exported with, else the directory's, else its id. The directory is read only for
 * those without an exported name — not provisioned, or linked before names were kept.
 */
export async function relationNames(
  db: ProvisioDb,
  exported: ReadonlyMap<string, ExportedName>,
  ids: readonly string[],
): Promise<(sourceId: string) => string> {
  const exportedName = (id: string) => {
    const e = exported.get(id);
    const name = e?.userName ?? e?.displayName ?? null;
    return name === '' ? null : name;
  };
  const unnamed = ids.filter((id) => exportedName(id) === null);
  const directory = new Map(
    unnamed.length === 0
      ? []
      : (await db.directory.listUsersByIds(unnamed)).map((u) => [u.id, u.userPrincipalName]),
  );
  return (id) => exportedName(id) ?? directory.get(id) ?? id;
}
