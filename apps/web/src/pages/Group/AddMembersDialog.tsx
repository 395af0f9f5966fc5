import { Checkbox, Field, Input, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Search20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { allItems } from '../../api/collections';
import { FormDialog } from '../../components/FormDialog';
import { LoadingState } from '../../components/LoadingState';
import { useGroupMembersAddMutation, type MemberRef } from '../../data/groups/group-member-mutations';
import { useGroupsQuery } from '../../data/groups/groups-query';
import { useUsersQuery } from '../../data/users/users-query';
import { useSearchText } from '../../hooks/use-search-text';

const useStyles = makeStyles({
  list: {
    display: 'flex',
    flexDirection: 'column',
    minHeight: '200px',
    maxHeight: '320px',
    overflowY: 'auto',
  },
  hint: { color: tokens.colorNeutralForeground3 },
});

/**
 * Add members: search users, or groups to nest (kept in the directory; an application assigned to
 * this group still covers its direct user members only), tick them and Select.
 */
export function AddMembersDialog({
  groupId,
  groupName,
  open,
  onClose,
  existing,
}: {
  groupId: string;
  groupName: string;
  open: boolean;
  onClose: () => void;
  /** Ids of the current direct members, shown as already added. */
  existing: ReadonlySet<string>;
}) {
  const styles = useStyles();
  const [type, setType] = useState<'User' | 'Group'>('User');
  const [picked, setPicked] = useState<Map<string, MemberRef>>(new Map());
  const search = useSearchText();
  const users = useUsersQuery(search.debounced, { top: 20, enabled: open && type === 'User' });
  const groups = useGroupsQuery(search.debounced, { top: 20, enabled: open && type === 'Group' });
  const add = useGroupMembersAddMutation(groupId);
  const query = type === 'User' ? users : groups;
  const items: MemberRef[] & { hint?: string }[] =
    type === 'User'
      ? allItems(users.data).map((u) => ({
          id: u.id,
          displayName: u.displayName,
          type,
          hint: u.userPrincipalName,
        }))
      : allItems(groups.data)
          .filter((g) => g.id !== groupId)
          .map((g) => ({ id: g.id, displayName: g.displayName, type, hint: g.description ?? '' }));

  const close = () => {
    setPicked(new Map());
    search.setText('');
    onClose();
  };
  const toggle = (item: MemberRef, on: boolean) =>
    setPicked((current) => {
      const next = new Map(current);
      if (on) next.set(item.id, item);
      else next.delete(item.id);
      return next;
    });

  return (
    <FormDialog
      open={open}
      title={`Add members to ${groupName}`}
      submitLabel={picked.size > 0 ? `Select (${picked.size})` : 'Select'}
      busy={add.isPending || picked.size === 0}
      onSubmit={() => add.mutate([...picked.values()], { onSuccess: close })}
      onClose={close}
    >
      <TabList selectedValue={type} onTabSelect={(_e, d) => setType(d.value === 'Group' ? 'Group' : 'User')}>
        <Tab value="User">Users</Tab>
        <Tab value="Group">Groups</Tab>
      </TabList>
      <Field label={type === 'User' ? 'Search users' : 'Search groups'}>
        <Input
          value={search.text}
          onChange={(_e, d) => search.setText(d.value)}
          contentBefore={<Search20Regular />}
        />
      </Field>
      {type === 'Group' && (
        <Text className={styles.hint}>
          A nested group stays in the directory: an application assigned to {groupName} provisions its direct
          user members only, not the members of nested groups.
        </Text>
      )}
      <div className={styles.list} role="group" aria-label={type === 'User' ? 'Users found' : 'Groups found'}>
        {query.isPending ? (
          <LoadingState label="Searching…" />
        ) : items.length === 0 ? (
          <Text>Nothing matches “{search.debounced}”.</Text>
        ) : (
          items.map((item) => {
            const member = existing.has(item.id);
            return (
              <Checkbox
                key={item.id}
                label={member ? `${item.displayName} (already a member)` : item.displayName}
                disabled={member}
                checked={member || picked.has(item.id)}
                onChange={(_e, d) => toggle(item, d.checked === true)}
              />
            );
          })
        )}
      </div>
    </FormDialog>
  );
}
