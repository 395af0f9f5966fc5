import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { describeFieldProblem, labelOf } from './field-messages';

function fieldOf(error: { instancePath: string; keyword: string; params: object }): string {
  const fromPath = error.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  if (fromPath) return fromPath;
  if (error.keyword === 'required' && 'requiredProperties' in error.params) {
    return String((error.params as { requiredProperties: string[] }).requiredProperties[0] ?? '');
  }
  return '';
}

/** Problems a form's own words for an empty or badly formed field describe best. */
const EMPTY_OR_FORM = new Set(['required', 'pattern', 'format', 'type']);

/**
 * Checks a form's body against its contract schema and returns one sentence per field, so the
 * form says what the API would refuse before sending it. `messages` gives a form's own words for
 * a field left empty or in the wrong form ("Enter a user principal name such as adele@contoso.com.");
 * any other problem (too long, too large) is said by `describeFieldProblem` with the field's label.
 */
export function fieldErrors(
  schema: TSchema,
  value: unknown,
  messages: Record<string, string> = {},
  labels: Record<string, string> = {},
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const error of Value.Errors(schema, value)) {
    const field = fieldOf(error);
    if (errors[field]) continue;
    const params = error.params as { limit?: unknown };
    const limit = typeof params.limit === 'number' ? params.limit : undefined;
    const given = (value as Record<string, unknown> | null | undefined)?.[field];
    const empty = error.keyword === 'minLength' && ((limit ?? 0) <= 1 || given === '');
    const own = messages[field];
    errors[field] =
      own && (EMPTY_OR_FORM.has(error.keyword) || empty)
        ? own
        : describeFieldProblem(
            { keyword: error.keyword, ...(limit === undefined ? {} : { limit }) },
            labels[field] ?? labelOf(field),
          );
  }
  return errors;
}
