import { useQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionCountOptions } from '../../api/collections';
import { groupKeys } from './keys';

export const useGroupsCountQuery = (enabled = true) =>
  useQuery({ ...collectionCountOptions(groupKeys.count(), `${GRAPH}/groups`), enabled });
