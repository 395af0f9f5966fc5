import type { SynchronizationTaskExecution } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import { assessJobHealth, type JobHealthInput } from './job-health';
import type { Quarantine } from './quarantine-policy';

const execution = (over: Partial<SynchronizationTaskExecution> = {}): SynchronizationTaskExecution => ({
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
  state: 'Succeeded',
  timeBegan: '2026-01-01T00:00:00.000Z',
  timeEnded: '2026-01-01T00:01:00.000Z',
  cycleKind: 'Initial',
  ...over,
});
const quarantine = (reason: string, error: Quarantine['error'] = null): Quarantine => ({
  currentBegan: '2026-01-01T00:00:00.000Z',
  nextAttempt: '2026-01-01T01:00:00.000Z',
  reason,
  seriesBegan: '2026-01-01T00:00:00.000Z',
  seriesCount: 1,
  error,
});
const unauthorized = { code: 'Unauthorized', message: 'The token was refused.', tenantActionable: true };

const job = (over: Partial<JobHealthInput['status']> = {}, countEscrowed = 0): JobHealthInput => ({
  status: { quarantine: null, lastExecution: execution(), ...over },
  countEscrowed,
});

describe('what needs attention in a job', () => {
  it('finds nothing in a job whose last cycle succeeded, or that never ran', () => {
    expect(assessJobHealth(job())).toEqual([]);
    expect(assessJobHealth(job({ lastExecution: null }))).toEqual([]);
    expect(assessJobHealth(job({ lastExecution: execution({ state: 'EntryLevelErrors' }) }))).toEqual([]);
  });

  it('names rejected credentials first, with the Provisioning page as the fix, and not again as a failed cycle', () => {
    const issues = assessJobHealth(
      job({
        quarantine: quarantine('EncounteredQuarantineException', unauthorized),
        lastExecution: execution({ state: 'Failed', error: unauthorized }),
      }),
    );
    expect(issues.map((i) => [i.kind, i.fix])).toEqual([
      ['credentials', 'provisioning'],
      ['quarantine', 'provisioning'],
    ]);
    expect(issues[0]!.reason).toBe(
      'The application rejects the admin credentials (Unauthorized): The token was refused.',
    );
    expect(issues[0]!.recommendedAction).toContain('Secret Token');
  });

  it('reads rejected credentials from the last cycle when there is no quarantine', () => {
    const issues = assessJobHealth(
      job({
        lastExecution: execution({ state: 'Failed', error: { ...unauthorized, code: 'InsufficientRights' } }),
      }),
    );
    expect(issues.map((i) => i.kind)).toEqual(['credentials']);
    expect(issues[0]!.recommendedAction).toContain('right to manage users');
  });

  it('sends an escrow threshold quarantine to the failures in the logs, with its fix', () => {
    const [issue] = assessJobHealth(job({ quarantine: quarantine('EncounteredEscrowProportionThreshold') }));
    expect(issue).toMatchObject({ kind: 'quarantine', severity: 'error', fix: 'failures' });
    expect(issue!.reason).toBe(
      'Provisioning is quarantined (EncounteredEscrowProportionThreshold); it runs less often until the cause is fixed.',
    );
    expect(issue!.recommendedAction).toContain('More than 40 %');
  });

  it('says a cycle failed with its error, and counts objects in escrow as a warning', () => {
    const issues = assessJobHealth(
      job(
        {
          lastExecution: execution({
            state: 'Failed',
            cycleKind: 'Incremental',
            error: { code: 'InternalError', message: 'Boom.', tenantActionable: false },
          }),
        },
        1,
      ),
    );
    expect(issues.map((i) => [i.kind, i.severity, i.reason])).toEqual([
      ['cycleFailed', 'error', 'The last incremental cycle failed (InternalError): Boom.'],
      [
        'escrow',
        'warning',
        '1 object is in escrow: the application failed its operation, which is retried in later cycles.',
      ],
    ]);
    expect(assessJobHealth(job({}, 1200))[0]!.reason).toMatch(/^1,200 objects are in escrow/);
  });
});
