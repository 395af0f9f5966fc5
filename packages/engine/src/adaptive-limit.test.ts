import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from './adaptive-limit';

/** Serves `count` requests evenly over `ms` starting at `from`; returns the time after. */
function serve(limit: AdaptiveLimit, from: number, count: number, ms: number): number {
  for (let i = 0; i < count; i += 1) limit.onSuccess(from + (i * ms) / count);
  return from + ms;
}

describe('AdaptiveLimit', () => {
  it('starts unpaced at the configured concurrency', () => {
    const limit = new AdaptiveLimit({ maxConcurrency: 8 });
    expect(limit.concurrency).toBe(8);
    expect(limit.rate).toBeNull();
    expect(limit.reserveStart(100)).toBe(100);
    expect(limit.reserveStart(100)).toBe(100);
  });

  it('learns the rate of a token bucket: first what was served, then what was served since the first 429', () => {
    const limit = new AdaptiveLimit({ maxConcurrency: 8 });
    // 100 ms at 400/s: the bucket's burst allowance and its rate of 200/s, then the first 429.
    let now = serve(limit, 0, 40, 100);
    limit.onThrottled(now, 1000);
    expect(limit.rate).toBeCloseTo(400, 6);
    // Paced at that rate, the target serves 200/s and refuses the rest; the next 429 corrects it.
    now = serve(limit, now, 60, 300);
    limit.onThrottled(now, 1000);
    const rate = limit.rate ?? 0;
    expect(rate).toBeCloseTo(200 * 0.97, 0);
    const first = limit.reserveStart(now);
    const second = limit.reserveStart(now);
    expect(second - first).toBeCloseTo(1000 / rate, 6);
    // A Retry-After of a second concerns the request refused, not everyone.
    expect(first).toBe(now);
  });

  it('estimates high when a 429 comes back before anything was served, then learns the rate', () => {
    const limit = new AdaptiveLimit({ maxConcurrency: 64 });
    // 64 requests out; the 44 beyond the burst allowance of 20 are refused at once, the 20 others
    // answered after the target's latency.
    for (let i = 0; i < 44; i += 1) limit.onThrottled(1, 1000);
    expect(limit.rate).toBeCloseTo(64 / 0.25, 6);
    let now = serve(limit, 20, 20, 1);
    // Paced at 256/s, the target serves its 200/s and refuses the rest: the 429s bring the rate to it.
    now = serve(limit, now, 46, 230);
    limit.onThrottled(now, 1000);
    now = serve(limit, now, 200, 1000);
    limit.onThrottled(now, 1000);
    expect(Math.abs((limit.rate ?? 0) / 200 - 1)).toBeLessThan(0.1);
  });

  it('takes one decrease for a burst of 429s, and raises the rate slowly while none come', () => {
    const limit = new AdaptiveLimit({ maxConcurrency: 8 });
    let now = serve(limit, 0, 100, 1000);
    limit.onThrottled(now, null);
    now = serve(limit, now, 30, 300);
    limit.onThrottled(now, null);
    limit.onThrottled(now + 5, null);
    limit.onThrottled(now + 10, null);
    const rate = limit.rate ?? 0;
    expect(rate).toBeCloseTo(99 * 0.97, 6);
    expect(limit.throttled).toBe(4);
    now = serve(limit, now, 95, 1000);
    limit.onSuccess(now + 1);
    expect(limit.rate).toBeCloseTo(rate * 1.03, 6);
  });

  it('grows fast once three seconds pass without a 429, so a low first estimate does not last', () => {
    const limit = new AdaptiveLimit({ maxConcurrency: 8 });
    let now = serve(limit, 0, 100, 1000);
    limit.onThrottled(now, null);
    now = serve(limit, now, 30, 300);
    limit.onThrottled(now, null);
    const start = limit.rate ?? 0;
    for (let s = 0; s < 5; s += 1) now = serve(limit, now, 10, 1000);
    // 3 % at one and two seconds after the 429, then 10 % at three and four.
    expect(limit.rate).toBeCloseTo(start * 1.03 ** 2 * 1.1 ** 2, 6);
  });

  it('a long Retry-After holds back every request until it has passed', () => {
    const limit = new AdaptiveLimit({ maxConcurrency: 8 });
    limit.onThrottled(1000, 5000);
    expect(limit.reserveStart(1500)).toBeGreaterThanOrEqual(6000);
  });

  it('halves concurrency on overload (at most once a second) and grows it back one by one', () => {
    const limit = new AdaptiveLimit({ maxConcurrency: 8 });
    limit.onOverloaded(0);
    limit.onOverloaded(10);
    expect(limit.concurrency).toBe(4);
    limit.onOverloaded(1500);
    expect(limit.concurrency).toBe(2);
    for (let i = 0; i < 2; i += 1) limit.onSuccess(2000 + i);
    expect(limit.concurrency).toBe(3);
    for (let i = 0; i < 100; i += 1) limit.onSuccess(3000 + i);
    expect(limit.concurrency).toBe(8);
  });
});
