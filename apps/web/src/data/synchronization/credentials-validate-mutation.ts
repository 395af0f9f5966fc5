import type { KeyValue, SynchronizationJob, ValidateCredentials } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { ensureJob } from './ensure-job';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

export interface ValidateCredentialsInput {
  job: SynchronizationJob | null | undefined;
  /** What is typed on the page (Tenant URL, and the Secret Token when one was typed). */
  credentials: KeyValue[];
  /** Fill what was not typed (the saved Secret Token) from the saved secrets. */
  useSavedCredentials: boolean;
}

/** Test Connection: asks the API to query the SCIM endpoint with the typed credentials. */
export function useCredentialsValidateMutation(servicePrincipalId: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async ({ job, credentials, useSavedCredentials }: ValidateCredentialsInput) => {
      const ensured = await ensureJob(servicePrincipalId, job);
      if (ensured.created)
        await queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) });
      const body = { useSavedCredentials, credentials } as ValidateCredentials;
      await api.post(
        `${synchronizationPaths.job(servicePrincipalId, ensured.job.id)}/validateCredentials`,
        body,
      );
    },
    onError: (error) => notify.error('Testing connection failed', error),
  });
}
