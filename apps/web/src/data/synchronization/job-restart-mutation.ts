import { useJobActionMutation } from './job-action';

/**
 * Restart provisioning as the portal does: clears the watermark, escrows and quarantine
 * (Graph's resetScope for the portal button) and keeps the links to target accounts.
 */
export const useJobRestartMutation = (servicePrincipalId: string) =>
  useJobActionMutation(
    servicePrincipalId,
    'restart',
    {
      success: 'Provisioning restarted. The next cycle is an initial cycle.',
      failure: 'Could not restart provisioning',
    },
    { criteria: { resetScope: 'Watermark, Escrows, QuarantineState' } },
  );
