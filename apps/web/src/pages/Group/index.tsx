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
import { ArrowClockwise20Regular, People20Regular } from '@fluentui/react-icons';
import { useParams } from 'react-router';
import { allItems } from '../../api/collections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { useGroupMembersQuery } from '../../data/groups/group-members-query';
import { useGroupQuery } from '../../data/groups/group-query';
import { formatDateTime, yesNo } from '../../lib/format';
import { paths } from '../../paths';

const useStyles = makeStyles({
  properties: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalXXL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0, wordBreak: 'break-all' },
  },
});

/** One group: its properties and direct members. */
export function GroupPage() {
  const styles = useStyles();
  const page = usePageStyles();
  const groupId = useParams()['groupId'] ?? '';
  const group = useGroupQuery(groupId);
  const members = useGroupMembersQuery(groupId);
  const items = allItems(members.data);
  const crumbs = [
    { label: 'Home', to: paths.home },
    { label: 'Groups', to: paths.groups },
  ];

  if (group.isPending) return <LoadingState label="Loading the group…" />;
  if (group.isError) {
    return (
      <>
        <PageHeader title="Group" crumbs={crumbs} icon={<People20Regular />} />
        <div className={page.body}>
          <ErrorState
            title="The group could not be loaded"
            error={group.error}
            onRetry={() => void group.refetch()}
          />
        </div>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={`${group.data.displayName} | Members`}
        subtitle="Group"
        icon={<People20Regular />}
        crumbs={crumbs}
      />
      <Toolbar aria-label="Group commands" className={page.commandBar}>
        <ToolbarButton
          icon={<ArrowClockwise20Regular />}
          onClick={() => void Promise.all([group.refetch(), members.refetch()])}
        >
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <section aria-labelledby="group-properties">
          <h2 id="group-properties" className={page.sectionTitle}>
            Properties
          </h2>
          <dl className={styles.properties}>
            <dt>Object ID</dt>
            <dd>{group.data.id}</dd>
            <dt>Description</dt>
            <dd>{group.data.description ?? '—'}</dd>
            <dt>Group type</dt>
            <dd>{group.data.securityEnabled ? 'Security' : 'Distribution'}</dd>
            <dt>Direct members</dt>
            <dd>{group.data.memberCount.toLocaleString()}</dd>
            <dt>Created</dt>
            <dd>{formatDateTime(group.data.createdDateTime)}</dd>
          </dl>
        </section>
        <section aria-labelledby="group-members">
          <h2 id="group-members" className={page.sectionTitle}>
            Direct members
          </h2>
          {members.isPending ? (
            <LoadingState label="Loading members…" />
          ) : members.isError ? (
            <ErrorState
              title="Members could not be loaded"
              error={members.error}
              onRetry={() => void members.refetch()}
            />
          ) : items.length === 0 ? (
            <EmptyState title="This group has no members">
              Add users to the group with the API (POST /api/v1.0/groups/{'{id}'}/members/$ref). An
              application that this group is assigned to provisions its direct members only.
            </EmptyState>
          ) : (
            <>
              <div className={page.tableScroll}>
                <Table aria-label="Members" className={page.table} size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Display name</TableHeaderCell>
                      <TableHeaderCell>User principal name</TableHeaderCell>
                      <TableHeaderCell>Department</TableHeaderCell>
                      <TableHeaderCell>Account enabled</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {items.map((user) => (
                      <TableRow key={user.id}>
                        <TableCell>{user.displayName}</TableCell>
                        <TableCell>{user.userPrincipalName}</TableCell>
                        <TableCell>{user.department ?? ''}</TableCell>
                        <TableCell>{yesNo(user.accountEnabled)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
              <LoadMore
                noun="members"
                shown={items.length}
                hasNextPage={members.hasNextPage}
                isFetchingNextPage={members.isFetchingNextPage}
                onLoadMore={() => void members.fetchNextPage()}
              />
            </>
          )}
        </section>
      </div>
    </>
  );
}
