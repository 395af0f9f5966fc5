import { useState } from 'react';
import type { TSchema } from 'typebox';
import { fieldErrors } from '../lib/validation';

export interface FormDialogState<V> {
  values: V;
  set: <K extends keyof V>(field: K, value: V[K]) => void;
  /** One message per field, from the last `check`. */
  errors: Record<string, string>;
  /**
   * Checks the body against its contract schema and shows the problems under the fields;
   * true when the body may be sent.
   */
  check: (
    schema: TSchema,
    body: unknown,
    messages?: Record<string, string>,
    labels?: Record<string, string>,
  ) => boolean;
  /** Clears the fields and their problems and closes the dialog, so it opens empty next time. */
  close: () => void;
}

/** The fields of a create dialog, kept while it is open and cleared when it closes. */
export function useFormDialog<V>(initial: V, onClose: () => void): FormDialogState<V> {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  return {
    values,
    set: (field, value) => setValues((current) => ({ ...current, [field]: value })),
    errors,
    check: (schema, body, messages, labels) => {
      const found = fieldErrors(schema, body, messages, labels);
      setErrors(found);
      return Object.keys(found).length === 0;
    },
    close: () => {
      setValues(initial);
      setErrors({});
      onClose();
    },
  };
}
