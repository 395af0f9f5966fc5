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
import { Add20Regular, ArrowClockwise20Regular, People20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { Link } from 'react-router';
import { allItems } from '../../api/collections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { useGroupsQuery } from '../../data/groups/groups-query';
import { useDebouncedValue } from '../../hooks/use-debounced-value';
import { paths } from '../../paths';
import { NewGroupDialog } from './NewGroupDialog';

/** All groups of the directory; a name opens the group with its members. */
export function GroupsPage() {
  const page = usePageStyles();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const debounced = useDebouncedValue(search);
  const groups = useGroupsQuery(debounced);
  const items = allItems(groups.data);

  return (
    <>
      <PageHeader
        title="Groups"
        subtitle="Directory"
        icon={<People20Regular />}
        crumbs={[{ label: 'Home', to: paths.home }]}
      />
      <Toolbar aria-label="Groups commands" className={page.commandBar}>
        <ToolbarButton icon={<Add20Regular />} onClick={() => setCreating(true)}>
          New group
        </ToolbarButton>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void groups.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <Field label="Search groups" className={page.search}>
          <SearchBox
            value={search}
            placeholder="Search by name"
            onChange={(_e, data) => setSearch(data.value)}
          />
        </Field>
        {groups.isPending ? (
          <LoadingState label="Loading groups…" />
        ) : groups.isError ? (
          <ErrorState
            title="Groups could not be loaded"
            error={groups.error}
            onRetry={() => void groups.refetch()}
          />
        ) : items.length === 0 ? (
          debounced.trim() ? (
            <EmptyState title={`No groups match “${debounced.trim()}”`}>
              Check the spelling of the group name.
            </EmptyState>
          ) : (
            <EmptyState
              title="No groups yet"
              icon={<People20Regular />}
              action={
                <Button appearance="primary" onClick={() => setCreating(true)}>
                  New group
                </Button>
              }
            >
              Create a group, add users to it, then assign the group to an application to provision its direct
              members.
            </EmptyState>
          )
        ) : (
          <>
            <div className={page.tableScroll}>
              <Table aria-label="Groups" className={page.table} size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Display name</TableHeaderCell>
                    <TableHeaderCell>Description</TableHeaderCell>
                    <TableHeaderCell>Group type</TableHeaderCell>
                    <TableHeaderCell>Members</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {items.map((group) => (
                    <TableRow key={group.id}>
                      <TableCell>
                        <Link to={paths.group(group.id)}>{group.displayName}</Link>
                      </TableCell>
                      <TableCell>{group.description ?? ''}</TableCell>
                      <TableCell>{group.securityEnabled ? 'Security' : 'Distribution'}</TableCell>
                      <TableCell>{group.memberCount.toLocaleString()}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <LoadMore
              noun="groups"
              shown={items.length}
              hasNextPage={groups.hasNextPage}
              isFetchingNextPage={groups.isFetchingNextPage}
              onLoadMore={() => void groups.fetchNextPage()}
            />
          </>
        )}
      </div>
      <NewGroupDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
