import type { Collection, SynchronizationJob } from '@provisio/contracts';
import { api, isApiError } from '../../api/client';
import { synchronizationPaths } from './paths';

/**
 * The application's provisioning job, created from the `scim` template the first time the
 * page needs one (Test Connection or Save), as Entra does when provisioning is first set up.
 */
export async function ensureJob(
  servicePrincipalId: string,
  existing: SynchronizationJob | null | undefined,
): Promise<{ job: SynchronizationJob; created: boolean }> {
  if (existing) return { job: existing, created: false };
  try {
    const job = await api.post<SynchronizationJob>(synchronizationPaths.jobs(servicePrincipalId), {
      templateId: 'scim',
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
