import { randomUUID } from 'node:crypto';
import type { ProvisioDb, ProvisioningJobRecord } from '@provisio/db';
import {
  compileObjectMapping,
  cycleState,
  emptyTally,
  findTargetObject,
  findUserObjectMapping,
  readJobOptions,
  summarizeExecution,
  type CompiledObjectMapping,
  type CycleKind,
  type CycleState,
  type CycleTally,
  type Entitlement,
  type JobOptions,
  type SynchronizationError,
} from '@provisio/engine';
import { forEachConcurrently } from './concurrency';
import { EventSink } from './event-sink';
import { syncUser, type CycleContext } from './sync-user';

export interface CycleDeps {
  db: ProvisioDb;
  workerId: string;
  now: () => Date;
  /** Requests in flight per target unless the job's `MaxConcurrentExports` says otherwise. */
  concurrency: number;
  log: (line: string) => void;
}

/** What a cycle did, for the log line and for tests. */
export interface CycleReport {
  jobId: string;
  cycleId: string;
  kind: CycleKind;
  /** 'Interrupted' = the worker stopped or lost the lease before the cycle finished. */
  state: CycleState | 'Interrupted';
  tally: CycleTally;
  error: SynchronizationError | null;
  durationMs: number;
  /** The directory change number the cycle covered up to. */
  upTo: number;
}

/** Objects read and synchronized per batch: bounds memory and sets the pace of progress updates. */
const BATCH = 200;
/** Group changes that change who a group entitles (membership changes are recorded on the user too). */
const GROUP_ENTITLEMENT_CHANGES = ['assignment', 'unassignment'];

interface Prepared {
  compiled: CompiledObjectMapping;
  options: JobOptions;
}

function prepare(
  db: ProvisioDb,
  job: ProvisioningJobRecord,
  concurrency: number,
): Prepared | SynchronizationError {
  const options = readJobOptions(db.jobs.getSecrets(job.id), job.settings, { maxConcurrency: concurrency });
  if (!options.ok)
    return { code: options.error.code, message: options.error.message, tenantActionable: true };
  const found = findUserObjectMapping(job.schema);
  if (!found.ok) return { code: found.error.code, message: found.error.message, tenantActionable: true };
  const compiled = compileObjectMapping(found.mapping, {
    targetObject: findTargetObject(job.schema.directories, found.mapping.targetObjectName),
  });
  if (!compiled.ok) {
    const first = compiled.errors[0];
    return {
      code: first?.code ?? 'mapping.invalid',
      message: compiled.errors.map((e) => e.message).join(' '),
      tenantActionable: true,
    };
  }
  return { compiled: compiled.mapping, options: options.options };
}

/** The source ids an initial cycle visits: everyone entitled (or everyone, with Sync all) and everyone provisioned. */
function initialSourceIds(
  db: ProvisioDb,
  job: ProvisioningJobRecord,
  syncAll: boolean,
  entitled: Map<string, Entitlement>,
): string[] {
  const ids = new Set<string>(syncAll ? db.directory.listUserIds() : entitled.keys());
  // Users the job provisioned that are no longer entitled: they are disabled.
  for (const id of db.connector.listActiveSourceIds(job.id)) ids.add(id);
  return [...ids];
}

/** The source ids an incremental cycle visits: changed users and the members of groups whose assignment changed. */
function incrementalSourceIds(db: ProvisioDb, after: number, upTo: number): string[] {
  const ids = new Set<string>();
  for (const c of db.directory.listChangedObjects(after, upTo))
    if (c.objectType === 'user') ids.add(c.objectId);
  for (const groupId of db.directory.listChangedObjectIdsByChangeType(
    after,
    upTo,
    'group',
    GROUP_ENTITLEMENT_CHANGES,
  )) {
    for (const member of db.directory.listMemberIds(groupId)) ids.add(member);
  }
  return [...ids];
}

/**
 * Runs one cycle of a claimed job: initial (watermark null: every entitled and every provisioned
 * user) or incremental (users changed since the watermark), then records the outcome: cycle row,
 * job status (Graph's synchronizationStatus), watermark, next run.
 */
export async function runCycle(
  deps: CycleDeps,
  job: ProvisioningJobRecord,
  signal: AbortSignal,
): Promise<CycleReport> {
  const { db, now } = deps;
  const began = now();
  const beganIso = began.toISOString();
  const cycleId = randomUUID();
  const kind: CycleKind = job.watermark === null ? 'Initial' : 'Incremental';
  // Read once: changes after this number belong to the next cycle, even if they land while this one runs.
  const upTo = db.directory.latestChangeSeq();
  const tally = emptyTally();
  let stopError: SynchronizationError | null = null;

  db.cycles.insertCycle({ id: cycleId, jobId: job.id, kind });
  const setProgress = (completed: number, total: number) =>
    db.jobs.mutateStatus(job.id, (s) => {
      s.currentCycle = { cycleId, cycleKind: kind, timeBegan: beganIso };
      s.progress = [
        {
          completedUnits: completed,
          totalUnits: total,
          units: 'Users',
          progressObservationDateTime: now().toISOString(),
        },
      ];
    });
  setProgress(0, 0);

  const events = new EventSink(db);
  let internalError: unknown = null;
  try {
    const prepared = prepare(db, job, deps.concurrency);
    if ('code' in prepared) {
      stopError = prepared;
    } else {
      const sp = db.applications.getServicePrincipal(job.servicePrincipalId);
      const entitled = kind === 'Initial' ? db.applications.listEntitledUserIds(sp.id) : null;
      const ids =
        kind === 'Initial'
          ? initialSourceIds(db, job, prepared.options.syncAll, entitled ?? new Map())
          : incrementalSourceIds(db, job.watermark ?? 0, upTo);
      const ctx: CycleContext = {
        db,
        jobId: job.id,
        cycleId,
        servicePrincipal: { id: sp.id, displayName: sp.displayName, appRoles: sp.appRoles },
        compiled: prepared.compiled,
        options: prepared.options,
        tally,
        events,
        now,
        signal,
        stopCycle: (error) => {
          stopError ??= error;
        },
      };
      setProgress(0, ids.length);
      const stop = () => signal.aborted || stopError !== null;
      for (let i = 0; i < ids.length && !stop(); i += BATCH) {
        const chunk = ids.slice(i, i + BATCH);
        const users = new Map(db.directory.listUsersByIds(chunk).map((u) => [u.id, u]));
        const connectors = db.connector.listObjectsBySourceIds(job.id, chunk);
        const items = chunk.map((sourceId) => ({
          sourceId,
          user: users.get(sourceId) ?? null,
          entitlement: entitled
            ? (entitled.get(sourceId) ?? null)
            : db.applications.findEntitlement(sp.id, sourceId),
          connector: connectors.get(sourceId) ?? null,
        }));
        await forEachConcurrently(
          items,
          prepared.options.maxConcurrency,
          (item) => syncUser(ctx, item),
          stop,
        );
        setProgress(Math.min(i + chunk.length, ids.length), ids.length);
      }
    }
  } catch (error) {
    // A defect, not a target failure: the cycle is recorded as failed with the message, and the
    // stack goes to stderr; the worker carries on with other jobs.
    internalError = error;
    stopError ??= {
      code: 'InternalError',
      message: `The provisioning service failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
      tenantActionable: false,
    };
  } finally {
    events.flush();
  }
  if (internalError !== null) console.error(`cycle ${cycleId} job=${job.id} failed:`, internalError);

  const ended = now();
  const durationMs = ended.getTime() - began.getTime();
  const report = (state: CycleReport['state'], error: SynchronizationError | null): CycleReport => {
    deps.log(
      `cycle ${cycleId} job=${job.id} kind=${kind} state=${state} imported=${tally.imported} created=${tally.created} ` +
        `updated=${tally.updated} disabled=${tally.disabled} deleted=${tally.deleted} skipped=${tally.skipped} ` +
        `failed=${tally.failed} events=${events.written} durationMs=${durationMs}${error ? ` error=${error.code}` : ''}`,
    );
    return { jobId: job.id, cycleId, kind, state, tally, error, durationMs, upTo };
  };

  if (signal.aborted && internalError === null && !stopError) {
    const reason =
      signal.reason === 'leaseLost' ? 'the worker lost the lease of the job' : 'the worker stopped';
    const message = `The cycle was interrupted because ${reason}; the next cycle starts again from the last watermark.`;
    db.cycles.finishCycle(cycleId, 'Failed', tally, { code: 'CycleInterrupted', message });
    // Another worker owns the job after a lost lease; only a clean stop may tidy the status.
    if (signal.reason !== 'leaseLost') {
      db.jobs.mutateStatus(job.id, (s) => {
        s.currentCycle = null;
        s.progress = [];
      });
    }
    return report('Interrupted', null);
  }

  const error = stopError;
  const state = cycleState(tally, error);
  const execution = summarizeExecution({
    cycleId,
    kind,
    timeBegan: beganIso,
    timeEnded: ended.toISOString(),
    tally,
    error,
  });
  db.cycles.finishCycle(cycleId, state, tally, error ? { code: error.code, message: error.message } : null);
  db.transaction(() => {
    const current = db.jobs.getJob(job.id);
    if (current.leaseOwner !== deps.workerId) return;
    const patch: Parameters<ProvisioDb['jobs']['updateJob']>[1] = {
      nextRunAt: new Date(ended.getTime() + current.intervalSeconds * 1000).toISOString(),
    };
    // A run requested while this cycle ran is for the next cycle: keep it.
    if (current.runRequestedAt !== null && current.runRequestedAt <= beganIso) patch.runRequestedAt = null;
    if (error === null) {
      const configUnchanged =
        current.watermark === job.watermark && current.schema.version === job.schema.version;
      // A mapping change or restart while the cycle ran asks for a new initial cycle: do not cover it up.
      if (configUnchanged) patch.watermark = upTo;
      else if (current.schema.version !== job.schema.version) patch.watermark = null;
      if (current.statusCode === 'NotRun') patch.statusCode = 'Active';
    }
    db.jobs.updateJob(job.id, patch);
    db.jobs.mutateStatus(job.id, (s) => {
      s.currentCycle = null;
      s.progress = [];
      s.lastExecution = execution;
      if (state === 'Failed') {
        s.countSuccessiveCompleteFailures += 1;
      } else {
        s.countSuccessiveCompleteFailures = 0;
        s.lastSuccessfulExecution = execution;
        if (tally.exported > 0) s.lastSuccessfulExecutionWithExports = execution;
      }
      if (state === 'Succeeded') {
        if (s.steadyStateFirstAchievedTime.startsWith('0001-'))
          s.steadyStateFirstAchievedTime = execution.timeEnded;
        s.steadyStateLastAchievedTime = execution.timeEnded;
      }
      s.synchronizedEntryCountByType = db.connector.countByType(job.id);
    });
  });
  return report(state, error);
}
