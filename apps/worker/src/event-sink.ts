import type { ProvisioDb } from '@provisio/db';
import type { ProvisioningObjectSummary } from '@provisio/engine';

/**
 * Collects provisioning events and writes them in batches (one transaction per batch), so a
 * cycle of thousands of objects does not pay one commit per event. A batch is written when it
 * reaches `batchSize` or `maxDelayMs` after its first event, and on `flush()`.
 */
export class EventSink {
  private buffer: ProvisioningObjectSummary[] = [];
  private timer: NodeJS.Timeout | null = null;
  written = 0;

  constructor(
    private readonly db: ProvisioDb,
    private readonly batchSize = 100,
    private readonly maxDelayMs = 1_000,
  ) {}

  add(event: ProvisioningObjectSummary): void {
    this.buffer.push(event);
    if (this.buffer.length >= this.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.db.events.insertProvisioningEvents(batch);
    this.written += batch.length;
  }
}
