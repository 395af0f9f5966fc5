import { Field, Input, Textarea } from '@fluentui/react-components';
import { groupCreateSchema, type GroupCreate } from '@provisio/contracts';
import { FormDialog } from '../../components/FormDialog';
import { useGroupCreateMutation } from '../../data/groups/group-create-mutation';
import { useFormDialog } from '../../hooks/use-form-dialog';

const EMPTY = { displayName: '', description: '' };

/** A minimal "New group": a security group with a name and a description. */
export function NewGroupDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useGroupCreateMutation();
  const { values, set, errors, check, close } = useFormDialog(EMPTY, onClose);

  const submit = () => {
    const body: GroupCreate = {
      displayName: values.displayName.trim(),
      description: values.description.trim() || null,
      securityEnabled: true,
    };
    const labels = { displayName: 'group name', description: 'group description' };
    if (check(groupCreateSchema, body, { displayName: 'Enter a group name.' }, labels)) {
      create.mutate(body, { onSuccess: close });
    }
  };

  return (
    <FormDialog open={open} title="New group" busy={create.isPending} onSubmit={submit} onClose={close}>
      <Field label="Group name" required validationMessage={errors['displayName']}>
        <Input value={values.displayName} onChange={(_e, d) => set('displayName', d.value)} />
      </Field>
      <Field label="Group description" validationMessage={errors['description']}>
        <Textarea value={values.description} onChange={(_e, d) => set('description', d.value)} />
      </Field>
    </FormDialog>
  );
}
