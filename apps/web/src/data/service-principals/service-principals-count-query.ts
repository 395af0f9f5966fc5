import { useQuery } from '@tanstack/react-query';
import { GRAPH } from '../../api/client';
import { collectionCountOptions } from '../../api/collections';
import { servicePrincipalKeys } from './keys';

export const useServicePrincipalsCountQuery = (enabled = true) =>
  useQuery({
    ...collectionCountOptions(servicePrincipalKeys.count(), `${GRAPH}/servicePrincipals`),
    enabled,
  });
