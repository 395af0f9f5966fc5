import {
  Button,
  Field,
  SearchBox,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Toolbar,
  ToolbarButton,
} from '@fluentui/react-components';
import { Add20Regular, AppsList20Regular, ArrowClockwise20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { Link } from 'react-router';
import { allItems } from '../../api/collections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { useServicePrincipalsQuery } from '../../data/service-principals/service-principals-query';
import { useDebouncedValue } from '../../hooks/use-debounced-value';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { NewApplicationDialog } from './NewApplicationDialog';

/** Enterprise applications > All applications. */
export function ApplicationsPage() {
  const page = usePageStyles();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const debounced = useDebouncedValue(search);
  const applications = useServicePrincipalsQuery(debounced);
  const items = allItems(applications.data);

  return (
    <>
      <PageHeader
        title="Enterprise applications | All applications"
        icon={<AppsList20Regular />}
        crumbs={[{ label: 'Home', to: paths.home }]}
      />
      <Toolbar aria-label="Enterprise applications commands" className={page.commandBar}>
        <ToolbarButton icon={<Add20Regular />} onClick={() => setCreating(true)}>
          New application
        </ToolbarButton>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void applications.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <p className={page.intro}>
          View, filter and search the applications whose users and groups Provisio provisions. Open an
          application to assign users and groups and to set up provisioning.
        </p>
        <Field label="Search applications" className={page.search}>
          <SearchBox
            value={search}
            placeholder="Search by application name or object ID"
            onChange={(_e, data) => setSearch(data.value)}
          />
        </Field>
        {applications.isPending ? (
          <LoadingState label="Loading applications…" />
        ) : applications.isError ? (
          <ErrorState
            title="Applications could not be loaded"
            error={applications.error}
            onRetry={() => void applications.refetch()}
          />
        ) : items.length === 0 ? (
          debounced.trim() ? (
            <EmptyState title={`No applications match “${debounced.trim()}”`}>
              Check the spelling of the application name.
            </EmptyState>
          ) : (
            <EmptyState
              title="No applications yet"
              icon={<AppsList20Regular />}
              action={
                <Button appearance="primary" onClick={() => setCreating(true)}>
                  New application
                </Button>
              }
            >
              Add the application you want to provision users to, then assign users and groups and turn
              provisioning on.
            </EmptyState>
          )
        ) : (
          <>
            <div className={page.tableScroll}>
              <Table aria-label="Enterprise applications" className={page.table} size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Name</TableHeaderCell>
                    <TableHeaderCell>Object ID</TableHeaderCell>
                    <TableHeaderCell>Application ID</TableHeaderCell>
                    <TableHeaderCell>Created on</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {items.map((app) => (
                    <TableRow key={app.id}>
                      <TableCell>
                        <Link to={paths.application(app.id)}>{app.displayName}</Link>
                      </TableCell>
                      <TableCell>{app.id}</TableCell>
                      <TableCell>{app.appId}</TableCell>
                      <TableCell>{formatDateTime(app.createdDateTime)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <LoadMore
              noun="applications"
              shown={items.length}
              hasNextPage={applications.hasNextPage}
              isFetchingNextPage={applications.isFetchingNextPage}
              onLoadMore={() => void applications.fetchNextPage()}
            />
          </>
        )}
      </div>
      <NewApplicationDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
