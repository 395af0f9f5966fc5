/** The Users list's filters, as the portal offers them. */
export interface UserListFilters {
  /** Exact department (case-insensitive); empty: any. */
  department: string;
  /** Account enabled or not; `all`: either. */
  enabled: 'all' | 'enabled' | 'disabled';
  /** Users assigned to this application (directly or through a group); empty: any. */
  servicePrincipalId: string;
}

export const NO_USER_FILTERS: UserListFilters = { department: '', enabled: 'all', servicePrincipalId: '' };

/** An OData text literal: quotes doubled. */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The API's `$filter` for the Users list's filters, or undefined when none is set.
 *
 * @example userListFilter({ department: 'Sales', enabled: 'disabled', servicePrincipalId: '' })
 *   // "department eq 'Sales' and accountEnabled eq false"
 */
export function userListFilter(filters: UserListFilters): string | undefined {
  const parts: string[] = [];
  const department = filters.department.trim();
  if (department) parts.push(`department eq ${literal(department)}`);
  if (filters.enabled !== 'all') parts.push(`accountEnabled eq ${filters.enabled === 'enabled'}`);
  if (filters.servicePrincipalId)
    parts.push(`appRoleAssignments/any(a:a/resourceId eq ${literal(filters.servicePrincipalId)})`);
  return parts.length ? parts.join(' and ') : undefined;
}
