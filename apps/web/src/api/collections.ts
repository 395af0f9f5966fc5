import type { Collection } from '@provisio/contracts';
import type { InfiniteData, QueryKey } from '@tanstack/react-query';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from './client';

type Query = Record<string, string | number | boolean | undefined>;

/**
 * A Graph collection read page by page: the first page from `path?query`, every next one
 * from the server's `@odata.nextLink`, so paging tokens stay opaque to the portal.
 */
export function collectionInfiniteOptions<T, K extends QueryKey>(queryKey: K, path: string, query: Query) {
  return infiniteQueryOptions({
    queryKey,
    queryFn: ({ pageParam, signal }) => api.page<T>(path, query, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Collection<T>) => last['@odata.nextLink'] ?? null,
  });
}

export const allItems = <T>(data: InfiniteData<Collection<T>> | undefined): T[] =>
  data ? data.pages.flatMap((p) => p.value) : [];

export interface CollectionCount {
  count: number;
  /** True when the count is a lower bound (the server did not report `@odata.count`). */
  atLeast: boolean;
}

/** How many items a collection holds, for the overview tiles. */
export function collectionCountOptions<K extends QueryKey>(queryKey: K, path: string) {
  return queryOptions({
    queryKey,
    queryFn: async ({ signal }): Promise<CollectionCount> => {
      const first = await api.get<Collection<unknown>>(path, { $top: 1, $count: true }, signal);
      if (typeof first['@odata.count'] === 'number') return { count: first['@odata.count'], atLeast: false };
      if (!first['@odata.nextLink']) return { count: first.value.length, atLeast: false };
      // Without $count support, one large page gives a useful figure ("999+").
      const page = await api.get<Collection<unknown>>(path, { $top: 999 }, signal);
      return { count: page.value.length, atLeast: Boolean(page['@odata.nextLink']) };
    },
  });
}
