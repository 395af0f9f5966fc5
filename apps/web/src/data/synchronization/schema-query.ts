import type { SynchronizationSchema } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

export const schemaQueryOptions = (servicePrincipalId: string, jobId: string) =>
  queryOptions({
    queryKey: synchronizationKeys.schema(servicePrincipalId, jobId),
    queryFn: ({ signal }) =>
      api.get<SynchronizationSchema>(
        synchronizationPaths.schema(servicePrincipalId, jobId),
        undefined,
        signal,
      ),
    staleTime: 60_000,
  });

export const useSchemaQuery = (servicePrincipalId: string, jobId: string | undefined) =>
  useQuery({ ...schemaQueryOptions(servicePrincipalId, jobId ?? ''), enabled: Boolean(jobId) });
