import { PeopleList20Regular } from '@fluentui/react-icons';
import type { BulkOperation } from '@provisio/contracts';
import { useNavigate, useSearchParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable, type Column } from '../../components/PagedTable';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useBulkOperationsQuery } from '../../data/bulk-operations/bulk-operations-query';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../paths';
import { NewBulkOperation } from './NewBulkOperation';
import { KIND_LABEL, STATUS_LABEL, isBulkKind } from './labels';

const COLUMNS: Column<BulkOperation>[] = [
  { header: 'File', cell: (op) => op.fileName },
  { header: 'Operation', cell: (op) => KIND_LABEL[op.kind] },
  { header: 'Status', cell: (op) => STATUS_LABEL[op.status] },
  { header: 'Rows', cell: (op) => op.total.toLocaleString('en-US') },
  { header: 'Succeeded', cell: (op) => op.succeeded.toLocaleString('en-US') },
  { header: 'Failed', cell: (op) => op.failed.toLocaleString('en-US') },
  { header: 'Requested by', cell: (op) => op.requestedBy.userName },
  { header: 'Started', cell: (op) => formatDateTime(op.createdDateTime) },
];

/** Bulk create, update and delete of users from a CSV file, and the results of past operations. */
export function BulkOperationsPage() {
  const page = usePageStyles();
  const can = useCan();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const kindParam = params.get('kind');
  const kind = isBulkKind(kindParam) ? kindParam : 'create';
  const operations = useBulkOperationsQuery();

  return (
    <>
      <PageHeader
        title="Bulk operations"
        subtitle="Users"
        icon={<PeopleList20Regular />}
        crumbs={[
          { label: 'Home', to: paths.home },
          { label: 'Users', to: paths.users },
        ]}
      />
      <div className={page.body}>
        <ReadOnlyNote />
        {can.manage ? (
          <section aria-labelledby="bulk-new">
            <h2 id="bulk-new" className={page.sectionTitle}>
              New bulk operation
            </h2>
            <NewBulkOperation kind={kind} onKindChange={(k) => setParams({ kind: k }, { replace: true })} />
          </section>
        ) : null}
        <section aria-labelledby="bulk-results">
          <h2 id="bulk-results" className={page.sectionTitle}>
            Bulk operation results
          </h2>
          <PagedTable
            query={operations}
            label="Bulk operation results"
            noun="bulk operations"
            columns={COLUMNS}
            loadingLabel="Loading bulk operations…"
            errorTitle="Bulk operations could not be loaded"
            onRowOpen={(op) => void navigate(paths.bulkOperation(op.id))}
            empty={
              <EmptyState title="No bulk operations yet" icon={<PeopleList20Regular />}>
                {can.manage
                  ? 'Download a template above, fill it in and upload it: its results stay listed here.'
                  : 'An Administrator or Application Administrator runs them; their results appear here.'}
              </EmptyState>
            }
          />
        </section>
      </div>
    </>
  );
}
