import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Option,
  SearchBox,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { PrincipalType, ServicePrincipal } from '@provisio/contracts';
import { useMemo, useState } from 'react';
import { allItems } from '../../api/collections';
import { ErrorState } from '../../components/ErrorState';
import { useAssignmentCreateMutation } from '../../data/assignments/assignment-create-mutation';
import { useGroupsQuery } from '../../data/groups/groups-query';
import { useUsersQuery } from '../../data/users/users-query';
import { useDebouncedValue } from '../../hooks/use-debounced-value';
import { useReturnFocus } from '../../hooks/use-return-focus';

const useStyles = makeStyles({
  surface: { maxWidth: '760px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  results: { maxHeight: '320px', overflowY: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}` },
  muted: { color: tokens.colorNeutralForeground3 },
});

interface Candidate {
  id: string;
  displayName: string;
  detail: string;
  type: PrincipalType;
}

const RESULTS = 20;

/**
 * Add Assignment: search users and groups, tick the ones to assign, pick a role, Assign.
 * Who is already assigned is shown but can't be picked again.
 */
export function AddAssignmentDialog({
  app,
  assignedIds,
  open,
  onClose,
}: {
  app: ServicePrincipal;
  assignedIds: ReadonlySet<string>;
  open: boolean;
  onClose: () => void;
}) {
  useReturnFocus(open);
  const styles = useStyles();
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search);
  const [selected, setSelected] = useState<Map<string, Candidate>>(new Map());
  // Roles for applications only (allowedMemberTypes without "User") cannot be given to users or groups.
  const roles = app.appRoles.filter((r) => r.isEnabled && r.allowedMemberTypes.includes('User'));
  const [roleId, setRoleId] = useState<string | undefined>(undefined);
  const users = useUsersQuery(debounced, { top: RESULTS, enabled: open });
  const groups = useGroupsQuery(debounced, { top: RESULTS, enabled: open });
  const create = useAssignmentCreateMutation(app.id);

  const candidates = useMemo<Candidate[]>(
    () => [
      ...allItems(users.data).map((u) => ({
        id: u.id,
        displayName: u.displayName,
        detail: u.userPrincipalName,
        type: 'User' as const,
      })),
      ...allItems(groups.data).map((g) => ({
        id: g.id,
        displayName: g.displayName,
        detail: g.description ?? '',
        type: 'Group' as const,
      })),
    ],
    [users.data, groups.data],
  );

  const close = () => {
    setSearch('');
    setSelected(new Map());
    setRoleId(undefined);
    onClose();
  };

  const toggle = (candidate: Candidate, checked: boolean) => {
    const next = new Map(selected);
    if (checked) next.set(candidate.id, candidate);
    else next.delete(candidate.id);
    setSelected(next);
  };

  const assign = () =>
    create.mutate({ principalIds: [...selected.keys()], appRoleId: roleId }, { onSuccess: close });

  const loading = users.isPending || groups.isPending;
  const error = users.error ?? groups.error;

  return (
    <Dialog open={open} onOpenChange={(_e, data) => (data.open ? undefined : close())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Add Assignment</DialogTitle>
          <DialogContent className={styles.content}>
            <Field label="Search users and groups">
              <SearchBox
                value={search}
                placeholder="Search by name"
                onChange={(_e, d) => setSearch(d.value)}
              />
            </Field>
            {error ? (
              <ErrorState
                title="Users and groups could not be searched"
                error={error}
                onRetry={() => void Promise.all([users.refetch(), groups.refetch()])}
              />
            ) : loading ? (
              <Spinner size="tiny" label="Searching…" labelPosition="after" />
            ) : candidates.length === 0 ? (
              <Text className={styles.muted}>
                No users or groups match. Check the spelling, or create them under Users and Groups first.
              </Text>
            ) : (
              <div className={styles.results}>
                <Table aria-label="Users and groups to assign" size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell style={{ width: 44 }}>
                        <span className="visually-hidden">Select</span>
                      </TableHeaderCell>
                      <TableHeaderCell>Name</TableHeaderCell>
                      <TableHeaderCell>Type</TableHeaderCell>
                      <TableHeaderCell>Details</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {candidates.map((c) => {
                      const already = assignedIds.has(c.id);
                      return (
                        <TableRow key={`${c.type}-${c.id}`}>
                          <TableCell>
                            <Checkbox
                              aria-label={`Select ${c.displayName}`}
                              checked={already || selected.has(c.id)}
                              disabled={already}
                              onChange={(_e, d) => toggle(c, d.checked === true)}
                            />
                          </TableCell>
                          <TableCell>{c.displayName}</TableCell>
                          <TableCell>{c.type}</TableCell>
                          <TableCell className={styles.muted}>
                            {already ? 'Already assigned' : c.detail}
                          </TableCell>
                        </TableRow>
                      );
                    })}
                  </TableBody>
                </Table>
              </div>
            )}
            {roles.length > 0 ? (
              <Field label="Select a role">
                <Dropdown
                  placeholder="Default Access"
                  selectedOptions={roleId ? [roleId] : []}
                  value={roles.find((r) => r.id === roleId)?.displayName ?? ''}
                  onOptionSelect={(_e, d) => setRoleId(d.optionValue)}
                >
                  {roles.map((role) => (
                    <Option key={role.id} value={role.id}>
                      {role.displayName}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
            ) : null}
            <Text aria-live="polite">
              {selected.size === 0
                ? 'None Selected'
                : `${selected.size} selected: ${[...selected.values()].map((c) => c.displayName).join(', ')}`}
            </Text>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={selected.size === 0 || create.isPending} onClick={assign}>
              Assign
            </Button>
            <Button onClick={close}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
