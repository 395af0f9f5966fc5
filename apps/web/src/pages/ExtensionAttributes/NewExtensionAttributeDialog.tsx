import { Checkbox, Dropdown, Field, Input, Option } from '@fluentui/react-components';
import {
  EXTENSION_DATA_TYPES,
  extensionPropertyCreateSchema,
  type ExtensionDataType,
  type ExtensionPropertyCreate,
} from '@provisio/contracts';
import { FormDialog } from '../../components/FormDialog';
import { useExtensionPropertyCreateMutation } from '../../data/extension-properties/extension-property-create-mutation';
import { useFormDialog } from '../../hooks/use-form-dialog';

const EMPTY = { name: '', dataType: 'String' as ExtensionDataType, isMultiValued: false };

/** Add extension attribute: a name, a data type, multi-valued or not. */
export function NewExtensionAttributeDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useExtensionPropertyCreateMutation();
  const { values, set, errors, check, close } = useFormDialog(EMPTY, onClose);

  const submit = () => {
    const body: ExtensionPropertyCreate = {
      name: values.name.trim(),
      dataType: values.dataType,
      isMultiValued: values.isMultiValued,
      targetObjects: ['User'],
    };
    const valid = check(
      extensionPropertyCreateSchema,
      body,
      {
        name: 'Enter a name of letters, digits and underscores that starts with a letter, such as costCenter.',
      },
      { name: 'name' },
    );
    if (valid) create.mutate(body, { onSuccess: close });
  };

  return (
    <FormDialog
      open={open}
      title="Add extension attribute"
      submitLabel="Add"
      busy={create.isPending}
      onSubmit={submit}
      onClose={close}
    >
      <Field
        label="Name"
        required
        validationMessage={errors['name']}
        hint="Users carry it as extension_<id>_<name>; mappings read it by that name."
      >
        <Input value={values.name} placeholder="costCenter" onChange={(_e, d) => set('name', d.value)} />
      </Field>
      <Field label="Data type" required>
        <Dropdown
          value={values.dataType}
          selectedOptions={[values.dataType]}
          onOptionSelect={(_e, d) =>
            set('dataType', (d.optionValue as ExtensionDataType | undefined) ?? 'String')
          }
        >
          {EXTENSION_DATA_TYPES.map((t) => (
            <Option key={t} value={t}>
              {t}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Checkbox
        label="Multi-valued"
        checked={values.isMultiValued}
        onChange={(_e, d) => set('isMultiValued', d.checked === true)}
      />
    </FormDialog>
  );
}
