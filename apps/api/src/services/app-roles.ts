import type { AppRole, AppRoleInput, ErrorDetail, ModifiedProperty } from '@provisio/contracts';
import type { ProvisioDb } from '@provisio/db';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Graph's value characters: printable ASCII without spaces, not starting with a dot. */
const ROLE_VALUE = /^[!-~]+$/;
const MEMBER_TYPES = ['User', 'Application'];
const MAX_DISPLAY_NAME = 100;
const MAX_VALUE = 120;

/** A refused app role list: every problem, each naming the field and the fix. */
export interface AppRoleProblems {
  code: string;
  details: ErrorDetail[];
}

const problem = (code: string, target: string, message: string): ErrorDetail => ({ code, target, message });

function checkRole(role: AppRoleInput, at: string, problems: ErrorDetail[]): void {
  const name = `App role '${role.displayName}'`;
  if (!GUID.test(role.id))
    problems.push(
      problem(
        'app_role.invalid_id',
        `${at}/id`,
        `${name}: id '${role.id}' is not a GUID. Give the role a GUID such as 6f1c2a7e-3b9d-4c1e-9a55-0d2f8b7c4e11 (any new GUID will do).`,
      ),
    );
  if (role.displayName.trim() === '' || role.displayName.length > MAX_DISPLAY_NAME)
    problems.push(
      problem(
        'app_role.invalid',
        `${at}/displayName`,
        `An app role needs a display name of 1 to ${MAX_DISPLAY_NAME} characters.`,
      ),
    );
  const value = role.value ?? null;
  if (value !== null && value !== '') {
    if (!ROLE_VALUE.test(value) || value.startsWith('.') || value.length > MAX_VALUE)
      problems.push(
        problem(
          'app_role.invalid_value',
          `${at}/value`,
          `${name}: value '${value}' may not contain spaces or start with a dot, and has at most ${MAX_VALUE} characters. Use letters, digits and signs only, e.g. '${value.trim().replace(/\s+/g, '_').replace(/^\.+/, '') || 'Admin'}'.`,
        ),
      );
  }
  const unknown = role.allowedMemberTypes.filter((t) => !MEMBER_TYPES.includes(t));
  if (role.allowedMemberTypes.length === 0)
    problems.push(
      problem(
        'app_role.invalid_member_types',
        `${at}/allowedMemberTypes`,
        `${name}: allowedMemberTypes must say who may be assigned the role: "User" (users and groups), "Application", or both.`,
      ),
    );
  if (unknown.length > 0)
    problems.push(
      problem(
        'app_role.invalid_member_types',
        `${at}/allowedMemberTypes`,
        `${name}: allowedMemberTypes may only hold "User" (users and groups) and "Application"; remove ${unknown.map((t) => `"${t}"`).join(', ')}.`,
      ),
    );
  if (new Set(role.allowedMemberTypes).size !== role.allowedMemberTypes.length)
    problems.push(
      problem(
        'app_role.invalid_member_types',
        `${at}/allowedMemberTypes`,
        `${name}: allowedMemberTypes names a member type twice; name each once.`,
      ),
    );
}

/**
 * Checks a new list of an application's app roles against the current one, with Graph's rules:
 * ids are GUIDs and unique, `value` has no spaces and is unique (ignoring case), member types are
 * "User" and/or "Application", and a role can only be removed once it is disabled. A configuration
 * import, which replaces the list whole, names its fields from `appRoles` and has a rule of its own
 * for removals (`removal: 'any'`: no assignment may use a removed role).
 *
 * @returns null when the list may be stored.
 */
export function checkAppRoles(
  current: readonly AppRole[],
  next: readonly AppRoleInput[],
  options: { at?: string; removal?: 'disabledOnly' | 'any' } = {},
): AppRoleProblems | null {
  const problems: ErrorDetail[] = [];
  const ids = new Map<string, number>();
  const values = new Map<string, number>();
  const list = options.at ?? 'body/appRoles';
  next.forEach((role, i) => {
    const at = `${list}/${i}`;
    checkRole(role, at, problems);
    const id = role.id.toLowerCase();
    const sameId = ids.get(id);
    if (sameId !== undefined)
      problems.push(
        problem(
          'app_role.duplicate_id',
          `${at}/id`,
          `App roles ${sameId} and ${i} have the same id '${role.id}'. Give each role its own GUID.`,
        ),
      );
    else ids.set(id, i);
    const value = (role.value ?? '').toLowerCase();
    if (value !== '') {
      const sameValue = values.get(value);
      if (sameValue !== undefined)
        problems.push(
          problem(
            'app_role.duplicate_value',
            `${at}/value`,
            `App roles ${sameValue} and ${i} both have the value '${role.value}'. Values must be unique; change one of them.`,
          ),
        );
      else values.set(value, i);
    }
  });
  for (const old of options.removal === 'any' ? [] : current) {
    if (ids.has(old.id.toLowerCase()) || !old.isEnabled) continue;
    problems.push(
      problem(
        'app_role.delete_requires_disable',
        list,
        `App role '${old.displayName}' (${old.id}) is enabled and cannot be removed. Disable it first (set isEnabled to false and save), then remove it.`,
      ),
    );
  }
  if (problems.length === 0) return null;
  const code = problems.every((p) => p.code === 'app_role.delete_requires_disable')
    ? 'app_role.delete_requires_disable'
    : 'app_role.invalid';
  return { code, details: problems };
}

/** The stored form of a role list: `value` null when empty. */
export function normalizeAppRoles(roles: readonly AppRoleInput[]): AppRole[] {
  return roles.map((r) => ({
    id: r.id,
    displayName: r.displayName.trim(),
    value: r.value === undefined || r.value === null || r.value === '' ? null : r.value,
    description: r.description,
    allowedMemberTypes: [...r.allowedMemberTypes],
    isEnabled: r.isEnabled,
  }));
}

const summary = (r: AppRole) =>
  JSON.stringify({
    displayName: r.displayName,
    value: r.value,
    allowedMemberTypes: r.allowedMemberTypes,
    isEnabled: r.isEnabled,
    description: r.description,
  });

/** One modified property per role added, changed or removed, for the audit event. */
export function appRoleChanges(before: readonly AppRole[], after: readonly AppRole[]): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  const byId = new Map(before.map((r) => [r.id.toLowerCase(), r]));
  for (const r of after) {
    const old = byId.get(r.id.toLowerCase());
    byId.delete(r.id.toLowerCase());
    const oldValue = old ? summary(old) : null;
    const newValue = summary(r);
    if (oldValue !== newValue) out.push({ displayName: `AppRole ${r.id}`, oldValue, newValue });
  }
  for (const old of byId.values())
    out.push({ displayName: `AppRole ${old.id}`, oldValue: summary(old), newValue: null });
  return out;
}

/**
 * Ids of the roles whose change alters who is entitled or what is sent: removed, enabled or
 * disabled, or given another value or name. Their assignments are recorded as changed so that the
 * next incremental cycle visits the users concerned.
 */
export function rolesAffectingEntitlement(
  before: readonly AppRole[],
  after: readonly AppRole[],
): Set<string> {
  const out = new Set<string>();
  const next = new Map(after.map((r) => [r.id.toLowerCase(), r]));
  for (const old of before) {
    const r = next.get(old.id.toLowerCase());
    if (!r || r.isEnabled !== old.isEnabled || r.value !== old.value || r.displayName !== old.displayName)
      out.add(old.id.toLowerCase());
  }
  return out;
}

/**
 * Records the assignments of the roles whose change alters who is entitled or what is sent (see
 * {@link rolesAffectingEntitlement}) as changed, so that the next incremental cycle visits their users.
 */
export async function recordRoleChanges(
  db: ProvisioDb,
  servicePrincipalId: string,
  before: readonly AppRole[],
  after: readonly AppRole[],
): Promise<void> {
  const affected = rolesAffectingEntitlement(before, after);
  if (affected.size === 0) return;
  for (const a of await db.applications.listAssignmentsOf(servicePrincipalId))
    if (affected.has(a.appRoleId.toLowerCase()))
      await db.directory.recordChange(
        a.principalType === 'User' ? 'user' : 'group',
        a.principalId,
        'assignment',
      );
}
