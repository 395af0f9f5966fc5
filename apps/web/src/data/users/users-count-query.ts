import { useQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionCountOptions } from '../../api/collections';
import { userKeys } from './keys';

export const useUsersCountQuery = (enabled = true) =>
  useQuery({ ...collectionCountOptions(userKeys.count(), `${GRAPH}/users`), enabled });
