import { Toolbar, ToolbarButton, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwise20Regular, People20Regular } from '@fluentui/react-icons';
import type { User } from '@provisio/contracts';
import { useParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable, type Column } from '../../components/PagedTable';
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

const COLUMNS: Column<User>[] = [
  { header: 'Display name', cell: (user) => user.displayName },
  { header: 'User principal name', cell: (user) => user.userPrincipalName },
  { header: 'Department', cell: (user) => user.department ?? '' },
  { header: 'Account enabled', cell: (user) => yesNo(user.accountEnabled) },
];

/** One group: its properties and direct members. */
export function GroupPage() {
  const styles = useStyles();
  const page = usePageStyles();
  const groupId = useParams()['groupId'] ?? '';
  const group = useGroupQuery(groupId);
  const members = useGroupMembersQuery(groupId);
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
          <PagedTable
            query={members}
            label="Members"
            noun="members"
            columns={COLUMNS}
            loadingLabel="Loading members…"
            errorTitle="Members could not be loaded"
            empty={
              <EmptyState title="This group has no members">
                Add users to the group with the API (POST /api/v1.0/groups/{'{id}'}/members/$ref). An
                application that this group is assigned to provisions its direct members only.
              </EmptyState>
            }
          />
        </section>
      </div>
    </>
  );
}
