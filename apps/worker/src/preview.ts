import type { CyclePreviewRecord, PreviewObjectRecord } from '@provisio/db';
import { emptyPreviewCounts } from '@provisio/db';
import {
  countPreviewAction,
  emptyTally,
  planCycleStart,
  type CyclePhase,
  type CyclePreviewObject,
  type ObjectType,
  type SynchronizationError,
} from '@provisio/engine';
import { fetchTransport, type ScimTransport } from '@provisio/scim-client';
import { holdsRemovals } from './deletion-guard';
import { dbWrite, GroupCommitWriter } from './durable-writer';
import { selectOnce, type ObjectTypeHandler } from './object-handler';
import { phasesOf, prepareOrFail, type CycleDeps } from './run-cycle';
import { objectWork, runPhase, type PhaseHost, type PhaseWork } from './run-phase';
import { previewSyncObject, type CycleContext, type ObjectResult } from './sync-object';
import { TargetGate } from './target-gate';
import { TargetLinks } from './target-links';

/** What one preview did, for the log line and for tests. */
export interface PreviewReport {
  previewId: string;
  jobId: string;
  state: 'succeeded' | 'failed';
  counts: CyclePreviewRecord['counts'];
  error: { code: string; message: string } | null;
  requests: number;
  durationMs: number;
}

/** The phases a preview plans: the object types. Memberships and references are left to the cycle. */
const PREVIEWED: readonly CyclePhase[] = ['User', 'Group'];

/**
 * Plans the next cycle of a job without carrying it out: which cycle comes next (initial after a
 * mapping change or a restart, else incremental over the directory's changes since the watermark),
 * which objects it visits, and for each the action, reason and attribute changes — through the
 * same import, scoping, matching and planning as the cycle (`previewSyncObject`), with the same
 * accidental deletion count. Only reads reach the target: listings, GETs and filters. Nothing of
 * the job changes: no connector record, escrow, event, checkpoint or watermark.
 *
 * The caller holds the job's lease (taken with the claim), so a preview never runs beside a cycle.
 */
export async function runPreview(
  deps: CycleDeps,
  preview: CyclePreviewRecord,
  signal: AbortSignal,
): Promise<PreviewReport> {
  const { db, now, workerId } = deps;
  const began = now();
  const counts = emptyPreviewCounts();
  let requests = 0;
  const finish = async (
    state: PreviewReport['state'],
    error: PreviewReport['error'],
  ): Promise<PreviewReport> => {
    await db.previews.completePreview(preview.id, workerId, { status: state, counts, error }, now());
    const durationMs = now().getTime() - began.getTime();
    deps.log(
      `preview ${preview.id} job=${preview.jobId} state=${state} ${Object.entries(counts)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} requests=${requests} durationMs=${durationMs}${error ? ` error=${error.code}` : ''}`,
    );
    return { previewId: preview.id, jobId: preview.jobId, state, counts, error, requests, durationMs };
  };

  const job = await db.jobs.findJob(preview.jobId);
  if (!job)
    return finish('failed', {
      code: 'provisioning_job.not_found',
      message: 'The provisioning job was deleted.',
    });
  const prepared = await prepareOrFail(db, job, deps, `preview ${preview.id}`);
  if ('code' in prepared) return finish('failed', { code: prepared.code, message: prepared.message });

  const start = planCycleStart({
    checkpoint: null,
    watermark: job.watermark,
    configHash: job.configHash,
    currentConfigHash: prepared.configHash,
    latestChangeSeq: await db.directory.latestChangeSeq(),
    phases: phasesOf(prepared),
    newCycleId: preview.id,
    now: began,
  });
  await db.previews.describePreview(preview.id, workerId, {
    cycleKind: start.kind,
    configHash: await db.jobs.configurationFingerprint(job.id),
    watermark: job.watermark,
    upTo: start.upTo,
  });

  const sp = await db.applications.getServicePrincipal(job.servicePrincipalId);
  let stopError: SynchronizationError | null = null;
  const gate = new TargetGate(prepared.options.maxConcurrency, () => now().getTime());
  const writer = new GroupCommitWriter(db);
  const ctx: CycleContext = {
    db,
    jobId: job.id,
    cycleId: preview.id,
    servicePrincipal: { id: sp.id, displayName: sp.displayName, appRoles: sp.appRoles },
    options: prepared.options,
    writer,
    gate,
    transport: readOnly(deps.transport ?? fetchTransport, (refused) => {
      stopError ??= { code: 'InternalError', message: refused, tenantActionable: false };
    }),
    targetIndex: null,
    links: new TargetLinks(db, job.id),
    now,
    random: deps.random,
    signal,
    stopCycle: (error) => {
      stopError ??= error;
    },
    isStopped: () => stopError !== null,
  };
  const jobRef = { jobId: job.id, servicePrincipalId: sp.id, syncAll: prepared.options.syncAll };
  const window = { after: start.after ?? 0, upTo: start.upTo, now: began };
  const select = selectOnce(db, jobRef, start.kind, window);
  ctx.holdRemovals = (await holdsRemovals(db, job, prepared, jobRef, select, deps.log)).hold;

  let seq = 0;
  const host: PhaseHost = {
    tally: emptyTally(),
    get stopError() {
      return stopError;
    },
    completed: 0,
    total: 0,
    phaseProgress: { completed: 0, total: 0, units: 'Users' },
    events: 0,
    listed: false,
    countEntries: () => undefined,
    save: async () => {
      await db.previews.saveProgress(preview.id, workerId, counts, {
        completed: host.phaseProgress.completed,
        total: host.phaseProgress.total,
        units: host.phaseProgress.units,
      });
    },
  };
  /** One object planned: counted, and its row written with the next group commit. */
  const planOne = async <Source>(
    c: CycleContext,
    handler: ObjectTypeHandler<Source>,
    item: Parameters<typeof previewSyncObject<Source>>[2],
  ): Promise<ObjectResult> => {
    const planned = await previewSyncObject(c, handler, item);
    if (planned.kind === 'interrupted') return { kind: 'interrupted', entriesDelta: 0 };
    if (planned.object) {
      countPreviewAction(counts, planned.object.action);
      const row = previewRow(handler.objectType, item.sourceId, planned.object);
      const at = seq++;
      await writer.write([dbWrite('previews', 'insertObjects', preview.id, at, [row])]);
    }
    return { kind: 'settled', tally: emptyTally(), wroteEvent: false, event: null, entriesDelta: 0 };
  };

  let interrupted = false;
  for (const [p, phase] of PREVIEWED.filter((ph) => prepared.handlers.has(ph as ObjectType)).entries()) {
    const handler = prepared.handlers.get(phase as ObjectType) as ObjectTypeHandler;
    const work: PhaseWork<unknown> = {
      ...((await objectWork(handler, jobRef, start.kind, select, db, host)) as PhaseWork<unknown>),
      process: (c, item) => planOne(c, handler, item as Parameters<typeof planOne>[2]),
    };
    const outcome = await runPhase({
      ctx,
      phase,
      kind: start.kind,
      work,
      settledThrough: null,
      first: p === 0,
      resumed: false,
      run: host,
      units: handler.units,
      checkpointIntervalMs: deps.checkpointIntervalMs ?? 1_000,
      log: (line) => deps.log(line.replace(/^cycle /, 'preview ')),
    });
    if (outcome === 'interrupted' || signal.aborted) {
      interrupted = true;
      break;
    }
    if (stopError !== null) break;
  }
  await writer.drain();
  requests = gate.requests;
  await host.save({ phase: 'User', settledThrough: null });
  if (interrupted) {
    return finish('failed', {
      code: 'WorkerStopped',
      message: 'The worker stopped before it finished this preview. Preview the next cycle again.',
    });
  }
  const error = stopError as SynchronizationError | null;
  return finish(error ? 'failed' : 'succeeded', error ? { code: error.code, message: error.message } : null);
}

/** A planned object as the preview's page lists and searches it. */
function previewRow(objectType: string, sourceId: string, object: CyclePreviewObject): PreviewObjectRecord {
  const searchText = [
    sourceId,
    object.sourceIdentity.displayName,
    object.targetIdentity.id,
    object.targetIdentity.displayName,
  ]
    .join(' ')
    .toLowerCase();
  return { objectType, sourceId, searchText, object };
}

/**
 * The preview's promise that the application is only read, kept by the transport itself: a request
 * other than GET is a defect of ours, and fails the preview before it reaches the wire.
 */
function readOnly(transport: ScimTransport, refused: (message: string) => void): ScimTransport {
  return {
    send(request) {
      if (request.method !== 'GET') {
        const message = `A preview must not change the application; it tried ${request.method} ${request.url}.`;
        refused(message);
        return Promise.reject(new Error(message));
      }
      return transport.send(request);
    },
  };
}
