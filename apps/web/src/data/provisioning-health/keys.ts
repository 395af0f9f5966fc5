/** Provisioning across every application: one answer, refetched after a job's lifecycle changes. */
export const provisioningHealthKeys = {
  all: ['provisioningHealth'] as const,
};
