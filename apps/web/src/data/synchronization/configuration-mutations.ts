import type {
  ProvisioningConfigurationImportResult,
  ProvisioningConfigurationValidation,
} from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { auditLogKeys } from '../audit-logs/keys';
import { servicePrincipalKeys } from '../service-principals/keys';
import { ensureJob } from './ensure-job';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

/** Where the API serves the job's configuration: a download (GET) and an import (PUT). */
export const configurationUrl = (servicePrincipalId: string, jobId: string) =>
  `${synchronizationPaths.job(servicePrincipalId, jobId)}/configuration`;

/**
 * The job to import into. An application whose provisioning is not set up yet has none: it is
 * created from the `scim` template, as Test Connection and Save create it.
 */
async function importJobId(servicePrincipalId: string, jobId: string | undefined): Promise<string> {
  return jobId ?? (await ensureJob(servicePrincipalId, null)).job.id;
}

/**
 * Checks a configuration file as Import would (`POST …/configuration/validate`): the problems it
 * would be refused with, or what it would change. Changes nothing, so nothing is invalidated.
 */
export function useConfigurationValidateMutation(servicePrincipalId: string, jobId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (document: unknown) =>
      api.post<ProvisioningConfigurationValidation>(
        `${configurationUrl(servicePrincipalId, await importJobId(servicePrincipalId, jobId))}/validate`,
        document,
      ),
    // A job created for the check is shown (Mappings, Export).
    onSuccess: async () => {
      if (jobId === undefined)
        await queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) });
    },
  });
}

/**
 * Imports a configuration file: mappings, scoping filters, settings and app roles are replaced
 * together, so the schema, the job, its secrets view, the application (its roles) and the audit
 * logs are refetched.
 */
export function useConfigurationImportMutation(
  servicePrincipalId: string,
  jobId: string | undefined,
  applicationName: string,
) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: async (document: unknown) => {
      const id = await importJobId(servicePrincipalId, jobId);
      const result = await api.put<ProvisioningConfigurationImportResult>(
        configurationUrl(servicePrincipalId, id),
        document,
      );
      return { ...result, jobId: id };
    },
    onSuccess: async (result) => {
      await Promise.all([
        queryClient.invalidateQueries({
          queryKey: synchronizationKeys.schema(servicePrincipalId, result.jobId),
        }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.jobs(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.secrets(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: servicePrincipalKeys.detail(servicePrincipalId) }),
        queryClient.invalidateQueries({ queryKey: auditLogKeys.lists() }),
      ]);
      notify.success(
        result.applied
          ? `Imported the provisioning configuration into ${applicationName}`
          : `${applicationName} already has this configuration`,
        result.applied
          ? 'The next provisioning cycle is an initial cycle: every user in scope is evaluated again.'
          : undefined,
      );
    },
    onError: (error) => notify.error(`The configuration was not imported into ${applicationName}`, error),
  });
}
