import type { LogSummaryCycle } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import {
  cyclesSummaryText,
  durationUnit,
  eventsSummaryText,
  finishedCycles,
  retentionText,
} from './summary-text';

const cycle = (id: string, duration: number | null): LogSummaryCycle => ({
  id,
  jobId: 'scim.1',
  servicePrincipal: { id: 'sp', displayName: 'Sample App' },
  kind: 'Incremental',
  state: duration === null ? 'Running' : 'Succeeded',
  beganAt: '2026-11-01T10:00:00.000Z',
  endedAt:
    duration === null ? null : new Date(Date.parse('2026-11-01T10:00:00.000Z') + duration).toISOString(),
  durationInMilliseconds: duration,
});

describe('summary text', () => {
  it('sums up the events of a range by status', () => {
    expect(eventsSummaryText('24h', { success: 3, skipped: 1, failure: 0, warning: 0 })).toBe(
      '4 provisioning events in the last 24 hours: 3 success, 1 skipped, 0 failure, 0 warning.',
    );
    expect(eventsSummaryText('7d', { success: 0, skipped: 0, failure: 0, warning: 0 })).toBe(
      'No provisioning events in the last 7 days.',
    );
  });

  it('charts finished cycles oldest first and names the latest', () => {
    const cycles = [cycle('running', null), cycle('newest', 3000), cycle('oldest', 1000)];
    expect(finishedCycles(cycles).map((c) => c.id)).toEqual(['oldest', 'newest']);
    const text = cyclesSummaryText(cycles, (ms) => `${ms} ms`);
    expect(text).toMatch(
      /^The last 2 finished cycles took from 1000 ms to 3000 ms; the latest, incremental of Sample App/,
    );
    expect(text).toMatch(/took 3000 ms\.$/);
    expect(cyclesSummaryText([cycle('running', null)], String)).toBe('No cycle has finished yet.');
  });

  it.each([
    [90_000, 'seconds', 1000],
    [120_000, 'minutes', 60_000],
    [3 * 3_600_000, 'hours', 3_600_000],
  ] as const)('reads %i ms in %s', (ms, label, divisor) => {
    expect(durationUnit(ms)).toEqual({ label, divisor });
  });

  it('says how far back a log goes, or that it is empty', () => {
    expect(retentionText('Audit', { days: 30, oldestEventDateTime: null })).toBe(
      'Audit logs hold no events yet; events are kept for 30 days.',
    );
    expect(
      retentionText('Provisioning', { days: 1, oldestEventDateTime: '2026-11-01T10:00:00.000Z' }),
    ).toMatch(/^Provisioning logs go back to .*2026.*; events are kept for 1 day\.$/);
  });
});
