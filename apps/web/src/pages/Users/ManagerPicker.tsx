import { Combobox, Field, Option } from '@fluentui/react-components';
import { useState } from 'react';
import { allItems } from '../../api/collections';
import { useUserQuery } from '../../data/users/user-query';
import { useUsersQuery } from '../../data/users/users-query';
import { useDebouncedValue } from '../../hooks/use-debounced-value';

/**
 * Manager: type a name, user principal name or email and pick the user from the directory.
 * Clearing the box clears the manager.
 */
export function ManagerPicker({
  value,
  onChange,
  excludeId,
  validationMessage,
}: {
  value: string | null;
  onChange: (managerId: string | null) => void;
  /** The user being edited: nobody is their own manager. */
  excludeId?: string | undefined;
  validationMessage?: string | undefined;
}) {
  const [text, setText] = useState<string | null>(null);
  const debounced = useDebouncedValue(text ?? '', 250);
  const users = useUsersQuery(debounced, { top: 10, enabled: text !== null });
  const current = useUserQuery(value ?? '', value !== null);
  const currentName = value ? (current.data?.displayName ?? '') : '';
  const options = allItems(users.data).filter((u) => u.id !== excludeId);

  return (
    <Field
      label="Manager"
      validationMessage={validationMessage}
      hint="Search by name, user principal name or email."
    >
      <Combobox
        freeform
        clearable
        placeholder="No manager"
        value={text ?? currentName}
        selectedOptions={value ? [value] : []}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value === '') onChange(null);
        }}
        onOpenChange={(_e, d) => {
          if (d.open && text === null) setText('');
          if (!d.open) setText(null);
        }}
        onOptionSelect={(_e, d) => {
          onChange(d.optionValue ?? null);
          setText(null);
        }}
      >
        {text !== null && users.isPending ? (
          <Option disabled value="" text="Searching…">
            Searching…
          </Option>
        ) : options.length === 0 ? (
          <Option disabled value="" text="No user matches">
            No user matches
          </Option>
        ) : (
          options.map((u) => (
            <Option key={u.id} value={u.id} text={u.displayName}>
              {`${u.displayName} (${u.userPrincipalName})`}
            </Option>
          ))
        )}
      </Combobox>
    </Field>
  );
}
