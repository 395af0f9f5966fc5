import { Card, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowSync20Regular, DocumentBulletList20Regular, People20Regular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { usePageStyles } from '../../components/page-styles';
import { useProvisioningJobQuery } from '../../data/synchronization/jobs-query';
import { useApplication } from '../../hooks/use-application';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';

const useStyles = makeStyles({
  properties: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0, wordBreak: 'break-all' },
  },
  steps: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  stepTitle: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    fontWeight: tokens.fontWeightSemibold,
  },
  stepIcon: { display: 'inline-flex', color: tokens.colorBrandForeground1 },
});

function Step({
  n,
  title,
  icon,
  to,
  link,
  children,
}: {
  n: number;
  title: string;
  icon: ReactNode;
  to: string;
  link: string;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <Card>
      <span className={styles.stepTitle}>
        <span className={styles.stepIcon} aria-hidden>
          {icon}
        </span>
        {n}. {title}
      </span>
      <Text size={200}>{children}</Text>
      <Link to={to}>{link}</Link>
    </Card>
  );
}

function provisioningState(code: string | undefined, scheduleState: string | undefined): string {
  if (!code) return 'Not configured';
  if (code === 'NotConfigured') return 'Not configured';
  if (code === 'Quarantine') return 'On (quarantined)';
  return scheduleState === 'Active' ? 'On' : 'Off';
}

/** An application's Overview: properties and the getting-started steps. */
export function ApplicationOverviewPage() {
  const styles = useStyles();
  const page = usePageStyles();
  const app = useApplication();
  const job = useProvisioningJobQuery(app?.id ?? '');
  if (!app) return null;

  return (
    <div className={page.body}>
      <section aria-labelledby="app-properties">
        <h2 id="app-properties" className={page.sectionTitle}>
          Properties
        </h2>
        <dl className={styles.properties}>
          <dt>Name</dt>
          <dd>{app.displayName}</dd>
          <dt>Application ID</dt>
          <dd>{app.appId}</dd>
          <dt>Object ID</dt>
          <dd>{app.id}</dd>
          <dt>Created on</dt>
          <dd>{formatDateTime(app.createdDateTime)}</dd>
          <dt>Provisioning</dt>
          <dd>
            {job.isPending
              ? 'Loading…'
              : job.isError
                ? `Unknown (${job.error.message})`
                : provisioningState(job.data?.status.code, job.data?.schedule.state)}
          </dd>
          {app.notes ? (
            <>
              <dt>Notes</dt>
              <dd>{app.notes}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section aria-labelledby="app-getting-started">
        <h2 id="app-getting-started" className={page.sectionTitle} style={{ marginBottom: 12 }}>
          Getting Started
        </h2>
        <div className={styles.steps}>
          <Step
            n={1}
            title="Assign users and groups"
            icon={<People20Regular />}
            to={paths.application(app.id, 'users-and-groups')}
            link="Assign users and groups"
          >
            Provide specific users and groups access to the application; with the default scope only they are
            provisioned.
          </Step>
          <Step
            n={2}
            title="Provision User Accounts"
            icon={<ArrowSync20Regular />}
            to={paths.application(app.id, 'provisioning')}
            link="Get started"
          >
            Enter the application&apos;s SCIM Tenant URL and Secret Token, test the connection and turn
            provisioning on.
          </Step>
          <Step
            n={3}
            title="Monitor provisioning"
            icon={<DocumentBulletList20Regular />}
            to={paths.application(app.id, 'provisioning-logs')}
            link="View provisioning logs"
          >
            See what happened to each user and group, and why a user was skipped or failed.
          </Step>
        </div>
      </section>
    </div>
  );
}
