import type { DirectoryUserRecord, ProvisioDb } from '@provisio/db';
import {
  planReferenceChange,
  referenceableTargetId,
  referencedSourceIds,
  selectReferenceUsers,
  type CycleKind,
  type FailureDecision,
  type ReferenceResolution,
  objectOfRelationEscrow,
  relationEscrowId,
} from '@provisio/engine';
import type { ScimExchange } from '@provisio/scim-client';
import type { ChangeWindow, ObjectTypeHandler, SelectObjects, SyncItem } from './object-handler';
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

type ReferenceItem = RelationItem<DirectoryUserRecord>;

/**
 * The work of the references phase: for each user the job provisions, every reference mapping
 * (a manager) is resolved to the referenced user's id in the target, after both exist; the target
 * changes only when the reference does. A reference to a user not provisioned (yet) waits: the
 * user does not fail and no source id is ever sent in its place.
 */
export async function referenceWork(
  users: ObjectTypeHandler<DirectoryUserRecord>,
  job: { jobId: string; servicePrincipalId: string; syncAll: boolean },
  kind: CycleKind,
  window: ChangeWindow,
  db: ProvisioDb,
  /** The cycle, whose events say which users the users phase touched. */
  cycleId: string,
  select: SelectObjects,
): Promise<PhaseWork<ReferenceItem>> {
  const dueEscrows = (
    await db.escrows.listDueSourceIds(job.jobId, window.now.toISOString(), 'Reference')
  ).map(objectOfRelationEscrow);
  // What the engine asks for a cycle of this kind, read first: an initial cycle's users are those
  // the job provisions; an incremental cycle's, those the users phase visited and their reports.
  let provisioned: Iterable<string> = [];
  let visited: readonly string[] = [];
  let reports: Iterable<string> = [];
  if (kind === 'Initial') {
    provisioned = await db.connector.listActiveSourceIds(job.jobId, 'User');
  } else {
    visited = [
      ...new Set([
        ...(await select(users as ObjectTypeHandler)),
        ...(await db.events.listSourceIdsOfCycle(cycleId)),
      ]),
    ];
    reports = await db.directory.listDirectReportIds(visited);
  }
  const ids = selectReferenceUsers(kind, {
    provisionedUsers: () => provisioned,
    visitedUsers: () => visited,
    reportsOf: () => reports,
    dueEscrows,
  });
  return {
    ids,
    load: (chunk) => loadRelationItems(db, users, job, chunk, 'references', cycleId),
    process: (ctx, item) => syncReferences(ctx, users, item),
  };
}

/** One reference of a user to change in the target. */
interface ReferenceChange {
  attribute: string;
  referencedSourceId: string | null;
  targetId: string | null;
  held: string | null;
}

/** The references of one user made to match the directory, and its event written when one changed. */
export async function syncReferences(
  ctx: CycleContext,
  users: ObjectTypeHandler<DirectoryUserRecord>,
  item: ReferenceItem,
): Promise<ObjectResult> {
  const { db, jobId } = ctx;
  const { object: user } = item;
  const connector = user.connector;
  const targetId = connector?.state === 'linked' ? connector.targetId : null;
  if (connector === null || targetId === null || user.source === null) return settleQuietly(ctx, item.escrow);
  // Its own phase failed: its references wait for its retry, their escrow kept.
  if (failedEarlier(item.earlier)) return settleQuietly(ctx, null);
  const scoped = users.viewOf(user.source, user.entitlement, {
    syncAll: ctx.options.syncAll,
    appRoles: ctx.servicePrincipal.appRoles,
  });
  if (!scoped.scope.inScope) return settleQuietly(ctx, item.escrow);

  const time = ctx.now();
  const wanted = referencedSourceIds(users.compiled, scoped.view, { now: time, random: ctx.random });
  const referenced = await db.connector.listExportedNames(
    jobId,
    wanted.flatMap((w) => (w.referencedSourceId ? [w.referencedSourceId] : [])),
  );
  const changes: ReferenceChange[] = [];
  const waiting: { attribute: string; referencedSourceId: string }[] = [];
  for (const w of wanted) {
    const target = w.referencedSourceId ? referenced.get(w.referencedSourceId) : undefined;
    const heldValue = connector.lastExported[w.attribute];
    const held = typeof heldValue === 'string' ? heldValue : null;
    const plan = planReferenceChange({
      referencedSourceId: w.referencedSourceId,
      referencedTargetId: referenceableTargetId(target),
      heldTargetId: held,
    });
    if (plan.kind === 'set') changes.push({ ...w, targetId: plan.targetId, held });
    if (plan.kind === 'clear') changes.push({ ...w, targetId: null, held });
    if (plan.kind === 'wait' && w.referencedSourceId)
      waiting.push({ attribute: w.attribute, referencedSourceId: w.referencedSourceId });
  }
  if (changes.length === 0 && waiting.length === 0) return settleQuietly(ctx, item.escrow);

  const exchanges: ScimExchange[] = [];
  const client = targetClient(ctx, (x) => exchanges.push(x));
  const applied: ReferenceChange[] = [];
  let failure: FailureDecision | null = null;
  try {
    for (const c of changes) {
      await send(ctx, 'update', () => client.setUserReference(targetId, c.attribute, c.targetId));
      applied.push(c);
    }
  } catch (error) {
    if (error instanceof Interrupted) {
      await ctx.writer.write([dbWrite('connector', 'saveObject', withReferences(connector, applied))]);
      return { kind: 'interrupted', entriesDelta: 0 };
    }
    if (!(error instanceof ObjectFailure)) throw error;
    failure = error.decision;
  }

  // How the event names the objects the references point at (`relationNames`): one not provisioned
  // (waiting, or replacing a reference to one that was) as the directory names it.
  const nameOf = await relationNames(
    db,
    referenced,
    [...changes, ...waiting].flatMap((c) => (c.referencedSourceId ? [c.referencedSourceId] : [])),
  );
  const references: ReferenceResolution[] = [
    ...changes.map((c) => ({
      attribute: c.attribute,
      referenced: c.referencedSourceId
        ? { objectType: 'User', id: c.referencedSourceId, name: nameOf(c.referencedSourceId) }
        : null,
      targetId: c.targetId,
    })),
    ...waiting.map((w) => ({
      attribute: w.attribute,
      referenced: { objectType: 'User', id: w.referencedSourceId, name: nameOf(w.referencedSourceId) },
      targetId: null,
      pending: true,
    })),
  ];
  return settleRelationExport(ctx, {
    handler: users,
    item: user,
    scoped,
    targetId,
    earlier: item.earlier,
    changes: changes.map((c) => ({ path: c.attribute, oldValue: c.held, newValue: c.targetId })),
    references,
    ...(changes.length === 0
      ? {
          waitingFor: waiting
            .map(
              (w) => `its ${w.attribute}, User '${nameOf(w.referencedSourceId)}' (${w.referencedSourceId}),`,
            )
            .join(' and '),
        }
      : {}),
    failure,
    exchanges,
    escrow: {
      sourceId: relationEscrowId(user.sourceId, 'references'),
      objectType: 'Reference',
      previous: item.escrow,
    },
    time,
    stateWrites:
      applied.length > 0 ? [dbWrite('connector', 'saveObject', withReferences(connector, applied))] : [],
  });
}

/** The connector record with the references the target now holds. */
function withReferences(
  connector: NonNullable<SyncItem['connector']>,
  applied: readonly ReferenceChange[],
): Omit<NonNullable<SyncItem['connector']>, 'updatedAt'> {
  const lastExported = { ...connector.lastExported };
  for (const c of applied) {
    if (c.targetId === null) delete lastExported[c.attribute];
    else lastExported[c.attribute] = c.targetId;
  }
  return { ...connector, lastExported };
}
