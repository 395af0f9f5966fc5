import { describe, expect, it } from 'vitest';
import { cycleDurationMs, summaryBuckets, sumStatusCounts } from './log-summary';

describe('summaryBuckets', () => {
  it.each([
    ['24h', 24, 'PT1H', '2026-10-31T11:00:00.000Z', '2026-11-01T11:00:00.000Z'],
    ['7d', 7, 'P1D', '2026-10-26T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
    ['30d', 30, 'P1D', '2026-10-03T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
  ] as const)(
    'cuts %s into %i buckets of %s ending with the one holding now',
    (range, n, interval, from, to) => {
      const cut = summaryBuckets(range, new Date('2026-11-01T10:20:30.400Z'));
      expect(cut.interval).toBe(interval);
      expect(cut.buckets).toHaveLength(n);
      expect(cut.buckets[0]!.from).toBe(from);
      expect(cut.buckets.at(-1)!.to).toBe(to);
    },
  );

  it('leaves no gap and no overlap between buckets', () => {
    const { buckets } = summaryBuckets('24h', new Date('2026-11-01T00:00:00.000Z'));
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.from).toBe(buckets[i - 1]!.to);
    expect(buckets.at(-1)).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-01T01:00:00.000Z' });
  });
});

describe('sumStatusCounts', () => {
  it('adds status by status', () => {
    expect(
      sumStatusCounts([
        { success: 1, skipped: 2, failure: 3, warning: 4 },
        { success: 10, skipped: 0, failure: 1, warning: 0 },
      ]),
    ).toEqual({ success: 11, skipped: 2, failure: 4, warning: 4 });
    expect(sumStatusCounts([])).toEqual({ success: 0, skipped: 0, failure: 0, warning: 0 });
  });
});

describe('cycleDurationMs', () => {
  it('measures a finished cycle and says nothing of a running one', () => {
    expect(cycleDurationMs('2026-11-01T10:00:00.000Z', '2026-11-01T10:01:30.500Z')).toBe(90_500);
    expect(cycleDurationMs('2026-11-01T10:00:00.000Z', null)).toBeNull();
  });
});
