/**
 * How hard one target is driven, learned from its answers: a concurrency limit (requests in
 * flight) that halves when the target is overloaded (5xx, timeouts, dropped connections) and
 * grows by one after as many clean answers as the limit, and a request rate learned from 429s:
 * the first sets it to what was served so far (at least the limit's requests in flight served
 * within a quarter second), the next one (a quarter second later) to just under what the target
 * served since the first — its rate, once its burst allowance is spent — later ones lower it
 * again, and raised while none come (3 % a second near the last 429, 10 % a second after three quiet
 * seconds). A rate-limited target is thus driven at its limit, not into errors. Pure: every method
 * takes the time; the worker does the waiting.
 *
 * @example
 * const limit = new AdaptiveLimit({ maxConcurrency: 8 });
 * const startAt = limit.reserveStart(now); // wait until then, send, then:
 * limit.onSuccess(Date.now()); // or onThrottled(Date.now(), retryAfterMs) / onOverloaded(Date.now())
 */
export class AdaptiveLimit {
  /** Requests allowed in flight now (1 … maxConcurrency). */
  concurrency: number;
  /** Requests per second once the target has throttled; null while it never has. */
  rate: number | null = null;
  /** How many answers were 429 / overload, for the cycle's log line. */
  throttled = 0;
  overloaded = 0;
  private readonly maxConcurrency: number;
  private readonly served: number[] = [];
  private nextStart = 0;
  private blockedUntil = 0;
  private cleanSinceConcurrencyChange = 0;
  private lastRateChange = 0;
  private lastDecrease = -Infinity;
  private firstAnswerAt: number | null = null;
  /** Since the first 429 the target's allowance is spent: what it serves from then on is its rate. */
  private emptySince: number | null = null;
  private servedSinceEmpty = 0;

  /** A 429 whose Retry-After is longer than this holds back every request, not just the one refused. */
  static readonly BLOCK_ALL_ABOVE_MS = 1_000;
  /** The served rate is measured over this window. */
  static readonly WINDOW_MS = 1_000;
  /** One decrease per this long: the 429s of requests already in flight say the same thing. */
  static readonly DECREASE_SPACING_MS = 1_000;
  /** How long the target's rate is measured after the first 429 before the first estimate is corrected. */
  static readonly CONFIRM_AFTER_MS = 250;
  /** Rate back-off on a 429, and rate growth per second without one: slow near the last 429, faster after. */
  static readonly DECREASE = 0.97;
  static readonly INCREASE = 1.03;
  static readonly FAST_INCREASE = 1.1;
  /** How long without a 429 before the rate grows fast: a first estimate may be far too low. */
  static readonly FAST_AFTER_MS = 3_000;

  constructor(options: { maxConcurrency: number }) {
    this.maxConcurrency = Math.max(1, Math.floor(options.maxConcurrency));
    this.concurrency = this.maxConcurrency;
  }

  /** Reserves the start time of the next request: paced by the learned rate, after any block. */
  reserveStart(now: number): number {
    const start = Math.max(now, this.blockedUntil, this.nextStart);
    if (this.rate !== null) this.nextStart = start + 1000 / this.rate;
    return start;
  }

  onSuccess(now: number): void {
    this.firstAnswerAt ??= now;
    this.served.push(now);
    if (this.emptySince !== null) this.servedSinceEmpty += 1;
    this.trim(now);
    this.cleanSinceConcurrencyChange += 1;
    if (this.cleanSinceConcurrencyChange >= this.concurrency && this.concurrency < this.maxConcurrency) {
      this.concurrency += 1;
      this.cleanSinceConcurrencyChange = 0;
    }
    if (this.rate !== null && now - this.lastRateChange >= 1_000) {
      const quiet = now - this.lastDecrease >= AdaptiveLimit.FAST_AFTER_MS;
      this.rate *= quiet ? AdaptiveLimit.FAST_INCREASE : AdaptiveLimit.INCREASE;
      this.lastRateChange = now;
    }
  }

  /** A 429: slow down to what the target served, and honour a long Retry-After for everyone. */
  onThrottled(now: number, retryAfterMs: number | null): void {
    this.firstAnswerAt ??= now;
    this.throttled += 1;
    this.trim(now);
    if (retryAfterMs !== null && retryAfterMs > AdaptiveLimit.BLOCK_ALL_ABOVE_MS)
      this.blockedUntil = Math.max(this.blockedUntil, now + retryAfterMs);
    if (this.rate === null) {
      // The first 429: pace at what was served so far, or at the requests in flight served within
      // the confirmation if that is more. Both err high (the first holds the target's burst
      // allowance, the second has every request in flight served), which costs a few more 429s;
      // erring low would cost throughput for seconds. The second counts when little is served yet:
      // a target that refuses at once but answers after its latency sends the 429s of the requests
      // beyond its allowance before the answers to those within it. Paced at what was served, a
      // target of 200 a second with a burst of 20 was driven at 84 a second over a minute from 64
      // requests in flight. From now on the allowance is spent: what is served measures the rate.
      const window = Math.min(AdaptiveLimit.WINDOW_MS, Math.max(50, now - this.firstAnswerAt));
      this.rate = Math.max(
        (this.served.length * 1000) / window,
        (this.concurrency * 1000) / AdaptiveLimit.CONFIRM_AFTER_MS,
      );
      this.emptySince = now;
      this.servedSinceEmpty = 0;
      this.lastDecrease = now;
      this.lastRateChange = now;
      return;
    }
    const confirming = this.emptySince !== null;
    const spacing = confirming ? AdaptiveLimit.CONFIRM_AFTER_MS : AdaptiveLimit.DECREASE_SPACING_MS;
    if (now - this.lastDecrease < spacing) return;
    const servedRate =
      this.emptySince !== null
        ? (this.servedSinceEmpty * 1000) / Math.max(1, now - this.emptySince)
        : (this.served.length * 1000) / AdaptiveLimit.WINDOW_MS;
    this.rate = Math.max(1, Math.min(this.rate, servedRate) * AdaptiveLimit.DECREASE);
    this.emptySince = null;
    this.lastDecrease = now;
    this.lastRateChange = now;
  }

  /** A 5xx, timeout or dropped connection: fewer requests in flight. */
  onOverloaded(now: number): void {
    this.firstAnswerAt ??= now;
    this.overloaded += 1;
    if (now - this.lastDecrease < AdaptiveLimit.DECREASE_SPACING_MS) return;
    this.concurrency = Math.max(1, Math.floor(this.concurrency / 2));
    this.cleanSinceConcurrencyChange = 0;
    this.lastDecrease = now;
  }

  private trim(now: number): void {
    const from = now - AdaptiveLimit.WINDOW_MS;
    let drop = 0;
    while (drop < this.served.length && (this.served[drop] ?? 0) <= from) drop += 1;
    if (drop > 0) this.served.splice(0, drop);
  }
}
