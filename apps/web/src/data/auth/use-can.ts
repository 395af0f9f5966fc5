import { ROLE_LABEL, type Role } from '@provisio/contracts';
import { useMeQuery } from './me-query';

export { ROLE_LABEL };

/** What each role may do, in one line (New account, Change role, New token). */
export const ROLE_DESCRIPTION: Record<Role, string> = {
  Administrator: 'manages everything, portal accounts and API tokens included',
  ApplicationAdministrator:
    'manages applications, provisioning, assignments, mappings and the directory; not accounts or tokens',
  ReportsReader:
    'reads the applications, their status, the provisioning logs and the audit logs; changes nothing',
};

export const ROLES: readonly Role[] = ['Administrator', 'ApplicationAdministrator', 'ReportsReader'];

export interface Can {
  /** Change applications, provisioning, assignments, mappings and the directory. */
  manage: boolean;
  /** Manage portal accounts and API tokens. */
  admin: boolean;
  /** The signed-in role, or null while it loads. */
  role: Role | null;
}

/** What a role may do, as the API decides it (`apps/api/src/plugins/access.ts`). */
export function canOf(role: Role | null | undefined): Can {
  return {
    manage: role === 'Administrator' || role === 'ApplicationAdministrator',
    admin: role === 'Administrator',
    role: role ?? null,
  };
}

/**
 * What the signed-in account may do, so a page shows only the controls its role can use.
 * The API checks every request anyway; this only spares people buttons that would answer 403.
 */
export function useCan(): Can {
  const me = useMeQuery();
  return canOf(me.data?.role);
}
