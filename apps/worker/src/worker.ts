import type { ProvisioDb } from '@provisio/db';
import { sleep } from './concurrency';
import { runCycle, type CycleReport } from './run-cycle';

export interface WorkerOptions {
  db: ProvisioDb;
  /** Names this process in leases; unique per running worker. */
  workerId: string;
  /** How long to wait between looks for a due job when none is due. */
  pollMs: number;
  /** Lease length; it is renewed every third of it while a cycle runs. */
  leaseMs: number;
  /** Requests in flight per target unless the job says otherwise. */
  concurrency: number;
  log?: (line: string) => void;
  now?: () => Date;
}

/**
 * The sync process's loop: claim a due job (a lease, so no two workers run it at once), run one
 * cycle while renewing the lease, release it, repeat. `stop()` lets the running cycle finish the
 * objects in flight, then ends the loop.
 */
export class ProvisioningWorker {
  private readonly stopController = new AbortController();
  private current: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly log: (line: string) => void;
  private readonly now: () => Date;

  constructor(private readonly options: WorkerOptions) {
    this.log = options.log ?? ((line) => console.log(line));
    this.now = options.now ?? (() => new Date());
  }

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Claims one due job and runs one cycle of it; null when no job was due. */
  async runOnce(): Promise<CycleReport | null> {
    const { db, workerId, leaseMs } = this.options;
    if (this.stopping) return null;
    const job = db.jobs.claimDueJob(workerId, this.now(), leaseMs);
    if (!job) return null;
    const controller = new AbortController();
    this.current = controller;
    // A cycle left 'Running' belonged to a worker that died while holding this job.
    db.cycles.failRunningCycles(
      job.id,
      'The worker running this cycle stopped before it finished; this cycle was abandoned.',
    );
    const heartbeat = setInterval(
      () => {
        let kept: boolean;
        try {
          kept = db.jobs.renewLease(job.id, workerId, this.now(), leaseMs);
        } catch (error) {
          // Without a renewed lease another worker may take the job over: stop rather than race it.
          console.error(`worker ${workerId}: renewing the lease of job ${job.id} failed:`, error);
          kept = false;
        }
        if (!kept) controller.abort('leaseLost');
      },
      Math.max(1_000, Math.floor(leaseMs / 3)),
    );
    try {
      return await runCycle(
        { db, workerId, now: this.now, concurrency: this.options.concurrency, log: this.log },
        job,
        controller.signal,
      );
    } finally {
      clearInterval(heartbeat);
      this.current = null;
      db.jobs.releaseLease(job.id, workerId);
    }
  }

  /** Runs cycles until `stop()`; resolves once the last cycle has ended and the lease is released. */
  run(): Promise<void> {
    this.loop ??= (async () => {
      while (!this.stopping) {
        const report = await this.runOnce();
        // Straight on to the next due job after a cycle; wait only when nothing was due.
        if (report === null) await sleep(this.options.pollMs, this.stopController.signal);
      }
    })();
    return this.loop;
  }

  /** Asks the running cycle to end after the objects in flight, and the loop to stop. */
  async stop(): Promise<void> {
    this.stopController.abort('shutdown');
    this.current?.abort('shutdown');
    await this.loop;
  }
}
