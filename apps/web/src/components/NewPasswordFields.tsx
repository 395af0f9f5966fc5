import { Field, Input } from '@fluentui/react-components';
import { MIN_PASSWORD_LENGTH } from '@provisio/contracts';

/** Whether the typed confirmation differs from the password: shown once the form was submitted. */
export const passwordsDiffer = (password: string, confirm: string) => password !== confirm;

/**
 * A new password typed twice, so that a typo does not lock anyone out. `error` is the password's
 * own problem (too short, refused by the server); `mismatch` says the confirmation differs.
 */
export function NewPasswordFields({
  label,
  hint = `At least ${MIN_PASSWORD_LENGTH} characters.`,
  password,
  confirm,
  error,
  mismatch,
  onPasswordChange,
  onConfirmChange,
}: {
  label: string;
  hint?: string;
  password: string;
  confirm: string;
  error: string | undefined;
  mismatch: boolean;
  onPasswordChange: (value: string) => void;
  onConfirmChange: (value: string) => void;
}) {
  return (
    <>
      <Field label={label} required validationMessage={error} hint={error ? undefined : hint}>
        <Input
          type="password"
          value={password}
          onChange={(_e, d) => onPasswordChange(d.value)}
          autoComplete="new-password"
        />
      </Field>
      <Field
        label={`Confirm ${label.toLowerCase()}`}
        required
        validationMessage={mismatch ? 'The two passwords differ. Type the same password twice.' : undefined}
      >
        <Input
          type="password"
          value={confirm}
          onChange={(_e, d) => onConfirmChange(d.value)}
          autoComplete="new-password"
        />
      </Field>
    </>
  );
}
