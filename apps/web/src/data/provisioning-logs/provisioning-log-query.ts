import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { provisioningLogKeys } from './keys';
import { PROVISIONING_LOGS_PATH } from './provisioning-logs-query';

export const provisioningLogQueryOptions = (id: string) =>
  queryOptions({
    queryKey: provisioningLogKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<ProvisioningObjectSummary>(
        `${PROVISIONING_LOGS_PATH}/${encodeURIComponent(id)}`,
        undefined,
        signal,
      ),
    // Events never change once written.
    staleTime: Infinity,
  });

/** One event, for the details drawer; the list row seeds it so the drawer opens without waiting. */
export const useProvisioningLogQuery = (id: string | null, fromList: ProvisioningObjectSummary | undefined) =>
  useQuery({
    ...provisioningLogQueryOptions(id ?? ''),
    enabled: Boolean(id),
    initialData: fromList,
  });
