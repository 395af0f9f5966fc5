import { NotFoundError, timeOrderedId, type ProvisioDb } from '@provisio/db';
import {
  DEFAULT_DELETED_USER_DAYS,
  deletedUserPurgeAuditEvent,
  deletedUserPurgeCutoff,
} from '@provisio/engine';

/** How long deleted users stay restorable, and how the purge paces itself. */
export interface DeletedUserPurgeOptions {
  /** Days a deleted user stays in Deleted users (PROVISIO_DELETED_USER_DAYS); 30 by default, as in Entra. */
  days: number;
  /** Users deleted for good per batch: one short write transaction each. */
  batchSize: number;
  /** How often to look for users whose days ran out. */
  intervalMs: number;
}

export const DEFAULT_DELETED_USER_PURGE: DeletedUserPurgeOptions = {
  days: DEFAULT_DELETED_USER_DAYS,
  batchSize: 100,
  intervalMs: 10 * 60_000,
};

/**
 * Deletes for good the users whose days in *Deleted users* ran out (Entra's automatic hard delete),
 * in the background: a small batch per write transaction, each user with its "Hard delete user"
 * audit event. The next cycle of each application deletes their accounts where the Delete action is
 * on. Several workers may purge the same database; a batch reads and deletes in one transaction.
 */
export class DeletedUserPurge {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly db: ProvisioDb,
    private readonly options: DeletedUserPurgeOptions,
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
  ) {}

  /** Deletes one batch for good; how many users it removed. */
  async purgeBatch(): Promise<number> {
    const now = this.now();
    const cutoff = deletedUserPurgeCutoff(now, this.options.days);
    return this.db.transaction(async (tx) => {
      const due = await tx.directory.listDeletedUsersBefore(cutoff, this.options.batchSize);
      let removed = 0;
      for (const user of due) {
        try {
          await tx.directory.hardDeleteUser(user.id);
        } catch (error) {
          // Another worker purged it after this batch was read (on PostgreSQL the read does not wait
          // for that worker's commit; SQLite's write transactions follow one another): nothing to do.
          if (error instanceof NotFoundError) continue;
          throw error;
        }
        removed += 1;
        await tx.events.insertAuditEvent(
          deletedUserPurgeAuditEvent({
            id: timeOrderedId(now.getTime()),
            time: now,
            user: {
              id: user.id,
              userPrincipalName: user.userPrincipalName,
              deletedDateTime: user.deletedDateTime ?? '',
            },
            days: this.options.days,
          }),
        );
      }
      return removed;
    });
  }

  /** Purges batch after batch, yielding to the event loop between them, until no user is due. */
  drain(): Promise<number> {
    this.running ??= (async () => {
      let total = 0;
      try {
        for (;;) {
          if (this.stopped) break;
          const removed = await this.purgeBatch();
          total += removed;
          if (removed < this.options.batchSize) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (total > 0) {
          this.log(
            `deleted users removed for good=${total} (kept ${this.options.days} days in Deleted users)`,
          );
        }
        return total;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Drains now and every `intervalMs`; a failed purge is logged and tried again at the next turn. */
  start(): void {
    const run = () =>
      void this.drain().catch((error: unknown) =>
        this.log(`deleted users purge failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    run();
    this.timer = setInterval(run, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
