import type { BulkOperationResult, Collection } from '@provisio/contracts';
import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { collectionInfiniteOptions } from '../../api/collections';
import { bulkOperationKeys } from './keys';
import { bulkOperationPaths } from './paths';

/** A rejected row's problem with a key for the table (a row may have several problems). */
export type BulkOperationResultRow = BulkOperationResult & { id: string };

const withIds = (data: InfiniteData<Collection<BulkOperationResult>>) => ({
  ...data,
  pages: data.pages.map((page, p) => ({
    ...page,
    value: page.value.map((r, i) => ({ ...r, id: `${p}-${i}` })),
  })),
});

/**
 * The rejected rows of an operation, in line order. Read once the operation has ended (before,
 * rows found while applying would be missing).
 */
export const useBulkOperationResultsQuery = (id: string, enabled: boolean) =>
  useInfiniteQuery({
    ...collectionInfiniteOptions<BulkOperationResult, ReturnType<typeof bulkOperationKeys.results>>(
      bulkOperationKeys.results(id),
      bulkOperationPaths.results(id),
      { $top: 100 },
    ),
    select: (data) => withIds(data) as InfiniteData<Collection<BulkOperationResultRow>>,
    enabled,
  });
