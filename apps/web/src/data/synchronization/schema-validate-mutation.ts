import type { SchemaValidation, SynchronizationSchema } from '@provisio/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { synchronizationPaths } from './paths';

/**
 * Checks a draft of the schema as Save would (`POST …/schema/validate`), without saving it: the
 * attribute mapping and scoping filter dialogs refuse Ok with the problems it answers, so they apply
 * the rules a cycle runs. It changes nothing on the server, so nothing is invalidated.
 */
export function useSchemaValidateMutation(servicePrincipalId: string, jobId: string) {
  const notify = useNotify();
  return useMutation({
    mutationFn: (schema: SynchronizationSchema) =>
      api.post<SchemaValidation>(
        `${synchronizationPaths.schema(servicePrincipalId, jobId)}/validate`,
        schema,
      ),
    onError: (error) => notify.error('The change could not be checked', error),
  });
}
