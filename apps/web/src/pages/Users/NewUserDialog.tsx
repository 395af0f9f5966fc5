import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { userCreateSchema, type UserCreate } from '@provisio/contracts';
import { useState, type FormEvent } from 'react';
import { useUserCreateMutation } from '../../data/users/user-create-mutation';
import { fieldErrors } from '../../lib/validation';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

const EMPTY = { userPrincipalName: '', displayName: '', department: '', jobTitle: '', accountEnabled: true };

/** A minimal "New user": the attributes that matter to provisioning. */
export function NewUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const styles = useStyles();
  const create = useUserCreateMutation();
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const close = () => {
    setForm(EMPTY);
    setErrors({});
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: UserCreate = {
      userPrincipalName: form.userPrincipalName.trim(),
      displayName: form.displayName.trim(),
      department: form.department.trim() || null,
      jobTitle: form.jobTitle.trim() || null,
      accountEnabled: form.accountEnabled,
    };
    const found = fieldErrors(userCreateSchema, body, {
      userPrincipalName: 'Enter a user principal name such as adele@contoso.com.',
      displayName: 'Enter a display name.',
    });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(body, { onSuccess: close });
  };

  return (
    <Dialog open={open} onOpenChange={(_e, data) => (data.open ? undefined : close())}>
      <DialogSurface>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>New user</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label="User principal name" required validationMessage={errors['userPrincipalName']}>
                <Input
                  value={form.userPrincipalName}
                  placeholder="adele@contoso.com"
                  onChange={(_e, d) => setForm({ ...form, userPrincipalName: d.value })}
                />
              </Field>
              <Field label="Display name" required validationMessage={errors['displayName']}>
                <Input
                  value={form.displayName}
                  onChange={(_e, d) => setForm({ ...form, displayName: d.value })}
                />
              </Field>
              <Field label="Department" validationMessage={errors['department']}>
                <Input
                  value={form.department}
                  onChange={(_e, d) => setForm({ ...form, department: d.value })}
                />
              </Field>
              <Field label="Job title" validationMessage={errors['jobTitle']}>
                <Input value={form.jobTitle} onChange={(_e, d) => setForm({ ...form, jobTitle: d.value })} />
              </Field>
              <Checkbox
                label="Account enabled"
                checked={form.accountEnabled}
                onChange={(_e, d) => setForm({ ...form, accountEnabled: d.checked === true })}
              />
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary" disabled={create.isPending}>
                Create
              </Button>
              <Button onClick={close}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
