import type { TargetCheck } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client';
import { targetCheckKeys } from './keys';
import { targetCheckPaths } from './paths';

export const latestTargetCheckQueryOptions = (servicePrincipalId: string, jobId: string) =>
  queryOptions({
    queryKey: targetCheckKeys.latest(servicePrincipalId, jobId),
    // Before the first check there is none: null, not an error.
    queryFn: async ({ signal }): Promise<TargetCheck | null> => {
      try {
        return await api.get<TargetCheck>(
          targetCheckPaths.latest(servicePrincipalId, jobId),
          undefined,
          signal,
        );
      } catch (error) {
        if (isApiError(error, 'target_check.not_found')) return null;
        throw error;
      }
    },
    // A check started elsewhere (another tab, the API) shows up while it runs.
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 2000 : false),
  });

/** The job's latest target conformance check, or null when it was never checked. */
export const useLatestTargetCheckQuery = (servicePrincipalId: string, jobId: string | undefined) =>
  useQuery({ ...latestTargetCheckQueryOptions(servicePrincipalId, jobId ?? ''), enabled: Boolean(jobId) });
