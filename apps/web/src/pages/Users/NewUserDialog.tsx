import { Checkbox, Field, Input } from '@fluentui/react-components';
import { userCreateSchema, type UserCreate } from '@provisio/contracts';
import { FormDialog } from '../../components/FormDialog';
import { useUserCreateMutation } from '../../data/users/user-create-mutation';
import { useFormDialog } from '../../hooks/use-form-dialog';

const EMPTY = { userPrincipalName: '', displayName: '', department: '', jobTitle: '', accountEnabled: true };

/** A minimal "New user": the attributes that matter to provisioning. */
export function NewUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useUserCreateMutation();
  const { values, set, errors, check, close } = useFormDialog(EMPTY, onClose);

  const submit = () => {
    const body: UserCreate = {
      userPrincipalName: values.userPrincipalName.trim(),
      displayName: values.displayName.trim(),
      department: values.department.trim() || null,
      jobTitle: values.jobTitle.trim() || null,
      accountEnabled: values.accountEnabled,
    };
    const valid = check(userCreateSchema, body, {
      userPrincipalName: 'Enter a user principal name such as adele@contoso.com.',
      displayName: 'Enter a display name.',
    });
    if (valid) create.mutate(body, { onSuccess: close });
  };

  return (
    <FormDialog open={open} title="New user" busy={create.isPending} onSubmit={submit} onClose={close}>
      <Field label="User principal name" required validationMessage={errors['userPrincipalName']}>
        <Input
          value={values.userPrincipalName}
          placeholder="adele@contoso.com"
          onChange={(_e, d) => set('userPrincipalName', d.value)}
        />
      </Field>
      <Field label="Display name" required validationMessage={errors['displayName']}>
        <Input value={values.displayName} onChange={(_e, d) => set('displayName', d.value)} />
      </Field>
      <Field label="Department" validationMessage={errors['department']}>
        <Input value={values.department} onChange={(_e, d) => set('department', d.value)} />
      </Field>
      <Field label="Job title" validationMessage={errors['jobTitle']}>
        <Input value={values.jobTitle} onChange={(_e, d) => set('jobTitle', d.value)} />
      </Field>
      <Checkbox
        label="Account enabled"
        checked={values.accountEnabled}
        onChange={(_e, d) => set('accountEnabled', d.checked === true)}
      />
    </FormDialog>
  );
}
