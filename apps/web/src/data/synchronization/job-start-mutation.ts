import { useJobActionMutation } from './job-action';

/** Start provisioning: Provisioning Status On; also clears a quarantine. */
export const useJobStartMutation = (servicePrincipalId: string) =>
  useJobActionMutation(servicePrincipalId, 'start', {
    success: 'Provisioning started',
    failure: 'Could not start provisioning',
  });
