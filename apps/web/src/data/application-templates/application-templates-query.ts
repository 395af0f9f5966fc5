import type { ApplicationTemplate, Collection } from '@provisio/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { applicationTemplateKeys } from './keys';

/** Graph's `$filter` for one category; the id is one of ours, so it needs no escaping. */
const categoryFilter = (category: string) => (category ? `categories/any(c:c eq '${category}')` : undefined);

export const applicationTemplatesQueryOptions = (search: string, category: string) =>
  queryOptions({
    queryKey: applicationTemplateKeys.list(search, category),
    queryFn: ({ signal }) =>
      api.get<Collection<ApplicationTemplate>>(
        `${GRAPH}/applicationTemplates`,
        { $search: search.trim() || undefined, $filter: categoryFilter(category) },
        signal,
      ),
    // The gallery changes only with a new release.
    staleTime: 10 * 60_000,
  });

/** The gallery, narrowed by a search text and a category (empty: all). */
export const useApplicationTemplatesQuery = (search: string, category: string) =>
  useQuery({ ...applicationTemplatesQueryOptions(search, category), placeholderData: keepPreviousData });
