import { Field, Input, Radio, RadioGroup } from '@fluentui/react-components';
import { accountCreateSchema, MIN_PASSWORD_LENGTH, type AccountCreate, type Role } from '@provisio/contracts';
import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog';
import { NewPasswordFields, passwordsDiffer } from '../../components/NewPasswordFields';
import { useAccountCreateMutation } from '../../data/accounts/account-create-mutation';
import { ROLES, ROLE_DESCRIPTION, ROLE_LABEL } from '../../data/auth/use-can';
import { useFormDialog } from '../../hooks/use-form-dialog';

const EMPTY = { userName: '', role: 'ReportsReader' as Role, password: '', confirm: '' };

/** A new portal account: who signs in, with which role, and the password to give them. */
export function NewAccountDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useAccountCreateMutation();
  const { values, set, errors, check, close } = useFormDialog(EMPTY, onClose);

  const [mismatch, setMismatch] = useState(false);
  const closeDialog = () => {
    setMismatch(false);
    close();
  };

  const submit = () => {
    const body: AccountCreate = {
      userName: values.userName.trim(),
      role: values.role,
      password: values.password,
    };
    const valid = check(accountCreateSchema, body, {
      userName: 'Enter a user name without spaces (at most 100 characters).',
      password: `Enter a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
    });
    const differ = passwordsDiffer(values.password, values.confirm);
    setMismatch(differ);
    if (valid && !differ) create.mutate(body, { onSuccess: closeDialog });
  };

  return (
    <FormDialog
      open={open}
      title="New account"
      busy={create.isPending}
      onSubmit={submit}
      onClose={closeDialog}
    >
      <Field label="User name" required validationMessage={errors['userName']}>
        <Input value={values.userName} onChange={(_e, d) => set('userName', d.value)} autoComplete="off" />
      </Field>
      <Field label="Role" required>
        <RadioGroup value={values.role} onChange={(_e, d) => set('role', d.value as Role)}>
          {ROLES.map((role) => (
            <Radio key={role} value={role} label={`${ROLE_LABEL[role]}: ${ROLE_DESCRIPTION[role]}`} />
          ))}
        </RadioGroup>
      </Field>
      <NewPasswordFields
        label="Password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to the person yourself.`}
        password={values.password}
        confirm={values.confirm}
        error={errors['password']}
        mismatch={mismatch}
        onPasswordChange={(value) => set('password', value)}
        onConfirmChange={(value) => set('confirm', value)}
      />
    </FormDialog>
  );
}
