import type { ServicePrincipal } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { servicePrincipalKeys } from './keys';

export const servicePrincipalQueryOptions = (id: string) =>
  queryOptions({
    queryKey: servicePrincipalKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<ServicePrincipal>(`${GRAPH}/servicePrincipals/${encodeURIComponent(id)}`, undefined, signal),
    staleTime: 60_000,
  });

export const useServicePrincipalQuery = (id: string) => useQuery(servicePrincipalQueryOptions(id));
