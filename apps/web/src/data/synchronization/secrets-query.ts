import type { SecretsView } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

export const secretsQueryOptions = (servicePrincipalId: string) =>
  queryOptions({
    queryKey: synchronizationKeys.secrets(servicePrincipalId),
    queryFn: ({ signal }) =>
      api.get<SecretsView>(synchronizationPaths.secrets(servicePrincipalId), undefined, signal),
  });

/** Saved secrets; the Secret Token only says whether one is saved (`hasValue`). Needs a job to exist. */
export const useSecretsQuery = (servicePrincipalId: string, enabled: boolean) =>
  useQuery({ ...secretsQueryOptions(servicePrincipalId), enabled });
