import type { DirectoryAudit } from '@provisio/contracts';

/** "Initiated by (actor)": the user's principal name, or the application (the provisioning service). */
export function initiatorName(event: DirectoryAudit): string {
  if (event.initiatedBy.user)
    return event.initiatedBy.user.userPrincipalName || event.initiatedBy.user.displayName;
  if (event.initiatedBy.app) return event.initiatedBy.app.displayName;
  return '—';
}
