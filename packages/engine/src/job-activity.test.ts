import { describe, expect, it } from 'vitest';
import { describeJobActivity, type JobActivityInput } from './job-activity';

const NOW = new Date('2026-01-01T10:00:00.000Z');
const LATER = '2026-01-01T10:38:00.000Z';
const EARLIER = '2026-01-01T09:59:00.000Z';
const cycle = { cycleId: 'c1', cycleKind: 'Initial' as const, timeBegan: '2026-01-01T09:58:00.000Z' };

const job = (over: Partial<JobActivityInput> = {}): JobActivityInput => ({
  scheduleState: 'Active',
  status: { currentCycle: null, progress: [] },
  runRequestedAt: null,
  nextRunAt: LATER,
  cycleCheckpoint: null,
  leaseExpiresAt: null,
  ...over,
});

describe('what a job is doing', () => {
  it.each([
    ['Start or Restart requested a cycle', job({ runRequestedAt: EARLIER }), 'Queued', EARLIER, EARLIER],
    [
      'never ran since it was turned on',
      job({ nextRunAt: null }),
      'Queued',
      NOW.toISOString(),
      NOW.toISOString(),
    ],
    ['its next run is reached', job({ nextRunAt: EARLIER }), 'Queued', EARLIER, EARLIER],
    ['it waits for its schedule', job(), 'Idle', null, LATER],
    ['provisioning is off', job({ scheduleState: 'Paused', runRequestedAt: EARLIER }), 'Idle', null, null],
    [
      'it was disabled in quarantine',
      job({ scheduleState: 'Disabled', nextRunAt: EARLIER }),
      'Idle',
      null,
      null,
    ],
  ])('%s: %s', (_name, input, activity, queued, next) => {
    expect(describeJobActivity(input, NOW)).toEqual({
      activity,
      queuedDateTime: queued,
      nextCycleDateTime: next,
    });
  });

  it('is in progress while a worker holds the lease of an open cycle, even with a run requested meanwhile', () => {
    const running = job({
      status: { currentCycle: cycle, progress: [] },
      cycleCheckpoint: { cycleId: 'c1' },
      leaseExpiresAt: '2026-01-01T10:00:30.000Z',
      runRequestedAt: EARLIER,
    });
    expect(describeJobActivity(running, NOW)).toEqual({
      activity: 'InProgress',
      queuedDateTime: null,
      nextCycleDateTime: LATER,
    });
  });

  it('is queued when its worker stopped and left the cycle to resume, from the last progress saved', () => {
    const progress = [
      { completedUnits: 3, totalUnits: 9, units: 'Users', progressObservationDateTime: EARLIER },
    ];
    const left = job({
      status: { currentCycle: cycle, progress },
      cycleCheckpoint: { cycleId: 'c1' },
      leaseExpiresAt: '2026-01-01T09:59:30.000Z',
    });
    expect(describeJobActivity(left, NOW)).toMatchObject({ activity: 'Queued', queuedDateTime: EARLIER });
    // Stopped provisioning still lets the interrupted cycle finish; its next cycle is unknown.
    expect(describeJobActivity({ ...left, scheduleState: 'Paused' }, NOW)).toEqual({
      activity: 'Queued',
      queuedDateTime: EARLIER,
      nextCycleDateTime: null,
    });
  });

  it('counts a lease held by a worker that has not opened the cycle yet as still queued', () => {
    expect(
      describeJobActivity(job({ runRequestedAt: EARLIER, leaseExpiresAt: '2026-01-01T10:00:30.000Z' }), NOW)
        .activity,
    ).toBe('Queued');
  });
});
