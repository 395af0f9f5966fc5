import type { SecretsPut, SynchronizationJob, SynchronizationJobPatch } from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { ensureJob } from './ensure-job';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

export interface ProvisioningSaveInput {
  job: SynchronizationJob | null | undefined;
  /** Only the keys that changed; the Secret Token only when one was typed. */
  secrets: SecretsPut['value'];
  /** Job settings that changed (the accidental deletion threshold). */
  settings: SynchronizationJobPatch['synchronizationJobSettings'];
  /** Set only when the Provisioning Status toggle differs from the job's state. */
  provisioningStatus: 'On' | 'Off' | undefined;
}

/**
 * Save on the Provisioning page: creates the job the first time, saves the changed secrets and
 * job settings, then starts or pauses it, in that order so a start sees the new credentials.
 */
export function useProvisioningSaveMutation(servicePrincipalId: string, applicationName: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async ({ job, secrets, settings, provisioningStatus }: ProvisioningSaveInput) => {
      const { job: saved } = await ensureJob(servicePrincipalId, job);
      if (secrets.length > 0) {
        await api.put(synchronizationPaths.secrets(servicePrincipalId), {
          value: secrets,
        } satisfies SecretsPut);
      }
      if (settings.length > 0) {
        await api.patch(synchronizationPaths.job(servicePrincipalId, saved.id), {
          synchronizationJobSettings: settings,
        } satisfies SynchronizationJobPatch);
      }
      if (provisioningStatus === 'On')
        await api.post(`${synchronizationPaths.job(servicePrincipalId, saved.id)}/start`);
      if (provisioningStatus === 'Off')
        await api.post(`${synchronizationPaths.job(servicePrincipalId, saved.id)}/pause`);
      return saved;
    },
    onSuccess: () => notify.success(`Saved the provisioning configuration of ${applicationName}`),
    onError: (error) =>
      notify.error(`Could not save the provisioning configuration of ${applicationName}`, error),
    // Partial saves (secrets saved, start refused) must show too, hence onSettled.
    onSettled: (job) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.secrets(servicePrincipalId) }),
        job
          ? queryClient.invalidateQueries({
              queryKey: synchronizationKeys.cycles(servicePrincipalId, job.id),
            })
          : null,
      ]),
  });
}
