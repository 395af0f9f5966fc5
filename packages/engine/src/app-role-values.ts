import type { CompiledExpression, ExpressionValue } from '@provisio/expressions';
import type { AppRoleRef } from './source-view';

/**
 * How a mapping sends a user's app roles to the target's `roles` attribute, named after the
 * function at the top of its expression:
 * - `SingleAppRoleAssignment`: one role; created as a primary role, updated with a PATCH `Add`
 *   whose value is the role as a JSON string (id, value, displayName), as Entra sends it.
 * - `AppRoleAssignmentsComplex`: every role, none primary; updated with PATCH `Add` only, so roles
 *   no longer assigned stay in the target.
 * - `AssertiveAppRoleAssignmentsComplex`: every role, none primary; updated with PATCH `replace`,
 *   so the target holds exactly the roles assigned.
 */
export type AppRoleFlow =
  'SingleAppRoleAssignment' | 'AppRoleAssignmentsComplex' | 'AssertiveAppRoleAssignmentsComplex';

const FLOWS: readonly AppRoleFlow[] = [
  'SingleAppRoleAssignment',
  'AppRoleAssignmentsComplex',
  'AssertiveAppRoleAssignmentsComplex',
];

/** The `type` Entra gives the roles it sends. */
export const SCIM_ROLE_TYPE = 'WindowsAzureActiveDirectoryRole';

/** The role flow of an expression whose outermost call is one of the three role functions; null otherwise. */
export function appRoleFlowOf(expression: CompiledExpression): AppRoleFlow | null {
  const ast = expression.ast;
  if (ast.kind !== 'call') return null;
  return FLOWS.find((f) => f.toLowerCase() === ast.name.toLowerCase()) ?? null;
}

/** The role names a mapping yields: one for the single flow, all for the complex ones. */
export function roleNamesOf(value: ExpressionValue | undefined): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v) => v !== null && v !== '').map((v) => String(v));
}

/** A SCIM `roles` entry as a create request carries it. */
export interface ScimRoleEntry {
  primary: boolean;
  type: string;
  value: string;
}

/**
 * The `roles` value of a create request: `[{ primary: true, type: "WindowsAzureActiveDirectoryRole",
 * value: "Admin" }]` for the single flow; every role with `primary: false` for the complex ones.
 */
export function toScimRoles(flow: AppRoleFlow, value: ExpressionValue): ScimRoleEntry[] {
  const names = roleNamesOf(value);
  const single = flow === 'SingleAppRoleAssignment';
  return (single ? names.slice(0, 1) : names).map((name) => ({
    primary: single,
    type: SCIM_ROLE_TYPE,
    value: name,
  }));
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A role's name as the target holds it: an entry's `value`, which may itself be the JSON string of a single-flow update. */
function nameOfEntry(entry: unknown): string | null {
  const raw = isRecord(entry) ? entry.value : entry;
  if (typeof raw !== 'string') return raw === null || raw === undefined ? null : String(raw);
  if (raw.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isRecord(parsed)) {
        const name = parsed.value ?? parsed.displayName;
        if (typeof name === 'string') return name;
      }
    } catch {
      // Not JSON after all: the text is the role.
    }
  }
  return raw;
}

/** The role names the target's `roles` attribute holds. */
export function rolesInTarget(current: unknown): string[] {
  const list = Array.isArray(current) ? current : current === null || current === undefined ? [] : [current];
  return list.map(nameOfEntry).filter((n): n is string => n !== null && n !== '');
}

/**
 * Whether the target already has the roles a mapping wants. The add-only flows are satisfied when
 * every wanted role is there (they never remove one); the assertive flow wants exactly those roles.
 * Role names compare ignoring case.
 */
export function sameRoles(flow: AppRoleFlow, desired: ExpressionValue, current: unknown): boolean {
  const wanted = new Set(roleNamesOf(desired).map((n) => n.toLowerCase()));
  const held = new Set(rolesInTarget(current).map((n) => n.toLowerCase()));
  for (const n of wanted) if (!held.has(n)) return false;
  return flow !== 'AssertiveAppRoleAssignmentsComplex' || held.size === wanted.size;
}

/** An update of the roles attribute: the PATCH operation and the value it carries. */
export interface RoleChange {
  path: string;
  op: 'add' | 'replace';
  value: unknown[];
}

const findRole = (name: string, appRoles: readonly AppRoleRef[]) => {
  const lower = name.toLowerCase();
  return (
    appRoles.find((r) => (r.value ?? '').toLowerCase() === lower) ??
    appRoles.find((r) => r.displayName.toLowerCase() === lower) ??
    null
  );
};

/**
 * The PATCH operation that brings the target's roles in line, in the shape Entra sends for each
 * flow:
 * - single: `{ op: "Add", path: "roles", value: [{ value: "{\"id\":…,\"value\":…,\"displayName\":…}" }] }`
 * - complex: `{ op: "Add", path: "roles", value: [{ primary: false, type, value }, …] }`
 * - assertive: `{ op: "replace", path: "roles", value: [{ primary: false, type, value }, …] }`
 *
 * @example
 * roleChange('SingleAppRoleAssignment', 'roles', 'Admin', sp.appRoles)
 * // → { path: 'roles', op: 'add', value: [{ value: '{"id":"…","value":"Admin","displayName":"Administrator"}' }] }
 */
export function roleChange(
  flow: AppRoleFlow,
  path: string,
  desired: ExpressionValue,
  appRoles: readonly AppRoleRef[],
): RoleChange {
  if (flow === 'SingleAppRoleAssignment') {
    const name = roleNamesOf(desired)[0] ?? '';
    const role = findRole(name, appRoles);
    const value = JSON.stringify({
      id: role?.id ?? '',
      value: role ? (role.value ?? role.displayName) : name,
      displayName: role?.displayName ?? name,
    });
    return { path, op: 'add', value: [{ value }] };
  }
  return {
    path,
    op: flow === 'AssertiveAppRoleAssignmentsComplex' ? 'replace' : 'add',
    value: toScimRoles(flow, desired),
  };
}
