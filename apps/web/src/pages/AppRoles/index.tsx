import {
  Badge,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Toolbar,
  ToolbarButton,
} from '@fluentui/react-components';
import { Add20Regular, ArrowClockwise20Regular, PersonKey20Regular } from '@fluentui/react-icons';
import type { AppRole, AppRoleInput } from '@provisio/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useServicePrincipalQuery } from '../../data/service-principals/service-principal-query';
import { useServicePrincipalUpdateMutation } from '../../data/service-principals/service-principal-update-mutation';
import { useApplication } from '../../hooks/use-application';
import { AppRoleDialog } from './AppRoleDialog';
import { memberTypesLabel } from './app-role-form';

type Editing = { role: AppRole | null } | null;

/**
 * App roles: the roles an assignment can grant, sent to the application through the role
 * mappings. A role is disabled before it is deleted; users assigned with a disabled or deleted
 * role are no longer provisioned until they are reassigned.
 */
export function AppRolesPage() {
  const page = usePageStyles();
  const app = useApplication();
  const can = useCan();
  // The application page loads the same query; this only gives Refresh its refetch.
  const current = useServicePrincipalQuery(app?.id ?? '');
  const update = useServicePrincipalUpdateMutation(app?.id ?? '');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<AppRole | null>(null);
  if (!app) return null;

  const save = (appRoles: AppRoleInput[], success: string, done?: () => void) =>
    update.mutate({ body: { appRoles }, success }, { onSuccess: () => done?.() });
  const withRole = (role: AppRoleInput): AppRoleInput[] =>
    app.appRoles.some((r) => r.id === role.id)
      ? app.appRoles.map((r) => (r.id === role.id ? role : r))
      : [...app.appRoles, role];
  const setEnabled = (role: AppRole, isEnabled: boolean) =>
    save(
      withRole({ ...role, isEnabled }),
      `${isEnabled ? 'Enabled' : 'Disabled'} app role ${role.displayName}`,
    );

  return (
    <>
      <Toolbar aria-label="App roles commands" className={page.commandBar}>
        {can.manage ? (
          <ToolbarButton icon={<Add20Regular />} onClick={() => setEditing({ role: null })}>
            Create app role
          </ToolbarButton>
        ) : null}
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void current.refetch()}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        <ReadOnlyNote />
        <p className={page.intro}>
          The roles {app.displayName} knows. Pick one when assigning a user or group; a mapping to the
          application&apos;s roles attribute (SingleAppRoleAssignment, AppRoleAssignmentsComplex or
          AssertiveAppRoleAssignmentsComplex of [appRoleAssignments]) sends it. Disable a role before deleting
          it: users assigned with a disabled or deleted role are not provisioned until they are reassigned.
        </p>
        {app.appRoles.length === 0 ? (
          <EmptyState
            title="No app roles"
            icon={<PersonKey20Regular />}
            action={
              can.manage ? (
                <Button
                  appearance="primary"
                  icon={<Add20Regular />}
                  onClick={() => setEditing({ role: null })}
                >
                  Create app role
                </Button>
              ) : null
            }
          >
            Create the roles the application knows (such as Admin or Reader), then assign users with them.
          </EmptyState>
        ) : (
          <div className={page.tableScroll}>
            <Table aria-label="App roles" className={page.table} size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Display name</TableHeaderCell>
                  <TableHeaderCell>Value</TableHeaderCell>
                  <TableHeaderCell>Description</TableHeaderCell>
                  <TableHeaderCell>Allowed member types</TableHeaderCell>
                  <TableHeaderCell>State</TableHeaderCell>
                  {can.manage ? <TableHeaderCell>Actions</TableHeaderCell> : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {app.appRoles.map((role) => (
                  <TableRow key={role.id}>
                    <TableCell>{role.displayName}</TableCell>
                    <TableCell>{role.value ? <code>{role.value}</code> : '—'}</TableCell>
                    <TableCell>{role.description}</TableCell>
                    <TableCell>{memberTypesLabel(role.allowedMemberTypes)}</TableCell>
                    <TableCell>
                      <Badge appearance="tint" color={role.isEnabled ? 'success' : 'subtle'}>
                        {role.isEnabled ? 'Enabled' : 'Disabled'}
                      </Badge>
                    </TableCell>
                    {can.manage ? (
                      <TableCell>
                        <Button
                          size="small"
                          appearance="subtle"
                          aria-label={`Edit ${role.displayName}`}
                          onClick={() => setEditing({ role })}
                        >
                          Edit
                        </Button>
                        <Button
                          size="small"
                          appearance="subtle"
                          aria-label={`${role.isEnabled ? 'Disable' : 'Enable'} ${role.displayName}`}
                          disabled={update.isPending}
                          onClick={() => setEnabled(role, !role.isEnabled)}
                        >
                          {role.isEnabled ? 'Disable' : 'Enable'}
                        </Button>
                        {role.isEnabled ? null : (
                          <Button
                            size="small"
                            appearance="subtle"
                            aria-label={`Delete ${role.displayName}`}
                            onClick={() => setDeleting(role)}
                          >
                            Delete
                          </Button>
                        )}
                      </TableCell>
                    ) : null}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </div>
      {editing ? (
        <AppRoleDialog
          key={editing.role?.id ?? 'new'}
          open
          role={editing.role}
          otherRoles={app.appRoles.filter((r) => r.id !== editing.role?.id)}
          busy={update.isPending}
          onSave={(role, done) =>
            save(withRole(role), `${editing.role ? 'Saved' : 'Created'} app role ${role.displayName}`, done)
          }
          onClose={() => setEditing(null)}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete app role"
        busy={update.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (!deleting) return;
          save(
            app.appRoles.filter((r) => r.id !== deleting.id),
            `Deleted app role ${deleting.displayName}`,
            () => setDeleting(null),
          );
        }}
      >
        Delete the app role {deleting?.displayName}? Users and groups still assigned with it stay assigned but
        are not provisioned until they are reassigned with another role.
      </ConfirmDialog>
    </>
  );
}
