import { synchronizationPaths } from '../synchronization/paths';

export const previewPaths = {
  previews: (servicePrincipalId: string, jobId: string) =>
    `${synchronizationPaths.job(servicePrincipalId, jobId)}/previews`,
  preview: (servicePrincipalId: string, jobId: string, previewId: string) =>
    `${previewPaths.previews(servicePrincipalId, jobId)}/${encodeURIComponent(previewId)}`,
};
