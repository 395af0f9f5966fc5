import type { ProvisioningHealth } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { pollInterval } from '../synchronization/live-poll';
import { provisioningHealthKeys } from './keys';

export const provisioningHealthQueryOptions = () =>
  queryOptions({
    queryKey: provisioningHealthKeys.all,
    queryFn: ({ signal }) => api.get<ProvisioningHealth>(`${GRAPH}/provisioningHealth`, undefined, signal),
    // Every second while any application's cycle is queued or running (see `pollInterval`).
    refetchInterval: (query) => pollInterval(query.state.data?.value ?? []),
  });

/**
 * Every application's provisioning: what it is doing now and what needs attention, for the
 * Overview and the Applications list.
 */
export const useProvisioningHealthQuery = () => useQuery(provisioningHealthQueryOptions());
