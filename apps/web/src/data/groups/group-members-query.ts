import type { User } from '@provisio/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionInfiniteOptions } from '../../api/collections';
import { groupKeys } from './keys';

export const groupMembersQueryOptions = (id: string) =>
  collectionInfiniteOptions<User, ReturnType<typeof groupKeys.members>>(
    groupKeys.members(id),
    `${GRAPH}/groups/${encodeURIComponent(id)}/members`,
    { $top: 50 },
  );

/** Direct members of a group (the only ones an assignment covers). */
export const useGroupMembersQuery = (id: string) => useInfiniteQuery(groupMembersQueryOptions(id));
