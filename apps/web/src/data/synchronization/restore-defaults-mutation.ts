import type { RestoreDefaultsRequest, RestoreDefaultsResult } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { auditLogKeys } from '../audit-logs/keys';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

const restoreDefaults = (servicePrincipalId: string, jobId: string, body: RestoreDefaultsRequest) =>
  api.post<RestoreDefaultsResult>(
    `${synchronizationPaths.schema(servicePrincipalId, jobId)}/restoreDefaults`,
    body,
  );

/** What Restore default mappings would change, asked for when its confirmation opens; changes nothing. */
export function useRestoreDefaultsPreviewMutation(servicePrincipalId: string, jobId: string) {
  return useMutation({
    mutationFn: () => restoreDefaults(servicePrincipalId, jobId, { preview: true }),
  });
}

/**
 * Restore default mappings: the gallery template's mappings replace the job's. Like a schema
 * save it bumps the version, clears the watermark and writes an audit event.
 */
export function useRestoreDefaultsMutation(
  servicePrincipalId: string,
  jobId: string,
  applicationName: string,
) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: () => restoreDefaults(servicePrincipalId, jobId, {}),
    onSuccess: async (result) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.schema(servicePrincipalId, jobId) }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: auditLogKeys.lists() }),
      ]);
      notify.success(
        result.applied
          ? `Restored the default mappings of ${applicationName}`
          : `The mappings of ${applicationName} are already the defaults`,
        result.applied
          ? 'The next provisioning cycle is an initial cycle: every user in scope is evaluated again.'
          : undefined,
      );
    },
    onError: (error) => notify.error(`The default mappings of ${applicationName} were not restored`, error),
  });
}
