import { Person20Regular } from '@fluentui/react-icons';
import type { User } from '@provisio/contracts';
import type { Column } from '../../components/PagedTable';
import { SearchableListPage } from '../../components/SearchableListPage';
import { useUsersQuery } from '../../data/users/users-query';
import { useSearchText } from '../../hooks/use-search-text';
import { yesNo } from '../../lib/format';
import { Link } from 'react-router';
import { paths } from '../../paths';
import { BulkOperationsMenu } from './BulkOperationsMenu';
import { NewUserDialog } from './NewUserDialog';
import { UserActionsMenu } from './UserActionsMenu';
import { UserProvisioningMenu } from './UserProvisioningMenu';

const COLUMNS: Column<User>[] = [
  { header: 'Display name', cell: (user) => <Link to={paths.user(user.id)}>{user.displayName}</Link> },
  { header: 'User principal name', cell: (user) => user.userPrincipalName },
  { header: 'Department', cell: (user) => user.department ?? '' },
  { header: 'Job title', cell: (user) => user.jobTitle ?? '' },
  { header: 'Account enabled', cell: (user) => yesNo(user.accountEnabled) },
  { header: 'Provisioning', cell: (user) => <UserProvisioningMenu user={user} /> },
  { header: 'Actions', cell: (user) => <UserActionsMenu user={user} /> },
];

/** All users of the directory, searchable, paged with "Load more". */
export function UsersPage() {
  const search = useSearchText();
  const users = useUsersQuery(search.debounced);

  return (
    <SearchableListPage
      title="Users"
      subtitle="Directory"
      icon={<Person20Regular />}
      commandsLabel="Users commands"
      createLabel="New user"
      CreateDialog={NewUserDialog}
      commands={<BulkOperationsMenu />}
      searchLabel="Search users"
      searchPlaceholder="Search by name, user principal name or email"
      search={search}
      query={users}
      loadingLabel="Loading users…"
      errorTitle="Users could not be loaded"
      noMatchTitle={(term) => `No users match “${term}”`}
      noMatchHint="Check the spelling, or search by user principal name or email."
      emptyTitle="No users yet"
      emptyHint={
        <>
          Create the directory&apos;s users here or with the API (POST /api/v1.0/users), then assign them to
          an application to provision them.
        </>
      }
      label="Users"
      noun="users"
      columns={COLUMNS}
    />
  );
}
