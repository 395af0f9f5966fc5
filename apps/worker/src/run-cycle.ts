import { createHash, randomUUID } from 'node:crypto';
import type { ProvisioDb, ProvisioningJobRecord } from '@provisio/db';
import {
  compileObjectMapping,
  cycleState,
  describeCycleConfiguration,
  emptyTally,
  findTargetObject,
  findUserObjectMapping,
  readJobOptions,
  summarizeExecution,
  type CompiledObjectMapping,
  type CycleKind,
  type CycleState,
  type CycleTally,
  type JobOptionDefaults,
  type JobOptions,
  type SynchronizationError,
} from '@provisio/engine';
import { fetchTransport, type ScimTransport } from '@provisio/scim-client';
import { DurableWriter } from './durable-writer';
import { TargetGate } from './target-gate';
import { listTargetUsers } from './target-listing';
import { syncUser, type CycleContext, type SyncItem } from './sync-user';

export interface CycleDeps {
  db: ProvisioDb;
  workerId: string;
  now: () => Date;
  /** Requests in flight per target unless the job's `MaxConcurrentExports` says otherwise. */
  concurrency: number;
  /** Retry and escrow schedules for jobs whose settings say nothing. */
  defaults?: JobOptionDefaults;
  /** How SCIM requests go on the wire; default Node's fetch (the worker process passes its undici agent). */
  transport?: ScimTransport;
  /** How often the checkpoint (and the progress the portal shows) is saved; default 1 s. */
  checkpointIntervalMs?: number;
  log: (line: string) => void;
}

/** What a cycle did, for the log line and for tests. */
export interface CycleReport {
  jobId: string;
  cycleId: string;
  kind: CycleKind;
  /** 'Interrupted' = the worker stopped or lost the lease; the cycle resumes from its checkpoint. */
  state: CycleState | 'Interrupted';
  tally: CycleTally;
  error: SynchronizationError | null;
  /** This run of the cycle (a resumed cycle counts from its resumption). */
  durationMs: number;
  /** The directory change number the cycle covers up to. */
  upTo: number;
  /** Whether this run resumed a cycle an earlier run left off. */
  resumed: boolean;
  /** HTTP requests sent to the target in this run, retries and listing included. */
  requests: number;
  /** Whether the initial cycle matched users against a listing of the target. */
  listed: boolean;
  /** 429 answers received in this run. */
  throttled: number;
}

/** Objects in flight per request the target may have in flight. */
const LANES_PER_REQUEST = 4;
/** Source objects read from the database at a time: bounds memory whatever the directory size. */
const CHUNK = 500;
/** Group changes that change who a group entitles (membership changes are recorded on the user too). */
const GROUP_ENTITLEMENT_CHANGES = ['assignment', 'unassignment'];

export interface Prepared {
  compiled: CompiledObjectMapping;
  options: JobOptions;
  configHash: string;
}

/** The job's options and compiled user mapping, or the configuration error that stops its work. */
export function prepare(
  db: ProvisioDb,
  job: ProvisioningJobRecord,
  deps: CycleDeps,
): Prepared | SynchronizationError {
  const options = readJobOptions(db.jobs.getSecrets(job.id), job.settings, {
    ...deps.defaults,
    maxConcurrency: deps.concurrency,
  });
  if (!options.ok)
    return { code: options.error.code, message: options.error.message, tenantActionable: true };
  const found = findUserObjectMapping(job.schema);
  if (!found.ok) return { code: found.error.code, message: found.error.message, tenantActionable: true };
  const targetObject = findTargetObject(job.schema.directories, found.mapping.targetObjectName);
  const compiled = compileObjectMapping(found.mapping, { targetObject });
  if (!compiled.ok) {
    const first = compiled.errors[0];
    return {
      code: first?.code ?? 'mapping.invalid',
      message: compiled.errors.map((e) => e.message).join(' '),
      tenantActionable: true,
    };
  }
  const configHash = createHash('sha256')
    .update(describeCycleConfiguration(found.mapping, targetObject, options.options))
    .digest('base64url');
  return { compiled: compiled.mapping, options: options.options, configHash };
}

/** The source ids an initial cycle visits: everyone entitled (or everyone, with Sync all), provisioned or escrowed. */
function initialSourceIds(
  db: ProvisioDb,
  jobId: string,
  servicePrincipalId: string,
  syncAll: boolean,
): string[] {
  const ids = new Set<string>(
    syncAll ? db.directory.listUserIds() : db.applications.listEntitledUserIdList(servicePrincipalId),
  );
  // Users the job provisioned that are no longer entitled: they are disabled.
  for (const id of db.connector.listActiveSourceIds(jobId)) ids.add(id);
  for (const id of db.escrows.listSourceIds(jobId)) ids.add(id);
  return [...ids];
}

/**
 * The source ids an incremental cycle visits: users changed in (after, upTo], the members of
 * groups whose assignment changed, and escrowed users whose retry is due.
 */
function incrementalSourceIds(
  db: ProvisioDb,
  jobId: string,
  after: number,
  upTo: number,
  now: Date,
): string[] {
  const ids = new Set<string>();
  for (const c of db.directory.listChangedObjects(after, upTo))
    if (c.objectType === 'user') ids.add(c.objectId);
  for (const groupId of db.directory.listChangedObjectIdsByChangeType(
    after,
    upTo,
    'group',
    GROUP_ENTITLEMENT_CHANGES,
  ))
    for (const member of db.directory.listMemberIds(groupId)) ids.add(member);
  for (const id of db.escrows.listDueSourceIds(jobId, now.toISOString())) ids.add(id);
  return [...ids];
}

/** Index of the first id after `settledThrough` in sorted `ids`. */
function firstUnsettled(ids: readonly string[], settledThrough: string | null): number {
  if (settledThrough === null) return 0;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as string) <= settledThrough) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function addTally(into: CycleTally, from: CycleTally): void {
  for (const key of Object.keys(into) as (keyof CycleTally)[]) into[key] += from[key];
}

function tallyFrom(counts: Record<string, number>): CycleTally {
  const tally = emptyTally();
  for (const key of Object.keys(tally) as (keyof CycleTally)[]) tally[key] = counts[key] ?? 0;
  return tally;
}

/**
 * Runs one cycle of a claimed job, or resumes the one a crash, a lost lease or a stop left off:
 * initial (every entitled and every provisioned user) or incremental (users changed since the
 * watermark, and escrows due). Objects are visited in source id order with bounded concurrency;
 * each ends in one durable write (connector record, escrow, provisioning event), and a checkpoint
 * saved every second says through which id every object is settled. At the end: the cycle row,
 * the job status (Graph's synchronizationStatus), the watermark and configuration fingerprint, the
 * next run.
 */
export async function runCycle(
  deps: CycleDeps,
  job: ProvisioningJobRecord,
  signal: AbortSignal,
): Promise<CycleReport> {
  const { db, now, workerId } = deps;
  const runBegan = now();
  let prepared: Prepared | SynchronizationError;
  try {
    prepared = prepare(db, job, deps);
  } catch (error) {
    // Unreadable secrets (another secret key) or a schema the engine cannot read: the cycle fails
    // with the reason, at the job's interval, instead of the worker stopping.
    console.error(`cycle of job=${job.id} could not be prepared:`, error);
    prepared = {
      code: 'InternalError',
      message: `The provisioning job could not be read: ${error instanceof Error ? error.message : String(error)}`,
      tenantActionable: false,
    };
  }
  const configError = 'code' in prepared ? prepared : null;

  // Resume the interrupted cycle, unless the configuration or the watermark changed meanwhile.
  let checkpoint = job.cycleCheckpoint;
  if (
    checkpoint &&
    (configError !== null ||
      ('configHash' in prepared && checkpoint.configHash !== prepared.configHash) ||
      checkpoint.after !== job.watermark)
  ) {
    db.transaction(() => {
      db.cycles.finishCycle(checkpoint!.cycleId, 'Failed', tallyFrom(checkpoint!.counts), {
        code: 'CycleAbandoned',
        message:
          'The cycle was interrupted and the configuration or the watermark changed before it could resume; a new cycle covers its objects.',
      });
      db.jobs.updateJob(job.id, { cycleCheckpoint: null });
    });
    checkpoint = null;
  }
  const resumed = checkpoint !== null;
  const kind: CycleKind =
    checkpoint?.kind ??
    (job.watermark === null || (!configError && job.configHash !== (prepared as Prepared).configHash)
      ? 'Initial'
      : 'Incremental');
  const cycleId = checkpoint?.cycleId ?? randomUUID();
  const timeBegan = checkpoint?.timeBegan ?? runBegan.toISOString();
  // Read once: changes after this number belong to the next cycle, even if they land while this one runs.
  const upTo = checkpoint?.upTo ?? db.directory.latestChangeSeq();
  // The watermark the cycle starts from (an initial cycle after a configuration change has one too).
  const after = checkpoint ? checkpoint.after : job.watermark;
  const tally = checkpoint ? tallyFrom(checkpoint.counts) : emptyTally();

  db.transaction(() => {
    db.cycles.failRunningCycles(
      job.id,
      {
        code: 'WorkerInterrupted',
        message: 'The worker running this cycle stopped before it finished; this cycle was abandoned.',
      },
      checkpoint?.cycleId ?? null,
    );
    if (checkpoint) db.cycles.setCycleWorker(cycleId, workerId);
    else db.cycles.insertCycle({ id: cycleId, jobId: job.id, kind, beganAt: timeBegan, workerId });
    if (!checkpoint && !configError) {
      checkpoint = {
        cycleId,
        kind,
        timeBegan,
        after,
        upTo,
        configHash: (prepared as Prepared).configHash,
        settledThrough: null,
        completed: 0,
        total: 0,
        counts: { ...tally },
      };
      db.jobs.updateJob(job.id, { cycleCheckpoint: checkpoint });
    }
    db.jobs.mutateStatus(job.id, (s) => {
      s.currentCycle = { cycleId, cycleKind: kind, timeBegan };
    });
  });

  let stopError: SynchronizationError | null = configError;
  let internalError: unknown = null;
  let interrupted = false;
  let checkpointLost = false;
  let listed = false;
  let events = 0;
  let settledThrough = checkpoint?.settledThrough ?? null;
  let completed = checkpoint?.completed ?? 0;
  let entriesDelta = checkpoint?.entriesDelta ?? 0;
  let total = checkpoint?.total ?? 0;
  let writer: DurableWriter | null = null;
  const gate = new TargetGate(configError ? 1 : (prepared as Prepared).options.maxConcurrency);

  const progress = () => [
    {
      completedUnits: completed,
      totalUnits: total,
      units: 'Users',
      progressObservationDateTime: now().toISOString(),
    },
  ];
  const saveCheckpoint = () => {
    if (!checkpoint || checkpointLost) return;
    checkpoint = { ...checkpoint, settledThrough, completed, total, counts: { ...tally }, entriesDelta };
    const saved = db.jobs.saveCycleCheckpoint(job.id, workerId, checkpoint, progress());
    // Not saved: the lease is gone (the heartbeat aborts the cycle) or a restart discarded the cycle,
    // which then finishes without moving the watermark.
    if (!saved) checkpointLost = true;
  };

  if (!configError) {
    const { compiled, options } = prepared as Prepared;
    try {
      const sp = db.applications.getServicePrincipal(job.servicePrincipalId);
      const ids = (
        kind === 'Initial'
          ? initialSourceIds(db, job.id, sp.id, options.syncAll)
          : incrementalSourceIds(db, job.id, after ?? 0, upTo, runBegan)
      ).sort();
      const start = firstUnsettled(ids, settledThrough);
      total = resumed ? completed + (ids.length - start) : ids.length;
      deps.log(
        `cycle ${cycleId} job=${job.id} kind=${kind} ${resumed ? `resumed settled=${completed}` : 'started'} objects=${total}`,
      );
      saveCheckpoint();

      writer = new DurableWriter(db);
      const ctx: CycleContext = {
        db,
        jobId: job.id,
        cycleId,
        servicePrincipal: { id: sp.id, displayName: sp.displayName, appRoles: sp.appRoles },
        compiled,
        options,
        writer,
        gate,
        transport: deps.transport ?? fetchTransport,
        targetIndex: null,
        now,
        signal,
        stopCycle: (error) => {
          stopError ??= error;
        },
        isStopped: () => stopError !== null,
      };
      const stop = () => signal.aborted || stopError !== null;

      if (kind === 'Initial' && start < ids.length) {
        const usersToMatch = Math.max(0, ids.length - start - db.connector.countLinked(job.id));
        const listing = await listTargetUsers(
          ctx,
          options,
          compiled,
          options.initialCycleMatching,
          usersToMatch,
        );
        if (listing) {
          ctx.targetIndex = listing.index;
          listed = true;
        }
      }

      // Items are read from the database a chunk at a time, just ahead of the lanes.
      const loaded = new Map<number, SyncItem>();
      let loadedTo = start;
      const load = () => {
        const chunk = ids.slice(loadedTo, Math.min(ids.length, loadedTo + CHUNK));
        const users = new Map(db.directory.listUsersByIds(chunk).map((u) => [u.id, u]));
        const connectors = db.connector.listObjectsBySourceIds(job.id, chunk);
        const escrows = db.escrows.listEscrowsBySourceIds(job.id, chunk);
        const entitlements = db.applications.listEntitlementsOf(sp.id, chunk);
        chunk.forEach((sourceId, k) => {
          loaded.set(loadedTo + k, {
            sourceId,
            user: users.get(sourceId) ?? null,
            entitlement: entitlements.get(sourceId) ?? null,
            connector: connectors.get(sourceId) ?? null,
            escrow: escrows.get(sourceId) ?? null,
          });
        });
        loadedTo += chunk.length;
      };

      // Objects finish out of order; the checkpoint only passes an object once every earlier one is settled.
      const settled = new Map<number, CycleTally>();
      let lowWater = start;
      let lastSave = Date.now();
      const checkpointEvery = deps.checkpointIntervalMs ?? 1_000;
      let next = start;
      let defect: { error: unknown } | null = null;
      const lane = async (): Promise<void> => {
        while (!stop() && !interrupted && defect === null) {
          const i = next;
          if (i >= ids.length) return;
          next += 1;
          while (i >= loadedTo) load();
          const item = loaded.get(i) as SyncItem;
          loaded.delete(i);
          const result = await syncUser(ctx, item);
          entriesDelta += result.entriesDelta;
          if (result.kind === 'interrupted') {
            interrupted = true;
            return;
          }
          if (result.wroteEvent) events += 1;
          settled.set(i, result.tally);
          for (let t = settled.get(lowWater); t !== undefined; t = settled.get(lowWater)) {
            addTally(tally, t);
            settled.delete(lowWater);
            settledThrough = ids[lowWater] ?? settledThrough;
            lowWater += 1;
            completed += 1;
          }
          if (Date.now() - lastSave >= checkpointEvery) {
            lastSave = Date.now();
            saveCheckpoint();
          }
        }
      };
      // More objects in flight than requests: an object also waits for its durable writes, and
      // those wait for a group commit; the gate keeps requests within the target's limit.
      await Promise.all(
        Array.from({ length: options.maxConcurrency * LANES_PER_REQUEST }, async () => {
          try {
            await lane();
          } catch (error) {
            // The first defect stops new objects; it is rethrown once the others in flight settle.
            defect ??= { error };
          }
        }),
      );
      ctx.writer.flush();
      if (defect !== null) throw (defect as { error: unknown }).error;
    } catch (error) {
      // A defect, not a target failure: the cycle is recorded as failed with the message, and the
      // stack goes to stderr; the worker carries on with other jobs.
      internalError = error;
      stopError ??= {
        code: 'InternalError',
        message: `The provisioning service failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
        tenantActionable: false,
      };
    }
  }
  if (internalError !== null) console.error(`cycle ${cycleId} job=${job.id} failed:`, internalError);

  const ended = now();
  const durationMs = ended.getTime() - runBegan.getTime();
  const report = (state: CycleReport['state'], error: SynchronizationError | null): CycleReport => {
    deps.log(
      `cycle ${cycleId} job=${job.id} kind=${kind} state=${state} imported=${tally.imported} created=${tally.created} ` +
        `updated=${tally.updated} disabled=${tally.disabled} deleted=${tally.deleted} skipped=${tally.skipped} ` +
        `failed=${tally.failed} escrowed=${tally.escrowed} events=${events} requests=${gate.requests} ` +
        `throttled=${gate.limit.throttled}${listed ? ' listed=true' : ''} commits=${writer?.commits ?? 0} durationMs=${durationMs}${error ? ` error=${error.code}` : ''}`,
    );
    return {
      jobId: job.id,
      cycleId,
      kind,
      state,
      tally,
      error,
      durationMs,
      upTo,
      resumed,
      requests: gate.requests,
      listed,
      throttled: gate.limit.throttled,
    };
  };

  if ((interrupted || signal.aborted) && internalError === null && stopError === null) {
    // The cycle stays open: whoever takes the job next resumes it from this checkpoint.
    saveCheckpoint();
    return report('Interrupted', null);
  }

  const error = stopError;
  const state = cycleState(tally, error);
  const execution = summarizeExecution({
    cycleId,
    kind,
    timeBegan,
    timeEnded: ended.toISOString(),
    tally,
    error,
  });
  db.transaction(() => {
    const current = db.jobs.findJob(job.id);
    // Another worker owns the job after a lost lease (it finishes the cycle), or the job was deleted.
    if (current?.leaseOwner !== workerId) return;
    db.cycles.finishCycle(cycleId, state, tally, error ? { code: error.code, message: error.message } : null);
    const ours = current.cycleCheckpoint?.cycleId === cycleId;
    const nextByInterval = ended.getTime() + current.intervalSeconds * 1000;
    const nextEscrow = db.escrows.findNextAttemptAt(job.id);
    const nextRun = nextEscrow === null ? nextByInterval : Math.min(nextByInterval, Date.parse(nextEscrow));
    const patch: Parameters<ProvisioDb['jobs']['updateJob']>[1] = {
      nextRunAt: new Date(nextRun).toISOString(),
      cycleCheckpoint: null,
    };
    // A run requested while this cycle ran is for the next cycle: keep it.
    if (current.runRequestedAt !== null && current.runRequestedAt <= timeBegan) patch.runRequestedAt = null;
    if (error === null) {
      // Every change up to `upTo` is settled (exported, skipped or escrowed). A restart during the
      // cycle discarded its checkpoint: the watermark stays where the restart put it.
      if (ours && !checkpointLost) {
        patch.watermark = upTo;
        patch.configHash = (prepared as Prepared).configHash;
      }
      if (current.statusCode === 'NotRun') patch.statusCode = 'Active';
    }
    // Quarantine (a later issue) evaluates the cycle's failures and escrow counts here.
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
      // An initial cycle counts every entry; an incremental one adds what its objects changed, so
      // that its cost follows the changes, not the size of the directory.
      const users = s.synchronizedEntryCountByType.find((e) => e.key === 'User');
      if (kind === 'Incremental' && users) users.value = Math.max(0, users.value + entriesDelta);
      else s.synchronizedEntryCountByType = db.connector.countByType(job.id);
    });
  });
  return report(state, error);
}
