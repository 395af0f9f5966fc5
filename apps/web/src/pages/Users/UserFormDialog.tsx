import {
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  extensionShortName,
  userCreateSchema,
  userUpdateSchema,
  type ExtensionAttributeValue,
  type ExtensionProperty,
  type User,
  type UserCreate,
  type UserUpdate,
} from '@provisio/contracts';
import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog';
import { useExtensionPropertiesQuery } from '../../data/extension-properties/extension-properties-query';
import { useUserCreateMutation } from '../../data/users/user-create-mutation';
import { useUserUpdateMutation } from '../../data/users/user-update-mutation';
import { fieldErrors } from '../../lib/validation';
import { parseExtensionValue } from './extension-value';
import { ManagerPicker } from './ManagerPicker';

const useStyles = makeStyles({
  section: { margin: `${tokens.spacingVerticalS} 0 0`, fontSize: tokens.fontSizeBase400, fontWeight: 600 },
});

/** The form's fields, as text while they are typed. */
interface FormValues {
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  mailNickname: string;
  employeeId: string;
  department: string;
  jobTitle: string;
  accountEnabled: boolean;
  managerId: string | null;
  /** Extension attribute full name → its text (a Boolean: '', 'true', 'false'; multi-valued: one value a line). */
  extensions: Record<string, string>;
}

const TEXT_FIELDS = [
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'employeeId',
  'department',
  'jobTitle',
] as const;

/** The labels the form shows; validation messages speak of the fields by them. */
const LABELS: Record<string, string> = {
  userPrincipalName: 'user principal name',
  displayName: 'display name',
  givenName: 'first name',
  surname: 'last name',
  mail: 'email',
  mailNickname: 'mail nickname',
  employeeId: 'employee ID',
  department: 'department',
  jobTitle: 'job title',
  managerId: 'manager',
};

function extensionText(value: ExtensionAttributeValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join('\n');
  return String(value);
}

function initialValues(user: User | undefined): FormValues {
  const extensions: Record<string, string> = {};
  if (user) {
    for (const [key, value] of Object.entries(user)) {
      if (key.startsWith('extension_')) extensions[key] = extensionText(value as ExtensionAttributeValue);
    }
  }
  return {
    userPrincipalName: user?.userPrincipalName ?? '',
    displayName: user?.displayName ?? '',
    givenName: user?.givenName ?? '',
    surname: user?.surname ?? '',
    mail: user?.mail ?? '',
    mailNickname: user?.mailNickname ?? '',
    employeeId: user?.employeeId ?? '',
    department: user?.department ?? '',
    jobTitle: user?.jobTitle ?? '',
    accountEnabled: user?.accountEnabled ?? true,
    managerId: user?.managerId ?? null,
    extensions,
  };
}

function sameValue(a: ExtensionAttributeValue | undefined, b: ExtensionAttributeValue): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b);
}

/**
 * New user (no `user`) and Edit user (`user` given): every attribute — names, mail, employee ID,
 * department, job title, the manager picked from the directory, account enabled — and the
 * directory's extension attributes. Edit sends only what changed.
 */
export function UserFormDialog({ user, open, onClose }: { user?: User; open: boolean; onClose: () => void }) {
  // Mounted only while open, so each opening starts from the user as it is now.
  return open ? <UserForm {...(user ? { user } : {})} onClose={onClose} /> : null;
}

function UserForm({ user, onClose }: { user?: User; onClose: () => void }) {
  const styles = useStyles();
  const create = useUserCreateMutation();
  const update = useUserUpdateMutation();
  const extensionProperties = useExtensionPropertiesQuery();
  const [values, setValues] = useState(() => initialValues(user));
  const [errors, setErrors] = useState<Record<string, string>>({});
  // A field's problem goes as soon as the field changes; Create or Save checks again.
  const clearError = (field: string) =>
    setErrors((e) => (field in e ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)) : e));
  const set = <K extends keyof FormValues>(field: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    clearError(field);
  };
  const setExtension = (name: string, text: string) => {
    setValues((v) => ({ ...v, extensions: { ...v.extensions, [name]: text } }));
    clearError(name);
  };
  const properties = extensionProperties.data ?? [];

  const submit = () => {
    const body: UserCreate = {
      userPrincipalName: values.userPrincipalName.trim(),
      displayName: values.displayName.trim(),
      accountEnabled: values.accountEnabled,
      managerId: values.managerId,
    };
    for (const field of TEXT_FIELDS) body[field] = values[field].trim() || null;
    const found = fieldErrors(
      userCreateSchema,
      body,
      {
        userPrincipalName: 'Enter a user principal name such as adele@contoso.com.',
        displayName: 'Enter a display name.',
      },
      LABELS,
    );
    const extensionValues: Record<string, ExtensionAttributeValue> = {};
    for (const property of properties) {
      const parsed = parseExtensionValue(property, values.extensions[property.name] ?? '');
      if ('problem' in parsed) found[property.name] = parsed.problem;
      else extensionValues[property.name] = parsed.value;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    if (!user) {
      const withExtensions: UserCreate = { ...body };
      for (const [name, value] of Object.entries(extensionValues)) {
        if (value !== null) withExtensions[name as `extension_${string}`] = value;
      }
      create.mutate(withExtensions, { onSuccess: onClose });
      return;
    }
    const patch: UserUpdate = {};
    const patchRecord = patch as Record<string, unknown>;
    const before = user as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if ((before[key] ?? null) !== value) patchRecord[key] = value;
    }
    for (const [name, value] of Object.entries(extensionValues)) {
      if (!sameValue(before[name] as ExtensionAttributeValue | undefined, value)) patchRecord[name] = value;
    }
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    if (Object.keys(fieldErrors(userUpdateSchema, withoutExtensions(patchRecord))).length > 0) return;
    update.mutate({ user, patch }, { onSuccess: onClose });
  };

  const text = (
    field: (typeof TEXT_FIELDS)[number] | 'userPrincipalName' | 'displayName',
    label: string,
    extra: { placeholder?: string; required?: boolean } = {},
  ) => (
    <Field label={label} required={extra.required ?? false} validationMessage={errors[field]}>
      <Input
        value={values[field]}
        {...(extra.placeholder ? { placeholder: extra.placeholder } : {})}
        onChange={(_e, d) => set(field, d.value)}
      />
    </Field>
  );

  return (
    <FormDialog
      open
      title={user ? `Edit ${user.displayName}` : 'New user'}
      submitLabel={user ? 'Save' : 'Create'}
      busy={create.isPending || update.isPending}
      onSubmit={submit}
      onClose={onClose}
    >
      {text('userPrincipalName', 'User principal name', { placeholder: 'adele@contoso.com', required: true })}
      {text('displayName', 'Display name', { required: true })}
      {text('givenName', 'First name')}
      {text('surname', 'Last name')}
      {text('mail', 'Email', { placeholder: 'adele@contoso.com' })}
      {text('mailNickname', 'Mail nickname')}
      {text('employeeId', 'Employee ID')}
      {text('department', 'Department')}
      {text('jobTitle', 'Job title')}
      <ManagerPicker
        value={values.managerId}
        onChange={(id) => set('managerId', id)}
        excludeId={user?.id}
        validationMessage={errors['managerId']}
      />
      <Checkbox
        label="Account enabled"
        checked={values.accountEnabled}
        onChange={(_e, d) => set('accountEnabled', d.checked === true)}
      />
      {properties.length > 0 && <h3 className={styles.section}>Extension attributes</h3>}
      {properties.map((property) => (
        <ExtensionField
          key={property.id}
          property={property}
          text={values.extensions[property.name] ?? ''}
          onChange={(t) => setExtension(property.name, t)}
          validationMessage={errors[property.name]}
        />
      ))}
    </FormDialog>
  );
}

const withoutExtensions = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !k.startsWith('extension_')));

/** One extension attribute's input, by its type. */
function ExtensionField({
  property,
  text,
  onChange,
  validationMessage,
}: {
  property: ExtensionProperty;
  text: string;
  onChange: (text: string) => void;
  validationMessage: string | undefined;
}) {
  const label = extensionShortName(property.name);
  const hint = property.isMultiValued
    ? `${property.dataType}, multi-valued: one value a line.`
    : property.dataType === 'DateTime'
      ? 'A date and time such as 2025-01-31T09:00:00Z.'
      : property.dataType;
  if (property.dataType === 'Boolean' && !property.isMultiValued) {
    const labels: Record<string, string> = { '': 'Not set', true: 'Yes', false: 'No' };
    return (
      <Field label={label} validationMessage={validationMessage} hint="Boolean">
        <Dropdown
          value={labels[text] ?? 'Not set'}
          selectedOptions={[text]}
          onOptionSelect={(_e, d) => onChange(d.optionValue ?? '')}
        >
          <Option value="">Not set</Option>
          <Option value="true">Yes</Option>
          <Option value="false">No</Option>
        </Dropdown>
      </Field>
    );
  }
  return (
    <Field label={label} validationMessage={validationMessage} hint={hint}>
      {property.isMultiValued ? (
        <Textarea value={text} onChange={(_e, d) => onChange(d.value)} />
      ) : (
        <Input
          value={text}
          {...(property.dataType === 'Integer' ? { inputMode: 'numeric' as const } : {})}
          onChange={(_e, d) => onChange(d.value)}
        />
      )}
    </Field>
  );
}
