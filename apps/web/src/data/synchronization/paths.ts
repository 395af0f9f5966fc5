import { GRAPH } from '../../api/client';

const sp = (servicePrincipalId: string) =>
  `${GRAPH}/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization`;

export const synchronizationPaths = {
  jobs: (servicePrincipalId: string) => `${sp(servicePrincipalId)}/jobs`,
  job: (servicePrincipalId: string, jobId: string) =>
    `${sp(servicePrincipalId)}/jobs/${encodeURIComponent(jobId)}`,
  secrets: (servicePrincipalId: string) => `${sp(servicePrincipalId)}/secrets`,
  templates: (servicePrincipalId: string) => `${sp(servicePrincipalId)}/templates`,
  schema: (servicePrincipalId: string, jobId: string) =>
    `${sp(servicePrincipalId)}/jobs/${encodeURIComponent(jobId)}/schema`,
};
