import { Checkbox, Dropdown, Field, Input, Option, Textarea } from '@fluentui/react-components';
import { appRoleInputSchema, type AppRole, type AppRoleInput } from '@provisio/contracts';
import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog';
import { useFormDialog } from '../../hooks/use-form-dialog';
import {
  formValuesOf,
  MEMBER_CHOICES,
  newRoleId,
  roleOf,
  roleProblems,
  type MemberChoice,
} from './app-role-form';

/**
 * Create app role / Edit app role: display name, allowed member types, value, description and
 * whether it is enabled. Mount it with a `key` per role, so it opens with that role's values.
 */
export function AppRoleDialog({
  open,
  role,
  otherRoles,
  busy,
  onSave,
  onClose,
}: {
  open: boolean;
  /** The role being edited; null to create one. */
  role: AppRole | null;
  /** Every other role of the application (for unique values). */
  otherRoles: readonly AppRole[];
  busy: boolean;
  onSave: (role: AppRoleInput, done: () => void) => void;
  onClose: () => void;
}) {
  const { values, set, errors, check, close } = useFormDialog(formValuesOf(role), onClose);
  const [own, setOwn] = useState<Partial<Record<'displayName' | 'value', string>>>({});
  const [id] = useState(() => role?.id ?? newRoleId());

  const submit = () => {
    const body = roleOf(id, values);
    const shaped = check(appRoleInputSchema, body, {
      displayName: 'Enter a display name, such as Administrator.',
    });
    const problems = roleProblems(body, otherRoles);
    setOwn(problems);
    if (shaped && Object.keys(problems).length === 0) onSave(body, close);
  };

  return (
    <FormDialog
      open={open}
      title={role ? 'Edit app role' : 'Create app role'}
      submitLabel={role ? 'Save' : 'Create'}
      busy={busy}
      onSubmit={submit}
      onClose={() => {
        setOwn({});
        close();
      }}
    >
      <Field label="Display name" required validationMessage={own.displayName ?? errors['displayName']}>
        <Input
          value={values.displayName}
          placeholder="Administrator"
          onChange={(_e, d) => set('displayName', d.value)}
        />
      </Field>
      <Field label="Allowed member types" required>
        <Dropdown
          value={MEMBER_CHOICES.find((c) => c.value === values.members)?.label ?? ''}
          selectedOptions={[values.members]}
          onOptionSelect={(_e, d) => set('members', (d.optionValue as MemberChoice | undefined) ?? 'User')}
        >
          {MEMBER_CHOICES.map((c) => (
            <Option key={c.value} value={c.value}>
              {c.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field
        label="Value"
        validationMessage={own.value ?? errors['value']}
        hint="What the application receives as the role (SCIM roles), e.g. Admin. No spaces; unique."
      >
        <Input value={values.value} placeholder="Admin" onChange={(_e, d) => set('value', d.value)} />
      </Field>
      <Field label="Description" validationMessage={errors['description']}>
        <Textarea value={values.description} onChange={(_e, d) => set('description', d.value)} />
      </Field>
      <Checkbox
        label="Do you want to enable this app role?"
        checked={values.isEnabled}
        onChange={(_e, d) => set('isEnabled', d.checked === true)}
      />
    </FormDialog>
  );
}
