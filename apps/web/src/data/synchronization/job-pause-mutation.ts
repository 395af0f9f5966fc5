import { useJobActionMutation } from './job-action';

/** Stop provisioning: Provisioning Status Off; a running cycle still finishes. */
export const useJobPauseMutation = (servicePrincipalId: string) =>
  useJobActionMutation(servicePrincipalId, 'pause', {
    success: 'Provisioning stopped. A cycle in progress finishes first.',
    failure: 'Could not stop provisioning',
  });
