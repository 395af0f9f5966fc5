import {
  Button,
  Dropdown,
  Field,
  Option,
  OptionGroup,
  Spinner,
  Toolbar,
  ToolbarButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  ArrowDownload20Regular,
  ClipboardTaskListLtr20Regular,
  FilterDismiss20Regular,
} from '@fluentui/react-icons';
import type { DirectoryAudit } from '@provisio/contracts';
import { useMemo, useState } from 'react';
import { allItems } from '../../api/collections';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { EmptyState } from '../../components/EmptyState';
import { DownloadLogsDialog } from '../../components/DownloadLogsDialog';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable, type Column } from '../../components/PagedTable';
import { ResultIcon } from '../../components/ResultIcon';
import { usePageStyles } from '../../components/page-styles';
import { TextFilter } from '../../components/TextFilter';
import {
  AUDIT_CATEGORIES,
  AUDIT_SERVICES,
  AUDIT_STATUSES,
  AUTHENTICATION_ACTIVITIES,
  buildAuditLogFilter,
  DIRECTORY_ACTIVITIES,
  DEFAULT_AUDIT_FILTERS,
  PROVISIONING_ACTIVITIES,
  readAuditFilters,
  writeAuditFilters,
  type AuditLogFilters,
  type AuditStatusFilter,
} from '../../data/audit-logs/audit-filter';
import { useAuditLogsQuery } from '../../data/audit-logs/audit-logs-query';
import { useApplication } from '../../hooks/use-application';
import { useUrlFilters } from '../../hooks/use-url-filters';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { AuditEventDrawer } from './AuditEventDrawer';
import { initiatorName } from './initiator';

const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  activity: { minWidth: '320px' },
  category: { minWidth: '220px' },
  service: { minWidth: '200px' },
  status: { minWidth: '120px' },
  text: { width: '220px' },
  // Texts of very different lengths: columns fit their content; dates stay on one line.
  table: { tableLayout: 'auto', '& td:first-child': { whiteSpace: 'nowrap' } },
});

const ALL = '__all__';

/** "ProvisioningManagement" → "Provisioning Management", as the portal shows categories. */
const categoryLabel = (key: string): string => AUDIT_CATEGORIES.find((c) => c.key === key)?.label ?? key;

const COLUMNS: Column<DirectoryAudit>[] = [
  { header: 'Date', cell: (event) => formatDateTime(event.activityDateTime) },
  { header: 'Service', cell: (event) => event.loggedByService },
  { header: 'Category', cell: (event) => categoryLabel(event.category) },
  { header: 'Activity', cell: (event) => event.activityDisplayName },
  {
    header: 'Status',
    cell: (event) => <ResultIcon result={event.result === 'success' ? 'success' : 'failure'} />,
  },
  { header: 'Target(s)', cell: (event) => event.targetResources.map((t) => t.displayName).join(', ') },
  { header: 'Initiated by (actor)', cell: initiatorName },
];

/**
 * Audit logs: configuration and lifecycle changes. Under an application it is limited to
 * events that target that application.
 */
export function AuditLogsPage() {
  const styles = useStyles();
  const page = usePageStyles();
  const app = useApplication();
  const {
    filters,
    searchParams,
    setFilters: changeFilters,
    setSearchParams,
  } = useUrlFilters(readAuditFilters, writeAuditFilters);
  const selectedId = searchParams.get('event');
  const [now, setNow] = useState(() => new Date());
  const [downloading, setDownloading] = useState(false);
  const filterKey = writeAuditFilters(new URLSearchParams(), filters).toString();
  const filter = useMemo(
    () => buildAuditLogFilter(readAuditFilters(new URLSearchParams(filterKey)), now, app?.id),
    [filterKey, now, app?.id],
  );
  const audits = useAuditLogsQuery(filter);
  const items = allItems(audits.data);

  const setFilters = (change: Partial<AuditLogFilters>) => {
    setNow(new Date());
    changeFilters(change);
  };
  const openEvent = (id: string | null) =>
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      if (id) next.set('event', id);
      else next.delete('event');
      return next;
    });

  return (
    <>
      {app ? null : (
        <PageHeader
          title="Audit logs"
          subtitle="Monitoring"
          icon={<ClipboardTaskListLtr20Regular />}
          crumbs={[{ label: 'Home', to: paths.home }]}
        />
      )}
      <Toolbar aria-label="Audit logs commands" className={page.commandBar}>
        <ToolbarButton
          icon={<ArrowClockwise20Regular />}
          onClick={() => {
            setNow(new Date());
            void audits.refetch();
          }}
        >
          Refresh
        </ToolbarButton>
        <ToolbarButton
          icon={<FilterDismiss20Regular />}
          disabled={filterKey === ''}
          onClick={() => setFilters(DEFAULT_AUDIT_FILTERS)}
        >
          Reset filters
        </ToolbarButton>
        <ToolbarButton icon={<ArrowDownload20Regular />} onClick={() => setDownloading(true)}>
          Download
        </ToolbarButton>
        {audits.isFetching && !audits.isPending && !audits.isFetchingNextPage ? (
          <Spinner size="tiny" label="Refreshing…" />
        ) : null}
      </Toolbar>
      <div className={page.body}>
        <div className={styles.filters} role="search" aria-label="Audit log filters">
          <DateRangeFilter
            date={filters.date}
            from={filters.from}
            to={filters.to}
            onChange={(range) => setFilters(range)}
          />
          <Field label="Category">
            <Dropdown
              className={styles.category}
              value={AUDIT_CATEGORIES.find((c) => c.key === filters.category)?.label ?? 'All'}
              selectedOptions={[filters.category || ALL]}
              onOptionSelect={(_e, d) =>
                setFilters({
                  category: d.optionValue && d.optionValue !== ALL ? d.optionValue : '',
                })
              }
            >
              <Option value={ALL}>All</Option>
              {AUDIT_CATEGORIES.map((c) => (
                <Option key={c.key} value={c.key}>
                  {c.label}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label="Activity">
            <Dropdown
              className={styles.activity}
              value={filters.activity || 'All'}
              selectedOptions={[filters.activity || ALL]}
              onOptionSelect={(_e, d) =>
                setFilters({
                  activity: d.optionValue && d.optionValue !== ALL ? d.optionValue : '',
                })
              }
            >
              <Option value={ALL}>All</Option>
              <OptionGroup label="Account Provisioning">
                {PROVISIONING_ACTIVITIES.map((a) => (
                  <Option key={a} value={a}>
                    {a}
                  </Option>
                ))}
              </OptionGroup>
              <OptionGroup label="Core Directory">
                {DIRECTORY_ACTIVITIES.map((a) => (
                  <Option key={a} value={a}>
                    {a}
                  </Option>
                ))}
              </OptionGroup>
              <OptionGroup label="Authentication">
                {AUTHENTICATION_ACTIVITIES.map((a) => (
                  <Option key={a} value={a}>
                    {a}
                  </Option>
                ))}
              </OptionGroup>
            </Dropdown>
          </Field>
          <Field label="Service">
            <Dropdown
              className={styles.service}
              value={filters.service || 'All'}
              selectedOptions={[filters.service || ALL]}
              onOptionSelect={(_e, d) =>
                setFilters({
                  service: d.optionValue && d.optionValue !== ALL ? d.optionValue : '',
                })
              }
            >
              <Option value={ALL}>All</Option>
              {AUDIT_SERVICES.map((service) => (
                <Option key={service} value={service}>
                  {service}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label="Status">
            <Dropdown
              className={styles.status}
              value={AUDIT_STATUSES.find((s) => s.key === filters.status)?.label ?? 'All'}
              selectedOptions={[filters.status || ALL]}
              onOptionSelect={(_e, d) =>
                setFilters({
                  status: d.optionValue && d.optionValue !== ALL ? (d.optionValue as AuditStatusFilter) : '',
                })
              }
            >
              <Option value={ALL}>All</Option>
              {AUDIT_STATUSES.map((status) => (
                <Option key={status.key} value={status.key}>
                  {status.label}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <TextFilter
            label="Initiated by"
            className={styles.text}
            value={filters.initiatedBy}
            placeholder="Exact name of a user or app"
            onChange={(initiatedBy) => setFilters({ initiatedBy })}
          />
          <TextFilter
            label="Target"
            className={styles.text}
            value={filters.target}
            placeholder="Exact name of a target"
            onChange={(target) => setFilters({ target })}
          />
        </div>
        <PagedTable
          query={audits}
          label="Audit events"
          noun="events"
          columns={COLUMNS}
          className={styles.table}
          onRowOpen={(event) => openEvent(event.id)}
          selectedId={selectedId}
          loadingLabel="Loading audit events…"
          errorTitle="Audit logs could not be loaded"
          empty={
            <EmptyState
              title="No audit events"
              icon={<ClipboardTaskListLtr20Regular />}
              action={
                filterKey ? (
                  <Button onClick={() => setFilters(DEFAULT_AUDIT_FILTERS)}>Reset filters</Button>
                ) : null
              }
            >
              No audit events match these filters. Changes to provisioning configuration (credentials,
              settings, start, stop, restart) appear here; widen the date range or choose another activity.
            </EmptyState>
          }
        />
      </div>
      <AuditEventDrawer event={items.find((e) => e.id === selectedId)} onClose={() => openEvent(null)} />
      <DownloadLogsDialog
        log="audit"
        open={downloading}
        filter={filter}
        onClose={() => setDownloading(false)}
      />
    </>
  );
}
