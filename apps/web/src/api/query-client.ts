import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client';

/**
 * Retries only what may succeed on a second try: network failures and 5xx/429.
 * A 4xx answer is the same the next time, so it is shown at once.
 */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429)
    return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 15_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
