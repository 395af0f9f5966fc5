import type {
  DirectoryGroupRecord,
  DirectoryUserRecord,
  OnDemandRequestRecord,
  OnDemandSubjectResult,
} from '@provisio/db';
import { addEntryDeltas, type SynchronizationError } from '@provisio/engine';
import { fetchTransport } from '@provisio/scim-client';
import { GroupCommitWriter } from './durable-writer';
import { prepareOrFail, type CycleDeps } from './run-cycle';
import { loadMembershipItems, syncMemberships } from './membership-work';
import { syncReferences } from './reference-work';
import { loadRelationItems } from './relation-export';
import type { ObjectTypeHandler } from './object-handler';
import { syncObject, type CycleContext, type ObjectResult } from './sync-object';
import { TargetGate } from './target-gate';
import { TargetLinks } from './target-links';

/** What one on-demand request did, for the log line and for tests. */
export interface OnDemandReport {
  requestId: string;
  jobId: string;
  state: 'Succeeded' | 'Failed';
  results: OnDemandSubjectResult[];
  error: { code: string; message: string } | null;
  durationMs: number;
}

/**
 * Provisions the subjects of one on-demand request, each through `syncObject` — the very code a
 * cycle runs for an object (import, scoping, matching, export, one durable write of connector
 * record, escrow and provisioning event) — and records the result for the waiting API.
 *
 * The caller holds the job's lease, taken atomically with the request by
 * `onDemand.claimRequest`. The lease is the job's one rule against two writers of its connector
 * data store: a cycle and an on-demand request working on the same user at once could both decide
 * to create its account, and a cycle's checkpoint assumes nobody else settles its objects. So an
 * on-demand request waits while a cycle of its job runs (the API answers 504 if that takes longer
 * than its wait), and no cycle starts while the request runs (a few seconds). Nothing of the cycle's
 * state is touched: no cycle row, checkpoint, watermark or next run — the next cycle finds the
 * object settled (a redundant export) or visits it as it would any changed object.
 *
 * Events carry the request's id as their `cycleId` and the asking account in `initiatedBy`.
 */
export async function runOnDemand(
  deps: CycleDeps,
  request: OnDemandRequestRecord,
  signal: AbortSignal,
): Promise<OnDemandReport> {
  const { db, now } = deps;
  const began = now();
  const finish = async (
    state: OnDemandReport['state'],
    results: OnDemandSubjectResult[],
    error: OnDemandReport['error'],
  ): Promise<OnDemandReport> => {
    await db.onDemand.completeRequest(request.id, deps.workerId, { status: state, results, error }, now());
    const durationMs = now().getTime() - began.getTime();
    deps.log(
      `on-demand ${request.id} job=${request.jobId} state=${state} subjects=${request.subjects.length} ` +
        `results=${results.map((r) => (r.event ? `${r.event.provisioningAction}:${r.event.provisioningStatusInfo.status}` : (r.error?.code ?? '-'))).join(',')} ` +
        `durationMs=${durationMs}${error ? ` error=${error.code}` : ''}`,
    );
    return { requestId: request.id, jobId: request.jobId, state, results, error, durationMs };
  };

  const job = await db.jobs.findJob(request.jobId);
  if (!job) {
    return finish('Failed', [], {
      code: 'provisioning_job.not_found',
      message: 'The provisioning job was deleted.',
    });
  }
  const prepared = await prepareOrFail(db, job, deps, `on-demand ${request.id}`);
  if ('code' in prepared) {
    // The details of a defect stay in the worker's log; the caller learns where to look.
    const message =
      prepared.code === 'InternalError'
        ? `The provisioning job could not be read. The worker's log has the details (on-demand request ${request.id}).`
        : prepared.message;
    return finish('Failed', [], { code: prepared.code, message });
  }
  const { options } = prepared;
  const users = prepared.handlers.get('User');
  if (!users)
    throw new Error('A provisioning job without a user mapping has nothing to provision on demand.');
  const sp = await db.applications.getServicePrincipal(job.servicePrincipalId);
  let stopError: SynchronizationError | null = null;
  const ctx: CycleContext = {
    db,
    jobId: job.id,
    cycleId: request.id,
    servicePrincipal: { id: sp.id, displayName: sp.displayName, appRoles: sp.appRoles },
    options,
    writer: new GroupCommitWriter(db),
    gate: new TargetGate(options.maxConcurrency, () => now().getTime()),
    transport: deps.transport ?? fetchTransport,
    targetIndex: null,
    links: new TargetLinks(db, job.id),
    keepEvents: true,
    now,
    random: deps.random,
    signal,
    stopCycle: (error) => {
      stopError ??= error;
    },
    isStopped: () => stopError !== null,
    initiatedBy: {
      id: request.requestedBy.id,
      displayName: `${request.requestedBy.userName} (Provision on demand)`,
      initiatorType: 'user',
    },
  };

  const results: OnDemandSubjectResult[] = [];
  const entriesDelta: Record<string, number> = {};
  const jobRef = { jobId: job.id, servicePrincipalId: sp.id };
  /** Runs one object through the cycle's pipeline and records its result. */
  const provision = async <Source>(handler: ObjectTypeHandler<Source>, sourceId: string, noun: string) => {
    const [item] = await handler.loadItems(db, jobRef, [sourceId]);
    if (!item?.source) {
      results.push({
        objectId: sourceId,
        event: null,
        error: { code: `${noun}.not_found`, message: `The directory has no ${noun} '${sourceId}'.` },
      });
      return;
    }
    const result = await syncObject(ctx, handler, item);
    record(sourceId, noun, handler.objectType, result);
    if (handler.objectType === 'User' && result.kind === 'settled') await provisionReferences(sourceId);
  };
  /**
   * A user's references (its manager), as a cycle's references phase resolves them: set when the
   * manager is in the application. Its event takes the place of the user's "already match", or
   * follows its creation or update; a manager not provisioned is told in the user's own event.
   */
  const provisionReferences = async (sourceId: string) => {
    if (users.compiled.references.length === 0) return;
    await ctx.writer.drain();
    const userRecords = users as ObjectTypeHandler<DirectoryUserRecord>;
    const [item] = await loadRelationItems(db, userRecords, jobRef, [sourceId], 'references', request.id);
    if (!item) return;
    const result = await syncReferences(ctx, userRecords, item);
    if (result.kind === 'interrupted' || result.event) record(sourceId, 'user', 'User', result);
  };
  const record = (sourceId: string, noun: string, objectType: string, result: ObjectResult) => {
    entriesDelta[objectType] = (entriesDelta[objectType] ?? 0) + result.entriesDelta;
    if (result.kind === 'interrupted') {
      results.push({
        objectId: sourceId,
        event: null,
        error: {
          code: 'provisioning_on_demand.interrupted',
          message: `The worker stopped before the ${noun} was provisioned. Provision the ${noun} again.`,
        },
      });
      return;
    }
    // An event that took the place of an earlier one (a group's skip, once its members are added)
    // is the object's only event: the one it replaced is no longer there.
    if (result.replacedEvent) {
      const replaced = results.findIndex((r) => r.event?.id === result.event?.id);
      if (replaced >= 0) results.splice(replaced, 1);
    }
    results.push({
      objectId: sourceId,
      event: result.event,
      error: result.event
        ? null
        : {
            code: 'provisioning_on_demand.no_change',
            message: `There was nothing to provision for this ${noun}.`,
          },
    });
  };

  for (const subject of request.subjects) {
    if (subject.objectTypeName === 'User') {
      await provision(users, subject.objectId, 'user');
      continue;
    }
    const groups = prepared.handlers.get('Group') as ObjectTypeHandler<DirectoryGroupRecord> | undefined;
    if (!groups) {
      results.push({
        objectId: subject.objectId,
        event: null,
        error: {
          code: 'provisioning_on_demand.group_mapping_disabled',
          message: 'Groups are not provisioned: enable the group mapping under Provisioning > Mappings.',
        },
      });
      continue;
    }
    // A group with up to five of its members: the members first, then the group, then those
    // members added to it (only them: the group's other members are left as they are).
    const members = subject.members ?? [];
    for (const member of members) await provision(users, member, 'user');
    await provision(groups, subject.objectId, 'group');
    await ctx.writer.drain();
    const [item] = await loadMembershipItems(db, groups, jobRef, [subject.objectId], request.id);
    if (item?.object.source && members.length > 0) {
      const result = await syncMemberships(ctx, groups, item, new Set(members));
      if (result.kind === 'interrupted' || result.event) record(subject.objectId, 'group', 'Group', result);
    }
  }
  await ctx.writer.drain();

  if (Object.values(entriesDelta).some((d) => d !== 0)) {
    await db.transaction(async (tx) => {
      let recount = false;
      await tx.jobs.mutateStatus(job.id, (s) => {
        const added = addEntryDeltas(s.synchronizedEntryCountByType, entriesDelta);
        if (added) s.synchronizedEntryCountByType = added;
        else recount = true;
      });
      // A type the counts did not have yet: counted afresh, in the same transaction.
      if (recount) {
        const counts = await tx.connector.countByType(job.id);
        await tx.jobs.mutateStatus(job.id, (s) => {
          s.synchronizedEntryCountByType = counts;
        });
      }
    });
  }
  const failed = results.every((r) => r.event === null);
  const error = stopError as SynchronizationError | null;
  return finish(
    failed ? 'Failed' : 'Succeeded',
    results,
    error ? { code: error.code, message: error.message } : failed ? (results[0]?.error ?? null) : null,
  );
}
