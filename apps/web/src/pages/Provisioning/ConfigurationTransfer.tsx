import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular, ArrowUpload20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { configurationUrl } from '../../data/synchronization/configuration-mutations';
import { ImportConfigurationDialog } from './ImportConfigurationDialog';

const useStyles = makeStyles({
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

/**
 * Export configuration (a JSON download of the mappings, scoping filters, settings and app roles,
 * never the credentials) and Import configuration (checked, listed, confirmed, then applied).
 */
export function ConfigurationTransfer({
  servicePrincipalId,
  jobId,
  applicationName,
}: {
  servicePrincipalId: string;
  /** None while provisioning is not set up: there is nothing to export yet, but a file can be imported. */
  jobId: string | undefined;
  applicationName: string;
}) {
  const styles = useStyles();
  const [importOpen, setImportOpen] = useState(false);
  return (
    <div className={styles.actions} role="group" aria-label="Provisioning configuration">
      {jobId ? (
        <Button
          as="a"
          href={configurationUrl(servicePrincipalId, jobId)}
          download
          icon={<ArrowDownload20Regular />}
        >
          Export configuration
        </Button>
      ) : null}
      <Button icon={<ArrowUpload20Regular />} onClick={() => setImportOpen(true)}>
        Import configuration
      </Button>
      <ImportConfigurationDialog
        open={importOpen}
        servicePrincipalId={servicePrincipalId}
        jobId={jobId}
        applicationName={applicationName}
        onClose={() => setImportOpen(false)}
      />
    </div>
  );
}
