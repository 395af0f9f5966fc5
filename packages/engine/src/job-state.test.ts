import { describe, expect, it } from 'vitest';
import { emptyStatus, nextJobStatus, type JobStatusInput } from './job-state';

const execution = {
  activityIdentifier: 'c1',
  countEntitled: 0,
  countEntitledForProvisioning: 0,
  countEscrowed: 0,
  countEscrowedRaw: 0,
  countExported: 0,
  countExports: 0,
  countImported: 0,
  countImportedDeltas: 0,
  countImportedReferenceDeltas: 0,
  error: null,
  state: 'Succeeded' as const,
  timeBegan: '2026-01-01T00:00:00.000Z',
  timeEnded: '2026-01-01T00:01:00.000Z',
  cycleKind: 'Initial' as const,
};
const quarantine = {
  currentBegan: '2026-01-01T00:00:00.000Z',
  nextAttempt: '2026-01-01T01:00:00.000Z',
  reason: 'EncounteredQuarantineException',
  seriesBegan: '2026-01-01T00:00:00.000Z',
  seriesCount: 1,
  error: null,
};

const job = (over: Partial<JobStatusInput> = {}): JobStatusInput => ({
  statusCode: 'Paused',
  scheduleState: 'Paused',
  status: emptyStatus(),
  ...over,
});

describe('the job status state machine', () => {
  it.each([
    ['a job that never ran', job(), 'NotRun'],
    ['a job that ran before', job({ status: { ...emptyStatus(), lastExecution: execution } }), 'Active'],
  ])('Start schedules %s and shows it as %s', (_name, input, code) => {
    expect(nextJobStatus(input, { type: 'start' })).toMatchObject({
      statusCode: code,
      scheduleState: 'Active',
    });
  });

  it('Start lifts a quarantine and its count of failures', () => {
    const quarantined = job({
      statusCode: 'Quarantine',
      scheduleState: 'Active',
      status: { ...emptyStatus(), quarantine, countSuccessiveCompleteFailures: 3, lastExecution: execution },
    });
    const next = nextJobStatus(quarantined, { type: 'start' });
    expect(next.statusCode).toBe('Active');
    expect(next.status).toMatchObject({ quarantine: null, countSuccessiveCompleteFailures: 0 });
  });

  it('Restart keeps a quarantine unless its reset scope names the quarantine state', () => {
    const quarantined = job({
      statusCode: 'Quarantine',
      scheduleState: 'Active',
      status: { ...emptyStatus(), quarantine, countSuccessiveCompleteFailures: 3 },
    });
    const kept = nextJobStatus(quarantined, { type: 'restart', clearQuarantine: false });
    expect(kept.statusCode).toBe('Quarantine');
    expect(kept.status.quarantine).toEqual(quarantine);
    const lifted = nextJobStatus(quarantined, { type: 'restart', clearQuarantine: true });
    expect(lifted.statusCode).toBe('NotRun');
    expect(lifted.status.quarantine).toBeNull();
  });

  it('Stop pauses the schedule and the status', () => {
    expect(
      nextJobStatus(job({ statusCode: 'Active', scheduleState: 'Active' }), { type: 'pause' }),
    ).toMatchObject({ statusCode: 'Paused', scheduleState: 'Paused' });
  });

  it.each([
    ['NotRun', true, 'Active'],
    ['NotRun', false, 'NotRun'],
    ['Active', false, 'Active'],
    // Stopped while its cycle ran: the job stays paused.
    ['Paused', true, 'Paused'],
  ] as const)('a finished cycle turns %s (succeeded: %s) into %s', (code, succeeded, expected) => {
    expect(nextJobStatus(job({ statusCode: code }), { type: 'cycleFinished', succeeded }).statusCode).toBe(
      expected,
    );
  });

  it('a cycle that ends quarantined shows Quarantine; one that ends the quarantine shows Active', () => {
    expect(
      nextJobStatus(job({ statusCode: 'Active' }), {
        type: 'cycleFinished',
        succeeded: true,
        quarantined: true,
      }).statusCode,
    ).toBe('Quarantine');
    expect(
      nextJobStatus(job({ statusCode: 'Quarantine' }), {
        type: 'cycleFinished',
        succeeded: true,
        quarantined: false,
      }).statusCode,
    ).toBe('Active');
  });
});
