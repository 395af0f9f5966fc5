import {
  Button,
  Menu,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
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
  ColumnTriple20Regular,
  DocumentBulletList20Regular,
  FilterDismiss20Regular,
} from '@fluentui/react-icons';
import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { allItems } from '../../api/collections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { LoadMore } from '../../components/LoadMore';
import { DownloadLogsDialog } from '../../components/DownloadLogsDialog';
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
import { useUrlFilters } from '../../hooks/use-url-filters';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { EventDetailsDrawer } from './EventDetailsDrawer';
import { LogFilterBar } from './LogFilterBar';
import { LOG_COLUMNS, readLogColumns, writeLogColumns, type LogColumnKey } from './columns';
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
  identityColumn: { width: '30%' },
  actionColumn: { width: '110px' },
  idColumn: { fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
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

type ColumnClass = 'dateColumn' | 'identityColumn' | 'actionColumn' | 'idColumn';

/** How each column of the Columns picker draws its header width and its cell. */
const COLUMN_VIEW: Record<
  LogColumnKey,
  { header?: ColumnClass; cell?: ColumnClass; render: (event: ProvisioningObjectSummary) => ReactNode }
> = {
  date: { header: 'dateColumn', render: (e) => formatDateTime(e.activityDateTime) },
  identity: { header: 'identityColumn', render: (e) => <IdentityCell event={e} /> },
  action: { header: 'actionColumn', render: (e) => ACTION_LABEL[e.provisioningAction] },
  sourceSystem: { render: (e) => e.sourceSystem.displayName },
  targetSystem: { render: (e) => e.targetSystem.displayName },
  status: { header: 'actionColumn', render: (e) => <ResultIcon result={e.provisioningStatusInfo.status} /> },
  application: { render: (e) => e.servicePrincipal.displayName },
  jobId: { cell: 'idColumn', render: (e) => e.jobId },
  changeId: { cell: 'idColumn', render: (e) => e.changeId },
  duration: { render: (e) => `${e.durationInMilliseconds.toLocaleString()} ms` },
  cycleId: { cell: 'idColumn', render: (e) => e.cycleId },
};

/** Columns: which columns the list shows, remembered by this browser. */
function ColumnsPicker({
  columns,
  onChange,
}: {
  columns: readonly LogColumnKey[];
  onChange: (next: LogColumnKey[]) => void;
}) {
  return (
    <Menu
      checkedValues={{ columns: [...columns] }}
      onCheckedValueChange={(_e, d) => {
        const chosen = LOG_COLUMNS.map((c) => c.key).filter((key) => d.checkedItems.includes(key));
        // An empty table says nothing: the last column stays.
        if (chosen.length > 0) onChange(chosen);
      }}
    >
      <MenuTrigger disableButtonEnhancement>
        <ToolbarButton icon={<ColumnTriple20Regular />}>Columns</ToolbarButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList aria-label="Columns">
          {LOG_COLUMNS.map((c) => (
            <MenuItemCheckbox key={c.key} name="columns" value={c.key}>
              {c.label}
            </MenuItemCheckbox>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
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
  const {
    filters,
    searchParams,
    setFilters: changeFilters,
    setSearchParams,
  } = useUrlFilters(readFilters, writeFilters);
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
  const [columns, setColumns] = useState(readLogColumns);
  const chooseColumns = (next: LogColumnKey[]) => {
    setColumns(next);
    writeLogColumns(next);
  };
  const shown = LOG_COLUMNS.filter((c) => columns.includes(c.key));
  const items = allItems(logs.data);
  const filtered = filterKey !== '';

  const setFilters = (change: Partial<ProvisioningLogFilters>) => {
    setNow(new Date());
    changeFilters(change);
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
        <ColumnsPicker columns={columns} onChange={chooseColumns} />
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
        <LogFilterBar filters={filters} onChange={setFilters} showApplication={!app} />
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
                    {shown.map((c) => {
                      const width = COLUMN_VIEW[c.key].header;
                      return (
                        <TableHeaderCell key={c.key} className={width ? styles[width] : undefined}>
                          {c.label}
                        </TableHeaderCell>
                      );
                    })}
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
                      {shown.map((c) => {
                        const view = COLUMN_VIEW[c.key];
                        return (
                          <TableCell key={c.key} className={view.cell ? styles[view.cell] : undefined}>
                            {view.render(event)}
                          </TableCell>
                        );
                      })}
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
      <DownloadLogsDialog
        log="provisioning"
        open={downloading}
        filter={filter}
        onClose={() => setDownloading(false)}
      />
      <EventDetailsDrawer
        eventId={eventId}
        fromList={items.find((e) => e.id === eventId)}
        onClose={() => openEvent(null)}
      />
    </>
  );
}
