import type { ProvisioningHealth, ProvisioningHealthApplication } from '@provisio/contracts';
import { assessJobHealth, describeJobActivity } from '@provisio/engine';
import type { JobHealthRecord } from '@provisio/db';
import type { ServiceDeps } from './context';

/**
 * Every application's provisioning at a glance, for the portal's Overview (which applications need
 * attention, and why) and the Applications list (what each job is doing now). The engine says what
 * a job is doing (`describeJobActivity`) and what is wrong with it (`assessJobHealth`).
 */
export class ProvisioningHealthService {
  constructor(private readonly deps: ServiceDeps) {}

  async summarize(): Promise<ProvisioningHealth> {
    const { db, now } = this.deps;
    const at = now();
    const value = (await db.jobHealth.listJobHealth()).map((job) => toApplication(job, at));
    return {
      generatedDateTime: at.toISOString(),
      needsAttention: value.filter((a) => a.issues.length > 0).length,
      value,
    };
  }
}

function toApplication(job: JobHealthRecord, at: Date): ProvisioningHealthApplication {
  const progress = job.status.progress[0];
  const last = job.status.lastExecution;
  return {
    servicePrincipal: job.servicePrincipal,
    jobId: job.jobId,
    statusCode: job.statusCode,
    scheduleState: job.scheduleState,
    ...describeJobActivity(job, at),
    progress:
      progress && job.status.currentCycle
        ? { completedUnits: progress.completedUnits, totalUnits: progress.totalUnits, units: progress.units }
        : null,
    lastExecution: last
      ? {
          activityIdentifier: last.activityIdentifier,
          state: last.state,
          timeEnded: last.timeEnded,
          cycleKind: last.cycleKind,
        }
      : null,
    countEscrowed: job.countEscrowed,
    issues: assessJobHealth(job),
  };
}
