import type { ProvisioDb } from '@provisio/db';

/**
 * Group commit: writes asked for within a few milliseconds run together in one SQLite transaction,
 * and each caller's promise resolves once its write is committed. An object's connector record,
 * escrow and provisioning event thus land together (a crash keeps all or none of them), and a
 * cycle of thousands of objects pays one commit per group, not one per object: a commit rewrites
 * the index pages it touched, so fewer, larger commits write far less.
 */
export class DurableWriter {
  private queue: { write: () => void; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  commits = 0;
  writes = 0;

  /**
   * @param maxDelayMs how long the first write of a group waits for others
   * @param maxBatch a group this large is committed on the next turn of the event loop
   */
  constructor(
    private readonly db: ProvisioDb,
    private readonly maxDelayMs = 4,
    private readonly maxBatch = 256,
  ) {}

  /** Runs `write` (synchronous SQL) in the next group transaction; resolves once committed. */
  write(write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      if (this.queue.length >= this.maxBatch) {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        setImmediate(() => this.flush());
      } else {
        this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
      }
    });
  }

  /** Commits what is queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const w of batch) w.write();
      });
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
