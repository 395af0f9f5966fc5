import { Dropdown, Field, Option } from '@fluentui/react-components';
import type { AppRoleAssignment, ServicePrincipal } from '@provisio/contracts';
import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog';
import { useAssignmentRoleMutation } from '../../data/assignments/assignment-role-mutation';
import { roleName } from './role-name';

/**
 * Change role: gives an assignment another of the application's enabled roles in one step (also
 * the fix for an assignment whose role was disabled or deleted). Mount it per assignment.
 */
export function ChangeRoleDialog({
  app,
  assignment,
  onClose,
}: {
  app: ServicePrincipal;
  assignment: AppRoleAssignment;
  onClose: () => void;
}) {
  const change = useAssignmentRoleMutation(app.id);
  const roles = app.appRoles.filter((r) => r.isEnabled && r.allowedMemberTypes.includes('User'));
  const [roleId, setRoleId] = useState<string | undefined>(
    roles.find((r) => r.id.toLowerCase() === assignment.appRoleId.toLowerCase())?.id,
  );
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const submit = () => {
    if (!roleId) {
      setProblem('Select the role the assignment should grant.');
      return;
    }
    change.mutate({ assignmentId: assignment.id, body: { appRoleId: roleId } }, { onSuccess: onClose });
  };

  return (
    <FormDialog
      open
      title="Change role"
      submitLabel="Save"
      busy={change.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <p>
        {assignment.principalDisplayName} ({assignment.principalType}) has the role{' '}
        {roleName(app, assignment.appRoleId)}.
      </p>
      <Field label="Select a role" required validationMessage={problem}>
        <Dropdown
          selectedOptions={roleId ? [roleId] : []}
          value={roles.find((r) => r.id === roleId)?.displayName ?? ''}
          onOptionSelect={(_e, d) => {
            setRoleId(d.optionValue);
            setProblem(undefined);
          }}
        >
          {roles.map((role) => (
            <Option key={role.id} value={role.id}>
              {role.displayName}
            </Option>
          ))}
        </Dropdown>
      </Field>
    </FormDialog>
  );
}
