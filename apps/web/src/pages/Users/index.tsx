import { Person20Regular } from '@fluentui/react-icons';
import type { User } from '@provisio/contracts';
import type { Column } from '../../components/PagedTable';
import { SearchableListPage } from '../../components/SearchableListPage';
import { useState } from 'react';
import { NO_USER_FILTERS, userListFilter } from '../../data/users/user-list-filter';
import { useUsersQuery } from '../../data/users/users-query';
import { useDebouncedValue } from '../../hooks/use-debounced-value';
import { useSearchText } from '../../hooks/use-search-text';
import { yesNo } from '../../lib/format';
import { Link } from 'react-router';
import { paths } from '../../paths';
import { BulkOperationsMenu } from './BulkOperationsMenu';
import { NewUserDialog } from './NewUserDialog';
import { UserFilters } from './UserFilters';
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

/**
 * All users of the directory, searchable (name, user principal name, email, employee ID) and
 * filtered (department, enabled, assigned to an application) by the API, paged with "Load more".
 */
export function UsersPage() {
  const search = useSearchText();
  const [filters, setFilters] = useState(NO_USER_FILTERS);
  const debouncedFilters = useDebouncedValue(filters);
  const users = useUsersQuery(search.debounced, { filters: debouncedFilters });
  const filtered = userListFilter(debouncedFilters) !== undefined;

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
      searchPlaceholder="Search by name, user principal name, email or employee ID"
      search={search}
      filters={<UserFilters value={filters} onChange={setFilters} />}
      filtered={filtered}
      query={users}
      loadingLabel="Loading users…"
      errorTitle="Users could not be loaded"
      noMatchTitle={(term) => (term ? `No users match “${term}”` : 'No users match these filters')}
      noMatchHint="Check the spelling, search by user principal name, email or employee ID, or reset the filters."
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
