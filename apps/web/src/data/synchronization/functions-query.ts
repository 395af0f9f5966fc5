import type { AttributeMappingFunctionSchema, Collection } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

export const mappingFunctionsQueryOptions = (servicePrincipalId: string, jobId: string) =>
  queryOptions({
    queryKey: synchronizationKeys.functions(servicePrincipalId, jobId),
    queryFn: async ({ signal }) =>
      (
        await api.get<Collection<AttributeMappingFunctionSchema>>(
          `${synchronizationPaths.schema(servicePrincipalId, jobId)}/functions`,
          undefined,
          signal,
        )
      ).value,
    // The function list is part of the product: it never changes while the portal is open.
    staleTime: Infinity,
  });

/** The functions of the expression language with their parameters, for the expression builder. */
export const useMappingFunctionsQuery = (servicePrincipalId: string, jobId: string, enabled = true) =>
  useQuery({ ...mappingFunctionsQueryOptions(servicePrincipalId, jobId), enabled });
