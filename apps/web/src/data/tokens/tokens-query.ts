import type { ApiToken, Collection } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { tokenKeys } from './keys';

export const TOKENS_PATH = '/api/tokens';

export const tokensQueryOptions = () =>
  queryOptions({
    queryKey: tokenKeys.list(),
    queryFn: ({ signal }) => api.get<Collection<ApiToken>>(TOKENS_PATH, undefined, signal),
  });

/** The API tokens, newest first, with their state and last use (Administrators only). */
export const useTokensQuery = (enabled = true) => useQuery({ ...tokensQueryOptions(), enabled });
