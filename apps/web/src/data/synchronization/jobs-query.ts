import type { Collection, SynchronizationJob } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

/** While a cycle runs the progress bar should move; otherwise a slower poll still notices scheduled cycles. */
export const RUNNING_POLL_MS = 2_000;
export const IDLE_POLL_MS = 10_000;

export const isCycleRunning = (job: SynchronizationJob | null | undefined): boolean =>
  Boolean(job?.status.currentCycle);

export const provisioningJobQueryOptions = (servicePrincipalId: string) =>
  queryOptions({
    queryKey: synchronizationKeys.jobs(servicePrincipalId),
    // An application has at most one provisioning job; null until it is first configured.
    queryFn: async ({ signal }) => {
      const jobs = await api.get<Collection<SynchronizationJob>>(
        synchronizationPaths.jobs(servicePrincipalId),
        undefined,
        signal,
      );
      return jobs.value[0] ?? null;
    },
    refetchInterval: (query) => (isCycleRunning(query.state.data) ? RUNNING_POLL_MS : IDLE_POLL_MS),
  });

export const useProvisioningJobQuery = (servicePrincipalId: string) =>
  useQuery(provisioningJobQueryOptions(servicePrincipalId));
