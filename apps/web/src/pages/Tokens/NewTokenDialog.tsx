import { Field, Input, Radio, RadioGroup } from '@fluentui/react-components';
import {
  apiTokenCreateSchema,
  MAX_TOKEN_DAYS,
  type ApiTokenCreate,
  type ApiTokenCreated,
  type Role,
} from '@provisio/contracts';
import { FormDialog } from '../../components/FormDialog';
import { ROLES, ROLE_DESCRIPTION, ROLE_LABEL } from '../../data/auth/use-can';
import { useTokenCreateMutation } from '../../data/tokens/token-create-mutation';
import { useFormDialog } from '../../hooks/use-form-dialog';

/** Ninety days: long enough for a script to be useful, short enough that a forgotten token dies. */
export const DEFAULT_TOKEN_DAYS = 90;

const EMPTY = { displayName: '', role: 'ReportsReader' as Role, expiresInDays: String(DEFAULT_TOKEN_DAYS) };

/** New API token: what it is for, the role it acts with and how many days it lives. */
export function NewTokenDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (created: ApiTokenCreated) => void;
}) {
  const create = useTokenCreateMutation();
  const { values, set, errors, check, close } = useFormDialog(EMPTY, onClose);

  const submit = () => {
    const days = values.expiresInDays.trim();
    const body: ApiTokenCreate = {
      displayName: values.displayName.trim(),
      role: values.role,
      // A blank or non-numeric entry stays invalid (NaN), so the check names the field.
      expiresInDays: /^\d+$/.test(days) ? Number(days) : Number.NaN,
    };
    const valid = check(
      apiTokenCreateSchema,
      body,
      {
        displayName: 'Enter a name that says what the token is for (at most 100 characters).',
        expiresInDays: `Enter the number of days until the token expires, a whole number from 1 to ${MAX_TOKEN_DAYS}.`,
      },
      { displayName: 'token name', expiresInDays: 'number of days until the token expires' },
    );
    if (!valid) return;
    create.mutate(body, {
      onSuccess: (created) => {
        close();
        onCreated(created);
      },
    });
  };

  return (
    <FormDialog open={open} title="New API token" busy={create.isPending} onSubmit={submit} onClose={close}>
      <Field
        label="Name"
        required
        hint="What the token is for, e.g. “Nightly HR import”."
        validationMessage={errors['displayName']}
      >
        <Input
          value={values.displayName}
          onChange={(_e, d) => set('displayName', d.value)}
          autoComplete="off"
        />
      </Field>
      <Field label="Role" required hint="The token can do what an account with this role can do.">
        <RadioGroup value={values.role} onChange={(_e, d) => set('role', d.value as Role)}>
          {ROLES.map((role) => (
            <Radio key={role} value={role} label={`${ROLE_LABEL[role]}: ${ROLE_DESCRIPTION[role]}`} />
          ))}
        </RadioGroup>
      </Field>
      <Field
        label="Expires in (days)"
        required
        hint={`From 1 to ${MAX_TOKEN_DAYS} days.`}
        validationMessage={errors['expiresInDays']}
      >
        <Input
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_TOKEN_DAYS}
          value={values.expiresInDays}
          onChange={(_e, d) => set('expiresInDays', d.value)}
        />
      </Field>
    </FormDialog>
  );
}
