import { DEFAULT_DELETED_USER_DAYS, type DirectoryAudit } from '@provisio/contracts';
import { PROVISIONING_SERVICE_NAME } from './provisioning-event';

export { DEFAULT_DELETED_USER_DAYS };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When a user deleted at `deletedDateTime` leaves *Deleted users* for good: `days` later.
 *
 * @example permanentDeletionDateTime('2025-01-01T00:00:00.000Z', 30) // '2025-01-31T00:00:00.000Z'
 */
export function permanentDeletionDateTime(deletedDateTime: string, days: number): string {
  return new Date(Date.parse(deletedDateTime) + days * DAY_MS).toISOString();
}

/** Users deleted before this instant have spent their `days` in *Deleted users*: they go for good. */
export function deletedUserPurgeCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * The audit event of a user deleted permanently because its days in *Deleted users* ran out
 * (Entra's "Hard delete user"), initiated by the provisioning service rather than a person.
 */
export function deletedUserPurgeAuditEvent(input: {
  id: string;
  time: Date;
  user: { id: string; userPrincipalName: string; deletedDateTime: string };
  days: number;
}): DirectoryAudit {
  return {
    id: input.id,
    category: 'UserManagement',
    correlationId: input.id,
    result: 'success',
    resultReason: `Deleted permanently: ${input.days} days in Deleted users have passed since ${input.user.deletedDateTime}.`,
    activityDisplayName: 'Hard delete user',
    activityDateTime: input.time.toISOString(),
    loggedByService: 'Core Directory',
    operationType: 'Delete',
    initiatedBy: { user: null, app: { displayName: PROVISIONING_SERVICE_NAME, servicePrincipalId: null } },
    targetResources: [
      { id: input.user.id, displayName: input.user.userPrincipalName, type: 'User', modifiedProperties: [] },
    ],
    additionalDetails: [{ key: 'DeletedDateTime', value: input.user.deletedDateTime }],
  };
}
