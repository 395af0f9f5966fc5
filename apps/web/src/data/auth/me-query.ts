import type { Me } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { authKeys } from './keys';

export const meQueryOptions = () =>
  queryOptions({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => api.get<Me>('/api/auth/me', undefined, signal),
    staleTime: 5 * 60_000,
  });

/** The signed-in account; a 401 error means nobody is signed in. */
export const useMeQuery = () => useQuery(meQueryOptions());
