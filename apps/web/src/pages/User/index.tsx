import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
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
  Edit20Regular,
  History20Regular,
  Person20Regular,
} from '@fluentui/react-icons';
import type { User } from '@provisio/contracts';
import { Fragment, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useUserQuery } from '../../data/users/user-query';
import { useUserAssignmentsQuery, useUserMemberOfQuery } from '../../data/users/user-relations-query';
import { formatDateTime, yesNo } from '../../lib/format';
import { paths } from '../../paths';
import { UserFormDialog } from '../Users/UserFormDialog';
import { UserProvisioningMenu } from '../Users/UserProvisioningMenu';
import { UserStateCommands } from './UserStateCommands';

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

/** A section of the page with its heading; its list renders pending → error → empty → rows. */
function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  const page = usePageStyles();
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className={page.sectionTitle}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** The manager's name, linked to the manager's page; the id when the manager is gone. */
function Manager({ id }: { id: string }) {
  const manager = useUserQuery(id);
  if (manager.isPending) return <>…</>;
  if (manager.isError) return <>{id}</>;
  return <Link to={paths.user(id)}>{manager.data.displayName}</Link>;
}

function Properties({ user }: { user: User }) {
  const styles = useStyles();
  const text = (v: string | null) => v ?? '—';
  return (
    <dl className={styles.properties}>
      <dt>User principal name</dt>
      <dd>{user.userPrincipalName}</dd>
      <dt>Object ID</dt>
      <dd>{user.id}</dd>
      <dt>Account enabled</dt>
      <dd>{yesNo(user.accountEnabled)}</dd>
      <dt>Given name</dt>
      <dd>{text(user.givenName)}</dd>
      <dt>Surname</dt>
      <dd>{text(user.surname)}</dd>
      <dt>Mail</dt>
      <dd>{text(user.mail)}</dd>
      <dt>Mail nickname</dt>
      <dd>{text(user.mailNickname)}</dd>
      <dt>Employee ID</dt>
      <dd>{text(user.employeeId)}</dd>
      <dt>Department</dt>
      <dd>{text(user.department)}</dd>
      <dt>Job title</dt>
      <dd>{text(user.jobTitle)}</dd>
      <dt>Manager</dt>
      <dd>{user.managerId ? <Manager id={user.managerId} /> : '—'}</dd>
      <dt>Created</dt>
      <dd>{formatDateTime(user.createdDateTime)}</dd>
      {Object.entries(user)
        .filter(([key, value]) => key.startsWith('extension_') && value !== null && value !== undefined)
        .map(([key, value]) => (
          <Fragment key={key}>
            <dt>{key}</dt>
            <dd>{Array.isArray(value) ? value.join(', ') : String(value)}</dd>
          </Fragment>
        ))}
      {user.deletedDateTime ? (
        <>
          <dt>Deleted</dt>
          <dd>{formatDateTime(user.deletedDateTime)}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Groups({ userId }: { userId: string }) {
  const groups = useUserMemberOfQuery(userId);
  if (groups.isPending) return <LoadingState label="Loading groups…" />;
  if (groups.isError)
    return (
      <ErrorState
        title="Groups could not be loaded"
        error={groups.error}
        onRetry={() => void groups.refetch()}
      />
    );
  if (groups.data.length === 0)
    return (
      <EmptyState title="Not a member of any group">
        Add the user to a group from the group&apos;s page or with the API; an application assigned to a group
        provisions its direct members.
      </EmptyState>
    );
  return (
    <Table aria-label="Groups" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Group type</TableHeaderCell>
          <TableHeaderCell>Direct members</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {groups.data.map((g) => (
          <TableRow key={g.id}>
            <TableCell>
              <Link to={paths.group(g.id)}>{g.displayName}</Link>
            </TableCell>
            <TableCell>{g.securityEnabled ? 'Security' : 'Distribution'}</TableCell>
            <TableCell>{g.memberCount.toLocaleString()}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Assignments({ userId }: { userId: string }) {
  const assignments = useUserAssignmentsQuery(userId);
  if (assignments.isPending) return <LoadingState label="Loading application assignments…" />;
  if (assignments.isError)
    return (
      <ErrorState
        title="Application assignments could not be loaded"
        error={assignments.error}
        onRetry={() => void assignments.refetch()}
      />
    );
  if (assignments.data.length === 0)
    return (
      <EmptyState title="Not assigned to an application directly">
        Assign the user in an application&apos;s Users and groups. Assignments through a group are listed on
        the group&apos;s applications.
      </EmptyState>
    );
  return (
    <Table aria-label="Application assignments" size="small">
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
              <Link to={paths.application(a.resourceId, 'users-and-groups')}>{a.resourceDisplayName}</Link>
            </TableCell>
            <TableCell>{formatDateTime(a.createdDateTime)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * One user: its properties, groups and direct application assignments, Disable / Enable and Delete,
 * and a link to its provisioning events across applications (the object's timeline).
 */
export function UserPage() {
  const page = usePageStyles();
  const can = useCan();
  const navigate = useNavigate();
  const userId = useParams()['userId'] ?? '';
  const user = useUserQuery(userId);
  const [editing, setEditing] = useState(false);
  const crumbs = [
    { label: 'Home', to: paths.home },
    { label: 'Users', to: paths.users },
  ];

  if (user.isPending) return <LoadingState label="Loading the user…" />;
  if (user.isError) {
    return (
      <>
        <PageHeader title="User" crumbs={crumbs} icon={<Person20Regular />} />
        <div className={page.body}>
          <ErrorState
            title="The user could not be loaded"
            error={user.error}
            onRetry={() => void user.refetch()}
          />
        </div>
      </>
    );
  }

  const deleted = user.data.deletedDateTime !== null;
  return (
    <>
      <PageHeader title={user.data.displayName} subtitle="User" icon={<Person20Regular />} crumbs={crumbs} />
      <Toolbar aria-label="User commands" className={page.commandBar}>
        {can.manage && !deleted ? (
          <>
            <ToolbarButton icon={<Edit20Regular />} onClick={() => setEditing(true)}>
              Edit
            </ToolbarButton>
            <UserStateCommands user={user.data} onDeleted={() => void navigate(paths.users)} />
          </>
        ) : null}
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void user.refetch()}>
          Refresh
        </ToolbarButton>
        <ToolbarButton
          icon={<History20Regular />}
          onClick={() => void navigate(paths.objectTimeline(userId))}
        >
          Provisioning events
        </ToolbarButton>
        <UserProvisioningMenu user={user.data} />
      </Toolbar>
      <div className={page.body}>
        {deleted ? (
          <MessageBar intent="warning">
            <MessageBarBody>
              <MessageBarTitle>This user is in Deleted users</MessageBarTitle>
              Its accounts are disabled in the applications. Restore it from{' '}
              <Link to={paths.deletedUsers}>Deleted users</Link> before it is deleted permanently.
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <Section id="user-properties" title="Properties">
          <Properties user={user.data} />
        </Section>
        <Section id="user-groups" title="Groups">
          <Groups userId={userId} />
        </Section>
        <Section id="user-assignments" title="Application assignments">
          <Assignments userId={userId} />
        </Section>
        <Section id="user-events" title="Provisioning events">
          <p className={page.intro}>
            What each application&apos;s provisioning did with this user, cycle by cycle:{' '}
            <Link to={paths.objectTimeline(userId)}>
              the user&apos;s provisioning events across applications
            </Link>
            .
          </p>
        </Section>
      </div>
      {can.manage && !deleted ? (
        <UserFormDialog user={user.data} open={editing} onClose={() => setEditing(false)} />
      ) : null}
    </>
  );
}
