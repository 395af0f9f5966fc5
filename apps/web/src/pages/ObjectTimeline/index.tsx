import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Toolbar,
  ToolbarButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular, History20Regular } from '@fluentui/react-icons';
import type { ModifiedProperty, ProvisioningObjectSummary } from '@provisio/contracts';
import { Link, useParams } from 'react-router';
import { allItems } from '../../api/collections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { ResultIcon } from '../../components/ResultIcon';
import { usePageStyles } from '../../components/page-styles';
import { useObjectTimelineQuery } from '../../data/provisioning-logs/object-timeline-query';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { ACTION_LABEL } from '../ProvisioningLogs/labels';

const useStyles = makeStyles({
  changes: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  value: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-word' },
  empty: { color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
  date: { whiteSpace: 'nowrap' },
  cycle: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, wordBreak: 'break-all' },
});

/** One event's changes, each `name: old → new`. */
function Changes({ properties }: { properties: ModifiedProperty[] }) {
  const styles = useStyles();
  if (properties.length === 0) return <span className={styles.empty}>No changes</span>;
  const show = (value: string | null) =>
    value === null || value === '' ? (
      <span className={styles.empty}>(empty)</span>
    ) : (
      <span className={styles.value}>{value}</span>
    );
  return (
    <ul className={styles.changes} aria-label="Changes">
      {properties.map((p) => (
        <li key={p.displayName}>
          {p.displayName}: {show(p.oldValue)} → {show(p.newValue)}
        </li>
      ))}
    </ul>
  );
}

const nameOf = (events: ProvisioningObjectSummary[], objectId: string): string =>
  events.find((e) => e.sourceIdentity.displayName)?.sourceIdentity.displayName ?? objectId;

/**
 * The timeline of one source object: every provisioning event of a user or group across cycles and
 * applications, newest first, each with its action, status, application, time and changes.
 */
export function ObjectTimelinePage() {
  const styles = useStyles();
  const page = usePageStyles();
  const objectId = useParams()['objectId'] ?? '';
  const timeline = useObjectTimelineQuery(objectId);
  const events = allItems(timeline.data);
  const name = nameOf(events, objectId);

  return (
    <>
      <PageHeader
        title={`Timeline of ${name}`}
        subtitle="Provisioning events of one object"
        icon={<History20Regular />}
        crumbs={[
          { label: 'Home', to: paths.home },
          { label: 'Provisioning logs', to: paths.provisioningLogs },
        ]}
      />
      <Toolbar aria-label="Timeline commands" className={page.commandBar}>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void timeline.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        {timeline.isPending ? (
          <LoadingState label="Loading the object's events…" />
        ) : timeline.isError ? (
          <ErrorState
            title="The timeline could not be loaded"
            error={timeline.error}
            onRetry={() => void timeline.refetch()}
          />
        ) : events.length === 0 ? (
          <EmptyState title="No provisioning events for this object" icon={<History20Regular />}>
            No cycle has processed this object yet, or its events are older than the logs keep. Assign it to
            an application and turn provisioning on, or provision it on demand.
          </EmptyState>
        ) : (
          <>
            <div className={page.tableScroll}>
              <Table aria-label={`Provisioning events of ${name}`} className={page.table} size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Date</TableHeaderCell>
                    <TableHeaderCell>Action</TableHeaderCell>
                    <TableHeaderCell>Status</TableHeaderCell>
                    <TableHeaderCell>Application</TableHeaderCell>
                    <TableHeaderCell>Changes (old → new)</TableHeaderCell>
                    <TableHeaderCell>Details</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {events.map((event) => (
                    <TableRow key={event.id}>
                      <TableCell className={styles.date}>{formatDateTime(event.activityDateTime)}</TableCell>
                      <TableCell>{ACTION_LABEL[event.provisioningAction]}</TableCell>
                      <TableCell>
                        <ResultIcon result={event.provisioningStatusInfo.status} />
                      </TableCell>
                      <TableCell>
                        <div>{event.servicePrincipal.displayName}</div>
                        <div className={styles.cycle} title={`Cycle ID: ${event.cycleId}`}>
                          Cycle {event.cycleId.slice(0, 8)}
                        </div>
                      </TableCell>
                      <TableCell>
                        <Changes properties={event.modifiedProperties} />
                      </TableCell>
                      <TableCell>
                        <Link
                          to={paths.provisioningEvent(event.id)}
                          aria-label={`Details of the ${ACTION_LABEL[event.provisioningAction]} event of ${formatDateTime(event.activityDateTime)}`}
                        >
                          Details
                        </Link>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <LoadMore
              noun="events"
              shown={events.length}
              hasNextPage={timeline.hasNextPage}
              isFetchingNextPage={timeline.isFetchingNextPage}
              onLoadMore={() => void timeline.fetchNextPage()}
            />
          </>
        )}
      </div>
    </>
  );
}
