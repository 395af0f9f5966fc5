/**
 * Everything under one application's `synchronization`. The job and its secrets change
 * together on Save; the schema and cycles hang off a job id.
 */
export const synchronizationKeys = {
  all: ['synchronization'] as const,
  /** Whether the installation can send email: one answer for every application. */
  mail: () => [...synchronizationKeys.all, 'mail'] as const,
  forApp: (servicePrincipalId: string) => [...synchronizationKeys.all, servicePrincipalId] as const,
  jobs: (servicePrincipalId: string) => [...synchronizationKeys.forApp(servicePrincipalId), 'jobs'] as const,
  secrets: (servicePrincipalId: string) =>
    [...synchronizationKeys.forApp(servicePrincipalId), 'secrets'] as const,
  schema: (servicePrincipalId: string, jobId: string) =>
    [...synchronizationKeys.forApp(servicePrincipalId), 'schema', jobId] as const,
  functions: (servicePrincipalId: string, jobId: string) =>
    [...synchronizationKeys.forApp(servicePrincipalId), 'functions', jobId] as const,
  cycles: (servicePrincipalId: string, jobId: string) =>
    [...synchronizationKeys.forApp(servicePrincipalId), 'cycles', jobId] as const,
};
