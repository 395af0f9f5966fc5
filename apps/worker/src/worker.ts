import { setMaxListeners } from 'node:events';
import type { ProvisioDb } from '@provisio/db';
import type { JobOptionDefaults } from '@provisio/engine';
import { sleep } from './concurrency';
import { createHttpTransport } from './http-transport';
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
  /** Retry and escrow schedules for jobs whose settings say nothing (default: the reference's). */
  defaults?: JobOptionDefaults;
  log?: (line: string) => void;
  now?: () => Date;
}

/**
 * The sync process's loop: claim a due job (a lease, so no two workers run it at once), run one
 * cycle while renewing the lease, release it, repeat. `stop()` lets the objects in flight finish,
 * saves the cycle's checkpoint and ends the loop; the next worker to take the job resumes it.
 */
export class ProvisioningWorker {
  private readonly stopController = new AbortController();
  private current: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly log: (line: string) => void;
  private readonly now: () => Date;
  private readonly transport = createHttpTransport();

  constructor(private readonly options: WorkerOptions) {
    // Timestamped, so that the cycles of several worker processes can be lined up.
    this.log = options.log ?? ((line) => console.log(`${new Date().toISOString()} ${line}`));
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
    // Every object waiting in a backoff or the target's pace listens to this signal.
    setMaxListeners(0, controller.signal);
    this.current = controller;
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
        {
          db,
          workerId,
          now: this.now,
          concurrency: this.options.concurrency,
          log: this.log,
          transport: this.transport,
          ...(this.options.defaults ? { defaults: this.options.defaults } : {}),
        },
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
    const first = !this.stopping;
    this.stopController.abort('shutdown');
    this.current?.abort('shutdown');
    await this.loop;
    if (first) await this.transport.close();
  }
}
