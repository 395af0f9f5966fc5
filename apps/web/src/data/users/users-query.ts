import type { User } from '@provisio/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionInfiniteOptions } from '../../api/collections';
import { userKeys } from './keys';

export const usersQueryOptions = (search: string, top = 50) =>
  collectionInfiniteOptions<User, ReturnType<typeof userKeys.list>>(
    userKeys.list(search, top),
    `${GRAPH}/users`,
    {
      $top: top,
      $search: search.trim() || undefined,
    },
  );

/** Directory users ordered by display name, optionally narrowed by a search text; pages via "Load more". */
export const useUsersQuery = (search: string, options: { top?: number; enabled?: boolean } = {}) =>
  useInfiniteQuery({
    ...usersQueryOptions(search, options.top),
    enabled: options.enabled ?? true,
    // Keep the rows on screen while a new search loads, instead of flashing a spinner.
    placeholderData: keepPreviousData,
  });
