/**
 * The one place that turns a validation problem — the portal's own check against a contract schema,
 * or a 400 `request.invalid` of the API, whose details name a JSON path (`body/credentials/0/value`)
 * — into a sentence about the field the person sees: "The Tenant URL can be at most 4,096 characters."
 */

/** The words the portal uses for a property of the API's bodies, by property name or secret key. */
const FIELD_LABELS: Record<string, string> = {
  displayName: 'display name',
  userPrincipalName: 'user principal name',
  department: 'department',
  jobTitle: 'job title',
  mail: 'email',
  mailNickname: 'mail nickname',
  description: 'description',
  givenName: 'first name',
  surname: 'last name',
  employeeId: 'employee ID',
  userName: 'user name',
  password: 'password',
  currentPassword: 'current password',
  newPassword: 'new password',
  role: 'role',
  name: 'name',
  expression: 'expression',
  BaseAddress: 'Tenant URL',
  SecretToken: 'Secret Token',
  SyncNotificationSettings: 'Notification Email',
  SyncAll: 'Scope',
  SkipOutOfScopeDeletions: 'Skip out of scope deletions',
  interval: 'cycle interval',
};

/** What is wrong with a value, as a validator reports it. */
export interface FieldProblem {
  /** `required`, `minLength`, `maxLength`, `minimum`, `maximum`, `pattern`, `format`, `type`… */
  keyword: string;
  limit?: number;
}

export const number = (n: number) => n.toLocaleString('en-US');
const capital = (label: string) => label.charAt(0).toUpperCase() + label.slice(1);
/** "the Tenant URL", "the display name": labels that are names keep their capitals. */
const the = (label: string) => `the ${label}`;

/** Words for a property the table does not know: `costCenter` → "cost center". */
export function labelOf(property: string): string {
  return (
    FIELD_LABELS[property] ??
    property
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/[_-]+/g, ' ')
      .toLowerCase()
  );
}

/** One sentence about one field: "The display name can be at most 256 characters." */
export function describeFieldProblem(problem: FieldProblem, label: string): string {
  const { keyword, limit } = problem;
  switch (keyword) {
    case 'required':
      return `Enter ${the(label)}.`;
    case 'minLength':
      return limit === undefined || limit <= 1
        ? `Enter ${the(label)}.`
        : `${capital(the(label))} must be at least ${number(limit)} characters.`;
    case 'maxLength':
      return `${capital(the(label))} can be at most ${number(limit ?? 0)} characters.`;
    case 'minimum':
      return `${capital(the(label))} must be ${number(limit ?? 0)} or more.`;
    case 'maximum':
      return `${capital(the(label))} can be at most ${number(limit ?? 0)}.`;
    case 'minItems':
      return `Add at least ${number(limit ?? 1)} ${label}.`;
    case 'maxItems':
      return `Choose at most ${number(limit ?? 0)} ${label}.`;
    default:
      return `${capital(the(label))} is not in the expected form. Check it and try again.`;
  }
}

/** Reads the problem back from the API's English (`apps/api/src/plugins/validation.ts`). */
function problemOf(message: string): FieldProblem | null {
  const limit = (re: RegExp) => Number(re.exec(message)?.[1]);
  if (/ is required\b/.test(message)) return { keyword: 'required' };
  if (/ must not be empty\b/.test(message)) return { keyword: 'minLength', limit: 1 };
  if (/ must be at most \d+ characters\b/.test(message))
    return { keyword: 'maxLength', limit: limit(/at most (\d+) characters/) };
  if (/ must be at least \d+ characters\b/.test(message))
    return { keyword: 'minLength', limit: limit(/at least (\d+) characters/) };
  if (/ must be -?\d+(\.\d+)? or more\b/.test(message))
    return { keyword: 'minimum', limit: limit(/must be (-?\d+(?:\.\d+)?) or more/) };
  if (/ must be -?\d+(\.\d+)? or less\b/.test(message))
    return { keyword: 'maximum', limit: limit(/must be (-?\d+(?:\.\d+)?) or less/) };
  if (/ must have at most \d+ item/.test(message))
    return { keyword: 'maxItems', limit: limit(/at most (\d+) item/) };
  if (/ is not in the expected form| must match the pattern | must be a valid /.test(message))
    return { keyword: 'format' };
  return null;
}

/**
 * The label of the field a detail's `target` names. Secrets and credentials are lists of
 * `{key, value}`, so `body/credentials/0/value` is the field whose key the sent body holds there.
 */
function labelOfTarget(target: string, body: unknown): string | null {
  const parts = target.split('/').filter(Boolean);
  if (parts[0] !== 'body' && parts[0] !== 'querystring' && parts[0] !== 'query') return null;
  const path = parts.slice(1);
  if (path.length === 0) return null;
  if (path.at(-1) === 'value' && path.length >= 3 && /^\d+$/.test(path.at(-2) ?? '')) {
    let node: unknown = body;
    for (const p of path.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[p];
    const key = (node as { key?: unknown } | undefined)?.key;
    if (typeof key === 'string') return labelOf(key);
  }
  const last = [...path].reverse().find((p) => !/^\d+$/.test(p)) ?? '';
  return last ? labelOf(last) : null;
}

/** True when a message speaks of a JSON path (`body/…`, `querystring/…`) rather than of a field. */
const speaksOfPath = (message: string) => /\b(body|querystring|params)\/[\w/]*/.test(message);

/**
 * One sentence per detail of a 400 `request.invalid`, each about the field the person sees. A
 * message the API already wrote for a person (no JSON path in it) is kept as it is.
 */
export function describeRequestProblem(
  detail: { message: string; target?: string | undefined },
  body?: unknown,
): string {
  const target = detail.target ?? '';
  const label = labelOfTarget(target, body);
  const problem = problemOf(detail.message);
  if (label && problem) return describeFieldProblem(problem, label);
  if (!speaksOfPath(detail.message)) return detail.message;
  // A path we have no words for: say which field, without the path.
  const cleaned = detail.message.replace(/\b(?:body|querystring|params)\/([\w/]*)/g, (_m, rest: string) =>
    label
      ? capital(the(label))
      : labelOf(
          rest
            .split('/')
            .filter((p) => !/^\d+$/.test(p))
            .at(-1) ?? 'value',
        ),
  );
  return cleaned;
}
