import { AdaptiveLimit } from '@provisio/engine';
import { sleep } from './concurrency';

/** The cycle was interrupted (stop or lost lease) while an object waited: it is left for the resumed cycle. */
export class Interrupted extends Error {
  constructor() {
    super('The cycle was interrupted.');
  }
}

export type AnswerKind = 'ok' | 'throttled' | 'overloaded';

/**
 * Admits requests to one target under its adaptive limit: no more in flight than the limit's
 * concurrency, no faster than its learned rate, none before a long Retry-After has passed.
 */
export class TargetGate {
  readonly limit: AdaptiveLimit;
  private inFlight = 0;
  /** Requests waiting for a slot, first come first served. */
  private waiting: (() => void)[] = [];
  /** Waiters woken for a free slot that have not yet run. */
  private woken = 0;
  /** Requests admitted (retries included). */
  requests = 0;
  /** Requests the target answered (with success or an error status), and requests that got no answer. */
  answered = 0;
  unanswered = 0;
  /** The first request that got no answer (refused, timed out, unreachable), as the quarantine names it. */
  firstUnanswered: { code: string; message: string; tenantActionable: boolean } | null = null;

  /** `nowMs` is the clock the pace is kept by (the cycle's). */
  constructor(
    maxConcurrency: number,
    private readonly nowMs: () => number,
  ) {
    this.limit = new AdaptiveLimit({ maxConcurrency });
  }

  /** Waits for a slot; throws Interrupted when the cycle stops meanwhile. Pair with `done`. */
  async acquire(signal: AbortSignal): Promise<void> {
    while (this.inFlight >= this.limit.concurrency) {
      if (signal.aborted) {
        // The slot this waiter may have been woken for goes to the next one.
        this.wake();
        throw new Interrupted();
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.woken -= 1;
    }
    this.inFlight += 1;
    const wait = this.limit.reserveStart(this.nowMs()) - this.nowMs();
    if (wait > 0) await sleep(wait, signal);
    if (signal.aborted) {
      this.release();
      throw new Interrupted();
    }
    this.requests += 1;
  }

  /**
   * Reports how the admitted request went and frees its slot. `unanswered` is the error of a
   * request that got no answer at all; the first one is kept to explain a quarantine.
   */
  done(
    kind: AnswerKind,
    retryAfterMs: number | null = null,
    unanswered: { code: string; message: string; tenantActionable: boolean } | null = null,
  ): void {
    if (unanswered) {
      this.unanswered += 1;
      this.firstUnanswered ??= unanswered;
    } else this.answered += 1;
    const now = this.nowMs();
    if (kind === 'ok') this.limit.onSuccess(now);
    else if (kind === 'throttled') this.limit.onThrottled(now, retryAfterMs);
    else this.limit.onOverloaded(now);
    this.release();
  }

  /** Frees a slot whose request was not sent. */
  cancel(): void {
    this.release();
  }

  private release(): void {
    this.inFlight -= 1;
    this.wake();
  }

  /**
   * Wakes as many waiters as there are free slots not yet promised to a woken one: the limit may
   * have grown by more than one. Waking them all instead cost each answer a hundred wake-ups in an
   * initial cycle, where most of the objects in flight wait here. A woken waiter that finds its
   * slot taken meanwhile waits again.
   */
  private wake(): void {
    while (this.waiting.length > 0 && this.woken < this.limit.concurrency - this.inFlight) {
      this.woken += 1;
      this.waiting.shift()!();
    }
  }
}
