import {
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PeopleList20Regular } from '@fluentui/react-icons';
import type { BulkOperation } from '@provisio/contracts';
import { useParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable, type Column } from '../../components/PagedTable';
import { usePageStyles } from '../../components/page-styles';
import { useBulkOperationQuery } from '../../data/bulk-operations/bulk-operation-query';
import {
  useBulkOperationResultsQuery,
  type BulkOperationResultRow,
} from '../../data/bulk-operations/bulk-operation-results-query';
import { isRunning } from '../../data/bulk-operations/bulk-operations-query';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { KIND_LABEL, STATUS_LABEL, progressText } from '../BulkOperations/labels';

const useStyles = makeStyles({
  progress: { maxWidth: '640px' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0 },
  },
});

const COLUMNS: Column<BulkOperationResultRow>[] = [
  { header: 'Line', cell: (r) => r.line },
  { header: 'Column', cell: (r) => r.column ?? '(the whole row)' },
  { header: 'Value', cell: (r) => r.key ?? '' },
  { header: 'Reason', cell: (r) => r.reason },
];

/** While the operation runs: a progress bar (indeterminate while validating, then rows done of the total). */
function Progress({ op }: { op: BulkOperation }) {
  const styles = useStyles();
  return (
    <Field className={styles.progress} label={`Status: ${STATUS_LABEL[op.status]}`} hint={progressText(op)}>
      <ProgressBar
        value={op.status === 'running' ? op.processed : undefined}
        max={Math.max(op.total, 1)}
        thickness="large"
      />
    </Field>
  );
}

/** Once it has ended: how it ended, its counts, and for a failure what stopped it. */
function Outcome({ op }: { op: BulkOperation }) {
  const intent = op.status === 'failed' ? 'error' : op.failed > 0 ? 'warning' : 'success';
  return (
    <MessageBar intent={intent} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{STATUS_LABEL[op.status]}</MessageBarTitle>
        {progressText(op)}
        {op.error ? ` ${op.error.message}` : null}
      </MessageBarBody>
    </MessageBar>
  );
}

function Facts({ op }: { op: BulkOperation }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      <dt>File</dt>
      <dd>{op.fileName}</dd>
      <dt>Requested by</dt>
      <dd>{op.requestedBy.userName}</dd>
      <dt>Started</dt>
      <dd>{formatDateTime(op.createdDateTime)}</dd>
      <dt>Completed</dt>
      <dd>{op.completedDateTime ? formatDateTime(op.completedDateTime) : 'Not yet'}</dd>
    </dl>
  );
}

function RejectedRows({ op }: { op: BulkOperation }) {
  const page = usePageStyles();
  const done = !isRunning(op);
  const results = useBulkOperationResultsQuery(op.id, done);
  return (
    <section aria-labelledby="bulk-rejected">
      <h2 id="bulk-rejected" className={page.sectionTitle}>
        Rejected rows
      </h2>
      {done ? (
        <PagedTable
          query={results}
          label="Rejected rows"
          noun="problems"
          columns={COLUMNS}
          loadingLabel="Loading the rejected rows…"
          errorTitle="The rejected rows could not be loaded"
          empty={<EmptyState title="No row was rejected">Every row of the file was applied.</EmptyState>}
        />
      ) : (
        <p className={page.muted}>The rejected rows are listed here once the operation has finished.</p>
      )}
    </section>
  );
}

/** One bulk operation: its progress while it runs, then its counts and every rejected row. */
export function BulkOperationPage() {
  const page = usePageStyles();
  const { operationId = '' } = useParams();
  const operation = useBulkOperationQuery(operationId);
  const op = operation.data;
  const title = op ? `${KIND_LABEL[op.kind]}: ${op.fileName}` : 'Bulk operation';

  return (
    <>
      <PageHeader
        title={title}
        subtitle="Bulk operation results"
        icon={<PeopleList20Regular />}
        crumbs={[
          { label: 'Home', to: paths.home },
          { label: 'Users', to: paths.users },
          { label: 'Bulk operations', to: paths.bulkOperations() },
        ]}
      />
      <div className={page.body}>
        {operation.isPending ? (
          <LoadingState label="Loading the bulk operation…" />
        ) : operation.isError || !op ? (
          <ErrorState
            title="The bulk operation could not be loaded"
            error={operation.error}
            onRetry={() => void operation.refetch()}
          />
        ) : (
          <>
            {isRunning(op) ? <Progress op={op} /> : <Outcome op={op} />}
            <Facts op={op} />
            <RejectedRows op={op} />
          </>
        )}
      </div>
    </>
  );
}
