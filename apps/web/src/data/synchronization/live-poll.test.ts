import { describe, expect, it } from 'vitest';
import { ACTIVE_POLL_MS, IDLE_POLL_MS, pollInterval } from './live-poll';

const NOW = Date.parse('2026-01-01T10:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('how often the status is polled', () => {
  it.each([
    ['no job', [], IDLE_POLL_MS],
    ['a queued cycle', [{ activity: 'Queued' as const, nextCycleDateTime: at(0) }], ACTIVE_POLL_MS],
    [
      'a running cycle among idle jobs',
      [
        { activity: 'Idle' as const, nextCycleDateTime: at(3_600_000) },
        { activity: 'InProgress' as const, nextCycleDateTime: null },
      ],
      ACTIVE_POLL_MS,
    ],
    [
      'an idle job with its next cycle far off',
      [{ activity: 'Idle' as const, nextCycleDateTime: at(3_600_000) }],
      IDLE_POLL_MS,
    ],
    [
      'an idle job whose next cycle comes in 4 s',
      [{ activity: 'Idle' as const, nextCycleDateTime: at(4_000) }],
      4_000,
    ],
    [
      'an idle job whose next cycle is due',
      [{ activity: 'Idle' as const, nextCycleDateTime: at(-500) }],
      ACTIVE_POLL_MS,
    ],
    ['provisioning off', [{ activity: 'Idle' as const, nextCycleDateTime: null }], IDLE_POLL_MS],
  ])('%s', (_name, jobs, expected) => {
    expect(pollInterval(jobs, NOW)).toBe(expected);
  });
});
