import { People20Regular } from '@fluentui/react-icons';
import type { Group } from '@provisio/contracts';
import { Link } from 'react-router';
import type { Column } from '../../components/PagedTable';
import { SearchableListPage } from '../../components/SearchableListPage';
import { useGroupsQuery } from '../../data/groups/groups-query';
import { useSearchText } from '../../hooks/use-search-text';
import { paths } from '../../paths';
import { NewGroupDialog } from './NewGroupDialog';

const COLUMNS: Column<Group>[] = [
  { header: 'Display name', cell: (group) => <Link to={paths.group(group.id)}>{group.displayName}</Link> },
  { header: 'Description', cell: (group) => group.description ?? '' },
  { header: 'Group type', cell: (group) => (group.securityEnabled ? 'Security' : 'Distribution') },
  { header: 'Members', cell: (group) => group.memberCount.toLocaleString() },
];

/** All groups of the directory; a name opens the group with its members. */
export function GroupsPage() {
  const search = useSearchText();
  const groups = useGroupsQuery(search.debounced);

  return (
    <SearchableListPage
      title="Groups"
      subtitle="Directory"
      icon={<People20Regular />}
      commandsLabel="Groups commands"
      createLabel="New group"
      CreateDialog={NewGroupDialog}
      searchLabel="Search groups"
      searchPlaceholder="Search by name"
      search={search}
      query={groups}
      loadingLabel="Loading groups…"
      errorTitle="Groups could not be loaded"
      noMatchTitle={(term) => `No groups match “${term}”`}
      noMatchHint="Check the spelling of the group name."
      emptyTitle="No groups yet"
      emptyHint="Create a group, add users to it, then assign the group to an application to provision its direct members."
      label="Groups"
      noun="groups"
      columns={COLUMNS}
    />
  );
}
