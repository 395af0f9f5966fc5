import type { Worker } from 'node:worker_threads';
import { isEventRowWrite, type DbWrite, type DurableWriter } from './durable-writer';
import { startThread } from './threads';

/** What the commit thread is given: the database to open, as the process opened it. */
export interface CommitThreadData {
  databaseFile: string;
  secretKeyFile: string;
  walAutocheckpointPages?: number;
}

/** A group of writes sent to the thread: one entry per `write` call. */
export interface CommitRequest {
  id: number;
  writes: (readonly DbWrite[])[];
}

/** The thread's answer for the groups it committed in one transaction (or failed to). */
export interface CommitReply {
  ids: number[];
  commit: number;
  error?: string;
}

/**
 * A call's writes as the JSON text of a message to the thread. The writes are plain data (see
 * `DbWrite`) but for an event row's body, bytes, which travel as base64 (about 1.4 KB for an event
 * whose JSON, escaped again inside the message's, would take over 4 KB).
 */
export function writesToJson(writes: readonly DbWrite[]): string {
  return JSON.stringify(
    writes.map((w) =>
      isEventRowWrite(w) ? { ...w, args: [{ ...w.args[0], body: w.args[0].body.toString('base64') }] } : w,
    ),
  );
}

/** A message's request (see `send` and `writesToJson`), each event row's body bytes again. */
export function commitRequestFromJson(message: string): CommitRequest {
  const request = JSON.parse(message) as CommitRequest;
  for (const writes of request.writes)
    for (const w of writes)
      if (isEventRowWrite(w)) w.args[0].body = Buffer.from(w.args[0].body as unknown as string, 'base64');
  return request;
}

/** The most characters of JSON in one message to the thread (see `send`). */
const MESSAGE_CHARS = 48_000;

interface Waiting {
  writes: readonly DbWrite[];
  resolve: (commit: number) => void;
  reject: (error: unknown) => void;
}

/**
 * The worker's durable writes on a thread of their own (`commit-thread-main.ts`, with its own
 * connection to the database): a cycle's main thread builds each object's writes as data and goes
 * on with other objects while the thread inserts the rows and commits. The commits are about a
 * quarter of a cycle's CPU; on their own thread they run beside the requests.
 *
 * Calls within `maxDelayMs` of each other travel as one message; groups that reach the thread
 * while it commits are committed together (the busier it is, the larger its transactions). A
 * call's promise resolves once its writes are committed, as with `GroupCommitWriter`.
 */
export class CommitThread {
  private readonly worker: Worker;
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private readonly sent = new Map<number, Waiting[]>();
  private drained: (() => void)[] = [];
  private failure: Error | null = null;

  constructor(
    data: CommitThreadData,
    private readonly maxDelayMs = 4,
    private readonly maxBatch = 512,
  ) {
    // The thread keeps nothing between groups: a small heap keeps the process's memory down.
    this.worker = startThread('commit-thread-main', data, {
      maxYoungGenerationSizeMb: 4,
      maxOldGenerationSizeMb: 96,
    });
    this.worker.on('message', (reply: CommitReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`The commit thread ended (exit code ${code}).`)));
  }

  /** A writer for one cycle: the thread's writes, with the cycle's own counts. */
  writer(): DurableWriter {
    let lastCommit = 0;
    const counts = { commits: 0, writes: 0 };
    return {
      write: async (writes) => {
        const commit = await this.write(writes);
        counts.writes += 1;
        if (commit !== lastCommit) {
          lastCommit = commit;
          counts.commits += 1;
        }
      },
      drain: () => this.drain(),
      get commits() {
        return counts.commits;
      },
      get writes() {
        return counts.writes;
      },
    };
  }

  /** Sends `writes` to be committed; resolves with the number of the commit that holds them. */
  write(writes: readonly DbWrite[]): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ writes, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.send();
      else this.timer ??= setTimeout(() => this.send(), this.maxDelayMs);
    });
  }

  /** Resolves once every write asked for so far is committed or has failed. */
  drain(): Promise<void> {
    this.send();
    if (this.sent.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** Commits what is queued, then ends the thread. */
  async close(): Promise<void> {
    await this.drain();
    this.failure ??= new Error('The commit thread is closed.');
    await this.worker.terminate();
  }

  /**
   * Sends what is queued, as JSON texts of at most `MESSAGE_CHARS` (structured clone of many small
   * records costs several times as much as JSON; a message over about 128 KB costs ten times as
   * much as two smaller ones, its buffer being mapped and unmapped for it alone).
   */
  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const queued = this.queue;
    this.queue = [];
    let group: Waiting[] = [];
    let parts: string[] = [];
    let chars = 0;
    const post = () => {
      if (group.length === 0) return;
      const id = this.nextId;
      this.nextId += 1;
      this.sent.set(id, group);
      // A CommitRequest: { id, writes: [the writes of each call] }.
      this.worker.postMessage(`{"id":${id},"writes":[${parts.join(',')}]}`);
      group = [];
      parts = [];
      chars = 0;
    };
    for (const w of queued) {
      const part = writesToJson(w.writes);
      if (chars + part.length > MESSAGE_CHARS) post();
      group.push(w);
      parts.push(part);
      chars += part.length;
    }
    post();
  }

  private settle(reply: CommitReply): void {
    const error = reply.error === undefined ? null : new Error(reply.error);
    for (const id of reply.ids) {
      const group = this.sent.get(id) ?? [];
      this.sent.delete(id);
      for (const w of group) {
        if (error) w.reject(error);
        else w.resolve(reply.commit);
      }
    }
    if (this.sent.size === 0) for (const done of this.drained.splice(0)) done();
  }

  /** The thread is gone: every write waiting, and every later one, fails with the reason. */
  private fail(error: Error): void {
    if (this.failure === null) this.failure = error;
    else if (this.sent.size === 0 && this.queue.length === 0) return;
    const waiting = [...this.sent.values()].flat().concat(this.queue);
    this.sent.clear();
    this.queue = [];
    for (const w of waiting) w.reject(error);
    for (const done of this.drained.splice(0)) done();
  }
}
