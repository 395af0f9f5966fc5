import type { ProvisioDb } from '@provisio/db';

/** The repositories a cycle writes through its durable writer. */
type WrittenRepositories = Pick<ProvisioDb, 'connector' | 'escrows' | 'events' | 'previews'>;
type MethodOf<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/**
 * One write as data: a repository, one of its methods and the arguments. Data, not a closure, so
 * that a write can be carried to the thread that commits it, as JSON: the arguments are plain
 * objects, arrays, strings, numbers, booleans and null (no Date, no undefined that matters), and an
 * event row's body, bytes, which the commit thread's messages carry as base64 (`writesToJson`).
 */
export type DbWrite = {
  [R in keyof WrittenRepositories]: {
    [M in MethodOf<WrittenRepositories[R]>]: {
      repository: R;
      method: M;
      args: WrittenRepositories[R][M] extends (...args: infer A) => unknown ? A : never;
    };
  }[MethodOf<WrittenRepositories[R]>];
}[keyof WrittenRepositories];

/** A write of `repository.method(...args)`, checked against the method's parameters. */
export function dbWrite<R extends keyof WrittenRepositories, M extends MethodOf<WrittenRepositories[R]>>(
  repository: R,
  method: M,
  ...args: WrittenRepositories[R][M] extends (...args: infer A) => unknown ? A : never
): DbWrite {
  return { repository, method, args } as unknown as DbWrite;
}

/** A write of an event's row (inserted, or put in place of another): the writes whose body is bytes. */
export type EventRowWrite = Extract<
  DbWrite,
  { repository: 'events'; method: 'insertEventRow' | 'replaceEventRow' }
>;
export const isEventRowWrite = (w: DbWrite): w is EventRowWrite =>
  w.repository === 'events' && (w.method === 'insertEventRow' || w.method === 'replaceEventRow');

/** Carries out one write on `db` (inside a group commit, the transaction's repositories). */
export async function applyWrite(db: WrittenRepositories, write: DbWrite): Promise<void> {
  const repository = db[write.repository] as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  const method = repository[write.method];
  if (typeof method !== 'function') throw new Error(`No write ${write.repository}.${String(write.method)}.`);
  await method.apply(repository, write.args as unknown[]);
}

/**
 * Where a cycle's per-object writes go: each call's writes commit together (an object's connector
 * record, escrow and provisioning event: a crash keeps all or none of them), and the promise
 * resolves once they are committed. Writes of many calls share one transaction (group commit): a
 * cycle of thousands of objects pays one commit per group, not one per object.
 */
export interface DurableWriter {
  write(writes: readonly DbWrite[]): Promise<void>;
  /** Resolves once every write asked for so far is committed (or has failed). */
  drain(): Promise<void>;
  /** Transactions the writes of this writer were committed in, and the writes. */
  readonly commits: number;
  readonly writes: number;
}

interface Waiting {
  writes: readonly DbWrite[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit on the calling thread: writes asked for within a few milliseconds run together in
 * one SQLite transaction of `db`. Groups commit one after another, in the order they were taken.
 */
export class GroupCommitWriter implements DurableWriter {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Settles once every group taken so far is committed (or has failed); never rejects. */
  private committed: Promise<void> = Promise.resolve();
  commits = 0;
  writes = 0;

  /**
   * @param maxDelayMs how long the first write of a group waits for others. A commit writes every
   *   index page it touched, so fewer, larger commits cost less per write: at 12 ms instead of 4 the
   *   bench's initial cycle spent 15–30% less CPU per object in three back-to-back pairs, for as
   *   many objects per second (the lanes keep the requests in flight while objects wait). At 64
   *   requests in flight (256 objects) 20 ms was clearly slower (3,670–3,750 objects/s against
   *   4,320–4,460 at 12, same rounds); 4–8 ms were faster than 12 in some rounds and slower in
   *   others, as the host's speed moved. Once an object cost less of the thread (about 0.2 ms of
   *   CPU instead of 0.22), 8 ms was faster than 12 in five of five alternating pairs (5,030
   *   objects/s on average against 4,847, the same CPU per object), and 5 ms no faster than 8 for
   *   more CPU; on PostgreSQL both ran phase (a) in 29.7 s.
   * @param maxBatch a group this large is committed on the next turn of the event loop
   */
  constructor(
    private readonly db: ProvisioDb,
    private readonly maxDelayMs = 8,
    private readonly maxBatch = 1024,
  ) {}

  write(writes: readonly DbWrite[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ writes, resolve, reject });
      if (this.queue.length >= this.maxBatch) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        setImmediate(() => this.flush());
      } else {
        this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
      }
    });
  }

  drain(): Promise<void> {
    this.flush();
    return this.committed;
  }

  /** Takes what is queued now as a group, committed after the groups taken before it. */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.committed = this.committed.then(() => this.commit(batch));
  }

  private async commit(batch: readonly Waiting[]): Promise<void> {
    try {
      await commitGroup(
        this.db,
        batch.map((w) => w.writes),
      );
    } catch (error) {
      // Nothing of the batch was committed: every caller learns it (a defect, not a target failure).
      for (const w of batch) w.reject(error);
      return;
    }
    this.commits += 1;
    this.writes += batch.length;
    for (const w of batch) w.resolve();
  }
}

/**
 * Runs the writes of a group of calls (each call's writes) in one transaction. A group made only of
 * the writes a phase repeats per object is written table by table: escrows and memberships in order,
 * then every connector record in one statement per 500 (the last of an object wins, as in order),
 * every event in one statement per 100, and a preview's planned objects, numbered one after another,
 * together. Those tables do not refer to one another, so the outcome is the same as in order, in a
 * few statements instead of two or three per object: what a group commit costs on PostgreSQL, where
 * each statement is a round trip. Any other write (a record deleted, say) puts the group in order.
 */
export async function commitGroup(db: ProvisioDb, group: readonly (readonly DbWrite[])[]): Promise<void> {
  const writes = group.flat();
  const tableByTable = writes.every(
    (w) =>
      w.repository === 'escrows' ||
      (w.repository === 'connector' &&
        (w.method === 'saveObject' ||
          w.method === 'saveMembershipChanges' ||
          w.method === 'clearMemberships')) ||
      isEventRowWrite(w) ||
      (w.repository === 'previews' && w.method === 'insertObjects'),
  );
  await db.transaction(async (tx) => {
    if (!tableByTable) {
      for (const w of writes) await applyWrite(tx, w);
      return;
    }
    const records: Parameters<ProvisioDb['connector']['saveObject']>[0][] = [];
    const events: Parameters<ProvisioDb['events']['insertEventRow']>[0][] = [];
    /** Runs of planned objects: each continues the one before when it is the same preview's next. */
    const planned: { previewId: string; firstSeq: number; objects: PlannedObject[] }[] = [];
    for (const w of writes) {
      if (w.repository === 'connector' && w.method === 'saveObject') records.push(w.args[0]);
      else if (w.repository === 'events' && w.method === 'insertEventRow') events.push(w.args[0]);
      else if (w.repository === 'previews' && w.method === 'insertObjects') {
        const [previewId, firstSeq, objects] = w.args;
        const last = planned.at(-1);
        if (last?.previewId === previewId && last.firstSeq + last.objects.length === firstSeq)
          last.objects.push(...objects);
        else planned.push({ previewId, firstSeq, objects: [...objects] });
      } else await applyWrite(tx, w);
    }
    await tx.connector.saveObjects(records);
    await tx.events.insertEventRows(events);
    for (const run of planned) await tx.previews.insertObjects(run.previewId, run.firstSeq, run.objects);
  });
}

type PlannedObject = Parameters<ProvisioDb['previews']['insertObjects']>[2][number];
