import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePageStyles } from '../../components/page-styles';
import { useProvisioningJobQuery } from '../../data/synchronization/jobs-query';
import { readSavedSettings } from '../../data/synchronization/secrets';
import { useSecretsQuery } from '../../data/synchronization/secrets-query';
import { useApplication } from '../../hooks/use-application';
import { useCan } from '../../data/auth/use-can';
import { ProvisioningForm } from './ProvisioningForm';
import { ProvisioningOverview } from './ProvisioningOverview';
import { ProvisioningSummary } from './ProvisioningSummary';
import { SetupTutorialLink } from './SetupTutorialLink';

/**
 * An application's Provisioning: current status on top, then the configuration to edit and Save;
 * a role that may not change it reads the status and the configuration without the credentials.
 */
export function ProvisioningPage() {
  const page = usePageStyles();
  const app = useApplication();
  const can = useCan();
  const servicePrincipalId = app?.id ?? '';
  const job = useProvisioningJobQuery(servicePrincipalId);
  const hasJob = Boolean(job.data);
  // The saved credentials are for the roles that may change them.
  const secrets = useSecretsQuery(servicePrincipalId, hasJob && can.manage);
  if (!app) return null;

  if (job.isPending) return <LoadingState label="Loading provisioning…" />;
  // Only a first load that failed replaces the page; a failed background poll keeps the form and its edits.
  if (job.isError && job.data === undefined) {
    return (
      <div className={page.body}>
        <ErrorState
          title="The provisioning configuration could not be loaded"
          error={job.error}
          onRetry={() => void job.refetch()}
        />
      </div>
    );
  }

  if (!can.manage) {
    return (
      <>
        <SetupTutorialLink servicePrincipalId={app.id} />
        <ProvisioningSummary
          app={app}
          job={job.data ?? null}
          onRefresh={() => void job.refetch()}
          overview={
            <ProvisioningOverview
              servicePrincipalId={app.id}
              job={job.data ?? null}
              credentialsSaved={false}
            />
          }
        />
      </>
    );
  }

  // The form stays mounted while the secrets load (e.g. right after Test Connection created
  // the job), so what was typed and the test result are not lost.
  const secretsState = !hasJob
    ? ({ state: 'ready', saved: readSavedSettings(undefined) } as const)
    : secrets.data
      ? ({ state: 'ready', saved: readSavedSettings(secrets.data) } as const)
      : secrets.isError
        ? ({ state: 'error', error: secrets.error, retry: () => void secrets.refetch() } as const)
        : ({ state: 'loading' } as const);

  return (
    <>
      <SetupTutorialLink servicePrincipalId={app.id} />
      <ProvisioningForm
        app={app}
        job={job.data ?? null}
        secrets={secretsState}
        onRefresh={() => void Promise.all([job.refetch(), hasJob ? secrets.refetch() : null])}
        overview={
          <ProvisioningOverview
            servicePrincipalId={app.id}
            job={job.data ?? null}
            credentialsSaved={secretsState.state === 'ready' && secretsState.saved.tenantUrl !== ''}
          />
        }
      />
    </>
  );
}
