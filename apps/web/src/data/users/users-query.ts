import type { User } from '@provisio/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionInfiniteOptions } from '../../api/collections';
import { userKeys } from './keys';
import { NO_USER_FILTERS, userListFilter, type UserListFilters } from './user-list-filter';

export const usersQueryOptions = (search: string, top = 50, filters: UserListFilters = NO_USER_FILTERS) =>
  collectionInfiniteOptions<User, ReturnType<typeof userKeys.list>>(
    userKeys.list(search, top, userListFilter(filters)),
    `${GRAPH}/users`,
    {
      $top: top,
      $search: search.trim() || undefined,
      $filter: userListFilter(filters),
    },
  );

/**
 * Directory users ordered by display name, optionally narrowed by a search text (name, user
 * principal name, email, employee ID) and the Users list's filters; pages via "Load more".
 */
export const useUsersQuery = (
  search: string,
  options: { top?: number; enabled?: boolean; filters?: UserListFilters } = {},
) =>
  useInfiniteQuery({
    ...usersQueryOptions(search, options.top, options.filters),
    enabled: options.enabled ?? true,
    // Keep the rows on screen while a new search loads, instead of flashing a spinner.
    placeholderData: keepPreviousData,
  });
