import {
  Button,
  Checkbox,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Toolbar,
  ToolbarButton,
} from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  Delete20Regular,
  People20Regular,
  PersonAdd20Regular,
  PersonKey20Regular,
} from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { usePageStyles } from '../../components/page-styles';
import { useAssignmentDeleteMutation } from '../../data/assignments/assignment-delete-mutation';
import { useAssignmentsQuery } from '../../data/assignments/assignments-query';
import { useCan } from '../../data/auth/use-can';
import { useApplication } from '../../hooks/use-application';
import { AddAssignmentDialog } from './AddAssignmentDialog';
import { ChangeRoleDialog } from './ChangeRoleDialog';
import { roleName } from './role-name';

/** Users and groups: who is assigned to the application, with which role. */
export function AssignmentsPage() {
  const page = usePageStyles();
  const app = useApplication();
  const can = useCan();
  const servicePrincipalId = app?.id ?? '';
  const assignments = useAssignmentsQuery(servicePrincipalId);
  const remove = useAssignmentDeleteMutation(servicePrincipalId);
  const [adding, setAdding] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [changingRole, setChangingRole] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const assignedIds = useMemo(
    () => new Set((assignments.data ?? []).map((a) => a.principalId)),
    [assignments.data],
  );
  // Selections of assignments that disappeared (removed elsewhere) no longer count.
  const selectedNow = (assignments.data ?? []).filter((a) => selected.has(a.id));
  if (!app) return null;

  const toggle = (id: string, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(id);
    else next.delete(id);
    setSelected(next);
  };

  return (
    <>
      <Toolbar aria-label="Users and groups commands" className={page.commandBar}>
        {can.manage ? (
          <>
            <ToolbarButton icon={<PersonAdd20Regular />} onClick={() => setAdding(true)}>
              Add user/group
            </ToolbarButton>
            <ToolbarButton
              icon={<PersonKey20Regular />}
              disabled={selectedNow.length !== 1}
              onClick={() => setChangingRole(true)}
            >
              Change role
            </ToolbarButton>
            <ToolbarButton
              icon={<Delete20Regular />}
              disabled={selectedNow.length === 0 || remove.isPending}
              onClick={() => setConfirming(true)}
            >
              Remove
            </ToolbarButton>
          </>
        ) : null}
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void assignments.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <ReadOnlyNote />
        <p className={page.intro}>
          Users and groups assigned to {app.displayName}. With the scope &ldquo;Sync only assigned users and
          groups&rdquo;, only they are provisioned; a group assignment covers its direct members only.
        </p>
        {assignments.isPending ? (
          <LoadingState label="Loading assignments…" />
        ) : assignments.isError ? (
          <ErrorState
            title="Assignments could not be loaded"
            error={assignments.error}
            onRetry={() => void assignments.refetch()}
          />
        ) : assignments.data.length === 0 ? (
          <EmptyState
            title="No users or groups are assigned"
            icon={<People20Regular />}
            action={
              can.manage ? (
                <Button appearance="primary" icon={<PersonAdd20Regular />} onClick={() => setAdding(true)}>
                  Add user/group
                </Button>
              ) : null
            }
          >
            {can.manage
              ? `Assign the users and groups who should get an account in ${app.displayName}.`
              : `An Administrator or Application Administrator assigns the users and groups who get an account in ${app.displayName}.`}
          </EmptyState>
        ) : (
          <div className={page.tableScroll}>
            <Table aria-label="Assigned users and groups" className={page.table} size="small">
              <TableHeader>
                <TableRow>
                  {can.manage ? (
                    <TableHeaderCell style={{ width: 44 }}>
                      <Checkbox
                        aria-label="Select all"
                        checked={
                          selectedNow.length === 0
                            ? false
                            : selectedNow.length === assignments.data.length
                              ? true
                              : 'mixed'
                        }
                        onChange={(_e, d) =>
                          setSelected(
                            d.checked === true ? new Set(assignments.data.map((a) => a.id)) : new Set(),
                          )
                        }
                      />
                    </TableHeaderCell>
                  ) : null}
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Type</TableHeaderCell>
                  <TableHeaderCell>Role assigned</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {assignments.data.map((assignment) => (
                  <TableRow
                    key={assignment.id}
                    aria-selected={can.manage ? selected.has(assignment.id) : undefined}
                  >
                    {can.manage ? (
                      <TableCell>
                        <Checkbox
                          aria-label={`Select ${assignment.principalDisplayName}`}
                          checked={selected.has(assignment.id)}
                          onChange={(_e, d) => toggle(assignment.id, d.checked === true)}
                        />
                      </TableCell>
                    ) : null}
                    <TableCell>{assignment.principalDisplayName}</TableCell>
                    <TableCell>{assignment.principalType}</TableCell>
                    <TableCell>{roleName(app, assignment.appRoleId)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </div>
      {can.manage ? (
        <AddAssignmentDialog
          app={app}
          assignedIds={assignedIds}
          open={adding}
          onClose={() => setAdding(false)}
        />
      ) : null}
      {changingRole && selectedNow.length === 1 ? (
        <ChangeRoleDialog
          key={selectedNow[0]!.id}
          app={app}
          assignment={selectedNow[0]!}
          onClose={() => setChangingRole(false)}
        />
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="Remove Assignment"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(
            selectedNow.map((a) => a.id),
            {
              onSettled: () => {
                setConfirming(false);
                setSelected(new Set());
              },
            },
          )
        }
      >
        Do you want to remove the selected users and groups from {app.displayName}? Provisioning disables
        their accounts in the application in its next cycle:{' '}
        {selectedNow.map((a) => a.principalDisplayName).join(', ')}.
      </ConfirmDialog>
    </>
  );
}
