import {
  firstUnsettled,
  Settling,
  tallyOfEvent,
  type CycleKind,
  type CyclePhase,
  type CycleTally,
  type SynchronizationError,
} from '@provisio/engine';
import type { ObjectTypeHandler, SelectObjects, SyncItem } from './object-handler';
import { syncObject, type CycleContext, type ObjectResult } from './sync-object';
import { listTargetObjects } from './target-listing';

/**
 * Objects in flight for a phase whose target may have `requests` in flight. An object of an initial
 * cycle spends more time waiting for its two group commits (the pending record, then the outcome)
 * than for its request: with 4 per request the requests in flight fell short of the target's limit,
 * with 8 they did not. Past 16 requests the objects waiting for commits stop growing with them (a
 * commit window holds what the target answers within it), and more objects in flight cost garbage
 * collection: at most twice the requests and 128 more. In the bench's initial cycle at 64 requests,
 * 256 objects ran at 3,800–4,330 objects/s in four runs, against 3,750 with 512 (garbage collection
 * 15% of the thread instead of 13%) and 3,500–3,750 with 192 or 320; at 16, 256 were no faster than 128.
 */
function objectsInFlight(requests: number): number {
  return Math.min(8 * requests, 2 * requests + 128);
}

/**
 * Source objects read from the database at a time: bounds memory whatever the directory size. A
 * chunk is read in one go on the cycle's thread, and no response is read meanwhile: 500 at a time
 * held it for about 12 ms, long enough for the target to answer every request in flight and wait;
 * 100 at a time, the bench's initial cycle ran 8–16% faster in two back-to-back pairs.
 */
const CHUNK = 100;

/** The part of the running cycle a phase reports to: its counts, progress and checkpoint. */
export interface PhaseHost {
  readonly tally: CycleTally;
  readonly stopError: SynchronizationError | null;
  completed: number;
  total: number;
  /**
   * The progress the portal shows: the objects of the phase running now, settled and in all, in
   * the phase's units. A phase with no object leaves the one before it shown.
   */
  phaseProgress: PhaseProgress;
  countEntries(objectType: string, delta: number): void;
  events: number;
  listed: boolean;
  save(at: { phase: CyclePhase; settledThrough: string | null }): Promise<void>;
}

/** How far one phase is (Graph's progress: completed and total units, and what they count). */
export interface PhaseProgress {
  completed: number;
  total: number;
  units: string;
}

/** What one phase works through: its objects, how they are read, and what is done with each. */
export interface PhaseWork<Item> {
  /** The source ids the phase visits, in source id order (the checkpoint relies on it). */
  ids: readonly string[];
  /** Reads the items of these ids, in the same order. */
  load(ids: readonly string[]): Promise<Item[]>;
  /** Takes one item through its pipeline. */
  process(ctx: CycleContext, item: Item): Promise<ObjectResult>;
  /**
   * For a resumed phase: the objects after `settledThrough` that an earlier run of this cycle
   * settled after its last checkpoint, with their counts. They are passed over, not visited again.
   */
  settledBeyond?(settledThrough: string | null): Promise<Map<string, CycleTally>>;
  /** Runs once before the first object, with how many objects are left; may give the phase a listing of the target. */
  prepare?(ctx: CycleContext, remaining: number): Promise<void>;
  /**
   * Items in flight per request slot, when an item holds much memory (a group with its members):
   * fewer keep the worker's memory bounded. Without it, `objectsInFlight` of the requests.
   */
  lanesPerRequest?: number;
  /**
   * Items read at a time, when an item is many rows (a group with its members): fewer keep each
   * read short, as the cycle's thread reads no response meanwhile. Default `CHUNK`.
   */
  chunk?: number;
}

export interface PhaseInput<Item> {
  ctx: CycleContext;
  phase: CyclePhase;
  kind: CycleKind;
  work: PhaseWork<Item>;
  /** Where a resumed phase stands: every source id up to this one is settled. */
  settledThrough: string | null;
  /** Whether this is the first phase this run of the cycle takes up, and whether the run resumed the cycle. */
  first: boolean;
  resumed: boolean;
  run: PhaseHost;
  /** What the phase's progress counts (Graph's progress `units`): Users, Groups. */
  units: string;
  checkpointIntervalMs: number;
  log: (line: string) => void;
}

/**
 * The work of an object type's phase: the objects the handler selects, each through the
 * per-object pipeline; an initial cycle first lists the target to match in memory when that pays.
 */
export async function objectWork<Source>(
  handler: ObjectTypeHandler<Source>,
  job: { jobId: string; servicePrincipalId: string; syncAll: boolean },
  kind: CycleKind,
  select: SelectObjects,
  db: CycleContext['db'],
  run: Pick<PhaseHost, 'listed'>,
  /** The cycle the work belongs to (none for a preview, which writes no events). */
  cycleId: string | null = null,
): Promise<PhaseWork<SyncItem<Source>>> {
  return {
    ids: await select(handler as ObjectTypeHandler),
    load: (ids) => handler.loadItems(db, job, ids),
    process: (ctx, item) => syncObject(ctx, handler, item),
    async settledBeyond(settledThrough) {
      if (cycleId === null) return new Map();
      // An object's event and its connector record commit together: an object with an event of
      // this cycle is settled, whatever the checkpoint says.
      const events = await db.events.listLastEventsOfCycle(cycleId, settledThrough);
      const settled = new Map<string, CycleTally>();
      for (const [sourceId, event] of events)
        if (event.sourceIdentity.identityType === handler.objectType)
          settled.set(sourceId, tallyOfEvent(event));
      return settled;
    },
    async prepare(ctx, remaining) {
      if (kind !== 'Initial' || remaining === 0) return;
      const linked = await db.connector.countLinked(job.jobId, handler.objectType);
      const toMatch = Math.max(0, remaining - linked);
      const listing = await listTargetObjects(ctx, handler, ctx.options.initialCycleMatching, toMatch);
      if (listing) {
        ctx.targetIndex = listing.index;
        run.listed = true;
      }
    },
  };
}

/**
 * Runs one phase of a cycle: the work's objects in source id order, each through its pipeline
 * with bounded concurrency, read from the database a chunk at a time just ahead of the lanes (the
 * next chunk while they work through one). The checkpoint is saved as the phase goes (every
 * `checkpointIntervalMs`) and when it stops. 'interrupted' when the worker stopped or lost the
 * lease while objects were in flight.
 */
export async function runPhase<Item>(input: PhaseInput<Item>): Promise<'done' | 'interrupted'> {
  const { ctx, run, work } = input;
  const ids = work.ids;
  const start = firstUnsettled(ids, input.settledThrough);
  run.total = run.completed + (ids.length - start);
  if (ids.length > 0) run.phaseProgress = { completed: start, total: ids.length, units: input.units };
  // The first phase a run takes up says whether the cycle started or resumed.
  const began = input.first ? (input.resumed ? `resumed settled=${run.completed} ` : 'started ') : '';
  input.log(
    `cycle ${ctx.cycleId} job=${ctx.jobId} kind=${input.kind} ${began}phase=${input.phase} objects=${run.total} requests=${ctx.gate.requests}`,
  );
  const settling = new Settling(ids, start, run.tally, input.settledThrough);
  /** Adds the objects settled since the last call to the cycle's and the phase's progress. */
  const count = () => {
    run.completed += settling.settledCount;
    if (ids.length > 0) run.phaseProgress.completed += settling.settledCount;
    settling.settledCount = 0;
  };
  const save = () => {
    count();
    return run.save({ phase: input.phase, settledThrough: settling.settledThrough });
  };
  await save();

  // A resumed run passes over what the run before it settled after its last checkpoint.
  const beyond =
    input.first && input.resumed && work.settledBeyond
      ? await work.settledBeyond(input.settledThrough)
      : null;
  const phaseCtx: CycleContext = { ...ctx, targetIndex: null };
  await work.prepare?.(phaseCtx, ids.length - start - (beyond?.size ?? 0));

  const chunkSize = work.chunk ?? CHUNK;
  const loaded = new Map<number, Item>();
  let loadedTo = start;
  /** The chunk being read, if any: lanes that need it wait for this one read. */
  let loading: Promise<void> | null = null;
  const load = async () => {
    const from = loadedTo;
    const chunk = ids.slice(from, Math.min(ids.length, from + chunkSize));
    (await work.load(chunk)).forEach((item, k) => loaded.set(from + k, item));
    loadedTo = from + chunk.length;
  };
  const startLoad = () => (loading = load().finally(() => (loading = null)));
  const loadThrough = async (i: number) => {
    while (i >= loadedTo) await (loading ?? startLoad());
    // Halfway through a chunk the next one is read, so that its reads (round trips on PostgreSQL)
    // overlap the requests of this one. A read that fails is read again by the lane that needs it,
    // which then sees the error.
    if (loading === null && loadedTo < ids.length && i >= loadedTo - chunkSize / 2)
      startLoad().catch(() => {});
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
    await loadThrough(i);
    const item = loaded.get(i) as Item;
    loaded.delete(i);
    const passed = beyond?.get(ids[i] ?? '');
    if (passed) {
      settling.settle(i, passed);
      return true;
    }
    const result = await work.process(phaseCtx, item);
    run.countEntries(input.phase, result.entriesDelta);
    if (result.kind === 'interrupted') {
      interrupted = true;
      return false;
    }
    if (result.wroteEvent && !result.replacedEvent) run.events += 1;
    settling.settle(i, result.tally);
    if (ctx.now().getTime() - lastSave >= input.checkpointIntervalMs) {
      lastSave = ctx.now().getTime();
      await save();
    }
    return true;
  };
  const requests = ctx.options.maxConcurrency;
  const lanes = work.lanesPerRequest ? requests * work.lanesPerRequest : objectsInFlight(requests);
  const defect = await runLanes(lanes, step);
  await ctx.writer.drain();
  if (defect !== null) throw defect.error;
  count();
  if (interrupted || ctx.signal.aborted) {
    await run.save({ phase: input.phase, settledThrough: settling.settledThrough });
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
