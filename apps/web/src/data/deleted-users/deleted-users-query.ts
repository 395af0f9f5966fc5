import type { DeletedUser } from '@provisio/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionInfiniteOptions } from '../../api/collections';
import { deletedUserKeys } from './keys';

export const DELETED_USERS_PATH = `${GRAPH}/directory/deletedItems/microsoft.graph.user`;

export const deletedUsersQueryOptions = (search: string, top = 50) =>
  collectionInfiniteOptions<DeletedUser, ReturnType<typeof deletedUserKeys.list>>(
    deletedUserKeys.list(search, top),
    DELETED_USERS_PATH,
    { $top: top, $search: search.trim() || undefined },
  );

/** Users in Deleted users, the most recently deleted first; pages via "Load more". */
export const useDeletedUsersQuery = (search: string) =>
  useInfiniteQuery({ ...deletedUsersQueryOptions(search), placeholderData: keepPreviousData });
