/** A job's latest target conformance check. */
export const targetCheckKeys = {
  all: ['target-checks'] as const,
  latest: (servicePrincipalId: string, jobId: string) =>
    [...targetCheckKeys.all, servicePrincipalId, jobId, 'latest'] as const,
};
