import type { AppRole, AppRoleInput } from '@provisio/contracts';

/** Who may be assigned the role, as the form offers it. */
export type MemberChoice = 'User' | 'Application' | 'Both';

export const MEMBER_CHOICES: { value: MemberChoice; label: string }[] = [
  { value: 'User', label: 'Users/Groups' },
  { value: 'Application', label: 'Applications' },
  { value: 'Both', label: 'Both (Users/Groups + Applications)' },
];

export const memberTypesOf = (choice: MemberChoice): string[] =>
  choice === 'Both' ? ['User', 'Application'] : [choice];

export const choiceOf = (types: readonly string[]): MemberChoice =>
  types.includes('User') && types.includes('Application')
    ? 'Both'
    : types.includes('Application')
      ? 'Application'
      : 'User';

export const memberTypesLabel = (types: readonly string[]): string =>
  MEMBER_CHOICES.find((c) => c.value === choiceOf(types))?.label ?? types.join(', ');

export interface AppRoleFormValues {
  displayName: string;
  members: MemberChoice;
  value: string;
  description: string;
  isEnabled: boolean;
}

export const formValuesOf = (role: AppRole | null): AppRoleFormValues => ({
  displayName: role?.displayName ?? '',
  members: role ? choiceOf(role.allowedMemberTypes) : 'User',
  value: role?.value ?? '',
  description: role?.description ?? '',
  isEnabled: role?.isEnabled ?? true,
});

/** A random GUID for a new role (also where `crypto.randomUUID` is missing: plain http). */
export function newRoleId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The role a form describes, keeping the id of the role it edits. */
export const roleOf = (id: string, v: AppRoleFormValues): AppRoleInput => ({
  id,
  displayName: v.displayName.trim(),
  value: v.value.trim() === '' ? null : v.value.trim(),
  description: v.description.trim(),
  allowedMemberTypes: memberTypesOf(v.members),
  isEnabled: v.isEnabled,
});

/** The problems the API would refuse that the contract's shape does not express, by field. */
export function roleProblems(
  role: AppRoleInput,
  others: readonly AppRole[],
): Partial<Record<'displayName' | 'value', string>> {
  const out: Partial<Record<'displayName' | 'value', string>> = {};
  if (role.displayName === '') out.displayName = 'Enter a display name, such as Administrator.';
  const value = role.value ?? '';
  if (/\s/.test(value) || value.startsWith('.'))
    out.value = 'A value may not contain spaces or start with a dot; use e.g. Admin or Task.Write.';
  else if (value !== '' && others.some((r) => (r.value ?? '').toLowerCase() === value.toLowerCase()))
    out.value = `Another role already has the value ${value}; values must be unique.`;
  return out;
}
