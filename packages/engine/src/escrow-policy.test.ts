import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCROW_POLICY, parseDuration, parseDurationList, planEscrow } from './escrow-policy';

const HOUR = 3_600_000;
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('planEscrow', () => {
  it("follows the reference's schedule: 6 h, 12 h, 24 h after the first failure, then every 24 h", () => {
    const first = planEscrow(DEFAULT_ESCROW_POLICY, null, t0);
    expect(first).toEqual({ kind: 'retry', attempts: 1, firstFailedAt: t0, nextAttemptAt: at(6 * HOUR) });
    const offsets: number[] = [];
    let previous = { attempts: 1, firstFailedAt: t0 };
    let now = at(6 * HOUR);
    for (let i = 0; i < 4; i += 1) {
      const next = planEscrow(DEFAULT_ESCROW_POLICY, previous, now);
      if (next.kind !== 'retry') throw new Error('gave up too early');
      offsets.push((next.nextAttemptAt.getTime() - t0.getTime()) / HOUR);
      previous = { attempts: next.attempts, firstFailedAt: next.firstFailedAt };
      now = next.nextAttemptAt;
    }
    expect(offsets).toEqual([12, 24, 48, 72]);
  });

  it('gives up once the next retry would fall after 28 days', () => {
    const previous = { attempts: 28, firstFailedAt: t0 };
    expect(planEscrow(DEFAULT_ESCROW_POLICY, previous, at(27 * 24 * HOUR))).toMatchObject({
      kind: 'retry',
      nextAttemptAt: at(28 * 24 * HOUR),
    });
    expect(
      planEscrow(DEFAULT_ESCROW_POLICY, { attempts: 29, firstFailedAt: t0 }, at(28 * 24 * HOUR)),
    ).toEqual({
      kind: 'giveUp',
      attempts: 30,
      firstFailedAt: t0,
    });
  });

  it('after a late retry, skips the retries already overdue', () => {
    // The first retry was due at 6 h but ran at 30 h: the next one is the 48 h one, not 12 h or 24 h.
    const next = planEscrow(DEFAULT_ESCROW_POLICY, { attempts: 1, firstFailedAt: t0 }, at(30 * HOUR));
    expect(next).toMatchObject({ kind: 'retry', attempts: 2, nextAttemptAt: at(48 * HOUR) });
  });

  it('takes a short schedule for tests', () => {
    const policy = { retryAfterFirstFailureMs: [1000, 2000], thenEveryMs: 500, giveUpAfterMs: 3000 };
    expect(planEscrow(policy, null, t0)).toMatchObject({ nextAttemptAt: at(1000) });
    expect(planEscrow(policy, { attempts: 2, firstFailedAt: t0 }, at(2000))).toMatchObject({
      nextAttemptAt: at(2500),
    });
    expect(planEscrow(policy, { attempts: 4, firstFailedAt: t0 }, at(3000))).toMatchObject({
      kind: 'giveUp',
    });
  });
});

describe('parseDuration', () => {
  it.each([
    ['PT40M', 40 * 60_000],
    ['PT6H', 6 * HOUR],
    ['P28D', 28 * 24 * HOUR],
    ['P1W', 7 * 24 * HOUR],
    ['PT0.5S', 500],
    ['P1DT1H1M1S', 90_061_000],
    ['pt1s', 1000],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '6h', 'P1Y', 'PT-1S', '40 minutes'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('parses lists', () => {
    expect(parseDurationList('PT6H, PT12H,PT24H')).toEqual([6 * HOUR, 12 * HOUR, 24 * HOUR]);
    expect(parseDurationList('PT6H, soon')).toBeNull();
    expect(parseDurationList(' ')).toBeNull();
  });
});
