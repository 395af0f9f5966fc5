import type { Collection, SynchronizationJob, SynchronizationTemplate } from '@provisio/contracts';
import { api, isApiError } from '../../api/client';
import { synchronizationPaths } from './paths';

/**
 * The application's provisioning job, created the first time the page needs one (Test Connection
 * or Save), as Entra does when provisioning is first set up: from the synchronization template of
 * the application's gallery template (`scim` for an application not from the gallery).
 */
export async function ensureJob(
  servicePrincipalId: string,
  existing: SynchronizationJob | null | undefined,
): Promise<{ job: SynchronizationJob; created: boolean }> {
  if (existing) return { job: existing, created: false };
  const templates = await api.get<Collection<SynchronizationTemplate>>(
    synchronizationPaths.templates(servicePrincipalId),
  );
  const templateId = (templates.value.find((t) => t.default) ?? templates.value[0])?.id ?? 'scim';
  try {
    const job = await api.post<SynchronizationJob>(synchronizationPaths.jobs(servicePrincipalId), {
      templateId,
    });
    return { job, created: true };
  } catch (error) {
    // Someone else created it meanwhile (another tab): use theirs.
    if (!isApiError(error, 'provisioning_job.conflict')) throw error;
    const jobs = await api.get<Collection<SynchronizationJob>>(synchronizationPaths.jobs(servicePrincipalId));
    const job = jobs.value[0];
    if (!job) throw error;
    return { job, created: false };
  }
}
