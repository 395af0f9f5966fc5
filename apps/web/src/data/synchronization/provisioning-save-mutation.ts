import type {
  KeyValue,
  SecretsPut,
  SynchronizationJob,
  SynchronizationJobPatch,
  ValidateCredentials,
} from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, isApiError } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { ensureJob } from './ensure-job';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

export interface ProvisioningSaveInput {
  job: SynchronizationJob | null | undefined;
  /** Only the keys that changed; the Secret Token only when one was typed. */
  secrets: SecretsPut['value'];
  /** Job settings that changed (the accidental deletion threshold). */
  settings: NonNullable<SynchronizationJobPatch['synchronizationJobSettings']>;
  /** Set only when the Provisioning Status toggle differs from the job's state. */
  provisioningStatus: 'On' | 'Off' | undefined;
  /** The cycle interval as an ISO 8601 duration, when it changed. */
  interval?: string | undefined;
  /**
   * Save turns provisioning On: the credentials it will run with (typed ones completing the saved
   * ones) are tested first, and nothing is saved when they fail. While provisioning is already On
   * the API tests changed credentials itself.
   */
  testFirst?: { credentials: KeyValue[]; useSavedCredentials: boolean } | undefined;
}

/** Errors about the credentials themselves: the page shows them next to the Tenant URL and Secret Token. */
export const isCredentialsError = (error: unknown): error is ApiError =>
  isApiError(error, 'synchronization.credentials_invalid') ||
  isApiError(error, 'synchronization.tenant_url_refused');

/** Test Connection before Save; a failure says that nothing was saved and how to save anyway. */
async function testBeforeSave(
  servicePrincipalId: string,
  jobId: string,
  { credentials, useSavedCredentials }: NonNullable<ProvisioningSaveInput['testFirst']>,
): Promise<void> {
  try {
    await api.post(`${synchronizationPaths.job(servicePrincipalId, jobId)}/validateCredentials`, {
      credentials,
      useSavedCredentials,
    } as ValidateCredentials);
  } catch (error) {
    if (!isCredentialsError(error)) throw error;
    throw new ApiError(
      error.status,
      error.code,
      `The credentials were not saved and provisioning was not started: Test Connection failed. ${error.message} Correct them, or save with Provisioning Status Off.`,
      error.requestId,
      error.details,
    );
  }
}

/**
 * Save on the Provisioning page: creates the job the first time, tests the credentials when Save
 * turns provisioning On, pauses it when Save turns it Off, saves the changed secrets and job
 * settings, then starts it, in that order so a start sees the new credentials.
 */
export function useProvisioningSaveMutation(servicePrincipalId: string, applicationName: string) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async ({
      job,
      secrets,
      settings,
      provisioningStatus,
      interval,
      testFirst,
    }: ProvisioningSaveInput) => {
      const { job: saved } = await ensureJob(servicePrincipalId, job);
      if (testFirst) await testBeforeSave(servicePrincipalId, saved.id, testFirst);
      // Turned Off first, so that credentials saved with it are saved untested, as in Entra.
      if (provisioningStatus === 'Off')
        await api.post(`${synchronizationPaths.job(servicePrincipalId, saved.id)}/pause`);
      if (secrets.length > 0) {
        await api.put(synchronizationPaths.secrets(servicePrincipalId), {
          value: secrets,
        } satisfies SecretsPut);
      }
      if (settings.length > 0 || interval !== undefined) {
        await api.patch(synchronizationPaths.job(servicePrincipalId, saved.id), {
          ...(settings.length > 0 ? { synchronizationJobSettings: settings } : {}),
          ...(interval !== undefined ? { schedule: { interval } } : {}),
        } satisfies SynchronizationJobPatch);
      }
      if (provisioningStatus === 'On')
        await api.post(`${synchronizationPaths.job(servicePrincipalId, saved.id)}/start`);
      return saved;
    },
    onSuccess: () => notify.success(`Saved the provisioning configuration of ${applicationName}`),
    // Credentials that fail are shown beside them on the page; a toast would say it twice.
    onError: (error) => {
      if (!isCredentialsError(error))
        notify.error(`Could not save the provisioning configuration of ${applicationName}`, error);
    },
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
