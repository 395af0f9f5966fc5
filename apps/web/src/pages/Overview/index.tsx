import { Card, Text, makeStyles, tokens } from '@fluentui/react-components';
import {
  AppsList20Regular,
  ClipboardTaskListLtr20Regular,
  DocumentBulletList20Regular,
  Home20Regular,
  People20Regular,
  Person20Regular,
} from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { ProvisioningActivity } from '../../components/log-summary/ProvisioningActivity';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useGroupsCountQuery } from '../../data/groups/groups-count-query';
import { useServicePrincipalsCountQuery } from '../../data/service-principals/service-principals-count-query';
import { useUsersCountQuery } from '../../data/users/users-count-query';
import { paths } from '../../paths';
import { CountTile } from './CountTile';
import { NeedsAttention } from './NeedsAttention';

const useStyles = makeStyles({
  tiles: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL },
  links: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  linkCard: { height: '100%' },
  linkTitle: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    fontWeight: tokens.fontWeightSemibold,
  },
  linkIcon: { display: 'inline-flex', color: tokens.colorBrandForeground1 },
  anchor: { textDecorationLine: 'none', color: 'inherit' },
});

function QuickLink({
  to,
  title,
  icon,
  children,
}: {
  to: string;
  title: string;
  icon: ReactNode;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <Link to={to} className={styles.anchor}>
      <Card className={styles.linkCard}>
        <span className={styles.linkTitle}>
          <span className={styles.linkIcon} aria-hidden>
            {icon}
          </span>
          {title}
        </span>
        <Text size={200}>{children}</Text>
      </Card>
    </Link>
  );
}

/** Home: what the directory holds, which applications need attention, how provisioning has gone lately and where to go next. */
export function OverviewPage() {
  const styles = useStyles();
  const page = usePageStyles();
  const can = useCan();
  // Every role reads the directory and the applications.
  const users = useUsersCountQuery();
  const groups = useGroupsCountQuery();
  const applications = useServicePrincipalsCountQuery();

  return (
    <>
      <PageHeader title="Overview" subtitle="Provisio" icon={<Home20Regular />} />
      <div className={page.body}>
        <section aria-labelledby="overview-counts" className={styles.tiles}>
          <h2 id="overview-counts" className={page.sectionTitle} style={{ width: '100%' }}>
            Your directory
          </h2>
          <CountTile label="Users" icon={<Person20Regular />} to={paths.users} query={users} />
          <CountTile label="Groups" icon={<People20Regular />} to={paths.groups} query={groups} />
          <CountTile
            label="Applications"
            icon={<AppsList20Regular />}
            to={paths.applications}
            query={applications}
          />
        </section>
        <NeedsAttention />
        <ProvisioningActivity />
        <section aria-labelledby="overview-links">
          <h2 id="overview-links" className={page.sectionTitle} style={{ marginBottom: 12 }}>
            Quick links
          </h2>
          <div className={styles.links}>
            <QuickLink to={paths.applications} title="Enterprise applications" icon={<AppsList20Regular />}>
              {can.manage
                ? 'Add an application, assign users and groups, and turn provisioning on.'
                : 'The applications, who is assigned to them and the status of their provisioning.'}
            </QuickLink>
            <QuickLink to={paths.users} title="Users" icon={<Person20Regular />}>
              The directory users that applications are provisioned from.
            </QuickLink>
            <QuickLink
              to={paths.provisioningLogs}
              title="Provisioning logs"
              icon={<DocumentBulletList20Regular />}
            >
              What happened to each user and group in each cycle, and why.
            </QuickLink>
            <QuickLink to={paths.auditLogs} title="Audit logs" icon={<ClipboardTaskListLtr20Regular />}>
              Who changed provisioning configuration, and when.
            </QuickLink>
          </div>
        </section>
      </div>
    </>
  );
}
