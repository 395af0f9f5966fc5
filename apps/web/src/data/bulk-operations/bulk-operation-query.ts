import type { BulkOperation } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { isRunning } from './bulk-operations-query';
import { bulkOperationKeys } from './keys';
import { bulkOperationPaths } from './paths';

/** The progress bar moves twice a second while the operation runs; then the operation never changes. */
export const BULK_OPERATION_POLL_MS = 500;

export const bulkOperationQueryOptions = (id: string) =>
  queryOptions({
    queryKey: bulkOperationKeys.detail(id),
    queryFn: ({ signal }) => api.get<BulkOperation>(bulkOperationPaths.operation(id), undefined, signal),
    refetchInterval: (query) =>
      query.state.data && isRunning(query.state.data) ? BULK_OPERATION_POLL_MS : false,
  });

/** One bulk operation: its status and counts. */
export const useBulkOperationQuery = (id: string) => useQuery(bulkOperationQueryOptions(id));
