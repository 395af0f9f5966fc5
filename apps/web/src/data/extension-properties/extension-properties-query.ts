import type { Collection, ExtensionProperty } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { extensionPropertyKeys } from './keys';

export const extensionPropertiesQueryOptions = () =>
  queryOptions({
    queryKey: extensionPropertyKeys.list(),
    queryFn: async ({ signal }) =>
      (
        await api.get<Collection<ExtensionProperty>>(
          `${GRAPH}/directory/extensionProperties`,
          undefined,
          signal,
        )
      ).value,
  });

/** The directory's extension attributes, by name. */
export const useExtensionPropertiesQuery = () => useQuery(extensionPropertiesQueryOptions());
