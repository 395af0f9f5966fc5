import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { groupCreateSchema, type GroupCreate } from '@provisio/contracts';
import { useState, type FormEvent } from 'react';
import { useGroupCreateMutation } from '../../data/groups/group-create-mutation';
import { fieldErrors } from '../../lib/validation';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** A minimal "New group": a security group with a name and a description. */
export function NewGroupDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const styles = useStyles();
  const create = useGroupCreateMutation();
  const [displayName, setDisplayName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const close = () => {
    setDisplayName('');
    setDescription('');
    setErrors({});
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: GroupCreate = {
      displayName: displayName.trim(),
      description: description.trim() || null,
      securityEnabled: true,
    };
    const found = fieldErrors(groupCreateSchema, body, { displayName: 'Enter a group name.' });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(body, { onSuccess: close });
  };

  return (
    <Dialog open={open} onOpenChange={(_e, data) => (data.open ? undefined : close())}>
      <DialogSurface>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>New group</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label="Group name" required validationMessage={errors['displayName']}>
                <Input value={displayName} onChange={(_e, d) => setDisplayName(d.value)} />
              </Field>
              <Field label="Group description" validationMessage={errors['description']}>
                <Textarea value={description} onChange={(_e, d) => setDescription(d.value)} />
              </Field>
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
