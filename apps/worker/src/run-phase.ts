import {
  firstUnsettled,
  Settling,
  type CycleKind,
  type CyclePhase,
  type CycleTally,
  type SynchronizationError,
} from '@provisio/engine';
import type { ChangeWindow, ObjectTypeHandler, SyncItem } from './object-handler';
import { syncObject, type CycleContext } from './sync-object';
import { listTargetObjects } from './target-listing';

/** Objects in flight per request the target may have in flight. */
const LANES_PER_REQUEST = 4;
/** Source objects read from the database at a time: bounds memory whatever the directory size. */
const CHUNK = 500;

/** The part of the running cycle a phase reports to: its counts, progress and checkpoint. */
export interface PhaseHost {
  readonly tally: CycleTally;
  readonly stopError: SynchronizationError | null;
  completed: number;
  total: number;
  entriesDelta: number;
  events: number;
  listed: boolean;
  save(at: { phase: CyclePhase; settledThrough: string | null }): void;
}

export interface PhaseInput {
  ctx: CycleContext;
  handler: ObjectTypeHandler;
  phase: CyclePhase;
  kind: CycleKind;
  window: ChangeWindow;
  /** Where a resumed phase stands: every source id up to this one is settled. */
  settledThrough: string | null;
  /** Whether this is the first phase this run of the cycle takes up, and whether the run resumed the cycle. */
  first: boolean;
  resumed: boolean;
  run: PhaseHost;
  checkpointIntervalMs: number;
  log: (line: string) => void;
}

/**
 * Runs one phase of a cycle: the objects of the handler's type that the engine selects, in source
 * id order, each through the per-object pipeline with bounded concurrency, read from the database
 * a chunk at a time just ahead of the lanes. The checkpoint is saved as the phase goes (every
 * `checkpointIntervalMs`) and when it stops. 'interrupted' when the worker stopped or lost the
 * lease while objects were in flight.
 */
export async function runPhase(input: PhaseInput): Promise<'done' | 'interrupted'> {
  const { ctx, handler, run } = input;
  const { db } = ctx;
  const job = { jobId: ctx.jobId, servicePrincipalId: ctx.servicePrincipal.id, syncAll: ctx.options.syncAll };
  const ids = handler.selectObjects(db, job, input.kind, input.window);
  const start = firstUnsettled(ids, input.settledThrough);
  run.total = run.completed + (ids.length - start);
  // The first phase a run takes up says whether the cycle started or resumed.
  const began = input.first ? (input.resumed ? `resumed settled=${run.completed} ` : 'started ') : '';
  input.log(
    `cycle ${ctx.cycleId} job=${ctx.jobId} kind=${input.kind} ${began}phase=${input.phase} objects=${run.total}`,
  );
  const settling = new Settling(ids, start, run.tally, input.settledThrough);
  const save = () => {
    run.completed += settling.settledCount;
    settling.settledCount = 0;
    run.save({ phase: input.phase, settledThrough: settling.settledThrough });
  };
  save();

  const phaseCtx: CycleContext = { ...ctx, targetIndex: null };
  if (input.kind === 'Initial' && start < ids.length) {
    const toMatch = Math.max(0, ids.length - start - db.connector.countLinked(ctx.jobId));
    const listing = await listTargetObjects(ctx, handler, ctx.options.initialCycleMatching, toMatch);
    if (listing) {
      phaseCtx.targetIndex = listing.index;
      run.listed = true;
    }
  }

  const loaded = new Map<number, SyncItem>();
  let loadedTo = start;
  const load = () => {
    const chunk = ids.slice(loadedTo, Math.min(ids.length, loadedTo + CHUNK));
    handler.loadItems(db, job, chunk).forEach((item, k) => loaded.set(loadedTo + k, item));
    loadedTo += chunk.length;
  };

  let interrupted = false;
  let next = start;
  let lastSave = ctx.now().getTime();
  const stop = () => ctx.signal.aborted || run.stopError !== null || interrupted;
  /** Takes the next object through the pipeline; false when there is none or the phase stops. */
  const step = async (): Promise<boolean> => {
    if (stop()) return false;
    const i = next;
    if (i >= ids.length) return false;
    next += 1;
    while (i >= loadedTo) load();
    const item = loaded.get(i) as SyncItem;
    loaded.delete(i);
    const result = await syncObject(phaseCtx, handler, item);
    run.entriesDelta += result.entriesDelta;
    if (result.kind === 'interrupted') {
      interrupted = true;
      return false;
    }
    if (result.wroteEvent) run.events += 1;
    settling.settle(i, result.tally);
    if (ctx.now().getTime() - lastSave >= input.checkpointIntervalMs) {
      lastSave = ctx.now().getTime();
      save();
    }
    return true;
  };
  const defect = await runLanes(ctx.options.maxConcurrency * LANES_PER_REQUEST, step);
  ctx.writer.flush();
  if (defect !== null) throw defect.error;
  run.completed += settling.settledCount;
  settling.settledCount = 0;
  if (interrupted || ctx.signal.aborted) {
    run.save({ phase: input.phase, settledThrough: settling.settledThrough });
    return 'interrupted';
  }
  return 'done';
}

/**
 * Runs `count` lanes at once, each taking objects until `step` says there are no more. More
 * objects are in flight than requests: an object also waits for its durable writes, and those
 * wait for a group commit; the gate keeps requests within the target's limit. The first defect
 * stops new objects and is returned once the others in flight have settled.
 */
async function runLanes(count: number, step: () => Promise<boolean>): Promise<{ error: unknown } | null> {
  let defect: { error: unknown } | null = null;
  await Promise.all(
    Array.from({ length: count }, async () => {
      try {
        while (defect === null && (await step()));
      } catch (error) {
        defect ??= { error };
      }
    }),
  );
  return defect;
}
