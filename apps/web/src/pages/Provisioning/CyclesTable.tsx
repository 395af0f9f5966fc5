import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { Link } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePageStyles } from '../../components/page-styles';
import { useCyclesQuery, type Cycle } from '../../data/synchronization/cycles-query';
import { formatDateTime, formatDuration } from '../../lib/format';
import { paths } from '../../paths';

const useStyles = makeStyles({
  failed: { color: tokens.colorPaletteRedForeground1 },
  number: { textAlign: 'right' },
  // Short figures and dates: let columns fit their content instead of equal fixed widths.
  table: { tableLayout: 'auto', '& td, & th': { whiteSpace: 'nowrap' } },
});

const STATE: Record<Cycle['state'], string> = {
  Running: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  EntryLevelErrors: 'Completed with errors',
};

const COUNTS: { key: string; label: string }[] = [
  { key: 'created', label: 'Created' },
  { key: 'updated', label: 'Updated' },
  { key: 'disabled', label: 'Disabled' },
  { key: 'deleted', label: 'Deleted' },
  { key: 'skipped', label: 'Skipped' },
  { key: 'failed', label: 'Failed' },
];

/** The last cycles of the job, newest first; each links to its provisioning events. */
export function CyclesTable({
  servicePrincipalId,
  jobId,
  running,
  latestCycleId,
}: {
  servicePrincipalId: string;
  jobId: string;
  running: boolean;
  /** The running or last cycle the job reports, so a new one shows here at once. */
  latestCycleId: string | undefined;
}) {
  const styles = useStyles();
  const page = usePageStyles();
  const cycles = useCyclesQuery(servicePrincipalId, jobId, running, latestCycleId);

  if (cycles.isPending) return <LoadingState label="Loading cycles…" />;
  if (cycles.isError) {
    return (
      <ErrorState
        title="Cycles could not be loaded"
        error={cycles.error}
        onRetry={() => void cycles.refetch()}
      />
    );
  }
  if (cycles.data.length === 0) {
    return (
      <Text className={page.muted}>
        No cycle has run yet. Turn Provisioning Status On and Save, or select Run now, to run the initial
        cycle.
      </Text>
    );
  }
  return (
    <div className={page.tableScroll}>
      <Table aria-label="Recent cycles" size="small" className={mergeClasses(page.table, styles.table)}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Cycle</TableHeaderCell>
            <TableHeaderCell>State</TableHeaderCell>
            <TableHeaderCell>Started</TableHeaderCell>
            <TableHeaderCell>Duration</TableHeaderCell>
            {COUNTS.map((c) => (
              <TableHeaderCell key={c.key}>{c.label}</TableHeaderCell>
            ))}
            <TableHeaderCell>Events</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {cycles.data.map((cycle) => (
            <TableRow key={cycle.id}>
              <TableCell title={`Cycle ID: ${cycle.id}`}>{cycle.kind}</TableCell>
              <TableCell
                className={cycle.state === 'Failed' ? styles.failed : undefined}
                title={cycle.error ? `${cycle.error.code}: ${cycle.error.message}` : undefined}
              >
                {STATE[cycle.state]}
                {cycle.error ? ` (${cycle.error.code})` : ''}
              </TableCell>
              <TableCell>{formatDateTime(cycle.beganAt)}</TableCell>
              <TableCell>{formatDuration(cycle.beganAt, cycle.endedAt)}</TableCell>
              {COUNTS.map((c) => (
                <TableCell key={c.key} className={styles.number}>
                  {(cycle.counts[c.key] ?? 0).toLocaleString()}
                </TableCell>
              ))}
              <TableCell>
                <Link
                  to={`${paths.application(servicePrincipalId, 'provisioning-logs')}?date=30d&cycleId=${encodeURIComponent(cycle.id)}`}
                  aria-label={`View provisioning logs of the ${cycle.kind.toLowerCase()} cycle started ${formatDateTime(cycle.beganAt)}`}
                >
                  View logs
                </Link>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
