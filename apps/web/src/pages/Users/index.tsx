import {
  Button,
  Field,
  SearchBox,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Toolbar,
  ToolbarButton,
} from '@fluentui/react-components';
import { Add20Regular, ArrowClockwise20Regular, Person20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { allItems } from '../../api/collections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { useUsersQuery } from '../../data/users/users-query';
import { useDebouncedValue } from '../../hooks/use-debounced-value';
import { yesNo } from '../../lib/format';
import { paths } from '../../paths';
import { NewUserDialog } from './NewUserDialog';

/** All users of the directory, searchable, paged with "Load more". */
export function UsersPage() {
  const page = usePageStyles();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const debounced = useDebouncedValue(search);
  const users = useUsersQuery(debounced);
  const items = allItems(users.data);

  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Directory"
        icon={<Person20Regular />}
        crumbs={[{ label: 'Home', to: paths.home }]}
      />
      <Toolbar aria-label="Users commands" className={page.commandBar}>
        <ToolbarButton icon={<Add20Regular />} onClick={() => setCreating(true)}>
          New user
        </ToolbarButton>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void users.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <Field label="Search users" className={page.search}>
          <SearchBox
            value={search}
            placeholder="Search by name, user principal name or email"
            onChange={(_e, data) => setSearch(data.value)}
          />
        </Field>
        {users.isPending ? (
          <LoadingState label="Loading users…" />
        ) : users.isError ? (
          <ErrorState
            title="Users could not be loaded"
            error={users.error}
            onRetry={() => void users.refetch()}
          />
        ) : items.length === 0 ? (
          debounced.trim() ? (
            <EmptyState title={`No users match “${debounced.trim()}”`}>
              Check the spelling, or search by user principal name or email.
            </EmptyState>
          ) : (
            <EmptyState
              title="No users yet"
              icon={<Person20Regular />}
              action={
                <Button appearance="primary" onClick={() => setCreating(true)}>
                  New user
                </Button>
              }
            >
              Create the directory&apos;s users here or with the API (POST /api/v1.0/users), then assign them
              to an application to provision them.
            </EmptyState>
          )
        ) : (
          <>
            <div className={page.tableScroll}>
              <Table aria-label="Users" className={page.table} size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Display name</TableHeaderCell>
                    <TableHeaderCell>User principal name</TableHeaderCell>
                    <TableHeaderCell>Department</TableHeaderCell>
                    <TableHeaderCell>Job title</TableHeaderCell>
                    <TableHeaderCell>Account enabled</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {items.map((user) => (
                    <TableRow key={user.id}>
                      <TableCell>{user.displayName}</TableCell>
                      <TableCell>{user.userPrincipalName}</TableCell>
                      <TableCell>{user.department ?? ''}</TableCell>
                      <TableCell>{user.jobTitle ?? ''}</TableCell>
                      <TableCell>{yesNo(user.accountEnabled)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <LoadMore
              noun="users"
              shown={items.length}
              hasNextPage={users.hasNextPage}
              isFetchingNextPage={users.isFetchingNextPage}
              onLoadMore={() => void users.fetchNextPage()}
            />
          </>
        )}
      </div>
      <NewUserDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
