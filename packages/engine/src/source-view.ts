import type { ExpressionValue } from '@provisio/expressions';

/** A directory user as the engine needs it: Graph's user plus extension attributes (db's record fits). */
export interface SourceUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string | null;
  department: string | null;
  jobTitle: string | null;
  employeeId: string | null;
  accountEnabled: boolean;
  managerId: string | null;
  /** Set while the user is in the recycle bin (soft-deleted). */
  deletedDateTime: string | null;
  /** Directory extension attributes by full name (`extension_<appId>_<name>`): strings, numbers, booleans or lists. */
  extensionAttributes?: Readonly<Record<string, ExpressionValue>>;
}

/** How a user is entitled to an application: assigned directly or as a direct member of an assigned group. */
export interface Entitlement {
  appRoleId: string;
  via: 'User' | 'Group';
}

/** The parts of an app role the source view needs to name a user's role. */
export interface AppRoleRef {
  id: string;
  displayName: string;
  value: string | null;
  /** A disabled role entitles no one; absent means enabled. */
  isEnabled?: boolean;
}

/** Graph's default access role ("User" without a named role): implicit when an application does not list it. */
const DEFAULT_ACCESS_ROLE: AppRoleRef = {
  id: '00000000-0000-0000-0000-000000000000',
  displayName: 'User',
  value: null,
};

/**
 * The app role an entitlement names, when the application still has it enabled. Role ids are
 * GUIDs and compare ignoring case; the default access role counts as there unless it is listed
 * disabled.
 *
 * @example findEntitledRole({ appRoleId: roleId, via: 'User' }, sp.appRoles)?.value // 'Admin'
 */
export function findEntitledRole(
  entitlement: Entitlement,
  appRoles: readonly AppRoleRef[],
): AppRoleRef | null {
  const id = entitlement.appRoleId.toLowerCase();
  const role = appRoles.find((r) => r.id.toLowerCase() === id);
  if (!role) return id === DEFAULT_ACCESS_ROLE.id ? DEFAULT_ACCESS_ROLE : null;
  return role.isEnabled !== false ? role : null;
}

/**
 * What attribute mappings and scoping filters read: source attribute name → value.
 * Booleans are the strings "True"/"False", as the expression language passes them.
 */
export type SourceView = Readonly<Record<string, ExpressionValue>>;

export const booleanString = (value: boolean): 'True' | 'False' => (value ? 'True' : 'False');

/** An extension attribute's value as mappings read it: a Boolean is "True"/"False", like accountEnabled. */
const extensionValue = (value: ExpressionValue): ExpressionValue =>
  typeof value === 'boolean'
    ? booleanString(value)
    : Array.isArray(value)
      ? value.map(extensionValue)
      : value;

/**
 * Builds the source view of a directory user. `IsSoftDeleted` here reflects only the
 * user's own state (disabled or in the recycle bin); {@link withScopeOutcome} sets the
 * final value once scope (assignment, scoping filters) is known.
 *
 * @example
 * const view = buildUserSourceView(user, { entitlement: { appRoleId, via: 'User' }, appRoles });
 * view.userPrincipalName // 'adele@contoso.com'
 */
export function buildUserSourceView(
  user: SourceUser,
  options: { entitlement: Entitlement | null; appRoles?: readonly AppRoleRef[] },
): SourceView {
  const view: Record<string, ExpressionValue> = {};
  // Extension attributes first, so that a badly named extension can never shadow a built-in attribute.
  for (const [name, value] of Object.entries(user.extensionAttributes ?? {}))
    view[name] = extensionValue(value);
  const role = options.entitlement ? findEntitledRole(options.entitlement, options.appRoles ?? []) : null;
  const roleNames: ExpressionValue[] = options.entitlement
    ? [role ? (role.value ?? role.displayName) : options.entitlement.appRoleId]
    : [];
  Object.assign(view, {
    objectId: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    mail: user.mail,
    mailNickname: user.mailNickname,
    department: user.department,
    jobTitle: user.jobTitle,
    employeeId: user.employeeId,
    accountEnabled: booleanString(user.accountEnabled),
    IsSoftDeleted: booleanString(!user.accountEnabled || user.deletedDateTime !== null),
    manager: user.managerId,
    appRoleAssignments: roleNames,
  } satisfies Record<string, ExpressionValue>);
  return view;
}

/** A directory group as the engine needs it (db's record fits). */
export interface SourceGroup {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string | null;
  /** Set while the group is in the recycle bin (soft-deleted). */
  deletedDateTime: string | null;
}

/**
 * Builds the source view of a directory group. Its members are not part of the view: they are
 * exported in the cycle's memberships phase, once the users exist in the target.
 *
 * @example buildGroupSourceView(group).displayName // 'Sales'
 */
export function buildGroupSourceView(group: SourceGroup): SourceView {
  return {
    objectId: group.id,
    displayName: group.displayName,
    description: group.description,
    mailNickname: group.mailNickname,
    IsSoftDeleted: booleanString(group.deletedDateTime !== null),
  };
}

/**
 * Reads a source attribute. Exact name first; then case-insensitively, because admins
 * write `[isSoftDeleted]` as often as `[IsSoftDeleted]` and nothing else could be meant.
 */
export function readSourceAttribute(view: SourceView, name: string): ExpressionValue | undefined {
  if (Object.prototype.hasOwnProperty.call(view, name)) return view[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(view)) if (key.toLowerCase() === lower) return view[key];
  return undefined;
}

/** The view with `IsSoftDeleted` set from the scope outcome: "True" whenever the user is not in scope. */
export function withScopeOutcome(view: SourceView, scope: { inScope: boolean }): SourceView {
  return { ...view, IsSoftDeleted: booleanString(!scope.inScope) };
}

/** Source attributes as strings for a log step; null and empty values are left out, as Entra shows them. */
export function sourceViewDetails(view: SourceView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in view) {
    if (!Object.hasOwn(view, key)) continue;
    const text = valueToLogString(view[key]);
    if (text !== null) out[key] = text;
  }
  return out;
}

/** One value as the provisioning logs show it; null for absent or empty. */
export function valueToLogString(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length === 0 ? null : JSON.stringify(value);
  if (typeof value === 'boolean') return booleanString(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
