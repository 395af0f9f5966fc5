import { Text, Toolbar, ToolbarButton, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwise20Regular } from '@fluentui/react-icons';
import type { ServicePrincipal, SynchronizationJob } from '@provisio/contracts';
import type { ReactNode } from 'react';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { usePageStyles } from '../../components/page-styles';
import { yesNo } from '../../lib/format';
import { MappingsList } from './MappingsList';
import { savedDeletion } from './ProvisioningForm';
import { isProvisioningOn } from './status-text';

const useStyles = makeStyles({
  sections: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '880px' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0 },
  },
});

/**
 * The Provisioning blade for a role that may read it but not change it: the status, then the
 * configuration as text. The admin credentials, the scope and the notification email live in
 * the job's secrets, which only the roles that may change them read.
 */
export function ProvisioningSummary({
  app,
  job,
  overview,
  onRefresh,
}: {
  app: ServicePrincipal;
  job: SynchronizationJob | null;
  overview: ReactNode;
  onRefresh: () => void;
}) {
  const styles = useStyles();
  const page = usePageStyles();
  const deletion = savedDeletion(job);
  return (
    <>
      <Toolbar aria-label="Provisioning configuration commands" className={page.commandBar}>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={onRefresh}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <ReadOnlyNote />
        {overview}
        <div className={styles.sections}>
          <section aria-labelledby="provisioning-configuration" className={styles.section}>
            <h2 id="provisioning-configuration" className={page.sectionTitle}>
              Configuration
            </h2>
            <dl className={styles.facts}>
              <dt>Provisioning Mode</dt>
              <dd>Automatic</dd>
              <dt>Admin Credentials</dt>
              <dd>Shown to Administrators and Application Administrators only.</dd>
              <dt>Prevent accidental deletion</dt>
              <dd>{job ? yesNo(deletion.enabled) : '—'}</dd>
              {job && deletion.enabled ? (
                <>
                  <dt>Accidental deletion threshold</dt>
                  <dd>{deletion.threshold}</dd>
                </>
              ) : null}
              <dt>Provisioning Status</dt>
              <dd>{isProvisioningOn(job) ? 'On' : 'Off'}</dd>
            </dl>
          </section>
          <section aria-labelledby="provisioning-mappings" className={styles.section}>
            <h2 id="provisioning-mappings" className={page.sectionTitle}>
              Mappings
            </h2>
            {job ? (
              <MappingsList servicePrincipalId={app.id} jobId={job.id} applicationName={app.displayName} />
            ) : (
              <Text className={page.muted}>The mappings appear once provisioning is configured.</Text>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
