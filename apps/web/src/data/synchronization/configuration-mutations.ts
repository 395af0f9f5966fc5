import type {
  ProvisioningConfigurationImportResult,
  ProvisioningConfigurationValidation,
} from '@provisio/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { auditLogKeys } from '../audit-logs/keys';
import { servicePrincipalKeys } from '../service-principals/keys';
import { synchronizationKeys } from './keys';
import { synchronizationPaths } from './paths';

/** Where the API serves the job's configuration: a download (GET) and an import (PUT). */
export const configurationUrl = (servicePrincipalId: string, jobId: string) =>
  `${synchronizationPaths.job(servicePrincipalId, jobId)}/configuration`;

/**
 * Checks a configuration file as Import would (`POST …/configuration/validate`): the problems it
 * would be refused with, or what it would change. Changes nothing, so nothing is invalidated.
 */
export function useConfigurationValidateMutation(servicePrincipalId: string, jobId: string) {
  return useMutation({
    mutationFn: (document: unknown) =>
      api.post<ProvisioningConfigurationValidation>(
        `${configurationUrl(servicePrincipalId, jobId)}/validate`,
        document,
      ),
  });
}

/**
 * Imports a configuration file: mappings, scoping filters, settings and app roles are replaced
 * together, so the schema, the job, its secrets view, the application (its roles) and the audit
 * logs are refetched.
 */
export function useConfigurationImportMutation(
  servicePrincipalId: string,
  jobId: string,
  applicationName: string,
) {
  const queryClient = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (document: unknown) =>
      api.put<ProvisioningConfigurationImportResult>(configurationUrl(servicePrincipalId, jobId), document),
    onSuccess: async (result) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: synchronizationKeys.schema(servicePrincipalId, jobId) }),
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
