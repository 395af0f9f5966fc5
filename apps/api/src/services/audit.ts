import { randomUUID } from 'node:crypto';
import type { DirectoryAudit, ModifiedProperty } from '@provisio/contracts';
import type { ProvisioDb } from '@provisio/db';
import type { RequestContext } from './context';

export const PROVISIONING_SERVICE = 'Account Provisioning';
export const DIRECTORY_SERVICE = 'Core Directory';

export type AuditCategory =
  | 'ProvisioningManagement'
  | 'ApplicationManagement'
  | 'UserManagement'
  | 'GroupManagement'
  | 'RoleManagement';

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
export function recordAudit(
  db: ProvisioDb,
  ctx: RequestContext,
  now: Date,
  input: AuditInput,
): DirectoryAudit {
  const event: DirectoryAudit = {
    id: randomUUID(),
    category: input.category,
    correlationId: ctx.requestId,
    result: 'success',
    resultReason: input.resultReason ?? '',
    activityDisplayName: input.activity,
    activityDateTime: now.toISOString(),
    loggedByService: input.category === 'ProvisioningManagement' ? PROVISIONING_SERVICE : DIRECTORY_SERVICE,
    operationType: input.operationType,
    initiatedBy: {
      user: { id: ctx.actor.id, displayName: ctx.actor.userName, userPrincipalName: ctx.actor.userName },
      app: null,
    },
    targetResources: input.targets.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      type: t.type,
      modifiedProperties: t.modifiedProperties ?? [],
    })),
    additionalDetails: Object.entries(input.additionalDetails ?? {}).map(([key, value]) => ({ key, value })),
  };
  db.events.insertAuditEvent(event);
  return event;
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
