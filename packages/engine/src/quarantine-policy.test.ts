import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUARANTINE_THRESHOLDS,
  escrowThresholdInReach,
  escrowThresholdReason,
  planQuarantine,
  QUARANTINE_MAX_INTERVAL_MS,
  type Quarantine,
  type QuarantineEvidence,
} from './quarantine-policy';

describe('the escrow thresholds: the reference’s worked examples', () => {
  it.each([
    ['4,000 failures', { failures: 4_000, referenceFailures: 0, successes: 0 }, null],
    [
      '45,000 failures',
      { failures: 45_000, referenceFailures: 0, successes: 200_000 },
      'EncounteredBaseEscrowThreshold',
    ],
    [
      '30,000 failed and 5,000 successful',
      { failures: 30_000, referenceFailures: 0, successes: 5_000 },
      'EncounteredEscrowProportionThreshold',
    ],
    [
      '20,000 failed and 100,000 successful',
      { failures: 20_000, referenceFailures: 0, successes: 100_000 },
      null,
    ],
    [
      '40,000 failures and 21,000 manager failures',
      { failures: 40_000, referenceFailures: 21_000, successes: 100_000 },
      'EncounteredTotalEscrowThreshold',
    ],
  ] as const)('%s → %s', (_name, counts, reason) => {
    expect(escrowThresholdReason(counts, DEFAULT_QUARANTINE_THRESHOLDS)).toBe(reason);
  });
});

describe('whether the successes need counting', () => {
  it('not while the failures cannot cross a threshold, whatever the successes', () => {
    for (const failing of [
      { failures: 0, referenceFailures: 0 },
      { failures: 4_999, referenceFailures: 50_000 },
    ]) {
      expect(escrowThresholdInReach(failing)).toBe(false);
      for (const successes of [0, 1, 1_000_000])
        expect(escrowThresholdReason({ ...failing, successes })).toBeNull();
    }
  });

  it('when some count of successes would cross one', () => {
    // 5,000 failures cross the proportion against fewer than 7,500 successes.
    expect(escrowThresholdInReach({ failures: 5_000, referenceFailures: 0 })).toBe(true);
    expect(escrowThresholdReason({ failures: 5_000, referenceFailures: 0, successes: 7_000 })).toBe(
      'EncounteredEscrowProportionThreshold',
    );
    // More than 60,000 failures of any kind cross the total, and its message names the successes.
    expect(escrowThresholdInReach({ failures: 0, referenceFailures: 60_001 })).toBe(true);
  });
});

const now = new Date('2026-03-01T12:00:00.000Z');
const quiet: QuarantineEvidence = {
  error: null,
  answeredRequests: 10,
  unansweredRequests: 0,
  firstUnanswered: null,
  escrows: { failures: 0, referenceFailures: 0, successes: 10 },
};
const plan = (evidence: Partial<QuarantineEvidence>, previous: Quarantine | null = null, at = now) =>
  planQuarantine({
    previous,
    evidence: { ...quiet, ...evidence },
    thresholds: DEFAULT_QUARANTINE_THRESHOLDS,
    intervalSeconds: 2400,
    now: at,
  });
const rejected = { code: 'Unauthorized', message: 'The Secret Token was rejected.', tenantActionable: true };

describe('planQuarantine', () => {
  it('rejected credentials quarantine the job at once, next attempt after one interval', () => {
    const d = plan({ error: rejected });
    expect(d.change).toBe('entered');
    expect(d.quarantine).toEqual({
      reason: 'EncounteredQuarantineException',
      error: rejected,
      currentBegan: now.toISOString(),
      seriesBegan: now.toISOString(),
      seriesCount: 1,
      nextAttempt: new Date(now.getTime() + 2_400_000).toISOString(),
    });
  });

  it('every request unanswered (a closed port) quarantines with the connection error', () => {
    const refused = {
      code: 'WebExceptionConnectFailure',
      message: 'Could not connect.',
      tenantActionable: true,
    };
    const d = plan({ answeredRequests: 0, unansweredRequests: 68, firstUnanswered: refused });
    expect(d.quarantine).toMatchObject({ reason: 'EncounteredQuarantineException', error: refused });
  });

  it('the interval doubles per quarantined cycle, up to once a day', () => {
    let q = plan({ error: rejected }).quarantine;
    for (let i = 0; i < 10; i += 1) q = plan({ error: rejected }, q).quarantine;
    expect(q?.seriesCount).toBe(11);
    expect(Date.parse(q?.nextAttempt ?? '') - now.getTime()).toBe(QUARANTINE_MAX_INTERVAL_MS);
    const second = plan({ error: rejected }, plan({ error: rejected }).quarantine);
    expect(Date.parse(second.quarantine?.nextAttempt ?? '') - now.getTime()).toBe(4_800_000);
    expect(second.change).toBe('continued');
  });

  it('four weeks in quarantine disable the job', () => {
    const first = plan({ error: rejected }).quarantine;
    const later = new Date(now.getTime() + 28 * 24 * 3_600_000);
    expect(plan({ error: rejected }, first, later).disable).toBe(true);
    expect(plan({ error: rejected }, first, new Date(later.getTime() - 1)).disable).toBe(false);
  });

  it('a cycle that reached the application without crossing anything lifts it; one that sent nothing keeps it', () => {
    const q = plan({ error: rejected }).quarantine;
    expect(plan({}, q)).toMatchObject({ quarantine: null, change: 'cleared' });
    expect(plan({ answeredRequests: 0 }, q)).toMatchObject({
      change: 'none',
      quarantine: { reason: q?.reason },
    });
  });

  it('another reason changes the quarantine and its current start, not its series', () => {
    const q = plan({ error: rejected }).quarantine;
    const later = new Date(now.getTime() + 3_600_000);
    const d = plan({ escrows: { failures: 6_000, referenceFailures: 0, successes: 1_000 } }, q, later);
    expect(d.change).toBe('changed');
    expect(d.quarantine).toMatchObject({
      reason: 'EncounteredEscrowProportionThreshold',
      currentBegan: later.toISOString(),
      seriesBegan: now.toISOString(),
      seriesCount: 2,
    });
  });
});
