import type { CyclePreview } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { IDLE_POLL_MS } from '../synchronization/jobs-query';
import { previewKeys } from './keys';
import { previewPaths } from './paths';

/** The progress bar moves every second while the worker plans. */
export const PREVIEW_RUNNING_POLL_MS = 1_000;

/**
 * How often to read the preview again: every second while it runs; while it can still be run,
 * slowly, so the page learns when it goes stale (a mapping changed, a cycle ran); then never.
 */
export function previewPollInterval(preview: CyclePreview | undefined): number | false {
  if (!preview) return false;
  if (preview.status === 'running') return PREVIEW_RUNNING_POLL_MS;
  if (preview.status === 'succeeded' && !preview.run && !preview.staleReason) return IDLE_POLL_MS;
  return false;
}

export const previewQueryOptions = (servicePrincipalId: string, jobId: string, previewId: string) =>
  queryOptions({
    queryKey: previewKeys.detail(servicePrincipalId, jobId, previewId),
    queryFn: ({ signal }) =>
      api.get<CyclePreview>(previewPaths.preview(servicePrincipalId, jobId, previewId), undefined, signal),
    refetchInterval: (query) => previewPollInterval(query.state.data),
  });

/** One preview of the next cycle: its progress, counts, error, staleness and run. */
export const usePreviewQuery = (servicePrincipalId: string, jobId: string | undefined, previewId: string) =>
  useQuery({ ...previewQueryOptions(servicePrincipalId, jobId ?? '', previewId), enabled: Boolean(jobId) });
