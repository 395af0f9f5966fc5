import { useJobActionMutation } from './job-action';

/** Runs a cycle now instead of waiting for the schedule (our addition to Graph). */
export const useJobRunNowMutation = (servicePrincipalId: string) =>
  useJobActionMutation(servicePrincipalId, 'runNow', {
    success: 'A provisioning cycle was requested',
    failure: 'Could not run a cycle now',
  });
