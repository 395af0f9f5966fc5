import type { Collection } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../api/client';
import { ACTIVE_POLL_MS, IDLE_POLL_MS } from './live-poll';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

/** One cycle a job ran (our addition to Graph: `…/jobs/{jobId}/cycles`). */
export interface Cycle {
  id: string;
  kind: 'Initial' | 'Incremental';
  state: 'Running' | 'Succeeded' | 'Failed' | 'EntryLevelErrors';
  beganAt: string;
  endedAt: string | null;
  counts: Partial<Record<string, number>>;
  error: { code: string; message: string } | null;
}

export const cyclesQueryOptions = (servicePrincipalId: string, jobId: string, top = 10) =>
  queryOptions({
    queryKey: synchronizationKeys.cycles(servicePrincipalId, jobId),
    queryFn: async ({ signal }) => {
      const page = await api.get<Collection<Cycle>>(
        `${synchronizationPaths.job(servicePrincipalId, jobId)}/cycles`,
        { $top: top },
        signal,
      );
      return page.value;
    },
  });

/**
 * The last cycles, newest first; polled as fast as the job while one runs, and refetched
 * as soon as the job reports a cycle this list has not seen (`latestCycleId`).
 */
export function useCyclesQuery(
  servicePrincipalId: string,
  jobId: string | undefined,
  running: boolean,
  latestCycleId: string | undefined,
) {
  const query = useQuery({
    ...cyclesQueryOptions(servicePrincipalId, jobId ?? ''),
    enabled: Boolean(jobId),
    refetchInterval: running ? ACTIVE_POLL_MS : IDLE_POLL_MS,
  });
  const seen = useRef(latestCycleId);
  const { refetch } = query;
  useEffect(() => {
    if (latestCycleId === seen.current) return;
    seen.current = latestCycleId;
    void refetch();
  }, [latestCycleId, refetch]);
  return query;
}
