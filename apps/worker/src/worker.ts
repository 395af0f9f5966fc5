import { setMaxListeners } from 'node:events';
import { DbBusyError, type ProvisioDb } from '@provisio/db';
import type { JobOptionDefaults } from '@provisio/engine';
import { sleep } from './concurrency';
import { createHttpTransport, type HttpTransportOptions } from './http-transport';
import { runOnDemand, type OnDemandReport } from './on-demand';
import { runPreview, type PreviewReport } from './preview';
import { runCycle, type CycleDeps, type CycleReport } from './run-cycle';

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
  /**
   * How many jobs this process runs at once (default 1): each is a slot that claims a due job,
   * runs its cycle and claims the next, so ten applications do not need ten processes. A job is
   * still run by one slot of one process at a time (its lease).
   */
  jobsAtOnce?: number;
  /** Retry and escrow schedules for jobs whose settings say nothing (default: the reference's). */
  defaults?: JobOptionDefaults;
  log?: (line: string) => void;
  /** The clock (default the system's); tests may pass their own. */
  now?: () => Date;
  /** Randomness for expressions (default Math.random). */
  random?: () => number;
  /** Sends failure notifications; absent when no mail server is configured. */
  notify?: CycleDeps['notify'];
  /** The portal's address, for the link in notifications. */
  portalUrl?: string | null;
  /** Where SCIM requests may go (the Tenant URL policy, PROVISIO_TARGET_ALLOW) and how names resolve. */
  targets?: HttpTransportOptions;
  /** Where cycles' durable writes go (the process's commit thread); default a group commit through `db`. */
  writer?: CycleDeps['writer'];
}

/**
 * The sync process's loop, in each of its `jobsAtOnce` slots: answer a waiting provision-on-demand
 * request, else claim a due job (a lease, so no two workers, and no two slots, run it at once), run
 * one cycle while renewing the lease, release it, repeat. `stop()` lets the objects in flight
 * finish, saves each running cycle's checkpoint and ends the loops; the next worker to take a job
 * resumes it.
 */
export class ProvisioningWorker {
  private readonly stopController = new AbortController();
  /** The running work of each busy slot: `stop()` aborts them all. */
  private readonly running = new Set<AbortController>();
  private loop: Promise<void> | null = null;
  private readonly log: (line: string) => void;
  private readonly now: () => Date;
  private readonly transport: ReturnType<typeof createHttpTransport>;

  constructor(private readonly options: WorkerOptions) {
    this.transport = createHttpTransport(options.targets);
    // The one clock of the process: leases, cycles, events and the log's timestamps read it.
    const now = options.now ?? (() => new Date());
    this.now = now;
    // Timestamped, so that the cycles of several worker processes can be lined up.
    this.log = options.log ?? ((line) => console.log(`${now().toISOString()} ${line}`));
  }

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private cycleDeps(): CycleDeps {
    return {
      db: this.options.db,
      workerId: this.options.workerId,
      now: this.now,
      random: this.options.random ?? Math.random,
      ...(this.options.notify ? { notify: this.options.notify } : {}),
      portalUrl: this.options.portalUrl ?? null,
      concurrency: this.options.concurrency,
      leaseMs: this.options.leaseMs,
      log: this.log,
      transport: this.transport,
      ...(this.options.defaults ? { defaults: this.options.defaults } : {}),
      ...(this.options.writer ? { writer: this.options.writer } : {}),
    };
  }

  /**
   * Runs `work` while holding the lease of `jobId` (already taken): a heartbeat renews it, and
   * losing it aborts the work's signal. The lease is released at the end.
   */
  private async withLease<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { db, workerId, leaseMs } = this.options;
    const controller = new AbortController();
    // Every object waiting in a backoff or the target's pace listens to this signal.
    setMaxListeners(0, controller.signal);
    this.running.add(controller);
    /** The renewal under way, if any: the lease is released only after it. */
    let renewing: Promise<void> | null = null;
    const renew = async () => {
      let kept: boolean;
      try {
        kept = await db.jobs.renewLease(jobId, workerId, this.now(), leaseMs);
      } catch (error) {
        // Without a renewed lease another worker may take the job over: stop rather than race it.
        console.error(`worker ${workerId}: renewing the lease of job ${jobId} failed:`, error);
        kept = false;
      }
      if (!kept) controller.abort('leaseLost');
    };
    const heartbeat = setInterval(
      () => {
        renewing ??= renew().finally(() => (renewing = null));
      },
      Math.max(1_000, Math.floor(leaseMs / 3)),
    );
    try {
      return await work(controller.signal);
    } finally {
      clearInterval(heartbeat);
      this.running.delete(controller);
      await renewing;
      await db.jobs.releaseLease(jobId, workerId);
    }
  }

  /** Claims one due job and runs one cycle of it; null when no job was due. */
  async runOnce(): Promise<CycleReport | null> {
    const { db, workerId, leaseMs } = this.options;
    if (this.stopping) return null;
    const job = await db.jobs.claimDueJob(workerId, this.now(), leaseMs);
    if (!job) return null;
    return this.withLease(job.id, (signal) => runCycle(this.cycleDeps(), job, signal));
  }

  /**
   * Claims one pending provision-on-demand request (with its job's lease, whether provisioning is
   * on or off) and answers it; null when none was waiting or its job is busy with a cycle.
   */
  async runOnDemandOnce(): Promise<OnDemandReport | null> {
    const { db, workerId, leaseMs } = this.options;
    if (this.stopping) return null;
    const request = await db.onDemand.claimRequest(workerId, this.now(), leaseMs);
    if (!request) return null;
    return this.withLease(request.jobId, async (signal) => {
      try {
        return await runOnDemand(this.cycleDeps(), request, signal);
      } catch (error) {
        // A defect: the waiting caller gets the message instead of a timeout; the worker carries on.
        console.error(`on-demand ${request.id} job=${request.jobId} failed:`, error);
        const failure = {
          code: 'InternalError',
          // The details stay in the worker's log (above); the caller learns where to look.
          message: `The provisioning service failed unexpectedly. The worker's log has the details (on-demand request ${request.id}).`,
        };
        await db.onDemand.completeRequest(
          request.id,
          workerId,
          { status: 'Failed', results: [], error: failure },
          this.now(),
        );
        return {
          requestId: request.id,
          jobId: request.jobId,
          state: 'Failed' as const,
          results: [],
          error: failure,
          durationMs: 0,
        };
      }
    });
  }

  /**
   * Claims one waiting preview of a next cycle (with its job's lease, whether provisioning is on or
   * off) and plans it; null when none was waiting or its job is busy with a cycle.
   */
  async runPreviewOnce(): Promise<PreviewReport | null> {
    const { db, workerId, leaseMs } = this.options;
    if (this.stopping) return null;
    const preview = await db.previews.claimPreview(workerId, this.now(), leaseMs);
    if (!preview) return null;
    return this.withLease(preview.jobId, async (signal) => {
      try {
        return await runPreview(this.cycleDeps(), preview, signal);
      } catch (error) {
        // A defect: the preview fails with where to look instead of running for ever; the worker carries on.
        console.error(`preview ${preview.id} job=${preview.jobId} failed:`, error);
        const failure = {
          code: 'InternalError',
          message: `The provisioning service failed unexpectedly. The worker's log has the details (preview ${preview.id}).`,
        };
        const counts = (await db.previews.getPreview(preview.id)).counts;
        await db.previews.completePreview(
          preview.id,
          workerId,
          { status: 'failed', counts, error: failure },
          this.now(),
        );
        return {
          previewId: preview.id,
          jobId: preview.jobId,
          state: 'failed' as const,
          counts,
          error: failure,
          requests: 0,
          durationMs: 0,
        };
      }
    });
  }

  /**
   * Runs cycles until `stop()`, in `jobsAtOnce` slots; resolves once every slot's last cycle has
   * ended and its lease is released.
   */
  run(): Promise<void> {
    const slots = Math.max(1, this.options.jobsAtOnce ?? 1);
    this.loop ??= Promise.all(Array.from({ length: slots }, (_, slot) => this.runSlot(slot, slots))).then(
      () => undefined,
    );
    return this.loop;
  }

  private async runSlot(slot: number, slots: number): Promise<void> {
    // Slots look for work at staggered moments, spread over the interval rather than all at once.
    if (slot > 0) await sleep(Math.floor((this.options.pollMs * slot) / slots), this.stopController.signal);
    while (!this.stopping) {
      const worked = await this.lookForWork();
      // Straight on to the next piece of work after one; wait only when nothing was waiting. The
      // idle slots share the poll interval: together they ask about once per interval, as one slot
      // would, rather than once each (every look is a transaction beside the running cycles').
      const idle = Math.max(1, slots - this.running.size);
      if (!worked) await sleep(this.options.pollMs * idle, this.stopController.signal);
    }
  }

  /**
   * Runs one piece of work, if any waits: an on-demand request first (someone waits for each, for at
   * most half a minute), then a preview (an administrator is watching the page), then a due job's
   * cycle. False when nothing was waiting. A database that another connection kept locked past the
   * busy timeout stops only this look: the slot says so and looks again after its pause, where it
   * ended the process (and `./provisio start` with it).
   */
  private async lookForWork(): Promise<boolean> {
    try {
      if ((await this.runOnDemandOnce()) !== null) return true;
      if ((await this.runPreviewOnce()) !== null) return true;
      return (await this.runOnce()) !== null;
    } catch (error) {
      if (!(error instanceof DbBusyError)) throw error;
      this.log(`database busy: ${error.message} Looking for work again after the poll interval.`);
      return false;
    }
  }

  /** Asks the running cycles to end after the objects in flight, and the loops to stop. */
  async stop(): Promise<void> {
    const first = !this.stopping;
    this.stopController.abort('shutdown');
    for (const controller of this.running) controller.abort('shutdown');
    await this.loop;
    if (first) await this.transport.close();
  }
}
