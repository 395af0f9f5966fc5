import { randomUUID } from 'node:crypto';
import type { ConnectorObject, DirectoryUserRecord, EscrowRecord, ProvisioDb } from '@provisio/db';
import {
  applyMappings,
  buildProvisioningEvent,
  buildScopedUserView,
  classifyFailure,
  decideTargetLookup,
  emptyTally,
  evaluateMatchingValues,
  mappingsNeedingTargetLookup,
  planEscrow,
  planUserAction,
  plainValues,
  readSourceAttribute,
  tallyObject,
  toScimResource,
  toScimValue,
  type AppRoleRef,
  type CompiledObjectMapping,
  type ConnectorLink,
  type CycleTally,
  type Entitlement,
  type ExportOutcome,
  type FailureDecision,
  type FailureOperation,
  type JobOptions,
  type MappingOutcome,
  type MatchingValue,
  type MatchOutcome,
  type ProvisioningEventInput,
  type ProvisioningObjectSummary,
  type ScopeResult,
  type SourceView,
  type SynchronizationError,
  type TargetIndex,
  type TargetLookup,
  type UserActionPlan,
} from '@provisio/engine';
import { evaluateExpressionAsync } from '@provisio/expressions';
import { ScimClient, ScimFailure, type ScimExchange, type ScimTransport } from '@provisio/scim-client';
import { sleep } from './concurrency';
import type { DurableWriter } from './durable-writer';
import { Interrupted, type AnswerKind, type TargetGate } from './target-gate';
import { timeOrderedId } from './time-ordered-id';

/** What every object of one cycle shares. */
export interface CycleContext {
  db: ProvisioDb;
  jobId: string;
  cycleId: string;
  servicePrincipal: { id: string; displayName: string; appRoles: readonly AppRoleRef[] };
  compiled: CompiledObjectMapping;
  options: JobOptions;
  writer: DurableWriter;
  gate: TargetGate;
  /** How SCIM requests go on the wire (one keep-alive agent per worker process). */
  transport: ScimTransport;
  /** The target's accounts by matching attribute, when this initial cycle listed them. */
  targetIndex: TargetIndex | null;
  now: () => Date;
  /** Aborted on shutdown or when the lease is lost: objects waiting are left for the resumed cycle. */
  signal: AbortSignal;
  /** Reports a job-level failure (credentials): no new object starts after it. */
  stopCycle: (error: SynchronizationError) => void;
  /** Whether the cycle stopped on a job-level failure: requests not yet sent are not sent. */
  isStopped: () => boolean;
  /** Who the events name as their initiator (provision on demand); the provisioning service if absent. */
  initiatedBy?: ProvisioningEventInput['initiatedBy'];
}

/** What sending requests needs from the cycle. */
export type SendContext = Pick<
  CycleContext,
  'gate' | 'signal' | 'options' | 'servicePrincipal' | 'stopCycle' | 'isStopped' | 'transport'
>;

/** One source object to synchronize. */
export interface SyncItem {
  sourceId: string;
  /** null when the user was hard-deleted from the directory. */
  user: DirectoryUserRecord | null;
  entitlement: Entitlement | null;
  connector: ConnectorObject | null;
  escrow: EscrowRecord | null;
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
      /** The provisioning event written, if any (provision on demand answers with it). */
      event: ProvisioningObjectSummary | null;
      entriesDelta: number;
    }
  | { kind: 'interrupted'; entriesDelta: number };

/** An entry counts in `synchronizedEntryCountByType` unless it is gone. */
const isEntry = (state: ConnectorObject['state'] | null | undefined) =>
  state !== null && state !== undefined && state !== 'deleted' ? 1 : 0;

/** A request that failed for good (after retries), with the engine's decision about it. */
export class ObjectFailure extends Error {
  constructor(
    readonly decision: FailureDecision,
    cause: ScimFailure,
  ) {
    super(decision.reason, { cause });
  }
}

const OBJECT_TYPE = 'User';

function toLink(connector: ConnectorObject | null): ConnectorLink | null {
  return connector ? { state: connector.state, targetId: connector.targetId } : null;
}

/**
 * How an answer bears on the target's limits: 429 is throttling; 502/503/504, timeouts and lost
 * connections are overload. Other failures (404, 409, a 500 from a bug) say nothing about load.
 */
function answerKind(failure: ScimFailure): AnswerKind {
  if (failure.status === 429) return 'throttled';
  if (failure.kind !== 'transient') return 'ok';
  return failure.status === undefined || failure.status >= 502 ? 'overloaded' : 'ok';
}

/**
 * Sends one request through the target's gate with the engine's retry policy. A final failure
 * becomes an ObjectFailure; a stop during a wait becomes Interrupted.
 */
export async function send<T>(
  ctx: SendContext,
  operation: FailureOperation,
  request: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    // After a 401 every request would fail the same way: the object is left as it is.
    if (ctx.isStopped()) throw new Interrupted();
    await ctx.gate.acquire(ctx.signal);
    if (ctx.isStopped()) {
      ctx.gate.cancel();
      throw new Interrupted();
    }
    let result: T;
    try {
      result = await request();
    } catch (error) {
      if (!(error instanceof ScimFailure)) {
        ctx.gate.cancel();
        throw error;
      }
      ctx.gate.done(answerKind(error), error.retryAfterMs ?? null);
      const decision = classifyFailure(error, {
        operation,
        attempt,
        appName: ctx.servicePrincipal.displayName,
        policy: ctx.options.retryPolicy,
      });
      if (decision.disposition === 'stopCycle') {
        ctx.stopCycle({
          code: decision.errorCode,
          message: `${decision.reason} ${decision.recommendedAction}`,
          tenantActionable: true,
        });
      }
      if (decision.disposition !== 'retry') throw new ObjectFailure(decision, error);
      // A stopping worker does not wait out a backoff: the object is left for the resumed cycle.
      if (ctx.signal.aborted) throw new Interrupted();
      await sleep(decision.retryAfterMs ?? 0, ctx.signal);
      if (ctx.signal.aborted) throw new Interrupted();
      continue;
    }
    ctx.gate.done('ok');
    return result;
  }
}

/** Runs the target's own filter for each matching attribute in precedence order; stops at the first hit. */
async function matchByFilter(
  ctx: CycleContext,
  client: ScimClient,
  matchingValues: readonly MatchingValue[],
): Promise<MatchOutcome> {
  const tried: { attribute: string; value: string }[] = [];
  for (const m of matchingValues) {
    if (m.value === null) continue;
    const value = m.value;
    const found = await send(ctx, 'lookup', () => client.findUsers(m.targetAttributeName, value));
    const first = found[0];
    if (found.length === 1 && first) {
      return {
        kind: 'one',
        targetId: first.id,
        resource: first,
        via: { kind: 'attribute', attribute: m.targetAttributeName, value },
      };
    }
    if (found.length > 1)
      return { kind: 'many', attribute: m.targetAttributeName, value, targetIds: found.map((r) => r.id) };
    tried.push({ attribute: m.targetAttributeName, value });
  }
  return { kind: 'none', tried };
}

/** GET by id; null when the account is gone (404). */
async function getById(ctx: CycleContext, client: ScimClient, targetId: string) {
  try {
    return await send(ctx, 'lookup', () => client.getUser(targetId));
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
  client: ScimClient,
  lookup: TargetLookup,
  link: ConnectorLink | null,
  matchingValues: readonly MatchingValue[],
  useIndex: boolean,
): Promise<{ match: MatchOutcome; fromIndex: boolean }> {
  if (lookup === 'none') return { match: { kind: 'notLooked' }, fromIndex: false };
  if (lookup === 'byLink' && link?.targetId) {
    const resource = await getById(ctx, client, link.targetId);
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
      const resource = await getById(ctx, client, found.targetId);
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
  return { match: await matchByFilter(ctx, client, matchingValues), fromIndex: false };
}

/**
 * Picks the value of each SelectUniqueValue mapping by asking the target, candidate after
 * candidate, whether an account already holds it (the target's filter on that attribute).
 * Lookups go through `send`, so their failures are handled like any other lookup's.
 */
async function resolveUniqueValues(
  ctx: CycleContext,
  client: ScimClient,
  view: SourceView,
  evaluation: { now: Date; random: () => number },
): Promise<Map<string, MappingOutcome>> {
  const resolved = new Map<string, MappingOutcome>();
  for (const m of mappingsNeedingTargetLookup(ctx.compiled)) {
    const outcome = await evaluateExpressionAsync(m.expression, {
      getAttribute: (name) => readSourceAttribute(view, name),
      now: evaluation.now,
      random: evaluation.random,
      isValueUnique: async (value) =>
        (await send(ctx, 'lookup', () => client.findUsers(m.targetAttributeName, value))).length === 0,
    });
    resolved.set(m.targetAttributeName, outcome);
  }
  return resolved;
}

/** The connector record to write once the object is done: a new state, its removal, or nothing. */
type ConnectorWrite = Omit<ConnectorObject, 'updatedAt'> | 'remove' | null;

/**
 * Synchronizes one user: scope, match, plan, export, then one durable write with its connector
 * record, escrow and provisioning event. Failures of the target are recorded on the object;
 * anything else is a defect and propagates.
 */
export async function syncUser(ctx: CycleContext, item: SyncItem): Promise<ObjectResult> {
  const trace: Trace = { pendingWritten: false };
  try {
    return await syncUserOnce(ctx, item, trace);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    const after = trace.pendingWritten ? 'pendingCreate' : item.connector?.state;
    return { kind: 'interrupted', entriesDelta: isEntry(after) - isEntry(item.connector?.state) };
  }
}

/** What an object's processing wrote before its final write. */
interface Trace {
  pendingWritten: boolean;
}

async function syncUserOnce(ctx: CycleContext, item: SyncItem, trace: Trace): Promise<ObjectResult> {
  const started = performance.now();
  const time = ctx.now();
  const { compiled, options, db } = ctx;
  const exchanges: ScimExchange[] = [];
  const client = new ScimClient({
    tenantUrl: options.tenantUrl,
    secretToken: options.secretToken,
    onExchange: (x) => exchanges.push(x),
    transport: ctx.transport,
  });
  const evaluation = { now: time, random: Math.random };

  let scope: ScopeResult | null = null;
  let view: SourceView | null = null;
  if (item.user) {
    ({ view, scope } = buildScopedUserView({
      user: item.user,
      entitlement: item.entitlement,
      appRoles: ctx.servicePrincipal.appRoles,
      syncAll: options.syncAll,
      scope: compiled.scope,
    }));
  }
  const matchingValues = view ? evaluateMatchingValues(compiled, view, evaluation) : [];
  // Until the target is asked, SelectUniqueValue yields its first candidate; that value is only
  // sent on creation, and is replaced below once a creation is decided.
  let forCreate = view ? applyMappings(compiled, view, { ...evaluation, isCreate: true }) : null;
  const forUpdate = view ? applyMappings(compiled, view, { ...evaluation, isCreate: false }) : null;
  const combineErrors = () =>
    [...(forCreate?.errors ?? []), ...(forUpdate?.errors ?? [])].filter(
      (e, i, all) => all.findIndex((x) => x.targetAttributeName === e.targetAttributeName) === i,
    );
  let mappingErrors = combineErrors();
  // The target is asked for unique values only when an account is about to be created.
  const needsUniqueValues = mappingsNeedingTargetLookup(compiled).length > 0;
  let uniqueValuesResolved = false;

  let connector = item.connector;
  let connectorWrite: ConnectorWrite = null;
  let lookup: TargetLookup = 'none';
  let match: MatchOutcome = { kind: 'notLooked' };
  let lookupFailure: FailureDecision | null = null;
  let plan: UserActionPlan = { kind: 'none' };
  let outcome: ExportOutcome | null = null;
  let exportStart = 0;
  // A pending creation left by an interrupted run is matched by the target itself: its POST may
  // have landed after this cycle listed the target.
  let useIndex = connector?.state !== 'pendingCreate';

  // A second pass when the linked account vanished between lookup and export, or when a creation
  // decided from the listing collides with an account created since (409): match with the filter.
  for (let pass = 1; pass <= 2; pass += 1) {
    const link = toLink(connector);
    lookup = decideTargetLookup({ scope, connector: link, matchingValues });
    let fromIndex: boolean;
    try {
      ({ match, fromIndex } = await lookupTarget(ctx, client, lookup, link, matchingValues, useIndex));
    } catch (error) {
      if (!(error instanceof ObjectFailure)) throw error;
      lookupFailure = error.decision;
      break;
    }
    const planNow = (): UserActionPlan =>
      planUserAction({
        scope,
        connector: link,
        match,
        matchingValues,
        desiredForCreate: forCreate?.values ?? {},
        desiredForUpdate: forUpdate?.values ?? {},
        mappingErrors,
        ignoreObject: forCreate?.ignoreObject === true || forUpdate?.ignoreObject === true,
        caseExactByPath: compiled.caseExactByPath,
        requiredTargets: compiled.requiredTargets,
        flowTypes: compiled.flowTypes,
        skipOutOfScopeDeletions: options.skipOutOfScopeDeletions,
      });
    plan = planNow();
    if (plan.kind === 'create' && view && needsUniqueValues && !uniqueValuesResolved) {
      let resolved: Map<string, MappingOutcome>;
      try {
        resolved = await resolveUniqueValues(ctx, client, view, evaluation);
      } catch (error) {
        if (!(error instanceof ObjectFailure)) throw error;
        lookupFailure = error.decision;
        plan = { kind: 'none' };
        break;
      }
      uniqueValuesResolved = true;
      forCreate = applyMappings(compiled, view, { ...evaluation, isCreate: true, resolved });
      mappingErrors = combineErrors();
      // All candidates taken (`expression.no_unique_value`) is a mapping failure: the plan becomes
      // a failed AttributeMappingFailed skip naming the attribute.
      plan = planNow();
    }
    exportStart = exchanges.length;
    try {
      const exported = await exportPlan(ctx, client, item, connector, scope, plan, trace);
      outcome = exported.outcome;
      connectorWrite = exported.connector;
      break;
    } catch (error) {
      if (!(error instanceof ObjectFailure)) throw error;
      const disposition = error.decision.disposition;
      if (pass === 1 && disposition === 'rematch' && connector) {
        connector = { ...connector, state: 'deleted', targetId: null };
        connectorWrite = { ...connector };
        continue;
      }
      if (pass === 1 && fromIndex && plan.kind === 'create' && error.decision.errorCode === 'EntryConflict') {
        useIndex = false;
        continue;
      }
      outcome = { kind: 'failure', decision: error.decision };
      if (plan.kind === 'create') {
        // A refused creation (4xx) created nothing: forget the pending record. A transient
        // failure may have landed, so the pending record stays and the next attempt matches first.
        connectorWrite = disposition === 'escrow' ? null : connector ? { ...connector } : 'remove';
      }
      break;
    }
  }

  const failure = lookupFailure ?? (outcome?.kind === 'failure' ? outcome.decision : null);
  const escrowed = failure?.disposition === 'escrow';
  let escrowWrite: EscrowRecord | 'clear' | null = item.escrow ? 'clear' : null;
  let escrowNote: ProvisioningEventInput['escrow'] = null;
  if (escrowed && failure) {
    const next = planEscrow(
      options.escrowPolicy,
      item.escrow
        ? { attempts: item.escrow.attempts, firstFailedAt: new Date(item.escrow.firstFailedAt) }
        : null,
      time,
    );
    if (next.kind === 'retry') {
      escrowWrite = {
        jobId: ctx.jobId,
        sourceId: item.sourceId,
        objectType: OBJECT_TYPE,
        action: lookupFailure ? 'other' : plan.kind,
        errorCode: failure.errorCode,
        reason: failure.reason,
        attempts: next.attempts,
        firstFailedAt: next.firstFailedAt.toISOString(),
        lastFailedAt: time.toISOString(),
        nextAttemptAt: next.nextAttemptAt.toISOString(),
        cycleId: ctx.cycleId,
      };
      escrowNote = { nextAttemptAt: escrowWrite.nextAttemptAt };
    } else {
      escrowNote = { gaveUp: true, firstFailedAt: next.firstFailedAt.toISOString() };
    }
  }

  const lastExported = item.connector?.lastExported ?? {};
  const reportable =
    item.user?.userPrincipalName ??
    (typeof lastExported.userName === 'string' ? lastExported.userName : item.sourceId);
  // A hard-deleted object the job never provisioned is none of its business: no event.
  const event =
    plan.kind !== 'none' || lookupFailure
      ? buildProvisioningEvent({
          id: timeOrderedId(),
          changeId: randomUUID(),
          cycleId: ctx.cycleId,
          jobId: ctx.jobId,
          activityDateTime: time.toISOString(),
          durationInMilliseconds: performance.now() - started,
          servicePrincipal: { id: ctx.servicePrincipal.id, displayName: ctx.servicePrincipal.displayName },
          targetObjectName: compiled.targetObjectName,
          source: {
            id: item.sourceId,
            displayName: item.user?.displayName ?? reportable,
            reportableIdentifier: reportable,
            view,
          },
          objectType: OBJECT_TYPE,
          scope,
          lookup,
          match,
          lookupFailure,
          matchingValues,
          mappingErrors: forCreate?.errors ?? [],
          plan,
          outcome,
          exportExchanges: exchanges.slice(exportStart),
          escrow: escrowNote,
          ...(ctx.initiatedBy ? { initiatedBy: ctx.initiatedBy } : {}),
        })
      : null;

  // The object's durable step: connector record, escrow and event commit together, so a crash
  // leaves either all of them (the object is settled) or none (it is visited again).
  await ctx.writer.write(() => {
    if (connectorWrite === 'remove') db.connector.deleteObject(ctx.jobId, item.sourceId);
    else if (connectorWrite) db.connector.saveObject(connectorWrite);
    if (escrowWrite === 'clear') db.escrows.deleteEscrow(ctx.jobId, item.sourceId);
    else if (escrowWrite) db.escrows.saveEscrow(escrowWrite);
    if (event) db.events.insertProvisioningEvent(event);
  });

  const tally = emptyTally();
  tallyObject(tally, {
    scope,
    plan,
    outcome,
    lookupFailed: lookupFailure !== null,
    escrowed,
    requests: exchanges.filter((x) => x.method !== 'GET').length,
  });
  const finalState =
    connectorWrite === 'remove'
      ? null
      : connectorWrite
        ? connectorWrite.state
        : trace.pendingWritten
          ? 'pendingCreate'
          : item.connector?.state;
  return {
    kind: 'settled',
    tally,
    wroteEvent: event !== null,
    event,
    entriesDelta: isEntry(finalState) - isEntry(item.connector?.state),
  };
}

/**
 * Carries out a plan against the target. Returns the outcome and the connector record to write
 * with the object's event; only a creation writes before its request (the pending record).
 */
async function exportPlan(
  ctx: CycleContext,
  client: ScimClient,
  item: SyncItem,
  connector: ConnectorObject | null,
  scope: ScopeResult | null,
  plan: UserActionPlan,
  trace: Trace,
): Promise<{ outcome: ExportOutcome | null; connector: ConnectorWrite }> {
  const { compiled } = ctx;
  const record = (
    o: Pick<ConnectorObject, 'targetId' | 'state' | 'lastExported' | 'inScope'>,
  ): Omit<ConnectorObject, 'updatedAt'> => ({
    jobId: ctx.jobId,
    sourceId: item.sourceId,
    objectType: OBJECT_TYPE,
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
            lastExported: previous,
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
      const body = toScimResource(values, compiled.targetObjectName, compiled.targetAttributes);
      // Committed before the POST: if the process dies before the answer is recorded, the next
      // attempt matches the account by its attributes instead of creating it a second time.
      const pending = record({ targetId: null, state: 'pendingCreate', lastExported: values, inScope: true });
      await ctx.writer.write(() => ctx.db.connector.saveObject(pending));
      trace.pendingWritten = true;
      const created = await send(ctx, 'create', () => client.createUser(body));
      return {
        outcome: { kind: 'success', targetId: created.id },
        connector: record({ targetId: created.id, state: 'linked', lastExported: values, inScope: true }),
      };
    }
    case 'update': {
      const changes = plan.changes.map((c) => ({
        path: c.path,
        value: toScimValue(c.path, c.newValue, compiled.targetAttributes[c.path]),
      }));
      await send(ctx, 'update', () => client.updateUser(plan.targetId, changes));
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
      await send(ctx, 'disable', () => client.disableUser(plan.targetId));
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
        await send(ctx, 'delete', () => client.deleteUser(plan.targetId));
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
