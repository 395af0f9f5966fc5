import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  AppsList20Regular,
  ClipboardTaskListLtr20Regular,
  DocumentBulletList20Regular,
  Info20Regular,
  People20Regular,
  PersonKey20Regular,
  ArrowSync20Regular,
} from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { NavLink, Outlet, useMatches, useParams } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { useServicePrincipalQuery } from '../../data/service-principals/service-principal-query';
import { paths, type ApplicationSection, type ApplicationSectionHandle } from '../../paths';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: '200px minmax(0, 1fr)',
    alignItems: 'start',
    minHeight: 'calc(100% - 90px)',
  },
  nav: {
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    padding: `${tokens.spacingVerticalS} 0`,
    alignSelf: 'stretch',
  },
  group: {
    margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalXS}`,
    padding: `0 ${tokens.spacingHorizontalL}`,
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground3,
  },
  list: { listStyleType: 'none', margin: 0, padding: 0 },
  link: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    fontSize: tokens.fontSizeBase300,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  active: { backgroundColor: tokens.colorNeutralBackground1Selected, fontWeight: tokens.fontWeightSemibold },
  icon: { display: 'inline-flex', color: tokens.colorBrandForeground1 },
  content: { minWidth: 0 },
});

interface SubNavEntry {
  section: ApplicationSection;
  label: string;
  icon: ReactNode;
}

const GROUPS: { title: string | null; entries: SubNavEntry[] }[] = [
  { title: null, entries: [{ section: '', label: 'Overview', icon: <Info20Regular /> }] },
  {
    title: 'Manage',
    entries: [
      { section: 'users-and-groups', label: 'Users and groups', icon: <People20Regular /> },
      { section: 'app-roles', label: 'App roles', icon: <PersonKey20Regular /> },
      { section: 'provisioning', label: 'Provisioning', icon: <ArrowSync20Regular /> },
    ],
  },
  {
    title: 'Activity',
    entries: [
      { section: 'provisioning-logs', label: 'Provisioning logs', icon: <DocumentBulletList20Regular /> },
      { section: 'audit-logs', label: 'Audit logs', icon: <ClipboardTaskListLtr20Regular /> },
    ],
  },
];

function isSectionHandle(handle: unknown): handle is ApplicationSectionHandle {
  return typeof handle === 'object' && handle !== null && 'section' in handle;
}

/** One enterprise application: its header and left sub-navigation around the chosen sub-page. */
export function ApplicationPage() {
  const styles = useStyles();
  const page = usePageStyles();
  const servicePrincipalId = useParams()['servicePrincipalId'] ?? '';
  const application = useServicePrincipalQuery(servicePrincipalId);
  const section = useMatches()
    .map((m) => m.handle)
    .filter(isSectionHandle)
    .at(-1)?.section;
  const crumbs = [
    { label: 'Home', to: paths.home },
    { label: 'Enterprise applications', to: paths.applications },
  ];

  if (application.isPending) return <LoadingState label="Loading the application…" />;
  if (application.isError) {
    return (
      <>
        <PageHeader title="Enterprise application" crumbs={crumbs} icon={<AppsList20Regular />} />
        <div className={page.body}>
          <ErrorState
            title="The application could not be loaded"
            error={application.error}
            onRetry={() => void application.refetch()}
          />
        </div>
      </>
    );
  }

  const app = application.data;
  return (
    <>
      <PageHeader
        title={section ? `${app.displayName} | ${section}` : app.displayName}
        subtitle="Enterprise Application"
        icon={<AppsList20Regular />}
        crumbs={[...crumbs, { label: app.displayName, to: paths.application(app.id) }]}
      />
      <div className={styles.layout}>
        <nav aria-label="Application" className={styles.nav}>
          {GROUPS.map((group) => (
            <div key={group.title ?? 'top'}>
              {group.title ? <div className={styles.group}>{group.title}</div> : null}
              <ul className={styles.list}>
                {group.entries.map((entry) => (
                  <li key={entry.section}>
                    <NavLink
                      to={paths.application(app.id, entry.section)}
                      // Overview would match every sub-page; the others stay active on their own sub-pages.
                      end={entry.section === ''}
                      className={({ isActive }) => mergeClasses(styles.link, isActive && styles.active)}
                    >
                      <span className={styles.icon} aria-hidden>
                        {entry.icon}
                      </span>
                      {entry.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <div className={styles.content}>
          <Outlet context={app} />
        </div>
      </div>
    </>
  );
}
