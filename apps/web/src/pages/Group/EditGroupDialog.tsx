import { Field, Input, Textarea } from '@fluentui/react-components';
import { groupUpdateSchema, type Group, type GroupUpdate } from '@provisio/contracts';
import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog';
import { useGroupUpdateMutation } from '../../data/groups/group-update-mutation';
import { fieldErrors } from '../../lib/validation';

/** Edit group: its name and description; only what changed is sent. */
export function EditGroupDialog({
  group,
  open,
  onClose,
}: {
  group: Group;
  open: boolean;
  onClose: () => void;
}) {
  return open ? <EditGroupForm group={group} onClose={onClose} /> : null;
}

function EditGroupForm({ group, onClose }: { group: Group; onClose: () => void }) {
  const update = useGroupUpdateMutation();
  const [displayName, setDisplayName] = useState(group.displayName);
  const [description, setDescription] = useState(group.description ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = () => {
    const patch: GroupUpdate = {};
    if (displayName.trim() !== group.displayName) patch.displayName = displayName.trim();
    if ((description.trim() || null) !== group.description) patch.description = description.trim() || null;
    const found = fieldErrors(
      groupUpdateSchema,
      patch,
      { displayName: 'Enter a group name.' },
      { displayName: 'group name', description: 'group description' },
    );
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (Object.keys(patch).length === 0) onClose();
    else update.mutate({ group, patch }, { onSuccess: onClose });
  };

  return (
    <FormDialog
      open
      title={`Edit ${group.displayName}`}
      submitLabel="Save"
      busy={update.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field label="Group name" required validationMessage={errors['displayName']}>
        <Input value={displayName} onChange={(_e, d) => setDisplayName(d.value)} />
      </Field>
      <Field label="Group description" validationMessage={errors['description']}>
        <Textarea value={description} onChange={(_e, d) => setDescription(d.value)} />
      </Field>
    </FormDialog>
  );
}
