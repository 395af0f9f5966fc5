import { Card, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled, ErrorCircle16Filled, Warning16Filled } from '@fluentui/react-icons';
import type { ProvisioningHealthApplication, ProvisioningHealthIssue } from '@provisio/contracts';
import { Link } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePageStyles } from '../../components/page-styles';
import { useProvisioningHealthQuery } from '../../data/provisioning-health/provisioning-health-query';
import { paths } from '../../paths';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  app: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  issues: {
    listStyle: 'none',
    margin: `${tokens.spacingVerticalS} 0 0`,
    padding: 0,
    display: 'grid',
    gap: tokens.spacingVerticalS,
  },
  issue: { display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1, paddingTop: '2px' },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1, paddingTop: '2px' },
  healthy: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  ok: { color: tokens.colorPaletteGreenForeground1, display: 'inline-flex' },
});

/** Where an issue is fixed: the application's Provisioning page, or its failures in the provisioning logs. */
function fixLink(app: ProvisioningHealthApplication, issue: ProvisioningHealthIssue) {
  return issue.fix === 'provisioning'
    ? { to: paths.application(app.servicePrincipal.id, 'provisioning'), label: 'Open Provisioning' }
    : {
        to: `${paths.application(app.servicePrincipal.id, 'provisioning-logs')}?status=failure`,
        label: 'View the failures in the provisioning logs',
      };
}

function Issue({ app, issue }: { app: ProvisioningHealthApplication; issue: ProvisioningHealthIssue }) {
  const styles = useStyles();
  const link = fixLink(app, issue);
  return (
    <li className={styles.issue}>
      <span className={issue.severity === 'error' ? styles.error : styles.warning}>
        {issue.severity === 'error' ? (
          <ErrorCircle16Filled aria-label="Error" />
        ) : (
          <Warning16Filled aria-label="Warning" />
        )}
      </span>
      <span>
        <Text>{issue.reason}</Text> <Text>{issue.recommendedAction}</Text>{' '}
        <Link to={link.to}>{link.label}</Link>
      </span>
    </li>
  );
}

/**
 * The applications whose provisioning needs an administrator — rejected credentials, a quarantine,
 * a failed cycle, objects in escrow — each reason in a sentence with a link to where it is fixed.
 */
export function NeedsAttention() {
  const styles = useStyles();
  const page = usePageStyles();
  const health = useProvisioningHealthQuery();
  const failing = health.data?.value.filter((a) => a.issues.length > 0) ?? [];

  return (
    <section aria-labelledby="overview-attention">
      <h2 id="overview-attention" className={page.sectionTitle} style={{ marginBottom: 12 }}>
        Applications needing attention
      </h2>
      {health.isPending ? (
        <LoadingState label="Checking the applications' provisioning…" />
      ) : health.isError && !health.data ? (
        <ErrorState
          title="The applications' provisioning health could not be loaded"
          error={health.error}
          onRetry={() => void health.refetch()}
        />
      ) : failing.length === 0 ? (
        <Text className={styles.healthy}>
          <span className={styles.ok} aria-hidden>
            <CheckmarkCircle20Filled />
          </span>
          {health.data.value.length === 0
            ? 'No application provisions yet: add one under Enterprise applications and turn its provisioning on.'
            : 'All applications are healthy: their last cycles succeeded and nothing is in escrow or quarantine.'}
        </Text>
      ) : (
        <ul className={styles.list} aria-label="Applications needing attention">
          {failing.map((app) => (
            <li key={app.jobId}>
              <Card>
                <Link to={paths.application(app.servicePrincipal.id, 'provisioning')} className={styles.app}>
                  {app.servicePrincipal.displayName}
                </Link>
                <ul
                  className={styles.issues}
                  aria-label={`Why ${app.servicePrincipal.displayName} needs attention`}
                >
                  {app.issues.map((issue) => (
                    <Issue key={issue.kind} app={app} issue={issue} />
                  ))}
                </ul>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
