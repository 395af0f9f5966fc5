import { Field, Input } from '@fluentui/react-components';
import { MIN_PASSWORD_LENGTH, passwordChangeSchema, type PasswordChange } from '@provisio/contracts';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { usePasswordChangeMutation } from '../data/auth/password-change-mutation';
import { useFormDialog } from '../hooks/use-form-dialog';
import { FormDialog } from './FormDialog';
import { NewPasswordFields, passwordsDiffer } from './NewPasswordFields';

const EMPTY = { currentPassword: '', newPassword: '', confirm: '' };

/** The signed-in account's own password; the other sessions of the account are signed out. */
export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const change = usePasswordChangeMutation();
  const { values, set, errors, check, close } = useFormDialog(EMPTY, onClose);
  const [mismatch, setMismatch] = useState(false);
  const closeDialog = () => {
    setMismatch(false);
    change.reset();
    close();
  };
  // The server's answer about a field (a wrong current password) shows under that field.
  const serverError = (field: string) =>
    isApiError(change.error)
      ? change.error.details?.find((d) => d.target === `body/${field}`)?.message
      : undefined;

  const submit = () => {
    const body: PasswordChange = { currentPassword: values.currentPassword, newPassword: values.newPassword };
    const valid = check(passwordChangeSchema, body, {
      currentPassword: 'Enter your current password.',
      newPassword: `Enter a new password of at least ${MIN_PASSWORD_LENGTH} characters.`,
    });
    const differ = passwordsDiffer(values.newPassword, values.confirm);
    setMismatch(differ);
    if (valid && !differ) change.mutate(body, { onSuccess: closeDialog });
  };

  return (
    <FormDialog
      open={open}
      title="Change password"
      submitLabel="Change password"
      busy={change.isPending}
      onSubmit={submit}
      onClose={closeDialog}
    >
      <Field
        label="Current password"
        required
        validationMessage={errors['currentPassword'] ?? serverError('currentPassword')}
      >
        <Input
          type="password"
          value={values.currentPassword}
          onChange={(_e, d) => set('currentPassword', d.value)}
          autoComplete="current-password"
        />
      </Field>
      <NewPasswordFields
        label="New password"
        password={values.newPassword}
        confirm={values.confirm}
        error={errors['newPassword'] ?? serverError('newPassword')}
        mismatch={mismatch}
        onPasswordChange={(value) => set('newPassword', value)}
        onConfirmChange={(value) => set('confirm', value)}
      />
    </FormDialog>
  );
}
