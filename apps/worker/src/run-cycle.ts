import { randomUUID } from 'node:crypto';
import {
  cycleConfigurationHash,
  timeOrderedId,
  type DirectoryGroupRecord,
  type DirectoryUserRecord,
  type ProvisioDb,
  type ProvisioningJobRecord,
} from '@provisio/db';
import {
  checkpointEntriesDelta,
  checkpointPhase,
  compileObjectMapping,
  cyclePhases,
  cycleState,
  deletionGuardAuditEvent,
  describeJobConfiguration,
  escrowThresholdInReach,
  findGroupObjectMapping,
  findTargetObject,
  findUserObjectMapping,
  notificationFor,
  planCycleFinish,
  planCycleStart,
  quarantineAuditEvent,
  readJobOptions,
  remainingPhases,
  tallyFrom,
  type CycleCheckpoint,
  type CycleKind,
  type CyclePhase,
  type CycleStart,
  type CycleState,
  type CompiledObjectMapping,
  type CycleTally,
  type JobOptionDefaults,
  type Notification,
  type JobOptions,
  type ObjectMapping,
  type ObjectType,
  type QuarantineEvidence,
  type QuarantineThresholds,
  type SynchronizationError,
} from '@provisio/engine';
import { fetchTransport, type ScimTransport } from '@provisio/scim-client';
import { holdsRemovals } from './deletion-guard';
import { GroupCommitWriter, type DurableWriter } from './durable-writer';
import { selectOnce, type ObjectTypeHandler, type SelectObjects } from './object-handler';
import { objectWork, runPhase, type PhaseProgress, type PhaseWork } from './run-phase';
import type { CycleContext } from './sync-object';
import { TargetGate } from './target-gate';
import { groupHandler } from './group-handler';
import { membershipWork } from './membership-work';
import { referenceWork } from './reference-work';
import { userHandler } from './user-handler';
import { TargetLinks } from './target-links';

export interface CycleDeps {
  db: ProvisioDb;
  workerId: string;
  /** The clock: cycle times, expressions' Now(), events, checkpoints and the target's pace all read it. */
  now: () => Date;
  /** Randomness for expressions (RandomString and the like). */
  random: () => number;
  /** Requests in flight per target unless the job's `MaxConcurrentExports` says otherwise. */
  concurrency: number;
  /** The lease length the worker renews (its finish step renews it once more); default 30 s. */
  leaseMs?: number;
  /** Retry and escrow schedules for jobs whose settings say nothing. */
  defaults?: JobOptionDefaults;
  /** How SCIM requests go on the wire; default Node's fetch (the worker process passes its undici agent). */
  transport?: ScimTransport;
  /** How often the checkpoint (and the progress the portal shows) is saved; default 1 s. */
  checkpointIntervalMs?: number;
  /** Sends a failure notification (the worker's mailer); absent when no mail server is configured. */
  notify?: (recipients: string[], notification: Notification) => Promise<void>;
  /** The portal's address, for the link in notifications. */
  portalUrl?: string | null;
  /**
   * Where a cycle's durable writes go (the worker process's commit thread); by default a group
   * commit on this thread through `db`.
   */
  writer?: () => DurableWriter;
  log: (line: string) => void;
}

/** The worker's lease length when the caller names none (PROVISIO_LEASE_MS's default). */
const DEFAULT_LEASE_MS = 30_000;

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
  /** Whether the initial cycle matched objects against a listing of the target. */
  listed: boolean;
  /** 429 answers received in this run. */
  throttled: number;
}

export interface Prepared {
  options: JobOptions;
  /** One handler per object type the job provisions, in the order of their phases. */
  handlers: ReadonlyMap<ObjectType, ObjectTypeHandler>;
  configHash: string;
}

/** The job's options and compiled object mappings, or the configuration error that stops its work. */
export async function prepare(
  db: ProvisioDb,
  job: ProvisioningJobRecord,
  deps: Pick<CycleDeps, 'defaults' | 'concurrency'>,
): Promise<Prepared | SynchronizationError> {
  const options = readJobOptions(await db.jobs.getSecrets(job.id), job.settings, {
    ...deps.defaults,
    maxConcurrency: deps.concurrency,
  });
  if (!options.ok)
    return { code: options.error.code, message: options.error.message, tenantActionable: true };
  const found = findUserObjectMapping(job.schema);
  if (!found.ok) return { code: found.error.code, message: found.error.message, tenantActionable: true };
  const users = compileMapping(job, found.mapping);
  if ('code' in users) return users;
  const handlers = new Map<ObjectType, ObjectTypeHandler>([['User', userHandler(users.compiled)]]);
  const groupMapping = findGroupObjectMapping(job.schema);
  const groups = groupMapping ? compileMapping(job, groupMapping) : null;
  if (groups && 'code' in groups) return groups;
  if (groups) handlers.set('Group', groupHandler(groups.compiled) as ObjectTypeHandler);
  const configHash = cycleConfigurationHash(describeJobConfiguration(job.schema, options.options));
  return { options: options.options, handlers, configHash };
}

/** One object mapping compiled against its target object definition, or the error that stops the job. */
function compileMapping(
  job: ProvisioningJobRecord,
  mapping: ObjectMapping,
): { compiled: CompiledObjectMapping } | SynchronizationError {
  const targetObject = findTargetObject(job.schema.directories, mapping.targetObjectName);
  const compiled = compileObjectMapping(mapping, { targetObject });
  if (compiled.ok) return { compiled: compiled.mapping };
  const first = compiled.errors[0];
  return {
    code: first?.code ?? 'mapping.invalid',
    message: compiled.errors.map((e) => e.message).join(' '),
    tenantActionable: true,
  };
}

/** `prepare`, with a defect (unreadable secrets, a schema the engine cannot read) turned into the job's error. */
export async function prepareOrFail(
  db: ProvisioDb,
  job: ProvisioningJobRecord,
  deps: Pick<CycleDeps, 'defaults' | 'concurrency'>,
  context: string,
): Promise<Prepared | SynchronizationError> {
  try {
    return await prepare(db, job, deps);
  } catch (error) {
    console.error(`${context}: the provisioning job could not be read:`, error);
    return {
      code: 'InternalError',
      message: `The provisioning job could not be read: ${error instanceof Error ? error.message : String(error)}`,
      tenantActionable: false,
    };
  }
}

const isPrepared = (p: Prepared | SynchronizationError): p is Prepared => 'configHash' in p;

/** The phases of the job's cycles: its object types, its group memberships and its users' references. */
export function phasesOf(prepared: Prepared): CyclePhase[] {
  const groups = prepared.handlers.get('Group');
  return cyclePhases({
    objectTypes: [...prepared.handlers.keys()],
    memberships:
      groups?.compiled.references.some((r) => r.targetAttributeName.toLowerCase() === 'members') ?? false,
    userReferences: (prepared.handlers.get('User')?.compiled.references.length ?? 0) > 0,
  });
}

/**
 * The running cycle's state that outlives a phase: its counts and progress, and whether its
 * checkpoint still stands. Saved as the checkpoint, which a resumed cycle starts from.
 */
class CycleRun {
  stopError: SynchronizationError | null;
  checkpointLost = false;
  events = 0;
  listed = false;
  completed: number;
  total: number;
  phaseProgress: PhaseProgress;
  /** How the entries of the connector data store changed, per object type. */
  readonly entriesDelta: Record<string, number>;
  readonly tally: CycleTally;

  constructor(
    private readonly deps: CycleDeps,
    private readonly jobId: string,
    readonly start: CycleStart,
    public checkpoint: CycleCheckpoint | null,
    configError: SynchronizationError | null,
    units: string,
  ) {
    this.stopError = configError;
    this.tally = start.tally;
    this.completed = checkpoint?.completed ?? 0;
    this.total = checkpoint?.total ?? 0;
    this.phaseProgress = { completed: 0, total: 0, units };
    this.entriesDelta = checkpointEntriesDelta(checkpoint);
  }

  countEntries(objectType: string, delta: number): void {
    if (delta !== 0) this.entriesDelta[objectType] = (this.entriesDelta[objectType] ?? 0) + delta;
  }

  /** The first job-level error stops the cycle; later ones add nothing. */
  stop(error: SynchronizationError): void {
    this.stopError ??= error;
  }

  /** Saves where the cycle stands and the progress the portal shows. */
  async save(at: { phase: CyclePhase; settledThrough: string | null }): Promise<void> {
    if (!this.checkpoint || this.checkpointLost) return;
    this.checkpoint = {
      ...this.checkpoint,
      ...at,
      completed: this.completed,
      total: this.total,
      counts: { ...this.tally },
      entriesDeltaByType: { ...this.entriesDelta },
    };
    const progress = [
      {
        completedUnits: this.phaseProgress.completed,
        totalUnits: this.phaseProgress.total,
        units: this.phaseProgress.units,
        progressObservationDateTime: this.deps.now().toISOString(),
      },
    ];
    const saved = await this.deps.db.jobs.saveCycleCheckpoint(
      this.jobId,
      this.deps.workerId,
      this.checkpoint,
      progress,
    );
    // Not saved: the lease is gone (the heartbeat aborts the cycle) or a restart discarded the cycle,
    // which then finishes without moving the watermark.
    if (!saved) this.checkpointLost = true;
  }
}

/**
 * Runs one cycle of a claimed job, or resumes the one a crash, a lost lease or a stop left off.
 * The engine decides how it starts (`planCycleStart`), which objects each phase visits and how it
 * ends (`planCycleFinish`); this function reads, calls, sends and writes, in that order:
 * open the cycle, run its phases (users, then groups, then memberships and references), close it.
 */
export async function runCycle(
  deps: CycleDeps,
  job: ProvisioningJobRecord,
  signal: AbortSignal,
): Promise<CycleReport> {
  const runBegan = deps.now();
  const prepared = await prepareOrFail(deps.db, job, deps, `cycle of job=${job.id}`);
  const run = await openCycle(deps, job, prepared, runBegan);
  const gate = new TargetGate(isPrepared(prepared) ? prepared.options.maxConcurrency : 1, () =>
    deps.now().getTime(),
  );
  const writer = deps.writer?.() ?? new GroupCommitWriter(deps.db);
  let interrupted = false;
  let internalError: unknown = null;
  if (isPrepared(prepared)) {
    try {
      interrupted = await runPhases(deps, job, prepared, run, { gate, writer, signal });
    } catch (error) {
      // A defect, not a target failure: the cycle is recorded as failed with the message, and the
      // stack goes to stderr; the worker carries on with other jobs.
      internalError = error;
      console.error(`cycle ${run.start.cycleId} job=${job.id} failed:`, error);
      run.stop({
        code: 'InternalError',
        message: `The provisioning service failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
        tenantActionable: false,
      });
    }
  }

  const ended = deps.now();
  const report = (state: CycleReport['state']): CycleReport => {
    const { start, tally } = run;
    const durationMs = ended.getTime() - runBegan.getTime();
    const error = state === 'Interrupted' ? null : run.stopError;
    deps.log(
      `cycle ${start.cycleId} job=${job.id} kind=${start.kind} state=${state} imported=${tally.imported} created=${tally.created} ` +
        `updated=${tally.updated} disabled=${tally.disabled} deleted=${tally.deleted} skipped=${tally.skipped} ` +
        `failed=${tally.failed} escrowed=${tally.escrowed} events=${run.events} requests=${gate.requests} ` +
        `throttled=${gate.limit.throttled}${run.listed ? ' listed=true' : ''} commits=${writer.commits} durationMs=${durationMs}${error ? ` error=${error.code}` : ''}`,
    );
    return {
      jobId: job.id,
      cycleId: start.cycleId,
      kind: start.kind,
      state,
      tally,
      error,
      durationMs,
      upTo: start.upTo,
      resumed: start.resumed,
      requests: gate.requests,
      listed: run.listed,
      throttled: gate.limit.throttled,
    };
  };

  if ((interrupted || signal.aborted) && internalError === null && run.stopError === null) {
    // The cycle stays open: whoever takes the job next resumes it from this checkpoint.
    if (run.checkpoint)
      await run.save({
        phase: checkpointPhase(run.checkpoint),
        settledThrough: run.checkpoint.settledThrough,
      });
    return report('Interrupted');
  }
  const closed = await closeCycle(deps, job, run, ended, isPrepared(prepared) ? prepared : null, gate);
  await sendNotification(deps, isPrepared(prepared) ? prepared : null, job.id, closed.notification);
  return report(closed.state);
}

/**
 * Opens the cycle: resumes the interrupted one, or records it as abandoned and starts a new one;
 * fails whatever a dead worker left running; saves the checkpoint and the job's current cycle.
 */
async function openCycle(
  deps: CycleDeps,
  job: ProvisioningJobRecord,
  prepared: Prepared | SynchronizationError,
  now: Date,
): Promise<CycleRun> {
  const { db, workerId } = deps;
  const phases = isPrepared(prepared) ? phasesOf(prepared) : [];
  const start = planCycleStart({
    checkpoint: job.cycleCheckpoint,
    watermark: job.watermark,
    configHash: job.configHash,
    currentConfigHash: isPrepared(prepared) ? prepared.configHash : null,
    latestChangeSeq: await db.directory.latestChangeSeq(),
    phases,
    newCycleId: randomUUID(),
    now,
  });
  await db.transaction(async (tx) => {
    if (start.abandoned) {
      await tx.cycles.finishCycle(start.abandoned.cycleId, 'Failed', tallyFrom(start.abandoned.counts), {
        code: 'CycleAbandoned',
        message:
          'The cycle was interrupted and the configuration or the watermark changed before it could resume; a new cycle covers its objects.',
      });
      await tx.jobs.updateJob(job.id, { cycleCheckpoint: null });
    }
    await tx.cycles.failRunningCycles(
      job.id,
      {
        code: 'WorkerInterrupted',
        message: 'The worker running this cycle stopped before it finished; this cycle was abandoned.',
      },
      start.resumed ? start.cycleId : null,
    );
    if (start.resumed) await tx.cycles.setCycleWorker(start.cycleId, workerId);
    else
      await tx.cycles.insertCycle({
        id: start.cycleId,
        jobId: job.id,
        kind: start.kind,
        beganAt: start.timeBegan,
        workerId,
      });
    if (!start.resumed && start.checkpoint)
      await tx.jobs.updateJob(job.id, { cycleCheckpoint: start.checkpoint });
    await tx.jobs.mutateStatus(job.id, (s) => {
      s.currentCycle = { cycleId: start.cycleId, cycleKind: start.kind, timeBegan: start.timeBegan };
    });
  });
  const firstHandler = isPrepared(prepared) ? [...prepared.handlers.values()][0] : undefined;
  return new CycleRun(
    deps,
    job.id,
    start,
    start.checkpoint,
    isPrepared(prepared) ? null : prepared,
    firstHandler?.units ?? 'Users',
  );
}

/** Runs the cycle's remaining phases in order; true when the cycle was interrupted. */
async function runPhases(
  deps: CycleDeps,
  job: ProvisioningJobRecord,
  prepared: Prepared,
  run: CycleRun,
  shared: { gate: TargetGate; writer: DurableWriter; signal: AbortSignal },
): Promise<boolean> {
  const { db } = deps;
  const checkpoint = run.checkpoint as CycleCheckpoint;
  const sp = await db.applications.getServicePrincipal(job.servicePrincipalId);
  const ctx: CycleContext = {
    db,
    jobId: job.id,
    cycleId: run.start.cycleId,
    servicePrincipal: { id: sp.id, displayName: sp.displayName, appRoles: sp.appRoles },
    options: prepared.options,
    writer: shared.writer,
    gate: shared.gate,
    transport: deps.transport ?? fetchTransport,
    targetIndex: null,
    links: new TargetLinks(db, job.id),
    now: deps.now,
    random: deps.random,
    signal: shared.signal,
    stopCycle: (error) => run.stop(error),
    isStopped: () => run.stopError !== null,
  };
  const phases = remainingPhases(phasesOf(prepared), checkpoint);
  // An initial cycle often follows a large import, before the database has looked at the new rows
  // (PostgreSQL's autovacuum does within a minute or so): without that, its plans for the cycle's
  // reads assume small tables, and a 30,000-user cycle ran at half the speed.
  if (run.start.kind === 'Initial' && !run.start.resumed) await db.directory.refreshStatistics();
  const jobRef = { jobId: job.id, servicePrincipalId: sp.id, syncAll: prepared.options.syncAll };
  const window = { after: run.start.after ?? 0, upTo: run.start.upTo, now: deps.now() };
  const select = selectOnce(db, jobRef, run.start.kind, window);
  if (!run.start.resumed && run.checkpoint) {
    const guard = await holdsRemovals(db, job, prepared, jobRef, select, deps.log);
    run.checkpoint.holdRemovals = guard.hold;
    // Said once: the cycles that hold the same removals again while the job waits add nothing.
    if (guard.hold && job.status.quarantine?.reason !== 'TooManyDeletes') {
      await db.events.insertAuditEvent(
        deletionGuardAuditEvent({
          id: timeOrderedId(deps.now().getTime()),
          time: deps.now(),
          cycleId: run.start.cycleId,
          jobId: job.id,
          servicePrincipal: { id: sp.id, displayName: sp.displayName },
          kind: 'thresholdExceeded',
          removals: guard.removals,
          threshold: guard.threshold,
        }),
      );
    }
  }
  ctx.holdRemovals = run.checkpoint?.holdRemovals === true;
  for (const [p, phase] of phases.entries()) {
    const work = await phaseWork(prepared, phase, jobRef, run, window, db, select);
    const outcome = await runPhase({
      ctx,
      phase,
      kind: run.start.kind,
      work,
      settledThrough: p === 0 && run.start.resumed ? (run.checkpoint?.settledThrough ?? null) : null,
      first: p === 0,
      resumed: run.start.resumed,
      run,
      units: PHASE_UNITS[phase],
      checkpointIntervalMs: deps.checkpointIntervalMs ?? 1_000,
      log: deps.log,
    });
    if (outcome === 'interrupted') return true;
    if (run.stopError !== null || shared.signal.aborted) return false;
    const next = phases[p + 1];
    if (next) await run.save({ phase: next, settledThrough: null });
  }
  return false;
}

/** What the progress of each phase counts (Graph's progress `units`). */
const PHASE_UNITS: Record<CyclePhase, string> = {
  User: 'Users',
  Group: 'Groups',
  Membership: 'Groups',
  Reference: 'Users',
};

/** What a phase works through: an object type's objects, or the groups whose memberships it compares. */
async function phaseWork(
  prepared: Prepared,
  phase: CyclePhase,
  job: { jobId: string; servicePrincipalId: string; syncAll: boolean },
  run: CycleRun,
  window: { after: number; upTo: number; now: Date },
  db: ProvisioDb,
  select: SelectObjects,
): Promise<PhaseWork<unknown>> {
  const users = prepared.handlers.get('User');
  const groups = prepared.handlers.get('Group');
  if (phase === 'Reference') {
    if (!users) throw new Error('The cycle has no users for its references phase.');
    return (await referenceWork(
      users as ObjectTypeHandler<DirectoryUserRecord>,
      job,
      run.start.kind,
      window,
      db,
      run.start.cycleId,
      select,
    )) as PhaseWork<unknown>;
  }
  if (phase === 'Membership') {
    if (!groups) throw new Error('The cycle has no groups for its memberships phase.');
    return (await membershipWork(
      groups as ObjectTypeHandler<DirectoryGroupRecord>,
      users,
      job,
      run.start.kind,
      window,
      db,
      run.start.cycleId,
      select,
    )) as PhaseWork<unknown>;
  }
  const handler = phase === 'User' ? users : groups;
  if (!handler) throw new Error(`The cycle has no handler for its ${phase} phase.`);
  return (await objectWork(
    handler,
    job,
    run.start.kind,
    select,
    db,
    run,
    run.start.cycleId,
  )) as PhaseWork<unknown>;
}

/**
 * The finish step: the cycle row, the job status (through the engine's `planCycleFinish`), the
 * watermark and configuration fingerprint, and the next run — unless another worker owns the job
 * after a lost lease (it finishes the cycle), or the job was deleted.
 */
async function closeCycle(
  deps: CycleDeps,
  job: ProvisioningJobRecord,
  run: CycleRun,
  ended: Date,
  prepared: Prepared | null,
  gate: TargetGate,
): Promise<{ state: CycleState; notification: Notification | null }> {
  const configHash = prepared?.configHash ?? null;
  const { db, workerId } = deps;
  const { start, tally } = run;
  const error = run.stopError;
  let state = cycleState(tally, error);
  let notification: Notification | null = null;
  await db.transaction(async (tx) => {
    // Renewing the lease first locks the job's row to the commit on PostgreSQL (SQLite's write
    // transactions follow one another already): an administrator's change of the job waits for the
    // finish instead of being overwritten by it, and a worker that lost the lease writes nothing.
    if (!(await tx.jobs.renewLease(job.id, workerId, ended, deps.leaseMs ?? DEFAULT_LEASE_MS))) return;
    const current = await tx.jobs.findJob(job.id);
    if (current?.leaseOwner !== workerId) return;
    const nextEscrowAt = await tx.escrows.findNextAttemptAt(job.id);
    const quarantine = await quarantineEvidence(tx, job.id, tally, gate, error, prepared);
    const finish = planCycleFinish({
      cycle: {
        cycleId: start.cycleId,
        kind: start.kind,
        timeBegan: start.timeBegan,
        upTo: start.upTo,
        configHash: configHash ?? '',
      },
      ended,
      tally,
      error,
      entriesDelta: run.entriesDelta,
      job: current,
      nextEscrowAt,
      checkpointKept: current.cycleCheckpoint?.cycleId === start.cycleId && !run.checkpointLost,
      quarantine,
    });
    // Allow deletes covers the cycle that follows it, once.
    const forceUsed = current.forceDeletes && error === null && run.checkpoint?.holdRemovals !== true;
    state = finish.state;
    const sp = await tx.applications.getServicePrincipal(job.servicePrincipalId);
    notification = notificationFor({
      appName: sp.displayName,
      portalUrl: deps.portalUrl
        ? `${deps.portalUrl.replace(/\/$/, '')}/applications/${sp.id}/provisioning`
        : null,
      cycle: { id: start.cycleId, state, error },
      quarantineChange: finish.quarantineChange,
      quarantine: finish.job.status.quarantine,
    });
    await tx.cycles.finishCycle(
      start.cycleId,
      state,
      tally,
      error ? { code: error.code, message: error.message } : null,
    );
    // A resumed cycle counts afresh: the run before it may have died with changes it never counted.
    const status =
      finish.recountEntries || start.resumed
        ? { ...finish.job.status, synchronizedEntryCountByType: await tx.connector.countByType(job.id) }
        : finish.job.status;
    await tx.jobs.updateJob(job.id, { ...finish.job, status, ...(forceUsed ? { forceDeletes: false } : {}) });
    if (forceUsed && prepared) {
      await tx.events.insertAuditEvent(
        deletionGuardAuditEvent({
          id: timeOrderedId(ended.getTime()),
          time: ended,
          cycleId: start.cycleId,
          jobId: job.id,
          servicePrincipal: { id: sp.id, displayName: sp.displayName },
          kind: 'deletesAllowed',
          removals: tally.disabled + tally.deleted,
          threshold: prepared.options.deletionThreshold.threshold,
        }),
      );
    }
    if (
      finish.quarantineChange === 'entered' ||
      finish.quarantineChange === 'changed' ||
      finish.quarantineChange === 'cleared'
    ) {
      await tx.events.insertAuditEvent(
        quarantineAuditEvent({
          id: timeOrderedId(ended.getTime()),
          time: ended,
          cycleId: start.cycleId,
          jobId: job.id,
          servicePrincipal: { id: sp.id, displayName: sp.displayName },
          change: finish.quarantineChange,
          previous: current.status.quarantine,
          quarantine: status.quarantine,
        }),
      );
    }
  });
  return { state, notification };
}

/**
 * Sends a finished cycle's notification to the job's recipients, after the cycle is recorded:
 * a mail server that is down costs a line in the log, never the cycle.
 */
async function sendNotification(
  deps: CycleDeps,
  prepared: Prepared | null,
  jobId: string,
  notification: Notification | null,
): Promise<void> {
  const settings = prepared?.options.notifications;
  if (!notification || !deps.notify || !settings?.enabled || settings.recipients.length === 0) return;
  try {
    await deps.notify(settings.recipients, notification);
    deps.log(`job=${jobId} notified ${settings.recipients.length} recipient(s): ${notification.subject}`);
  } catch (error) {
    deps.log(
      `job=${jobId} notification not sent (${notification.subject}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * What the cycle tells the quarantine: its job-level error, whether the application answered at
 * all, and the job's escrows against what it exported. A job that cannot be read has no thresholds:
 * its quarantine is left as it is.
 */
async function quarantineEvidence(
  db: ProvisioDb,
  jobId: string,
  tally: CycleTally,
  gate: TargetGate,
  error: SynchronizationError | null,
  prepared: Prepared | null,
): Promise<{ evidence: QuarantineEvidence; thresholds: QuarantineThresholds } | undefined> {
  if (!prepared) return undefined;
  const escrows = await db.escrows.countEscrowsByType(jobId);
  const thresholds = prepared.options.quarantineThresholds;
  const failing = {
    failures: (escrows.User ?? 0) + (escrows.Group ?? 0),
    referenceFailures: (escrows.Membership ?? 0) + (escrows.Reference ?? 0),
  };
  // What the job holds in the application (the proportion is of the job, not of one cycle): a count
  // over all its connector records, taken only when the failures could cross a threshold.
  const successes = escrowThresholdInReach(failing, thresholds) ? await db.connector.countLinked(jobId) : 0;
  return {
    thresholds,
    evidence: {
      // A defect of ours is no reason to quarantine the job.
      error: error && error.code !== 'InternalError' ? error : null,
      answeredRequests: gate.answered,
      unansweredRequests: gate.unanswered,
      firstUnanswered: gate.firstUnanswered,
      stagedRemovals: tally.staged,
      escrows: { ...failing, successes },
    },
  };
}
