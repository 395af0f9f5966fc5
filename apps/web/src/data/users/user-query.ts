import type { User } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { userKeys } from './keys';

export const userQueryOptions = (id: string) =>
  queryOptions({
    queryKey: userKeys.detail(id),
    queryFn: ({ signal }) => api.get<User>(`${GRAPH}/users/${encodeURIComponent(id)}`, undefined, signal),
  });

export const useUserQuery = (id: string, enabled = true) =>
  useQuery({ ...userQueryOptions(id), enabled: enabled && Boolean(id) });
