import type { BulkOperation } from '@provisio/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { collectionInfiniteOptions } from '../../api/collections';
import { bulkOperationKeys } from './keys';
import { bulkOperationPaths } from './paths';

/** Past and running bulk operations, newest first; read again every few seconds while one runs. */
export const useBulkOperationsQuery = () =>
  useInfiniteQuery({
    ...collectionInfiniteOptions<BulkOperation, ReturnType<typeof bulkOperationKeys.lists>>(
      bulkOperationKeys.lists(),
      bulkOperationPaths.operations,
      { $top: 25 },
    ),
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.value.some((op) => isRunning(op))) ? 2_000 : false,
  });

export const isRunning = (op: BulkOperation): boolean =>
  op.status === 'notStarted' || op.status === 'validating' || op.status === 'running';
