import {
  Button,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Toolbar,
  ToolbarButton,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  ArrowDownload20Regular,
  DocumentBulletList20Regular,
  FilterDismiss20Regular,
} from '@fluentui/react-icons';
import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { allItems } from '../../api/collections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ResultIcon } from '../../components/ResultIcon';
import { usePageStyles } from '../../components/page-styles';
import {
  buildProvisioningLogFilter,
  DEFAULT_FILTERS,
  readFilters,
  writeFilters,
  type ProvisioningLogFilters,
} from '../../data/provisioning-logs/log-filter';
import { useProvisioningLogsQuery } from '../../data/provisioning-logs/provisioning-logs-query';
import { useApplication } from '../../hooks/use-application';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { DownloadLogsDialog } from './DownloadLogsDialog';
import { EventDetailsDrawer } from './EventDetailsDrawer';
import { LogFilterBar } from './LogFilterBar';
import { ACTION_LABEL } from './labels';
import { EVENT_PARAM } from './params';

const useStyles = makeStyles({
  identityName: { fontWeight: tokens.fontWeightSemibold },
  // Ids are long and rarely read whole: one line each, cut with an ellipsis, whole in the tooltip.
  identityIds: {
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  dateColumn: { width: '190px' },
  identityColumn: { width: '34%' },
  actionColumn: { width: '110px' },
  refreshing: { marginLeft: tokens.spacingHorizontalS },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
});

function IdentityCell({ event }: { event: ProvisioningObjectSummary }) {
  const styles = useStyles();
  const name = event.sourceIdentity.displayName || event.targetIdentity.displayName;
  const source = event.sourceIdentity.id ? `Source ID: ${event.sourceIdentity.id}` : '';
  const target = event.targetIdentity.id ? `Target ID: ${event.targetIdentity.id}` : '';
  return (
    <div>
      {name ? <div className={styles.identityName}>{name}</div> : null}
      {source ? (
        <div className={styles.identityIds} title={source}>
          {source}
        </div>
      ) : null}
      {target ? (
        <div className={styles.identityIds} title={target}>
          {target}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Provisioning logs: every provisioning event, filtered by the URL's search params. Under an
 * application (`/applications/:id/provisioning-logs`) it is limited to that application.
 */
export function ProvisioningLogsPage() {
  const styles = useStyles();
  const page = usePageStyles();
  const app = useApplication();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = readFilters(searchParams);
  const eventId = searchParams.get(EVENT_PARAM);
  // "24 hours" means the 24 hours before the filters were set or Refresh was selected;
  // a fixed instant keeps the query key stable between renders.
  const [now, setNow] = useState(() => new Date());
  const filterKey = writeFilters(new URLSearchParams(), filters).toString();
  const filter = useMemo(
    () => buildProvisioningLogFilter(readFilters(new URLSearchParams(filterKey)), now, app?.id),
    [filterKey, now, app?.id],
  );
  const logs = useProvisioningLogsQuery(filter);
  const [downloading, setDownloading] = useState(false);
  const items = allItems(logs.data);
  const filtered = filterKey !== '';

  const setFilters = (next: ProvisioningLogFilters) => {
    setNow(new Date());
    setSearchParams((current) => writeFilters(current, next), { replace: true });
  };
  const openEvent = (id: string | null) =>
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      if (id) next.set(EVENT_PARAM, id);
      else next.delete(EVENT_PARAM);
      return next;
    });
  const onRowKey = (event: KeyboardEvent, id: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openEvent(id);
    }
  };
  const refresh = () => {
    setNow(new Date());
    void logs.refetch();
  };

  return (
    <>
      {app ? null : (
        <PageHeader
          title="Provisioning logs"
          subtitle="Monitoring"
          icon={<DocumentBulletList20Regular />}
          crumbs={[{ label: 'Home', to: paths.home }]}
        />
      )}
      <Toolbar aria-label="Provisioning logs commands" className={page.commandBar}>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={refresh}>
          Refresh
        </ToolbarButton>
        <ToolbarButton icon={<ArrowDownload20Regular />} onClick={() => setDownloading(true)}>
          Download
        </ToolbarButton>
        <ToolbarButton
          icon={<FilterDismiss20Regular />}
          disabled={!filtered}
          onClick={() => setFilters(DEFAULT_FILTERS)}
        >
          Reset filters
        </ToolbarButton>
        {logs.isFetching && !logs.isPending && !logs.isFetchingNextPage ? (
          <Spinner size="tiny" label="Refreshing…" className={styles.refreshing} />
        ) : null}
      </Toolbar>
      <div className={page.body}>
        <LogFilterBar filters={filters} onChange={setFilters} />
        {logs.isPending ? (
          <LoadingState label="Loading provisioning events…" />
        ) : logs.isError ? (
          <ErrorState
            title="Provisioning logs could not be loaded"
            error={logs.error}
            onRetry={() => void logs.refetch()}
          />
        ) : items.length === 0 ? (
          <EmptyState
            title="No provisioning events"
            icon={<DocumentBulletList20Regular />}
            action={
              app ? (
                <Link to={paths.application(app.id, 'provisioning')}>Go to the Provisioning page</Link>
              ) : filtered ? (
                <Button onClick={() => setFilters(DEFAULT_FILTERS)}>Reset filters</Button>
              ) : null
            }
          >
            No provisioning events match these filters. Turn provisioning On in the application&apos;s
            Provisioning page, or widen the date range.
          </EmptyState>
        ) : (
          <>
            <div className={page.tableScroll}>
              <Table aria-label="Provisioning events" className={page.table} size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell className={styles.dateColumn}>Date</TableHeaderCell>
                    <TableHeaderCell className={styles.identityColumn}>Identity</TableHeaderCell>
                    <TableHeaderCell className={styles.actionColumn}>Action</TableHeaderCell>
                    <TableHeaderCell>Source System</TableHeaderCell>
                    <TableHeaderCell>Target System</TableHeaderCell>
                    <TableHeaderCell className={styles.actionColumn}>Status</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {items.map((event) => (
                    <TableRow
                      key={event.id}
                      tabIndex={0}
                      className={mergeClasses(page.clickableRow, event.id === eventId && styles.selected)}
                      aria-selected={event.id === eventId}
                      onClick={() => openEvent(event.id)}
                      onKeyDown={(e) => onRowKey(e, event.id)}
                    >
                      <TableCell>{formatDateTime(event.activityDateTime)}</TableCell>
                      <TableCell>
                        <IdentityCell event={event} />
                      </TableCell>
                      <TableCell>{ACTION_LABEL[event.provisioningAction]}</TableCell>
                      <TableCell>{event.sourceSystem.displayName}</TableCell>
                      <TableCell>{event.targetSystem.displayName}</TableCell>
                      <TableCell>
                        <ResultIcon result={event.provisioningStatusInfo.status} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <LoadMore
              noun="events"
              shown={items.length}
              hasNextPage={logs.hasNextPage}
              isFetchingNextPage={logs.isFetchingNextPage}
              onLoadMore={() => void logs.fetchNextPage()}
            />
          </>
        )}
      </div>
      <DownloadLogsDialog open={downloading} filter={filter} onClose={() => setDownloading(false)} />
      <EventDetailsDrawer
        eventId={eventId}
        fromList={items.find((e) => e.id === eventId)}
        onClose={() => openEvent(null)}
      />
    </>
  );
}
