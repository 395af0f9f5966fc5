import type { Group } from '@provisio/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionInfiniteOptions } from '../../api/collections';
import { groupKeys } from './keys';

export const groupsQueryOptions = (search: string, top = 50) =>
  collectionInfiniteOptions<Group, ReturnType<typeof groupKeys.list>>(
    groupKeys.list(search, top),
    `${GRAPH}/groups`,
    {
      $top: top,
      $search: search.trim() || undefined,
    },
  );

export const useGroupsQuery = (search: string, options: { top?: number; enabled?: boolean } = {}) =>
  useInfiniteQuery({
    ...groupsQueryOptions(search, options.top),
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
