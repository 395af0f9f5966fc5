import {
  Button,
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
import {
  ArrowClockwise20Regular,
  Delete20Regular,
  Edit20Regular,
  People20Regular,
  PersonAdd20Regular,
} from '@fluentui/react-icons';
import type { Group, User } from '@provisio/contracts';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { allItems } from '../../api/collections';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable, type Column } from '../../components/PagedTable';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useGroupDeleteMutation } from '../../data/groups/group-delete-mutation';
import { useGroupMemberRemoveMutation, type MemberRef } from '../../data/groups/group-member-mutations';
import { useGroupMembersQuery } from '../../data/groups/group-members-query';
import { useGroupQuery } from '../../data/groups/group-query';
import { useGroupAssignmentsQuery, useGroupMemberGroupsQuery } from '../../data/groups/group-relations-query';
import { formatDateTime, yesNo } from '../../lib/format';
import { paths } from '../../paths';
import { AddMembersDialog } from './AddMembersDialog';
import { EditGroupDialog } from './EditGroupDialog';

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

/** One group: its properties, direct members (users and nested groups) and the applications it is assigned to. */
export function GroupPage() {
  const styles = useStyles();
  const page = usePageStyles();
  const navigate = useNavigate();
  const canManage = useCan().manage;
  const groupId = useParams()['groupId'] ?? '';
  const group = useGroupQuery(groupId);
  const members = useGroupMembersQuery(groupId);
  const memberGroups = useGroupMemberGroupsQuery(groupId);
  const assignments = useGroupAssignmentsQuery(groupId);
  const remove = useGroupMemberRemoveMutation(groupId);
  const deleteGroup = useGroupDeleteMutation();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [removing, setRemoving] = useState<MemberRef | null>(null);
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

  const removeButton = (member: MemberRef) => (
    <Button size="small" aria-label={`Remove ${member.displayName}`} onClick={() => setRemoving(member)}>
      Remove
    </Button>
  );
  const userColumns: Column<User>[] = [
    { header: 'Display name', cell: (user) => <Link to={paths.user(user.id)}>{user.displayName}</Link> },
    { header: 'User principal name', cell: (user) => user.userPrincipalName },
    { header: 'Department', cell: (user) => user.department ?? '' },
    { header: 'Account enabled', cell: (user) => yesNo(user.accountEnabled) },
    ...(canManage
      ? [
          {
            header: 'Actions',
            cell: (user: User) => removeButton({ id: user.id, displayName: user.displayName, type: 'User' }),
          },
        ]
      : []),
  ];
  const existing = new Set([
    ...allItems(members.data).map((u) => u.id),
    ...(memberGroups.data ?? []).map((g) => g.id),
  ]);

  return (
    <>
      <PageHeader
        title={`${group.data.displayName} | Members`}
        subtitle="Group"
        icon={<People20Regular />}
        crumbs={crumbs}
      />
      <Toolbar aria-label="Group commands" className={page.commandBar}>
        {canManage && (
          <>
            <ToolbarButton icon={<PersonAdd20Regular />} onClick={() => setAdding(true)}>
              Add members
            </ToolbarButton>
            <ToolbarButton icon={<Edit20Regular />} onClick={() => setEditing(true)}>
              Edit
            </ToolbarButton>
            <ToolbarButton icon={<Delete20Regular />} onClick={() => setDeleting(true)}>
              Delete
            </ToolbarButton>
          </>
        )}
        <ToolbarButton
          icon={<ArrowClockwise20Regular />}
          onClick={() =>
            void Promise.all([
              group.refetch(),
              members.refetch(),
              memberGroups.refetch(),
              assignments.refetch(),
            ])
          }
        >
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <ReadOnlyNote />
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
            columns={userColumns}
            loadingLabel="Loading members…"
            errorTitle="Members could not be loaded"
            empty={
              <EmptyState title="This group has no user members">
                Add users with Add members. An application that this group is assigned to provisions its
                direct members only.
              </EmptyState>
            }
          />
        </section>
        <section aria-labelledby="group-nested">
          <h2 id="group-nested" className={page.sectionTitle}>
            Nested groups
          </h2>
          <NestedGroups
            query={memberGroups}
            onRemove={
              canManage ? (g) => setRemoving({ id: g.id, displayName: g.displayName, type: 'Group' }) : null
            }
          />
        </section>
        <section aria-labelledby="group-applications">
          <h2 id="group-applications" className={page.sectionTitle}>
            Applications
          </h2>
          {assignments.isPending ? (
            <LoadingState label="Loading applications…" />
          ) : assignments.isError ? (
            <ErrorState
              title="Applications could not be loaded"
              error={assignments.error}
              onRetry={() => void assignments.refetch()}
            />
          ) : assignments.data.length === 0 ? (
            <EmptyState title="Not assigned to any application">
              Assign the group under an application&apos;s Users and groups to provision its direct members.
            </EmptyState>
          ) : (
            <Table aria-label="Applications">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Application</TableHeaderCell>
                  <TableHeaderCell>Assigned</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {assignments.data.map((a) => (
                  <TableRow key={a.id}>
                    <TableCell>
                      <Link to={paths.application(a.resourceId, 'users-and-groups')}>
                        {a.resourceDisplayName}
                      </Link>
                    </TableCell>
                    <TableCell>{formatDateTime(a.createdDateTime)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </section>
      </div>
      <AddMembersDialog
        groupId={group.data.id}
        groupName={group.data.displayName}
        open={adding}
        onClose={() => setAdding(false)}
        existing={existing}
      />
      <EditGroupDialog group={group.data} open={editing} onClose={() => setEditing(false)} />
      <ConfirmDialog
        open={removing !== null}
        title="Remove member"
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) remove.mutate(removing, { onSettled: () => setRemoving(null) });
        }}
      >
        Remove {removing?.displayName} from {group.data.displayName}?
        {removing?.type === 'User'
          ? ' Applications assigned to this group stop provisioning them on the next cycle, unless they are assigned another way.'
          : ''}
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting}
        title="Delete group"
        busy={deleteGroup.isPending}
        onCancel={() => setDeleting(false)}
        onConfirm={() =>
          deleteGroup.mutate(group.data, {
            onSuccess: () => void navigate(paths.groups),
            onSettled: () => setDeleting(false),
          })
        }
      >
        Delete {group.data.displayName}? Its memberships and its application assignments are removed; members
        provisioned only through it leave those applications&apos; scope on the next cycle.
      </ConfirmDialog>
    </>
  );
}

function NestedGroups({
  query,
  onRemove,
}: {
  query: ReturnType<typeof useGroupMemberGroupsQuery>;
  /** Null for a role that may not change the group. */
  onRemove: ((group: Group) => void) | null;
}) {
  if (query.isPending) return <LoadingState label="Loading nested groups…" />;
  if (query.isError)
    return (
      <ErrorState
        title="Nested groups could not be loaded"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  if (query.data.length === 0)
    return (
      <EmptyState title="No nested groups">
        Add a group with Add members &gt; Groups. Nested groups stay in the directory; assignments of this
        group do not reach their members.
      </EmptyState>
    );
  return (
    <Table aria-label="Nested groups">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Display name</TableHeaderCell>
          <TableHeaderCell>Description</TableHeaderCell>
          {onRemove && <TableHeaderCell>Actions</TableHeaderCell>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {query.data.map((g) => (
          <TableRow key={g.id}>
            <TableCell>
              <Link to={paths.group(g.id)}>{g.displayName}</Link>
            </TableCell>
            <TableCell>{g.description ?? ''}</TableCell>
            {onRemove && (
              <TableCell>
                <Button size="small" aria-label={`Remove ${g.displayName}`} onClick={() => onRemove(g)}>
                  Remove
                </Button>
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
