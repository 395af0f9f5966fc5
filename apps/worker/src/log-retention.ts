import type { ProvisioDb } from '@provisio/db';
import { DEFAULT_LOG_RETENTION_DAYS } from '@provisio/engine';

/** How long the logs are kept, and how the purge paces itself. */
export interface RetentionOptions {
  /** Days provisioning events are kept (PROVISIO_PROVISIONING_LOG_DAYS); 30 by default, as in Entra. */
  provisioningDays: number;
  /** Days audit events are kept (PROVISIO_AUDIT_LOG_DAYS); 30 by default. */
  auditDays: number;
  /** Events deleted per batch: one short write transaction each. */
  batchSize: number;
  /** How often to look for expired events. */
  intervalMs: number;
}

export const DEFAULT_RETENTION: RetentionOptions = {
  provisioningDays: DEFAULT_LOG_RETENTION_DAYS,
  auditDays: DEFAULT_LOG_RETENTION_DAYS,
  batchSize: 1_000,
  intervalMs: 10 * 60_000,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Removes provisioning and audit events older than their retention period, in the background: one
 * small batch per turn of the event loop, so a cycle's group commits wait at most one batch for the
 * database. Several workers may purge the same database; a batch deletes what is still there.
 */
export class LogRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<{ provisioning: number; audit: number }> | null = null;
  private stopped = false;

  constructor(
    private readonly db: ProvisioDb,
    private readonly options: RetentionOptions,
    private readonly now: () => Date,
    private readonly log: (line: string) => void,
  ) {}

  /** Deletes one batch of each kind; how many events each removed. */
  async purgeBatch(): Promise<{ provisioning: number; audit: number }> {
    const now = this.now().getTime();
    const { batchSize, provisioningDays, auditDays } = this.options;
    const provisioning = await this.db.events.purgeProvisioningEvents(
      new Date(now - provisioningDays * DAY_MS),
      batchSize,
    );
    const audit = await this.db.events.purgeAuditEvents(new Date(now - auditDays * DAY_MS), batchSize);
    return { provisioning, audit };
  }

  /** Purges batch after batch, yielding to the event loop between them, until nothing expired is left. */
  drain(): Promise<{ provisioning: number; audit: number }> {
    this.running ??= (async () => {
      const total = { provisioning: 0, audit: 0 };
      try {
        for (;;) {
          if (this.stopped) break;
          const removed = await this.purgeBatch();
          total.provisioning += removed.provisioning;
          total.audit += removed.audit;
          if (removed.provisioning < this.options.batchSize && removed.audit < this.options.batchSize) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (total.provisioning + total.audit > 0) {
          this.log(
            `retention removed provisioningEvents=${total.provisioning} auditEvents=${total.audit} (kept ${this.options.provisioningDays} and ${this.options.auditDays} days)`,
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
        this.log(`retention failed: ${error instanceof Error ? error.message : String(error)}`),
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
