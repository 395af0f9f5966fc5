import type { ProvisioningHealth, ProvisioningHealthApplication } from '@provisio/contracts';
import { assessJobHealth, describeJobActivity } from '@provisio/engine';
import type { ProvisioningJobRecord } from '@provisio/db';
import type { ServiceDeps } from './context';

/**
 * Every application's provisioning at a glance, for the portal's Overview (which applications need
 * attention, and why) and the Applications list (what each job is doing now). The engine says what
 * a job is doing (`describeJobActivity`) and what is wrong with it (`assessJobHealth`).
 */
export class ProvisioningHealthService {
  constructor(private readonly deps: ServiceDeps) {}

  summarize(): ProvisioningHealth {
    const { db, now } = this.deps;
    const at = now();
    const value: ProvisioningHealthApplication[] = [];
    for (const job of db.jobs.listJobs()) {
      const sp = db.applications.findServicePrincipal(job.servicePrincipalId);
      if (sp) value.push(this.application(job, { id: sp.id, displayName: sp.displayName }, at));
    }
    value.sort((a, b) =>
      a.servicePrincipal.displayName.localeCompare(b.servicePrincipal.displayName, 'en', {
        sensitivity: 'base',
      }),
    );
    return {
      generatedDateTime: at.toISOString(),
      needsAttention: value.filter((a) => a.issues.length > 0).length,
      value,
    };
  }

  private application(
    job: ProvisioningJobRecord,
    servicePrincipal: ProvisioningHealthApplication['servicePrincipal'],
    at: Date,
  ): ProvisioningHealthApplication {
    const countEscrowed = this.deps.db.escrows.countEscrows(job.id);
    const progress = job.status.progress[0];
    const last = job.status.lastExecution;
    return {
      servicePrincipal,
      jobId: job.id,
      statusCode: job.statusCode,
      scheduleState: job.scheduleState,
      ...describeJobActivity(job, at),
      progress:
        progress && job.status.currentCycle
          ? {
              completedUnits: progress.completedUnits,
              totalUnits: progress.totalUnits,
              units: progress.units,
            }
          : null,
      lastExecution: last
        ? {
            activityIdentifier: last.activityIdentifier,
            state: last.state,
            timeEnded: last.timeEnded,
            cycleKind: last.cycleKind,
          }
        : null,
      countEscrowed,
      issues: assessJobHealth({ status: job.status, countEscrowed }),
    };
  }
}
