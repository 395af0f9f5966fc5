import { randomUUID } from 'node:crypto';
import type { ConnectorObject, DirectoryUserRecord, ProvisioDb } from '@provisio/db';
import {
  applyMappings,
  buildProvisioningEvent,
  buildUserSourceView,
  classifyFailure,
  decideTargetLookup,
  evaluateMatchingValues,
  evaluateScope,
  planUserAction,
  plainValues,
  tallyObject,
  toScimResource,
  toScimValue,
  withScopeOutcome,
  type AppRoleRef,
  type CompiledObjectMapping,
  type ConnectorLink,
  type CycleTally,
  type Entitlement,
  type ExportOutcome,
  type FailureDecision,
  type FailureOperation,
  type JobOptions,
  type MatchingValue,
  type MatchOutcome,
  type ScopeResult,
  type SourceView,
  type SynchronizationError,
  type TargetLookup,
  type UserActionPlan,
} from '@provisio/engine';
import { ScimClient, ScimFailure, type ScimExchange } from '@provisio/scim-client';
import { sleep } from './concurrency';
import type { EventSink } from './event-sink';

/** What every object of one cycle shares. */
export interface CycleContext {
  db: ProvisioDb;
  jobId: string;
  cycleId: string;
  servicePrincipal: { id: string; displayName: string; appRoles: readonly AppRoleRef[] };
  compiled: CompiledObjectMapping;
  options: JobOptions;
  tally: CycleTally;
  events: EventSink;
  now: () => Date;
  /** Aborted on shutdown or when the lease is lost: retries stop waiting. */
  signal: AbortSignal;
  /** Reports a job-level failure (credentials): no new object starts after it. */
  stopCycle: (error: SynchronizationError) => void;
}

/** One source object to synchronize. */
export interface SyncItem {
  sourceId: string;
  /** null when the user was hard-deleted from the directory. */
  user: DirectoryUserRecord | null;
  entitlement: Entitlement | null;
  connector: ConnectorObject | null;
}

/** A request that failed for good (after retries), with the engine's decision about it. */
class ObjectFailure extends Error {
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

/** Sends one request with the engine's retry policy; a final failure becomes an ObjectFailure. */
async function send<T>(
  ctx: CycleContext,
  operation: FailureOperation,
  request: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof ScimFailure)) throw error;
      const decision = classifyFailure(error, {
        operation,
        attempt,
        appName: ctx.servicePrincipal.displayName,
      });
      if (decision.disposition === 'stopCycle') {
        ctx.stopCycle({
          code: decision.errorCode,
          message: `${decision.reason} ${decision.recommendedAction}`,
          tenantActionable: true,
        });
      }
      if (decision.disposition !== 'retry') throw new ObjectFailure(decision, error);
      // A stopping worker does not wait out a backoff: the object is escrowed instead.
      if (ctx.signal.aborted)
        throw new ObjectFailure({ ...decision, disposition: 'escrow', retryAfterMs: null }, error);
      await sleep(decision.retryAfterMs ?? 0, ctx.signal);
    }
  }
}

/** Finds the target account: by the kept link, else by the matching attributes in precedence order. */
async function lookupTarget(
  ctx: CycleContext,
  client: ScimClient,
  lookup: TargetLookup,
  link: ConnectorLink | null,
  matchingValues: readonly MatchingValue[],
): Promise<MatchOutcome> {
  if (lookup === 'none') return { kind: 'notLooked' };
  if (lookup === 'byLink' && link?.targetId) {
    const targetId = link.targetId;
    try {
      const resource = await send(ctx, 'lookup', () => client.getUser(targetId));
      return { kind: 'one', targetId: resource.id, resource, via: { kind: 'link' } };
    } catch (error) {
      // The linked account was deleted in the target: fall through and match the user again.
      if (!(error instanceof ObjectFailure) || error.decision.disposition !== 'rematch') throw error;
    }
  }
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

/**
 * Synchronizes one user: scope, match, plan, export, connector store, one provisioning event.
 * Failures of the target are recorded on the object; anything else is a defect and propagates.
 */
export async function syncUser(ctx: CycleContext, item: SyncItem): Promise<void> {
  const started = performance.now();
  const time = ctx.now();
  const { compiled, options } = ctx;
  const exchanges: ScimExchange[] = [];
  const client = new ScimClient({
    tenantUrl: options.tenantUrl,
    secretToken: options.secretToken,
    onExchange: (x) => exchanges.push(x),
  });
  const evaluation = { now: time, random: Math.random };

  let scope: ScopeResult | null = null;
  let view: SourceView | null = null;
  if (item.user) {
    const base = buildUserSourceView(item.user, {
      entitlement: item.entitlement,
      appRoles: ctx.servicePrincipal.appRoles,
    });
    scope = evaluateScope({
      view: base,
      accountEnabled: item.user.accountEnabled,
      softDeleted: item.user.deletedDateTime !== null,
      entitlement: item.entitlement,
      syncAll: options.syncAll,
      scope: compiled.scope,
    });
    view = withScopeOutcome(base, scope);
  }
  const matchingValues = view ? evaluateMatchingValues(compiled, view, evaluation) : [];
  const forCreate = view ? applyMappings(compiled, view, { ...evaluation, isCreate: true }) : null;
  const forUpdate = view ? applyMappings(compiled, view, { ...evaluation, isCreate: false }) : null;

  let connector = item.connector;
  let lookup: TargetLookup = 'none';
  let match: MatchOutcome = { kind: 'notLooked' };
  let lookupFailure: FailureDecision | null = null;
  let plan: UserActionPlan = { kind: 'none' };
  let outcome: ExportOutcome | null = null;
  let exportStart = 0;

  // A second pass only when the linked account vanished between lookup and export.
  for (let pass = 1; pass <= 2; pass += 1) {
    const link = toLink(connector);
    lookup = decideTargetLookup({ scope, connector: link, matchingValues });
    try {
      match = await lookupTarget(ctx, client, lookup, link, matchingValues);
    } catch (error) {
      if (!(error instanceof ObjectFailure)) throw error;
      lookupFailure = error.decision;
      break;
    }
    plan = planUserAction({
      scope,
      connector: link,
      match,
      matchingValues,
      desiredForCreate: forCreate?.values ?? {},
      desiredForUpdate: forUpdate?.values ?? {},
      mappingErrors: [...(forCreate?.errors ?? []), ...(forUpdate?.errors ?? [])].filter(
        (e, i, all) => all.findIndex((x) => x.targetAttributeName === e.targetAttributeName) === i,
      ),
      ignoreObject: forCreate?.ignoreObject === true || forUpdate?.ignoreObject === true,
      caseExactByPath: compiled.caseExactByPath,
      requiredTargets: compiled.requiredTargets,
      flowTypes: compiled.flowTypes,
      skipOutOfScopeDeletions: options.skipOutOfScopeDeletions,
    });
    exportStart = exchanges.length;
    try {
      outcome = await exportPlan(ctx, client, item, connector, scope, plan);
      break;
    } catch (error) {
      if (!(error instanceof ObjectFailure)) throw error;
      if (error.decision.disposition === 'rematch' && pass === 1 && connector) {
        // The linked account vanished between the GET and the write: forget the link, match again.
        connector = { ...connector, state: 'deleted', targetId: null };
        ctx.db.connector.saveObject(connector);
        continue;
      }
      outcome = { kind: 'failure', decision: error.decision };
      break;
    }
  }

  const lastExported = item.connector?.lastExported ?? {};
  const reportable =
    item.user?.userPrincipalName ??
    (typeof lastExported.userName === 'string' ? lastExported.userName : item.sourceId);
  const event = buildProvisioningEvent({
    id: randomUUID(),
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
  });
  // A hard-deleted object the job never provisioned is none of its business: no event.
  if (plan.kind !== 'none' || lookupFailure) ctx.events.add(event);
  const failure = lookupFailure ?? (outcome?.kind === 'failure' ? outcome.decision : null);
  tallyObject(ctx.tally, {
    scope,
    plan,
    outcome,
    lookupFailed: lookupFailure !== null,
    escrowed: failure?.disposition === 'escrow',
    requests: exchanges.filter((x) => x.method !== 'GET').length,
  });
}

/** Carries out a plan against the target and records the result in the connector data store. */
async function exportPlan(
  ctx: CycleContext,
  client: ScimClient,
  item: SyncItem,
  connector: ConnectorObject | null,
  scope: ScopeResult | null,
  plan: UserActionPlan,
): Promise<ExportOutcome | null> {
  const { db, compiled } = ctx;
  const save = (o: Pick<ConnectorObject, 'targetId' | 'state' | 'lastExported' | 'inScope'>) =>
    db.connector.saveObject({ jobId: ctx.jobId, sourceId: item.sourceId, objectType: OBJECT_TYPE, ...o });
  const previous = connector?.lastExported ?? {};

  switch (plan.kind) {
    case 'none':
      return null;
    case 'skip': {
      if (plan.connectorState === 'linked' && plan.targetId) {
        save({
          targetId: plan.targetId,
          state: 'linked',
          lastExported: previous,
          inScope: scope?.inScope ?? false,
        });
      } else if (plan.connectorState === 'disabled') {
        save({
          targetId: plan.targetId ?? connector?.targetId ?? null,
          state: 'disabled',
          lastExported: previous,
          inScope: false,
        });
      }
      return null;
    }
    case 'create': {
      const body = toScimResource(
        plainValues(plan.values),
        compiled.targetObjectName,
        compiled.targetAttributes,
      );
      // Recorded before the POST: if the process dies before the answer, the next cycle matches
      // the account by its attributes instead of creating it a second time.
      save({ targetId: null, state: 'pendingCreate', lastExported: plainValues(plan.values), inScope: true });
      try {
        const created = await send(ctx, 'create', () => client.createUser(body));
        save({
          targetId: created.id,
          state: 'linked',
          lastExported: plainValues(plan.values),
          inScope: true,
        });
        return { kind: 'success', targetId: created.id };
      } catch (error) {
        // A refused creation (4xx) created nothing: forget the pending record. A transient failure
        // may have landed, so the pending record stays and the next attempt matches first.
        if (error instanceof ObjectFailure && error.decision.disposition === 'fail') {
          if (connector) db.connector.saveObject(connector);
          else db.connector.deleteObject(ctx.jobId, item.sourceId);
        }
        throw error;
      }
    }
    case 'update': {
      const changes = plan.changes.map((c) => ({
        path: c.path,
        value: toScimValue(c.path, c.newValue, compiled.targetAttributes[c.path]),
      }));
      await send(ctx, 'update', () => client.updateUser(plan.targetId, changes));
      save({
        targetId: plan.targetId,
        state: 'linked',
        lastExported: { ...previous, ...plainValues(plan.values) },
        inScope: true,
      });
      return { kind: 'success', targetId: plan.targetId };
    }
    case 'disable': {
      await send(ctx, 'disable', () => client.disableUser(plan.targetId));
      save({
        targetId: plan.targetId,
        state: 'disabled',
        lastExported: { ...previous, active: 'False' },
        inScope: false,
      });
      return { kind: 'success', targetId: plan.targetId };
    }
    case 'delete': {
      try {
        await send(ctx, 'delete', () => client.deleteUser(plan.targetId));
      } catch (error) {
        // Already gone from the target is what a delete wants.
        if (!(error instanceof ObjectFailure) || error.decision.disposition !== 'alreadyDone') throw error;
      }
      save({ targetId: plan.targetId, state: 'deleted', lastExported: previous, inScope: false });
      return { kind: 'success', targetId: plan.targetId };
    }
  }
}
