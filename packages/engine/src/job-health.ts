import { quarantineFix, type ProvisioningHealthIssue } from '@provisio/contracts';
import type { JobStatusState } from './job-state';

/** What the health of a job is judged from. */
export interface JobHealthInput {
  status: Pick<JobStatusState, 'quarantine' | 'lastExecution'>;
  /** Objects whose failed operation is kept for a later retry (the job's escrows). */
  countEscrowed: number;
}

/** Error codes that mean the application refuses the Secret Token (the SCIM client's and Entra's). */
const CREDENTIAL_CODES = new Set(['Unauthorized', 'InsufficientRights', 'HTTP401Unauthorized']);

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function credentialsIssue(code: string, message: string): ProvisioningHealthIssue {
  return {
    kind: 'credentials',
    severity: 'error',
    reason: `The application rejects the admin credentials (${code}): ${message}`,
    fix: 'provisioning',
    recommendedAction:
      code === 'InsufficientRights'
        ? 'Give the account behind the Secret Token the right to manage users, use Test Connection, then restart provisioning.'
        : 'Enter a working Secret Token (and check the Tenant URL) under Admin Credentials, use Test Connection, then restart provisioning.',
  };
}

/**
 * Why a provisioning job needs an administrator's attention, worst first, each with a sentence
 * and where it is fixed (`provisioning`: the application's Provisioning page; `failures`: its
 * provisioning logs narrowed to failures). Rejected credentials are told apart from other
 * quarantines and failed cycles, since their fix is the Admin Credentials. A job never started
 * (or stopped) is not unhealthy by itself.
 *
 * @example assessJobHealth({ status: { quarantine: null, lastExecution: null }, countEscrowed: 2 })[0].kind // 'escrow'
 */
export function assessJobHealth(job: JobHealthInput): ProvisioningHealthIssue[] {
  const issues: ProvisioningHealthIssue[] = [];
  const { quarantine, lastExecution: last } = job.status;
  const credentialError = [quarantine?.error, last?.error].find(
    (e) => e !== null && e !== undefined && CREDENTIAL_CODES.has(e.code),
  );
  if (credentialError) issues.push(credentialsIssue(credentialError.code, credentialError.message));
  if (quarantine) {
    issues.push({
      kind: 'quarantine',
      severity: 'error',
      reason: `Provisioning is quarantined (${quarantine.reason})${quarantine.error && !credentialError ? `: ${quarantine.error.message}` : ''}; it runs less often until the cause is fixed.`,
      fix: quarantine.reason === 'EncounteredQuarantineException' ? 'provisioning' : 'failures',
      recommendedAction: quarantineFix(quarantine.reason),
    });
  }
  if (last?.state === 'Failed' && !credentialError) {
    issues.push({
      kind: 'cycleFailed',
      severity: 'error',
      reason: `The last ${last.cycleKind.toLowerCase()} cycle failed${last.error ? ` (${last.error.code}): ${last.error.message}` : '.'}`,
      fix: 'failures',
      recommendedAction:
        'Read the failures in the provisioning logs and fix their cause; the next cycle runs on schedule, or select Run now.',
    });
  }
  if (job.countEscrowed > 0) {
    issues.push({
      kind: 'escrow',
      severity: 'warning',
      reason: `${plural(job.countEscrowed, 'object is', 'objects are')} in escrow: the application failed ${job.countEscrowed === 1 ? 'its operation, which is' : 'their operations, which are'} retried in later cycles.`,
      fix: 'failures',
      recommendedAction:
        'Read the failures in the provisioning logs and fix their cause (the mappings or the application); nothing to do if the application recovers.',
    });
  }
  return issues;
}
