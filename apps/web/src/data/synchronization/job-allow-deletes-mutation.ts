import { useJobActionMutation } from './job-action';

/**
 * Allow deletes (Graph's restart with resetScope ForceDeletes): the next cycle carries out the
 * removals the accidental deletion threshold held back; the watermark and links are kept.
 */
export const useJobAllowDeletesMutation = (servicePrincipalId: string) =>
  useJobActionMutation(
    servicePrincipalId,
    'restart',
    {
      success: 'Deletes allowed. The next cycle carries out the held removals.',
      failure: 'Could not allow the deletes',
    },
    { criteria: { resetScope: 'ForceDeletes' } },
  );
