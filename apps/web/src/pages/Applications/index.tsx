import { AppsList20Regular } from '@fluentui/react-icons';
import type { ServicePrincipal } from '@provisio/contracts';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Column } from '../../components/PagedTable';
import { ProvisioningState } from '../../components/ProvisioningState';
import { SearchableListPage } from '../../components/SearchableListPage';
import { useProvisioningHealthQuery } from '../../data/provisioning-health/provisioning-health-query';
import { useServicePrincipalsQuery } from '../../data/service-principals/service-principals-query';
import { useSearchText } from '../../hooks/use-search-text';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';

const COLUMNS: Column<ServicePrincipal>[] = [
  { header: 'Name', cell: (app) => <Link to={paths.application(app.id)}>{app.displayName}</Link> },
  { header: 'Object ID', cell: (app) => app.id },
  { header: 'Application ID', cell: (app) => app.appId },
  { header: 'Created on', cell: (app) => formatDateTime(app.createdDateTime) },
];

/** Enterprise applications > All applications. */
export function ApplicationsPage() {
  const navigate = useNavigate();
  const search = useSearchText();
  const applications = useServicePrincipalsQuery(search.debounced);
  // What each application's provisioning does now, polled every second while a cycle is queued or running.
  const health = useProvisioningHealthQuery();
  const columns = useMemo<Column<ServicePrincipal>[]>(() => {
    const byApp = new Map(health.data?.value.map((a) => [a.servicePrincipal.id, a]));
    return [
      ...COLUMNS.slice(0, 1),
      {
        header: 'Provisioning',
        cell: (app) => (health.data ? <ProvisioningState health={byApp.get(app.id)} /> : '—'),
      },
      ...COLUMNS.slice(1),
    ];
  }, [health.data]);

  return (
    <SearchableListPage
      title="Enterprise applications | All applications"
      icon={<AppsList20Regular />}
      commandsLabel="Enterprise applications commands"
      createLabel="New application"
      onCreate={() => void navigate(paths.gallery)}
      intro={
        <>
          View, filter and search the applications whose users and groups Provisio provisions. Open an
          application to assign users and groups and to set up provisioning.
        </>
      }
      searchLabel="Search applications"
      searchPlaceholder="Search by application name or object ID"
      search={search}
      query={applications}
      loadingLabel="Loading applications…"
      errorTitle="Applications could not be loaded"
      noMatchTitle={(term) => `No applications match “${term}”`}
      noMatchHint="Check the spelling of the application name."
      emptyTitle="No applications yet"
      emptyHint="Add the application you want to provision users to from the gallery (or create your own), then assign users and groups and turn provisioning on."
      label="Enterprise applications"
      noun="applications"
      columns={columns}
    />
  );
}
