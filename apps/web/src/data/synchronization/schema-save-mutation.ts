import type { SynchronizationSchema } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { auditLogKeys } from '../audit-logs/keys';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

/**
 * Save on the Attribute Mapping page: PUTs the whole schema. A change bumps the schema's
 * version, clears the job's watermark (and may request a cycle) and writes an audit event,
 * so the schema, the job and the audit log lists are refetched.
 */
export function useSchemaSaveMutation(servicePrincipalId: string, jobId: string, applicationName: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (schema: SynchronizationSchema) =>
      api.put(synchronizationPaths.schema(servicePrincipalId, jobId), schema),
    onSuccess: async () => {
      // Refetched before the page drops its edits, so it never shows the old mappings in between.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.schema(servicePrincipalId, jobId) }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: auditLogKeys.lists() }),
      ]);
      notify.success(
        `Saved the attribute mappings of ${applicationName}`,
        'The next provisioning cycle is an initial cycle: every user in scope is evaluated again.',
      );
    },
    onError: (error) => notify.error(`The attribute mappings of ${applicationName} were not saved`, error),
  });
}
