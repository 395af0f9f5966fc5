import {
  provisioningEventRow,
  timeOrderedId,
  type ConnectorObject,
  type EscrowRecord,
  type ProvisioDb,
} from '@provisio/db';
import {
  applyMappings,
  applyMappingsForBoth,
  buildProvisioningEvent,
  decideTargetLookup,
  emptyTally,
  evaluateMatchingValues,
  mappingsNeedingTargetLookup,
  planEscrow,
  planObjectAction,
  plainValues,
  previewObject,
  readSourceAttribute,
  matchInPrecedence,
  roleChange,
  tallyObject,
  toScimResource,
  toScimValue,
  unlessHeldByAnother,
  type AppliedMappings,
  type AppRoleRef,
  type CompiledObjectMapping,
  type ConnectorLink,
  type CycleTally,
  type CyclePreviewObject,
  type ExportOutcome,
  type FailureDecision,
  type MappingOutcome,
  type MatchingValue,
  type MatchOutcome,
  type ProvisioningEventInput,
  type ProvisioningObjectSummary,
  type ScopeResult,
  type SourceView,
  type TargetIndex,
  type TargetLookup,
  type ObjectActionPlan,
} from '@provisio/engine';
import { evaluateExpressionAsync } from '@provisio/expressions';
import { type ScimExchange } from '@provisio/scim-client';
import { dbWrite, type DbWrite, type DurableWriter } from './durable-writer';
import type { ObjectTypeHandler, SyncItem, TargetOperations } from './object-handler';
import { ObjectFailure, send, targetClient, type SendContext } from './send';
import { Interrupted } from './target-gate';
import type { TargetLinks } from './target-links';

/** What every object of one cycle (or one provision-on-demand request) shares. */
export interface CycleContext extends SendContext {
  db: ProvisioDb;
  jobId: string;
  cycleId: string;
  servicePrincipal: { id: string; displayName: string; appRoles: readonly AppRoleRef[] };
  writer: DurableWriter;
  /** The target's objects by matching attribute, when this phase of an initial cycle listed them. */
  targetIndex: TargetIndex | null;
  /** Which source object holds each target object: a match another one holds is not linked. */
  links: TargetLinks;
  /** The clock and the randomness that expressions and events use. */
  now: () => Date;
  random: () => number;
  /** Who the events name as their initiator (provision on demand); the provisioning service if absent. */
  initiatedBy?: ProvisioningEventInput['initiatedBy'];
  /** Removals are held (StagedDelete): the cycle is over the accidental deletion threshold. */
  holdRemovals?: boolean;
  /**
   * Each object's result keeps its provisioning event (provision on demand answers with them). A
   * cycle's results do not: an object waiting for its group commit then holds its counts alone, not
   * its event, source view and exchanges, which would outlive young-generation collections.
   */
  keepEvents?: boolean;
}

/**
 * What became of one object: settled (its counts), or left for the resumed cycle. `entriesDelta` is
 * how the number of entries the connector data store keeps (any state but deleted) changed.
 */
export type ObjectResult =
  | {
      kind: 'settled';
      tally: CycleTally;
      wroteEvent: boolean;
      /** The provisioning event written, with `keepEvents` (provision on demand answers with it); else null. */
      event: ProvisioningObjectSummary | null;
      /** The event took the place of one the cycle wrote before for the object (same id). */
      replacedEvent?: boolean;
      entriesDelta: number;
    }
  | { kind: 'interrupted'; entriesDelta: number };

/** An entry counts in `synchronizedEntryCountByType` unless it is gone. */
const isEntry = (state: ConnectorObject['state'] | null | undefined) =>
  state !== null && state !== undefined && state !== 'deleted' ? 1 : 0;

function toLink(connector: ConnectorObject | null): ConnectorLink | null {
  return connector ? { state: connector.state, targetId: connector.targetId } : null;
}

/** GET by id; null when the account is gone (404). */
async function getById(ctx: CycleContext, target: TargetOperations, targetId: string) {
  try {
    return await send(ctx, 'lookup', () => target.get(targetId));
  } catch (error) {
    if (!(error instanceof ObjectFailure) || error.decision.disposition !== 'rematch') throw error;
    return null;
  }
}

/**
 * Finds the target account: by the kept link (GET by id; a 404 re-matches), else by the matching
 * attributes in precedence order — from the cycle's listing of the target when there is one and
 * it can answer, otherwise with the target's filter.
 */
async function lookupTarget(
  ctx: CycleContext,
  target: TargetOperations,
  lookup: TargetLookup,
  link: ConnectorLink | null,
  matchingValues: readonly MatchingValue[],
  useIndex: boolean,
): Promise<{ match: MatchOutcome; fromIndex: boolean }> {
  if (lookup === 'none') return { match: { kind: 'notLooked' }, fromIndex: false };
  if (lookup === 'byLink' && link?.targetId) {
    const resource = await getById(ctx, target, link.targetId);
    if (resource)
      return {
        match: { kind: 'one', targetId: resource.id, resource, via: { kind: 'link' } },
        fromIndex: false,
      };
    // The linked account was deleted in the target: match the user again, with the target's filter.
  } else if (useIndex && ctx.targetIndex) {
    const found = ctx.targetIndex.match(matchingValues);
    if (found.kind === 'none') return { match: { kind: 'none', tried: found.tried }, fromIndex: true };
    if (found.kind === 'many') {
      return {
        match: { kind: 'many', attribute: found.attribute, value: found.value, targetIds: found.targetIds },
        fromIndex: true,
      };
    }
    if (found.kind === 'one') {
      const resource = await getById(ctx, target, found.targetId);
      if (resource) {
        return {
          match: {
            kind: 'one',
            targetId: resource.id,
            resource,
            via: { kind: 'attribute', attribute: found.attribute, value: found.value },
          },
          fromIndex: true,
        };
      }
    }
  }
  const find = (attribute: string, value: string) => send(ctx, 'lookup', () => target.find(attribute, value));
  return { match: await matchInPrecedence(matchingValues, find), fromIndex: false };
}

/**
 * Picks the value of each SelectUniqueValue mapping by asking the target, candidate after
 * candidate, whether an account already holds it (the target's filter on that attribute).
 * Lookups go through `send`, so their failures are handled like any other lookup's.
 */
async function resolveUniqueValues(
  ctx: CycleContext,
  compiled: CompiledObjectMapping,
  target: TargetOperations,
  view: SourceView,
  evaluation: { now: Date; random: () => number },
): Promise<Map<string, MappingOutcome>> {
  const resolved = new Map<string, MappingOutcome>();
  for (const m of mappingsNeedingTargetLookup(compiled)) {
    const outcome = await evaluateExpressionAsync(m.expression, {
      getAttribute: (name) => readSourceAttribute(view, name),
      now: evaluation.now,
      random: evaluation.random,
      isValueUnique: async (value) =>
        (await send(ctx, 'lookup', () => target.find(m.targetAttributeName, value))).length === 0,
    });
    resolved.set(m.targetAttributeName, outcome);
  }
  return resolved;
}

/** The connector record to write once the object is done: a new state, its removal, or nothing. */
type ConnectorWrite = Omit<ConnectorObject, 'updatedAt'> | 'remove' | null;

/**
 * Synchronizes one object of the handler's type: import (the item), scope, match, plan, export,
 * then one durable write with its connector record, escrow and provisioning event. Failures of
 * the target are recorded on the object; anything else is a defect and propagates.
 */
export async function syncObject<Source>(
  ctx: CycleContext,
  handler: ObjectTypeHandler<Source>,
  item: SyncItem<Source>,
): Promise<ObjectResult> {
  const run = startObject(ctx, handler, item);
  try {
    return await syncObjectOnce(run);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    const after = run.pendingWritten ? 'pendingCreate' : item.connector?.state;
    return { kind: 'interrupted', entriesDelta: isEntry(after) - isEntry(item.connector?.state) };
  }
}

/** One object's pass through the pipeline: what it works with, and what it wrote before its final write. */
interface ObjectRun<Source = unknown> {
  ctx: CycleContext;
  handler: ObjectTypeHandler<Source>;
  compiled: CompiledObjectMapping;
  item: SyncItem<Source>;
  target: TargetOperations;
  /** The requests sent for the object, for its event's export step. */
  exchanges: ScimExchange[];
  /** The object's time: expressions' Now() and the event's activity time. */
  time: Date;
  evaluation: { now: Date; random: () => number };
  pendingWritten: boolean;
  /** SelectUniqueValue candidates were checked against the target (once per object). */
  uniqueValuesResolved: boolean;
}

function startObject<Source>(
  ctx: CycleContext,
  handler: ObjectTypeHandler<Source>,
  item: SyncItem<Source>,
): ObjectRun<Source> {
  const exchanges: ScimExchange[] = [];
  const client = targetClient(ctx, (x) => exchanges.push(x));
  const time = ctx.now();
  return {
    ctx,
    handler,
    compiled: handler.compiled,
    item,
    target: handler.target(client),
    exchanges,
    time,
    evaluation: { now: time, random: ctx.random },
    pendingWritten: false,
    uniqueValuesResolved: false,
  };
}

/** The source object as the job sees it: its view, scope, matching values and mapped values. */
interface Evaluated {
  view: SourceView | null;
  scope: ScopeResult | null;
  matchingValues: MatchingValue[];
  forCreate: AppliedMappings | null;
  forUpdate: AppliedMappings | null;
}

function evaluateSource<Source>(run: ObjectRun<Source>): Evaluated {
  const { ctx, handler, compiled, item, evaluation } = run;
  if (item.source === null) {
    return { view: null, scope: null, matchingValues: [], forCreate: null, forUpdate: null };
  }
  const { view, scope } = handler.viewOf(item.source, item.entitlement, {
    syncAll: ctx.options.syncAll,
    appRoles: ctx.servicePrincipal.appRoles,
  });
  return {
    view,
    scope,
    matchingValues: evaluateMatchingValues(compiled, view, evaluation),
    // Until the target is asked, SelectUniqueValue yields its first candidate; that value is only
    // sent on creation, and is replaced once a creation is decided.
    ...applyMappingsForBoth(compiled, view, evaluation),
  };
}

/** The mapping errors of both evaluations, one per target attribute. */
function mappingErrorsOf(e: Evaluated) {
  return [...(e.forCreate?.errors ?? []), ...(e.forUpdate?.errors ?? [])].filter(
    (x, i, all) => all.findIndex((y) => y.targetAttributeName === x.targetAttributeName) === i,
  );
}

/** What matching and planning came to. */
interface Planned {
  lookup: TargetLookup;
  match: MatchOutcome;
  /** Whether the match came from the cycle's listing of the target. */
  fromIndex: boolean;
  lookupFailure: FailureDecision | null;
  plan: ObjectActionPlan;
}

/** What matching, planning and exporting came to. */
interface Exported extends Omit<Planned, 'fromIndex'> {
  outcome: ExportOutcome | null;
  connectorWrite: ConnectorWrite;
  /** Where the export's requests start in the object's exchanges. */
  exportStart: number;
}

/**
 * Finds the object's target object and plans what to do, sending only reads: the lookup, and the
 * target's filter for SelectUniqueValue candidates when the plan is a creation. A cycle then
 * exports the plan; a preview shows it.
 */
async function lookupAndPlan<Source>(
  run: ObjectRun<Source>,
  evaluated: Evaluated,
  connector: ConnectorObject | null,
  useIndex: boolean,
): Promise<Planned> {
  const { ctx, compiled, target } = run;
  const { scope, view, matchingValues } = evaluated;
  const link = toLink(connector);
  const lookup = decideTargetLookup({ scope, connector: link, matchingValues });
  let found: { match: MatchOutcome; fromIndex: boolean };
  try {
    found = await lookupTarget(ctx, target, lookup, link, matchingValues, useIndex);
    // A target object another source object holds is not linked: the object neither takes it
    // over nor, later, deletes it.
    const match = await unlessHeldByAnother(found.match, run.item.sourceId, (targetId) =>
      ctx.links.holderOf(run.handler.objectType, targetId),
    );
    found = { ...found, match };
  } catch (error) {
    if (!(error instanceof ObjectFailure)) throw error;
    return {
      lookup,
      match: { kind: 'notLooked' },
      fromIndex: false,
      lookupFailure: error.decision,
      plan: { kind: 'none' },
    };
  }
  const planNow = (): ObjectActionPlan =>
    planObjectAction({
      scope,
      connector: link,
      match: found.match,
      matchingValues,
      desiredForCreate: evaluated.forCreate?.values ?? {},
      desiredForUpdate: evaluated.forUpdate?.values ?? {},
      mappingErrors: mappingErrorsOf(evaluated),
      ignoreObject: evaluated.forCreate?.ignoreObject === true || evaluated.forUpdate?.ignoreObject === true,
      caseExactByPath: compiled.caseExactByPath,
      appRoleFlows: compiled.appRoleFlows,
      requiredTargets: compiled.requiredTargets,
      flowTypes: compiled.flowTypes,
      skipOutOfScopeDeletions: ctx.options.skipOutOfScopeDeletions,
      outOfScope: run.handler.outOfScope,
      holdRemovals: ctx.holdRemovals === true,
    });
  const planned: Planned = { lookup, ...found, lookupFailure: null, plan: planNow() };
  // The target is asked for unique values only when an object is about to be created.
  if (
    planned.plan.kind === 'create' &&
    planned.plan.foundTargetId === undefined &&
    view &&
    mappingsNeedingTargetLookup(compiled).length > 0 &&
    !run.uniqueValuesResolved
  ) {
    let resolved: Map<string, MappingOutcome>;
    try {
      resolved = await resolveUniqueValues(ctx, compiled, target, view, run.evaluation);
    } catch (error) {
      if (!(error instanceof ObjectFailure)) throw error;
      return { ...planned, lookupFailure: error.decision, plan: { kind: 'none' } };
    }
    run.uniqueValuesResolved = true;
    evaluated.forCreate = applyMappings(compiled, view, { ...run.evaluation, isCreate: true, resolved });
    // All candidates taken (`expression.no_unique_value`) is a mapping failure: the plan becomes
    // a failed AttributeMappingFailed skip naming the attribute.
    planned.plan = planNow();
  }
  return planned;
}

/**
 * Matches, plans and exports; a second pass when the linked object vanished between lookup and
 * export, or when a creation decided from the listing collides with one created since (409):
 * then it matches with the target's filter.
 */
async function matchPlanExport<Source>(run: ObjectRun<Source>, evaluated: Evaluated): Promise<Exported> {
  const { item } = run;
  let connector = item.connector;
  const result: Exported = {
    lookup: 'none',
    match: { kind: 'notLooked' },
    lookupFailure: null,
    plan: { kind: 'none' },
    outcome: null,
    connectorWrite: null,
    exportStart: 0,
  };
  // A pending creation left by an interrupted run is matched by the target itself: its POST may
  // have landed after this cycle listed the target.
  let useIndex = connector?.state !== 'pendingCreate';

  for (let pass = 1; pass <= 2; pass += 1) {
    const { fromIndex, ...planned } = await lookupAndPlan(run, evaluated, connector, useIndex);
    Object.assign(result, planned);
    if (planned.lookupFailure) break;
    result.exportStart = run.exchanges.length;
    try {
      const exported = await exportPlan(run, connector, evaluated.scope, result.plan, result.match);
      result.outcome = exported.outcome;
      result.connectorWrite = exported.connector;
      break;
    } catch (error) {
      if (!(error instanceof ObjectFailure)) throw error;
      const disposition = error.decision.disposition;
      if (pass === 1 && disposition === 'rematch' && connector) {
        connector = { ...connector, state: 'deleted', targetId: null };
        result.connectorWrite = { ...connector };
        continue;
      }
      if (
        pass === 1 &&
        fromIndex &&
        result.plan.kind === 'create' &&
        error.decision.errorCode === 'EntryConflict'
      ) {
        useIndex = false;
        continue;
      }
      result.outcome = { kind: 'failure', decision: error.decision };
      if (result.plan.kind === 'create') {
        // A refused creation (4xx) created nothing: forget the pending record. A transient
        // failure may have landed, so the pending record stays and the next attempt matches first.
        result.connectorWrite = disposition === 'escrow' ? null : connector ? { ...connector } : 'remove';
      }
      break;
    }
  }
  return result;
}

/** The escrow to write (or clear) for an object's failure, and what its event says of it. */
export function escrowStep(
  ctx: Pick<CycleContext, 'jobId' | 'cycleId' | 'options'>,
  object: { sourceId: string; objectType: string; escrow: EscrowRecord | null },
  failure: FailureDecision | null,
  action: EscrowRecord['action'],
  time: Date,
): { write: EscrowRecord | 'clear' | null; note: ProvisioningEventInput['escrow'] } {
  const write = object.escrow ? 'clear' : null;
  if (failure?.disposition !== 'escrow') return { write, note: null };
  const previous = object.escrow;
  const next = planEscrow(
    ctx.options.escrowPolicy,
    previous ? { attempts: previous.attempts, firstFailedAt: new Date(previous.firstFailedAt) } : null,
    time,
  );
  if (next.kind !== 'retry') {
    return { write, note: { gaveUp: true, firstFailedAt: next.firstFailedAt.toISOString() } };
  }
  const escrow: EscrowRecord = {
    jobId: ctx.jobId,
    sourceId: object.sourceId,
    objectType: object.objectType,
    action,
    errorCode: failure.errorCode,
    reason: failure.reason,
    attempts: next.attempts,
    firstFailedAt: next.firstFailedAt.toISOString(),
    lastFailedAt: time.toISOString(),
    nextAttemptAt: next.nextAttemptAt.toISOString(),
    cycleId: ctx.cycleId,
  };
  return { write: escrow, note: { nextAttemptAt: escrow.nextAttemptAt } };
}

/** The writes of an escrow step's `write`: the escrow saved, cleared, or nothing. */
export function escrowWrites(
  jobId: string,
  sourceId: string,
  write: EscrowRecord | 'clear' | null,
): DbWrite[] {
  if (write === 'clear') return [dbWrite('escrows', 'deleteEscrow', jobId, sourceId)];
  return write ? [dbWrite('escrows', 'saveEscrow', write)] : [];
}

async function syncObjectOnce<Source>(run: ObjectRun<Source>): Promise<ObjectResult> {
  const { ctx, handler, compiled, item, time } = run;
  const evaluated = evaluateSource(run);
  const done = await matchPlanExport(run, evaluated);
  const { plan, outcome, lookupFailure, connectorWrite } = done;
  const failure = lookupFailure ?? (outcome?.kind === 'failure' ? outcome.decision : null);
  const escrow = escrowStep(
    ctx,
    { sourceId: item.sourceId, objectType: handler.objectType, escrow: item.escrow },
    failure,
    lookupFailure ? 'other' : plan.kind,
    time,
  );

  // A hard-deleted object the job never provisioned is none of its business: no event.
  const event = plan.kind !== 'none' || lookupFailure ? eventOf(run, evaluated, done, escrow.note) : null;

  // The object's durable step: connector record, escrow and event commit together, so a crash
  // leaves either all of them (the object is settled) or none (it is visited again).
  const before = item.connector;
  const targetChanged =
    connectorWrite !== null &&
    before !== null &&
    before.targetId !== null &&
    (connectorWrite === 'remove' ||
      connectorWrite.state === 'deleted' ||
      connectorWrite.targetId !== before.targetId);
  // References resolved for the old target object say nothing of the new one: resolved again.
  const written =
    targetChanged && connectorWrite !== null && connectorWrite !== 'remove'
      ? { ...connectorWrite, lastExported: withoutReferences(connectorWrite.lastExported, compiled) }
      : connectorWrite;
  const writes: DbWrite[] = [];
  if (written === 'remove') writes.push(dbWrite('connector', 'deleteObject', ctx.jobId, item.sourceId));
  else if (written) writes.push(dbWrite('connector', 'saveObject', written));
  // A creation that replaced the old target object already forgot its relations in the pending write.
  if (targetChanged && !run.pendingWritten)
    writes.push(...(handler.onTargetChanged?.(ctx.jobId, item.sourceId) ?? []));
  writes.push(...escrowWrites(ctx.jobId, item.sourceId, escrow.write));
  if (event) writes.push(dbWrite('events', 'insertEventRow', provisioningEventRow(event)));
  const committed = ctx.writer.write(writes);
  if (written !== null) {
    const after = written === 'remove' || written.state === 'deleted' ? null : written.targetId;
    ctx.links.note(handler.objectType, item.sourceId, before?.targetId ?? null, after, committed);
  }
  // Settled before the commit: only the result waits for it. What the object sent and built is let
  // go meanwhile: its exchanges, and its view, plan and event, the locals of this frame, which an
  // `await` here would keep. An initial cycle's objects spend most of their life waiting for a group
  // commit, and what they hold then is copied at each young-generation collection.
  const settled = settledResult(run, evaluated, done, failure, event);
  run.exchanges.length = 0;
  return committed.then(() => settled);
}

/** What the object's result says once its durable step commits: its counts, and its event with `keepEvents`. */
function settledResult<Source>(
  run: ObjectRun<Source>,
  evaluated: Evaluated,
  done: Exported,
  failure: FailureDecision | null,
  event: ProvisioningObjectSummary | null,
): ObjectResult {
  const { item } = run;
  const { plan, outcome, lookupFailure, connectorWrite } = done;
  const tally = emptyTally();
  tallyObject(tally, {
    scope: evaluated.scope,
    plan,
    outcome,
    lookupFailed: lookupFailure !== null,
    escrowed: failure?.disposition === 'escrow',
    requests: run.exchanges.filter((x) => x.method !== 'GET').length,
  });
  const finalState =
    connectorWrite === 'remove'
      ? null
      : connectorWrite
        ? connectorWrite.state
        : run.pendingWritten
          ? 'pendingCreate'
          : item.connector?.state;
  return {
    kind: 'settled',
    tally,
    wroteEvent: event !== null,
    event: run.ctx.keepEvents ? event : null,
    entriesDelta: isEntry(finalState) - isEntry(item.connector?.state),
  };
}

/** The object's provisioning event: what was found, planned and (unless `done.outcome` is null) exported. */
function eventOf<Source>(
  run: ObjectRun<Source>,
  evaluated: Evaluated,
  done: Omit<Exported, 'connectorWrite'>,
  escrow: ProvisioningEventInput['escrow'],
): ProvisioningObjectSummary {
  const { ctx, handler, compiled, item, time } = run;
  return buildProvisioningEvent({
    id: timeOrderedId(time.getTime()),
    changeId: timeOrderedId(time.getTime()),
    cycleId: ctx.cycleId,
    jobId: ctx.jobId,
    activityDateTime: time.toISOString(),
    durationInMilliseconds: ctx.now().getTime() - time.getTime(),
    servicePrincipal: { id: ctx.servicePrincipal.id, displayName: ctx.servicePrincipal.displayName },
    targetObjectName: compiled.targetObjectName,
    source: { id: item.sourceId, ...handler.identify(item), view: evaluated.view },
    objectType: handler.objectType,
    scope: evaluated.scope,
    lookup: done.lookup,
    match: done.match,
    lookupFailure: done.lookupFailure,
    matchingValues: evaluated.matchingValues,
    mappingErrors: evaluated.forCreate?.errors ?? [],
    plan: done.plan,
    outcome: done.outcome,
    exportExchanges: run.exchanges.slice(done.exportStart),
    escrow,
    ...(item.nestedGroups ? { nestedGroups: item.nestedGroups } : {}),
    ...(ctx.initiatedBy ? { initiatedBy: ctx.initiatedBy } : {}),
  });
}

/**
 * What the next cycle would do to one object, sending only reads (a preview): the same import,
 * scoping, matching and planning as `syncObject`, with nothing exported and nothing written.
 */
export async function previewSyncObject<Source>(
  ctx: CycleContext,
  handler: ObjectTypeHandler<Source>,
  item: SyncItem<Source>,
): Promise<{ kind: 'planned'; object: CyclePreviewObject | null } | { kind: 'interrupted' }> {
  const run = startObject(ctx, handler, item);
  try {
    const evaluated = evaluateSource(run);
    const planned = await lookupAndPlan(
      run,
      evaluated,
      item.connector,
      item.connector?.state !== 'pendingCreate',
    );
    const done = { ...planned, outcome: null, exportStart: run.exchanges.length };
    const event = eventOf(run, evaluated, done, null);
    return {
      kind: 'planned',
      object: previewObject({
        event,
        plan: planned.plan,
        scope: evaluated.scope,
        lookupFailed: planned.lookupFailure !== null,
      }),
    };
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    return { kind: 'interrupted' };
  }
}

/**
 * Carries out a plan against the target. Returns the outcome and the connector record to write
 * with the object's event; only a creation writes before its request (the pending record).
 */
async function exportPlan<Source>(
  run: ObjectRun<Source>,
  connector: ConnectorObject | null,
  scope: ScopeResult | null,
  plan: ObjectActionPlan,
  match: MatchOutcome,
): Promise<{ outcome: ExportOutcome | null; connector: ConnectorWrite }> {
  const { ctx, compiled, item, target } = run;
  const record = (
    o: Pick<ConnectorObject, 'targetId' | 'state' | 'lastExported' | 'inScope'>,
  ): Omit<ConnectorObject, 'updatedAt'> => ({
    jobId: ctx.jobId,
    sourceId: item.sourceId,
    objectType: run.handler.objectType,
    ...o,
  });
  const previous = connector?.lastExported ?? {};
  switch (plan.kind) {
    case 'none':
      return { outcome: null, connector: null };
    case 'skip': {
      if (plan.connectorState === 'linked' && plan.targetId) {
        return {
          outcome: null,
          connector: record({
            targetId: plan.targetId,
            state: 'linked',
            lastExported: withMatchedValue(previous, match),
            inScope: scope?.inScope ?? false,
          }),
        };
      }
      if (plan.connectorState === 'disabled') {
        return {
          outcome: null,
          connector: record({
            targetId: plan.targetId ?? connector?.targetId ?? null,
            state: 'disabled',
            lastExported: previous,
            inScope: false,
          }),
        };
      }
      return { outcome: null, connector: null };
    }
    case 'create': {
      const values = plainValues(plan.values);
      // An earlier attempt's creation that landed: linked, nothing sent.
      if (plan.foundTargetId !== undefined)
        return {
          outcome: { kind: 'success', targetId: plan.foundTargetId },
          connector: record({
            targetId: plan.foundTargetId,
            state: 'linked',
            lastExported: values,
            inScope: true,
          }),
        };
      const body = toScimResource(
        values,
        compiled.targetObjectName,
        compiled.targetAttributes,
        compiled.appRoleFlows,
      );
      // Committed before the POST: if the process dies before the answer is recorded, the next
      // attempt matches the account by its attributes instead of creating it a second time.
      const pending = record({ targetId: null, state: 'pendingCreate', lastExported: values, inScope: true });
      // A creation replacing a vanished target object forgets that object's relations in the same write.
      const replaced = item.connector?.targetId != null;
      await ctx.writer.write([
        dbWrite('connector', 'saveObject', pending),
        ...((replaced && run.handler.onTargetChanged?.(ctx.jobId, item.sourceId)) || []),
      ]);
      run.pendingWritten = true;
      const created = await send(ctx, 'create', () => target.create(body));
      return {
        outcome: { kind: 'success', targetId: created.id },
        connector: record({ targetId: created.id, state: 'linked', lastExported: values, inScope: true }),
      };
    }
    case 'update': {
      const changes = plan.changes.map((c) => {
        const flow = compiled.appRoleFlows[c.path];
        return flow
          ? roleChange(flow, c.path, c.newValue, ctx.servicePrincipal.appRoles)
          : { path: c.path, value: toScimValue(c.path, c.newValue, compiled.targetAttributes[c.path]) };
      });
      await send(ctx, 'update', () => target.update(plan.targetId, changes));
      return {
        outcome: { kind: 'success', targetId: plan.targetId },
        connector: record({
          targetId: plan.targetId,
          state: 'linked',
          lastExported: { ...previous, ...plainValues(plan.values) },
          inScope: true,
        }),
      };
    }
    case 'disable': {
      await send(ctx, 'disable', () => target.disable(plan.targetId));
      return {
        outcome: { kind: 'success', targetId: plan.targetId },
        connector: record({
          targetId: plan.targetId,
          state: 'disabled',
          lastExported: { ...previous, active: 'False' },
          inScope: false,
        }),
      };
    }
    case 'delete': {
      try {
        await send(ctx, 'delete', () => target.delete(plan.targetId));
      } catch (error) {
        // Already gone from the target is what a delete wants.
        if (!(error instanceof ObjectFailure) || error.decision.disposition !== 'alreadyDone') throw error;
      }
      return {
        outcome: { kind: 'success', targetId: plan.targetId },
        connector: record({
          targetId: plan.targetId,
          state: 'deleted',
          lastExported: previous,
          inScope: false,
        }),
      };
    }
  }
}

/**
 * What was last exported, with the value a match by attribute found in the target (its userName, a
 * group's displayName): an account matched that needed no change was never exported, and its
 * record then names it — in a group's member changes, and in its events once it is gone from the
 * directory.
 */
function withMatchedValue(previous: Record<string, unknown>, match: MatchOutcome): Record<string, unknown> {
  return match.kind === 'one' && match.via.kind === 'attribute' && previous[match.via.attribute] === undefined
    ? { ...previous, [match.via.attribute]: match.via.value }
    : previous;
}

/** What was last exported, without the reference attributes (they belong to one target object). */
function withoutReferences(
  lastExported: Record<string, unknown>,
  compiled: CompiledObjectMapping,
): Record<string, unknown> {
  const out = { ...lastExported };
  for (const r of compiled.references) delete out[r.targetAttributeName];
  return out;
}
