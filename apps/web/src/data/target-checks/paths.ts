import { synchronizationPaths } from '../synchronization/paths';

export const targetCheckPaths = {
  checks: (servicePrincipalId: string, jobId: string) =>
    `${synchronizationPaths.job(servicePrincipalId, jobId)}/targetChecks`,
  latest: (servicePrincipalId: string, jobId: string) =>
    `${targetCheckPaths.checks(servicePrincipalId, jobId)}/latest`,
};
