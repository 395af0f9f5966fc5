import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

function fieldOf(error: { instancePath: string; keyword: string; params: object }): string {
  const fromPath = error.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  if (fromPath) return fromPath;
  if (error.keyword === 'required' && 'requiredProperties' in error.params) {
    return String((error.params as { requiredProperties: string[] }).requiredProperties[0] ?? '');
  }
  return '';
}

/**
 * Checks a form's body against its contract schema and returns one message per field,
 * so the form says what the API would refuse before sending it. `messages` gives a
 * person's wording per field; the schema's wording is the fallback.
 */
export function fieldErrors(
  schema: TSchema,
  value: unknown,
  messages: Record<string, string> = {},
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const error of Value.Errors(schema, value)) {
    const field = fieldOf(error);
    if (!errors[field]) errors[field] = messages[field] ?? error.message;
  }
  return errors;
}
