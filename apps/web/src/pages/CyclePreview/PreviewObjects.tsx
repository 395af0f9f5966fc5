import {
  Field,
  Input,
  Spinner,
  Tab,
  TabList,
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
import { Search20Regular } from '@fluentui/react-icons';
import { PREVIEW_ACTIONS, type CyclePreview, type CyclePreviewObject } from '@provisio/contracts';
import { useSearchParams } from 'react-router';
import { allItems } from '../../api/collections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { LoadMore } from '../../components/LoadMore';
import { usePageStyles } from '../../components/page-styles';
import { usePreviewObjectsQuery } from '../../data/previews/preview-objects-query';
import { useSearchText } from '../../hooks/use-search-text';
import { PREVIEW_ACTION_LABEL, isPreviewAction, totalCount } from './labels';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  count: { color: tokens.colorNeutralForeground3, marginLeft: tokens.spacingHorizontalXS },
  objectColumn: { width: '26%' },
  actionColumn: { width: '120px' },
  name: { fontWeight: tokens.fontWeightSemibold },
  id: {
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  changes: { listStyleType: 'none', margin: 0, padding: `${tokens.spacingVerticalXXS} 0` },
  property: { fontWeight: tokens.fontWeightSemibold },
  empty: { color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
  cell: {
    verticalAlign: 'top',
    paddingTop: tokens.spacingVerticalXS,
    paddingBottom: tokens.spacingVerticalXS,
  },
});

/** The URL parameter holding the chosen action, so a filtered plan can be linked to. */
const ACTION_PARAM = 'action';

function Value({ value }: { value: string | null }) {
  const styles = useStyles();
  return value === null ? <span className={styles.empty}>(empty)</span> : <>{value}</>;
}

/** Each attribute the cycle would change, as "name: old → new". */
function Changes({ object }: { object: CyclePreviewObject }) {
  const styles = useStyles();
  if (object.modifiedProperties.length === 0)
    return <span className={styles.empty}>No attribute changes</span>;
  return (
    <ul className={styles.changes} aria-label={`Changes to ${object.sourceIdentity.displayName}`}>
      {object.modifiedProperties.map((p) => (
        <li key={p.displayName}>
          <span className={styles.property}>{p.displayName}</span>: <Value value={p.oldValue} /> →{' '}
          <Value value={p.newValue} />
        </li>
      ))}
    </ul>
  );
}

function ObjectCell({ object }: { object: CyclePreviewObject }) {
  const styles = useStyles();
  const name = object.sourceIdentity.displayName || object.targetIdentity.displayName;
  const target = object.targetIdentity.id ? `Target ID: ${object.targetIdentity.id}` : '';
  return (
    <div>
      <div className={styles.name}>{name}</div>
      <div className={styles.id}>{object.sourceIdentity.identityType}</div>
      {target ? (
        <div className={styles.id} title={target}>
          {target}
        </div>
      ) : null}
    </div>
  );
}

/**
 * A finished preview's objects: the counts per action as tabs that filter the table, a search by
 * name or id, and a table of what the cycle would do to each object and why, page by page.
 */
export function PreviewObjects({
  servicePrincipalId,
  jobId,
  preview,
  applicationName,
}: {
  servicePrincipalId: string;
  jobId: string;
  preview: CyclePreview;
  applicationName: string;
}) {
  const styles = useStyles();
  const page = usePageStyles();
  const [params, setParams] = useSearchParams();
  const raw = params.get(ACTION_PARAM);
  const action = isPreviewAction(raw) ? raw : null;
  const search = useSearchText();
  const objects = usePreviewObjectsQuery(servicePrincipalId, jobId, preview.id, {
    action,
    search: search.debounced.trim(),
  });
  const total = totalCount(preview.counts);
  const items = allItems(objects.data);

  const choose = (value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (isPreviewAction(value)) next.set(ACTION_PARAM, value);
        else next.delete(ACTION_PARAM);
        return next;
      },
      { replace: true },
    );

  if (total === 0) {
    return (
      <EmptyState title="The next cycle has nothing to do">
        No user or group in scope needs a change in {applicationName}.
      </EmptyState>
    );
  }

  const list = () => {
    if (objects.isPending) return <LoadingState label="Loading the planned objects…" />;
    if (objects.isError)
      return (
        <ErrorState
          title="The planned objects could not be loaded"
          error={objects.error}
          onRetry={() => void objects.refetch()}
        />
      );
    if (items.length === 0)
      return (
        <Text role="status">
          {search.debounced.trim()
            ? `No ${action ? `${PREVIEW_ACTION_LABEL[action].toLowerCase()} ` : ''}object matches “${search.debounced.trim()}”.`
            : 'No object has this action.'}
        </Text>
      );
    return (
      <>
        {/* Focusable, so a keyboard can scroll a table wider than the window. */}
        <div className={page.tableScroll} role="region" aria-label="Planned objects, scrollable" tabIndex={0}>
          <Table aria-label="Planned objects" className={page.table} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.objectColumn}>Object</TableHeaderCell>
                <TableHeaderCell className={styles.actionColumn}>Action</TableHeaderCell>
                <TableHeaderCell>Reason</TableHeaderCell>
                <TableHeaderCell>Changes</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((object) => (
                <TableRow
                  key={`${object.sourceIdentity.identityType}:${object.sourceIdentity.id}:${object.targetIdentity.id}`}
                >
                  <TableCell className={styles.cell}>
                    <ObjectCell object={object} />
                  </TableCell>
                  <TableCell className={styles.cell}>{PREVIEW_ACTION_LABEL[object.action]}</TableCell>
                  <TableCell className={styles.cell}>{object.reason}</TableCell>
                  <TableCell className={styles.cell}>
                    <Changes object={object} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
        <LoadMore
          noun="objects"
          shown={items.length}
          hasNextPage={objects.hasNextPage}
          isFetchingNextPage={objects.isFetchingNextPage}
          onLoadMore={() => void objects.fetchNextPage()}
        />
      </>
    );
  };

  return (
    <section aria-label="Planned objects by action" className={styles.root}>
      <TabList
        aria-label="Action"
        selectedValue={action ?? 'all'}
        onTabSelect={(_e, data) => choose(String(data.value))}
      >
        <Tab value="all">
          All <span className={styles.count}>{total.toLocaleString()}</span>
        </Tab>
        {PREVIEW_ACTIONS.map((a) => (
          <Tab key={a} value={a} disabled={preview.counts[a] === 0 && action !== a}>
            {PREVIEW_ACTION_LABEL[a]}{' '}
            <span className={styles.count}>{preview.counts[a].toLocaleString()}</span>
          </Tab>
        ))}
      </TabList>
      <div className={page.toolbarRow}>
        <Field label="Search objects" hint="By name or id">
          <Input
            value={search.text}
            onChange={(_e, data) => search.setText(data.value)}
            contentBefore={<Search20Regular />}
            className={page.search}
          />
        </Field>
        {objects.isFetching && !objects.isPending && !objects.isFetchingNextPage ? (
          <Spinner size="tiny" label="Refreshing…" labelPosition="after" />
        ) : null}
      </div>
      {list()}
    </section>
  );
}
