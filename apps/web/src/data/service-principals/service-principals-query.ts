import type { ServicePrincipal } from '@provisio/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionInfiniteOptions } from '../../api/collections';
import { servicePrincipalKeys } from './keys';

export const servicePrincipalsQueryOptions = (search: string) =>
  collectionInfiniteOptions<ServicePrincipal, ReturnType<typeof servicePrincipalKeys.list>>(
    servicePrincipalKeys.list(search),
    `${GRAPH}/servicePrincipals`,
    { $top: 50, $search: search.trim() || undefined },
  );

/** Enterprise applications, optionally narrowed by a search text. */
export const useServicePrincipalsQuery = (search: string) =>
  useInfiniteQuery({ ...servicePrincipalsQueryOptions(search), placeholderData: keepPreviousData });
