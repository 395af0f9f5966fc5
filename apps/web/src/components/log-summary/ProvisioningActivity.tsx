import {
  Radio,
  RadioGroup,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  LOG_SUMMARY_RANGES,
  type LogSummaryCycle,
  type LogSummaryRange,
  type ProvisioningLogSummary,
} from '@provisio/contracts';
import { Suspense, lazy, useId, useState, type ReactNode } from 'react';
import { useLogSummaryQuery } from '../../data/provisioning-logs/log-summary-query';
import { formatDateTime, formatDuration } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { LoadingState } from '../LoadingState';
import {
  RANGE_LABEL,
  STATUS_LABEL,
  STATUS_ORDER,
  bucketLabel,
  cyclesSummaryText,
  eventsSummaryText,
  retentionText,
} from './summary-text';

const EventsChart = lazy(() => import('./charts').then((m) => ({ default: m.EventsChart })));
const CycleDurationsChart = lazy(() => import('./charts').then((m) => ({ default: m.CycleDurationsChart })));

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalL },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(360px, 1fr))',
    gap: tokens.spacingHorizontalXXL,
  },
  figure: { margin: 0, minWidth: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  figureTitle: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  caption: { color: tokens.colorNeutralForeground2 },
  chart: { minHeight: '240px' },
  retention: { display: 'flex', flexDirection: 'column', color: tokens.colorNeutralForeground3 },
  table: { tableLayout: 'auto', '& td, & th': { whiteSpace: 'nowrap' } },
  number: { textAlign: 'right' },
});

type HeadingLevel = 2 | 3 | 4;
const HEADING = { 2: 'h2', 3: 'h3', 4: 'h4' } as const;

const formatMs = (ms: number) => formatDuration(new Date(0).toISOString(), new Date(ms).toISOString());

/** A chart with its title, a sentence saying what it shows, and its figures as a table. */
function Figure({
  level,
  title,
  summary,
  chart,
  table,
}: {
  level: HeadingLevel;
  title: string;
  summary: string;
  chart: ReactNode;
  table: ReactNode;
}) {
  const styles = useStyles();
  const titleId = useId();
  const summaryId = useId();
  const Heading = HEADING[level];
  return (
    <figure className={styles.figure} aria-labelledby={titleId} aria-describedby={summaryId}>
      <Heading id={titleId} className={styles.figureTitle}>
        {title}
      </Heading>
      <figcaption id={summaryId} className={styles.caption}>
        {summary}
      </figcaption>
      {chart ? (
        <div className={styles.chart}>
          <Suspense fallback={<Spinner size="small" label="Loading the chart…" labelPosition="after" />}>
            {chart}
          </Suspense>
        </div>
      ) : null}
      {table ? (
        <details>
          <summary>Show the figures as a table</summary>
          {table}
        </details>
      ) : null}
    </figure>
  );
}

function EventsTable({ summary }: { summary: ProvisioningLogSummary }) {
  const styles = useStyles();
  return (
    <Table size="extra-small" aria-label="Provisioning events by status" className={styles.table}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{summary.interval === 'PT1H' ? 'Hour' : 'Day (UTC)'}</TableHeaderCell>
          {STATUS_ORDER.map((s) => (
            <TableHeaderCell key={s}>{STATUS_LABEL[s]}</TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {summary.buckets.map((b) => (
          <TableRow key={b.start}>
            <TableCell>{bucketLabel(b.start, summary.interval)}</TableCell>
            {STATUS_ORDER.map((s) => (
              <TableCell key={s} className={styles.number}>
                {b.counts[s].toLocaleString()}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function CyclesTable({ cycles, showApplication }: { cycles: LogSummaryCycle[]; showApplication: boolean }) {
  const styles = useStyles();
  return (
    <Table size="extra-small" aria-label="Cycle durations" className={styles.table}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Started</TableHeaderCell>
          {showApplication ? <TableHeaderCell>Application</TableHeaderCell> : null}
          <TableHeaderCell>Cycle</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell>Duration</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {cycles.map((c) => (
          <TableRow key={c.id}>
            <TableCell>{formatDateTime(c.beganAt)}</TableCell>
            {showApplication ? <TableCell>{c.servicePrincipal.displayName}</TableCell> : null}
            <TableCell>{c.kind}</TableCell>
            <TableCell>{c.state}</TableCell>
            <TableCell>{c.endedAt ? formatDuration(c.beganAt, c.endedAt) : 'Running'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Figures({
  summary,
  servicePrincipalId,
  level,
}: {
  summary: ProvisioningLogSummary;
  servicePrincipalId: string | undefined;
  level: HeadingLevel;
}) {
  const styles = useStyles();
  const eventsTitle = `Provisioning events per ${summary.interval === 'PT1H' ? 'hour' : 'day'} by status`;
  const cyclesTitle = servicePrincipalId
    ? 'Duration of the last cycles'
    : 'Duration of the last cycles, every application';
  const anyEvent = summary.buckets.some((b) => STATUS_ORDER.some((s) => b.counts[s] > 0));
  const anyFinished = summary.cycles.some((c) => c.durationInMilliseconds !== null);
  return (
    <div className={styles.figures}>
      <Figure
        level={level}
        title={eventsTitle}
        summary={eventsSummaryText(summary.range, summary.totals)}
        chart={
          anyEvent ? (
            <EventsChart buckets={summary.buckets} interval={summary.interval} title={eventsTitle} />
          ) : null
        }
        table={anyEvent ? <EventsTable summary={summary} /> : null}
      />
      <Figure
        level={level}
        title={cyclesTitle}
        summary={cyclesSummaryText(summary.cycles, formatMs)}
        chart={anyFinished ? <CycleDurationsChart cycles={summary.cycles} title={cyclesTitle} /> : null}
        table={
          summary.cycles.length > 0 ? (
            <CyclesTable cycles={summary.cycles} showApplication={!servicePrincipalId} />
          ) : null
        }
      />
    </div>
  );
}

/**
 * Provisioning at a glance, of one application or of all: events per hour or day by status over a
 * chosen period, the last cycles' durations, and how far back the provisioning and audit logs go.
 */
export function ProvisioningActivity({
  servicePrincipalId,
  headingLevel = 2,
}: {
  servicePrincipalId?: string;
  /** The level of the section's heading where it stands on the page; its charts' titles are one below. */
  headingLevel?: 2 | 3;
}) {
  const styles = useStyles();
  const Heading = HEADING[headingLevel];
  const headingId = useId();
  const [range, setRange] = useState<LogSummaryRange>('24h');
  const summary = useLogSummaryQuery(range, servicePrincipalId);

  return (
    <section aria-labelledby={headingId} className={styles.root}>
      <div className={styles.header}>
        <Heading id={headingId} className={styles.heading}>
          Provisioning activity
        </Heading>
        <RadioGroup
          layout="horizontal"
          aria-label="Period"
          value={range}
          onChange={(_, data) => setRange(data.value as LogSummaryRange)}
        >
          {LOG_SUMMARY_RANGES.map((r) => (
            <Radio key={r} value={r} label={RANGE_LABEL[r]} />
          ))}
        </RadioGroup>
      </div>
      {summary.isPending ? (
        <LoadingState label="Loading provisioning activity…" />
      ) : summary.isError ? (
        <ErrorState
          title="Provisioning activity could not be loaded"
          error={summary.error}
          onRetry={() => void summary.refetch()}
        />
      ) : (
        <>
          <Figures
            summary={summary.data}
            servicePrincipalId={servicePrincipalId}
            level={headingLevel === 2 ? 3 : 4}
          />
          <Text size={200} className={styles.retention} as="p">
            <span>{retentionText('Provisioning', summary.data.retention.provisioning)}</span>
            <span>{retentionText('Audit', summary.data.retention.audit)}</span>
          </Text>
        </>
      )}
    </section>
  );
}
