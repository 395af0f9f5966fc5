import { randomUUID } from 'node:crypto';
import type { CyclePreview, CyclePreviewObject, CyclePreviewObjectQuery } from '@provisio/contracts';
import type { CyclePreviewRecord, Page, ProvisioDb, ProvisioningJobRecord } from '@provisio/db';
import { AppError } from '../errors';
import { recordAudit } from './audit';
import type { RequestContext, ServiceDeps } from './context';
import { getJobOf, type JobsService } from './jobs-service';
import { checkSkipToken, searchText } from './paging';
import { writeTransaction } from './transaction';

/**
 * Previews of the next cycle (an addition to Graph). The API records the request; a worker claims
 * it with the job's lease and plans every object the next cycle would visit, reading the application
 * and changing nothing in it. Running the plan starts that cycle, as long as the job's
 * configuration and watermark are still those the plan was made with; the cycle plans each object
 * again as it reaches it, so an object changed in the directory since the preview gets what its
 * current state calls for (the run says how many did).
 */
export class PreviewsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly jobs: JobsService,
  ) {}

  create(ctx: RequestContext, servicePrincipalId: string, jobId: string): Promise<CyclePreview> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const { sp, job } = await getJobOf(tx, servicePrincipalId, jobId);
      await this.jobs.requireTenantUrl(tx, sp, job);
      const record = await tx.previews.insertPreview({
        id: randomUUID(),
        jobId: job.id,
        requestedBy: { id: ctx.actor.id, userName: ctx.actor.userName },
        createdAt: now().toISOString(),
      });
      return this.toContract(tx, record, job);
    });
  }

  async list(servicePrincipalId: string, jobId: string): Promise<CyclePreview[]> {
    const { db } = this.deps;
    const { job } = await getJobOf(db, servicePrincipalId, jobId);
    // The job's fingerprint (its secrets decrypted and hashed) once for the whole list.
    let fingerprint: Promise<string> | undefined;
    const current = () => (fingerprint ??= db.jobs.configurationFingerprint(job.id));
    const out: CyclePreview[] = [];
    for (const p of await db.previews.listPreviews(job.id))
      out.push(await this.toContract(db, p, job, current));
    return out;
  }

  async get(servicePrincipalId: string, jobId: string, previewId: string): Promise<CyclePreview> {
    const { db } = this.deps;
    const { job, preview } = await this.previewOf(db, servicePrincipalId, jobId, previewId);
    return this.toContract(db, preview, job);
  }

  async listObjects(
    servicePrincipalId: string,
    jobId: string,
    previewId: string,
    query: CyclePreviewObjectQuery,
  ): Promise<Page<CyclePreviewObject>> {
    const { preview } = await this.previewOf(this.deps.db, servicePrincipalId, jobId, previewId);
    return this.deps.db.previews.listObjects(preview.id, {
      action: query.action,
      search: searchText(query.$search),
      top: query.$top ?? 100,
      cursor: checkSkipToken(query.$skiptoken),
    });
  }

  /**
   * Runs the previewed plan: starts provisioning if it is off (lifting a quarantine, as Start does)
   * and asks for the cycle now. 409 while the preview runs or after it failed, once it has run, and
   * when it is stale.
   */
  run(
    ctx: RequestContext,
    servicePrincipalId: string,
    jobId: string,
    previewId: string,
  ): Promise<CyclePreview> {
    const { db, now } = this.deps;
    return writeTransaction(db, async (tx) => {
      const { sp, job, preview } = await this.previewOf(tx, servicePrincipalId, jobId, previewId);
      if (preview.status !== 'succeeded') {
        throw new AppError(
          'provisioning_preview.not_ready',
          409,
          preview.status === 'running'
            ? 'The preview is still planning the next cycle. Run it once it has succeeded.'
            : `The preview failed (${preview.error?.message ?? 'no reason recorded'}). Fix the cause and preview the next cycle again.`,
        );
      }
      if (preview.run) {
        throw new AppError(
          'provisioning_preview.already_run',
          409,
          `This plan was already run on ${preview.run.at} by ${preview.run.by.userName}. Preview the next cycle again to see what it would do now.`,
        );
      }
      const stale = await this.staleReason(tx, preview, job);
      if (stale)
        throw new AppError('provisioning_preview.stale', 409, `${stale} Preview the next cycle again.`);
      await this.jobs.requireTenantUrl(tx, sp, job);
      const changed = await tx.previews.countChangedObjects(preview.id, preview.upTo ?? 0);
      const at = now();
      await tx.previews.markRun(preview.id, {
        at: at.toISOString(),
        by: { id: ctx.actor.id, userName: ctx.actor.userName },
        changed,
      });
      if (job.scheduleState === 'Active')
        await tx.jobs.updateJob(job.id, { runRequestedAt: at.toISOString() });
      else await this.jobs.activate(tx, job, false, { type: 'start' });
      await recordAudit(tx, ctx, at, {
        category: 'ProvisioningManagement',
        activity: 'Run previewed provisioning cycle',
        operationType: 'Update',
        targets: [
          {
            id: sp.id,
            displayName: sp.displayName,
            type: 'ServicePrincipal',
            modifiedProperties:
              job.scheduleState === 'Active'
                ? []
                : [{ displayName: 'ScheduleState', oldValue: job.scheduleState, newValue: 'Active' }],
          },
        ],
        additionalDetails: {
          JobId: job.id,
          PreviewId: preview.id,
          Counts: Object.entries(preview.counts)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
          ChangedSincePreview: String(changed),
        },
      });
      return this.toContract(tx, await tx.previews.getPreview(preview.id), await tx.jobs.getJob(job.id));
    });
  }

  /** Why the plan no longer describes the next cycle, or null. */
  private async staleReason(
    db: ProvisioDb,
    preview: CyclePreviewRecord,
    job: ProvisioningJobRecord,
    fingerprint = () => db.jobs.configurationFingerprint(job.id),
  ): Promise<string | null> {
    if (preview.status !== 'succeeded' || preview.run) return null;
    if (preview.configHash !== (await fingerprint())) {
      return "The job's mappings, scope or settings changed since this preview.";
    }
    if ((preview.watermark ?? null) !== (job.watermark ?? null)) {
      return 'A provisioning cycle ran since this preview, so the next cycle is not the one previewed.';
    }
    return null;
  }

  private async previewOf(db: ProvisioDb, servicePrincipalId: string, jobId: string, previewId: string) {
    const { sp, job } = await getJobOf(db, servicePrincipalId, jobId);
    const preview = await db.previews.findPreview(previewId);
    if (!preview || preview.jobId !== job.id) {
      throw new AppError(
        'provisioning_preview.not_found',
        404,
        `The provisioning job of ${sp.displayName} has no preview '${previewId}'. List its previews with GET …/jobs/{jobId}/previews.`,
      );
    }
    return { sp, job, preview };
  }

  private async toContract(
    db: ProvisioDb,
    p: CyclePreviewRecord,
    job: ProvisioningJobRecord,
    fingerprint?: () => Promise<string>,
  ): Promise<CyclePreview> {
    return {
      id: p.id,
      status: p.status,
      counts: p.counts,
      createdDateTime: p.createdAt,
      completedDateTime: p.completedAt,
      cycleKind: p.cycleKind,
      progress: p.progress
        ? { completedUnits: p.progress.completed, totalUnits: p.progress.total, units: p.progress.units }
        : null,
      error: p.error,
      initiatedBy: { id: p.requestedBy.id, displayName: p.requestedBy.userName },
      staleReason: await this.staleReason(db, p, job, fingerprint),
      run: p.run
        ? {
            runDateTime: p.run.at,
            initiatedBy: { id: p.run.by.id, displayName: p.run.by.userName },
            changedSincePreview: p.run.changed,
          }
        : null,
    };
  }
}
