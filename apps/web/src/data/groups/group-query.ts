import type { Group } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { groupKeys } from './keys';

export const groupQueryOptions = (id: string) =>
  queryOptions({
    queryKey: groupKeys.detail(id),
    queryFn: ({ signal }) => api.get<Group>(`${GRAPH}/groups/${encodeURIComponent(id)}`, undefined, signal),
  });

export const useGroupQuery = (id: string) => useQuery(groupQueryOptions(id));
