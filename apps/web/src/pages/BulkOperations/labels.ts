import type { BulkOperation, BulkOperationKind, BulkOperationStatus } from '@provisio/contracts';

/** Entra's names for the three bulk operations. */
export const KIND_LABEL: Record<BulkOperationKind, string> = {
  create: 'Bulk create',
  update: 'Bulk update',
  delete: 'Bulk delete',
};

export const KIND_HINT: Record<BulkOperationKind, string> = {
  create:
    'Creates a user for each row: userPrincipalName and displayName are required, the other attributes are optional. Users have no password in this directory.',
  update:
    'Changes the users named by id (or, without an id, by userPrincipalName); an empty cell leaves the attribute as it is. With an id, a userPrincipalName renames the user.',
  delete:
    'Moves the users named by id or userPrincipalName to Deleted users, where they can be restored; provisioning disables their accounts.',
};

export const STATUS_LABEL: Record<BulkOperationStatus, string> = {
  notStarted: 'Not started',
  validating: 'Validating',
  running: 'In progress',
  succeeded: 'Succeeded',
  completedWithErrors: 'Completed with errors',
  failed: 'Failed',
};

export const isBulkKind = (value: string | null): value is BulkOperationKind =>
  value === 'create' || value === 'update' || value === 'delete';

/** The sentence under the progress bar. */
export function progressText(op: BulkOperation): string {
  const n = (v: number) => v.toLocaleString('en-US');
  switch (op.status) {
    case 'notStarted':
      return 'Waiting for the bulk operation before it to finish…';
    case 'validating':
      return `Validating every row before applying any: ${n(op.validated)} rows checked, ${n(op.failed)} rejected so far.`;
    case 'running':
      return `${n(op.processed)} of ${n(op.total)} rows done: ${n(op.succeeded)} applied, ${n(op.failed)} rejected.`;
    default:
      return `${n(op.total)} rows: ${n(op.succeeded)} applied, ${n(op.failed)} rejected.`;
  }
}
