import type { CyclePreviewObject, PreviewAction } from '@provisio/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { collectionInfiniteOptions } from '../../api/collections';
import { previewKeys } from './keys';
import { previewPaths } from './paths';

export const PREVIEW_OBJECTS_PAGE_SIZE = 100;

export const previewObjectsQueryOptions = (
  servicePrincipalId: string,
  jobId: string,
  previewId: string,
  filter: { action: PreviewAction | null; search: string },
) => ({
  ...collectionInfiniteOptions<CyclePreviewObject, ReturnType<typeof previewKeys.objectList>>(
    previewKeys.objectList(servicePrincipalId, jobId, previewId, filter),
    `${previewPaths.preview(servicePrincipalId, jobId, previewId)}/objects`,
    {
      action: filter.action ?? undefined,
      $search: filter.search || undefined,
      $top: PREVIEW_OBJECTS_PAGE_SIZE,
    },
  ),
  // A finished preview's objects never change.
  staleTime: Infinity,
});

/**
 * The objects of a finished preview, one action or all, optionally narrowed by name or id;
 * page by page via `@odata.nextLink`. Ask for them only once the preview has succeeded.
 */
export const usePreviewObjectsQuery = (
  servicePrincipalId: string,
  jobId: string,
  previewId: string,
  filter: { action: PreviewAction | null; search: string },
) =>
  useInfiniteQuery({
    ...previewObjectsQueryOptions(servicePrincipalId, jobId, previewId, filter),
    placeholderData: keepPreviousData,
  });
