import { describe, expect, it } from 'vitest';
import { emptyTally } from './cycle-summary';
import { planCycleFinish, type CycleFinishInput } from './finish-cycle';
import { emptyStatus } from './job-state';

const ended = new Date('2026-03-01T10:00:00.000Z');
const input = (over: Partial<CycleFinishInput> = {}): CycleFinishInput => ({
  cycle: {
    cycleId: 'c1',
    kind: 'Initial',
    timeBegan: '2026-03-01T09:59:00.000Z',
    upTo: 42,
    configHash: 'h1',
  },
  ended,
  tally: { ...emptyTally(), imported: 2, created: 2, exported: 2 },
  error: null,
  entriesDelta: { User: 2 },
  job: {
    statusCode: 'NotRun',
    scheduleState: 'Active',
    status: emptyStatus(),
    intervalSeconds: 2400,
    runRequestedAt: '2026-03-01T09:58:00.000Z',
  },
  nextEscrowAt: null,
  checkpointKept: true,
  ...over,
});
const credentials = { code: 'CredentialsInvalid', message: 'Rejected.', tenantActionable: true };

describe('the finish step of a cycle', () => {
  it('a settled cycle moves the watermark, records the configuration and turns NotRun into Active', () => {
    const finish = planCycleFinish(input());
    expect(finish.state).toBe('Succeeded');
    expect(finish.job).toMatchObject({
      watermark: 42,
      configHash: 'h1',
      statusCode: 'Active',
      cycleCheckpoint: null,
      runRequestedAt: null,
      nextRunAt: '2026-03-01T10:40:00.000Z',
    });
    expect(finish.job.status).toMatchObject({
      currentCycle: null,
      progress: [],
      steadyStateFirstAchievedTime: ended.toISOString(),
      steadyStateLastAchievedTime: ended.toISOString(),
    });
    expect(finish.job.status.lastSuccessfulExecutionWithExports?.activityIdentifier).toBe('c1');
    expect(finish.recountEntries).toBe(true);
  });

  it('a cycle stopped by a job-level error keeps the watermark and counts a complete failure', () => {
    const finish = planCycleFinish(input({ error: credentials }));
    expect(finish.state).toBe('Failed');
    expect(finish.job.watermark).toBeUndefined();
    expect(finish.job.statusCode).toBe('NotRun');
    expect(finish.job.status.countSuccessiveCompleteFailures).toBe(1);
    expect(finish.job.status.lastSuccessfulExecution).toBeNull();
  });

  it('a cycle whose checkpoint a restart discarded does not move the watermark', () => {
    expect(planCycleFinish(input({ checkpointKept: false })).job.watermark).toBeUndefined();
  });

  it('an escrow retry due before the interval brings the next run forward', () => {
    const finish = planCycleFinish(input({ nextEscrowAt: '2026-03-01T10:05:00.000Z' }));
    expect(finish.job.nextRunAt).toBe('2026-03-01T10:05:00.000Z');
  });

  it('a run requested while the cycle ran is kept for the next cycle', () => {
    const later = input();
    later.job.runRequestedAt = '2026-03-01T09:59:30.000Z';
    expect(planCycleFinish(later).job).not.toHaveProperty('runRequestedAt');
  });

  it('an incremental cycle adds its delta to the entry count instead of counting every entry', () => {
    const base = input({ cycle: { ...input().cycle, kind: 'Incremental' }, entriesDelta: { User: -1 } });
    base.job.status = { ...emptyStatus(), synchronizedEntryCountByType: [{ key: 'User', value: 10 }] };
    const finish = planCycleFinish(base);
    expect(finish.recountEntries).toBe(false);
    expect(finish.job.status.synchronizedEntryCountByType).toEqual([{ key: 'User', value: 9 }]);
    // The status read in is left as it was.
    expect(base.job.status.synchronizedEntryCountByType).toEqual([{ key: 'User', value: 10 }]);
  });

  it('a cycle with failed objects has entry-level errors and still moves the watermark', () => {
    const finish = planCycleFinish(input({ tally: { ...emptyTally(), imported: 1, failed: 1 } }));
    expect(finish.state).toBe('EntryLevelErrors');
    expect(finish.job.watermark).toBe(42);
  });

  it('an incremental cycle that created the first groups counts every entry afresh', () => {
    const base = input({ cycle: { ...input().cycle, kind: 'Incremental' }, entriesDelta: { Group: 2 } });
    base.job.status = { ...emptyStatus(), synchronizedEntryCountByType: [{ key: 'User', value: 10 }] };
    expect(planCycleFinish(base).recountEntries).toBe(true);
  });
});
