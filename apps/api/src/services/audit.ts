import type { DirectoryAudit, ModifiedProperty } from '@provisio/contracts';
import { timeOrderedId, type ProvisioDb } from '@provisio/db';
import type { Actor, RequestContext, RequestOrigin } from './context';

export const PROVISIONING_SERVICE = 'Account Provisioning';
export const DIRECTORY_SERVICE = 'Core Directory';

export type AuditCategory =
  | 'ProvisioningManagement'
  | 'ApplicationManagement'
  | 'UserManagement'
  | 'GroupManagement'
  | 'DirectoryManagement'
  | 'RoleManagement'
  | 'Authentication';

export interface AuditTarget {
  id: string;
  displayName: string;
  type: string;
  modifiedProperties?: ModifiedProperty[];
}

export interface AuditInput {
  category: AuditCategory;
  activity: string;
  operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign';
  /** The first target is the one the audit log filters by (the application for provisioning events). */
  targets: AuditTarget[];
  resultReason?: string;
  additionalDetails?: Record<string, string>;
}

/**
 * Writes one audit event (Graph's `directoryAudit`) for a change the signed-in
 * account made. Call it inside the transaction of the change it records, so
 * the change and its audit event are stored together or not at all.
 */
export async function recordAudit(
  db: ProvisioDb,
  ctx: RequestContext,
  now: Date,
  input: AuditInput,
): Promise<DirectoryAudit> {
  const event: DirectoryAudit = {
    id: timeOrderedId(now.getTime()),
    category: input.category,
    correlationId: ctx.requestId,
    result: 'success',
    resultReason: input.resultReason ?? '',
    activityDisplayName: input.activity,
    activityDateTime: now.toISOString(),
    loggedByService: input.category === 'ProvisioningManagement' ? PROVISIONING_SERVICE : DIRECTORY_SERVICE,
    operationType: input.operationType,
    initiatedBy: initiatorOf(ctx.actor),
    targetResources: input.targets.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      type: t.type,
      modifiedProperties: t.modifiedProperties ?? [],
    })),
    additionalDetails: detailsWithOrigin(input.additionalDetails, ctx.from),
  };
  await db.events.insertAuditEvent(event);
  return event;
}

/** An account acts as a user; an API token as an app named after the token. */
function initiatorOf(actor: Actor): DirectoryAudit['initiatedBy'] {
  return actor.via === 'token'
    ? { user: null, app: { displayName: `${actor.userName} (API token)`, servicePrincipalId: null } }
    : { user: { id: actor.id, displayName: actor.userName, userPrincipalName: actor.userName }, app: null };
}

function detailsWithOrigin(details: Record<string, string> | undefined, from: RequestOrigin | undefined) {
  const all = { ...details, ...(from ? { IpAddress: from.ip, UserAgent: from.userAgent } : {}) };
  return Object.entries(all).map(([key, value]) => ({ key, value }));
}

/**
 * The audit event of a sign-in attempt, a lockout or a sign-out, which may have no account
 * behind it (an unknown user name): who was named, from where, and how it ended.
 */
export async function recordAuthenticationAudit(
  db: ProvisioDb,
  now: Date,
  input: {
    activity: string;
    result: 'success' | 'failure';
    resultReason: string;
    userName: string;
    accountId: string | null;
    requestId: string;
    from: RequestOrigin;
  },
): Promise<void> {
  await db.events.insertAuditEvent({
    id: timeOrderedId(now.getTime()),
    category: 'Authentication',
    correlationId: input.requestId,
    result: input.result,
    resultReason: input.resultReason,
    activityDisplayName: input.activity,
    activityDateTime: now.toISOString(),
    loggedByService: DIRECTORY_SERVICE,
    operationType: 'Update',
    initiatedBy: {
      user: { id: input.accountId ?? '', displayName: input.userName, userPrincipalName: input.userName },
      app: null,
    },
    targetResources: [
      { id: input.accountId ?? '', displayName: input.userName, type: 'Account', modifiedProperties: [] },
    ],
    additionalDetails: detailsWithOrigin(undefined, input.from),
  });
}

const show = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** The properties whose value differs between two versions of an object, as audit modified properties. */
export function diffProperties<T extends object>(
  before: T,
  after: T,
  keys: readonly (keyof T & string)[],
): ModifiedProperty[] {
  const out: ModifiedProperty[] = [];
  for (const key of keys) {
    const a = show(before[key]);
    const b = show(after[key]);
    if (a !== b) out.push({ displayName: key, oldValue: a, newValue: b });
  }
  return out;
}
