import type { PreviewAction } from '@provisio/contracts';

/**
 * The previews of one provisioning job. A preview changes while it runs and once it is run;
 * its objects never change once it has succeeded, so they hang off the preview's key.
 */
export const previewKeys = {
  all: ['previews'] as const,
  forJob: (servicePrincipalId: string, jobId: string) =>
    [...previewKeys.all, servicePrincipalId, jobId] as const,
  detail: (servicePrincipalId: string, jobId: string, previewId: string) =>
    [...previewKeys.forJob(servicePrincipalId, jobId), 'detail', previewId] as const,
  objects: (servicePrincipalId: string, jobId: string, previewId: string) =>
    [...previewKeys.detail(servicePrincipalId, jobId, previewId), 'objects'] as const,
  objectList: (
    servicePrincipalId: string,
    jobId: string,
    previewId: string,
    filter: { action: PreviewAction | null; search: string },
  ) => [...previewKeys.objects(servicePrincipalId, jobId, previewId), filter] as const,
};
