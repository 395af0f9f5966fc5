import type { Account, Collection } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { accountKeys } from './keys';

export const ACCOUNTS_PATH = '/api/accounts';

export const accountsQueryOptions = () =>
  queryOptions({
    queryKey: accountKeys.list(),
    queryFn: ({ signal }) => api.get<Collection<Account>>(ACCOUNTS_PATH, undefined, signal),
  });

/** The portal accounts, by user name (Administrators only). */
export const useAccountsQuery = () => useQuery(accountsQueryOptions());
