import type { ProvisioningObjectSummary } from '@provisio/contracts';

const DONE: Record<ProvisioningObjectSummary['provisioningAction'], string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  stagedDelete: 'marked for deletion',
  disable: 'disabled',
  other: 'processed',
};

const INTENDED: Record<ProvisioningObjectSummary['provisioningAction'], string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  stagedDelete: 'marked for deletion',
  disable: 'disabled',
  other: 'provisioned',
};

/** The reason of a skip or failure without its closing full stop, to end a sentence of our own. */
function reasonOf(event: ProvisioningObjectSummary): string | null {
  const info = event.provisioningStatusInfo.errorInformation;
  const text = (info?.reason || info?.errorCode || '').trim();
  return text ? text.replace(/\.$/, '') : null;
}

/**
 * The heading of one provision-on-demand result, as a sentence: "Aisha Nguyen was created.",
 * "Aisha Nguyen was skipped: the user is not assigned to the application.", "Aisha Nguyen could
 * not be updated: …".
 */
export function resultHeadline(event: ProvisioningObjectSummary): string {
  const name = event.sourceIdentity.displayName || event.sourceIdentity.id || 'The object';
  const reason = reasonOf(event);
  const because = reason ? `: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}.` : '.';
  const action = event.provisioningAction;
  switch (event.provisioningStatusInfo.status) {
    case 'success':
      return `${name} was ${DONE[action]}.`;
    case 'skipped':
      return `${name} was skipped${because}`;
    case 'failure':
      return `${name} could not be ${INTENDED[action]}${because}`;
    case 'warning':
      return `${name} was ${DONE[action]} with a warning${because}`;
  }
}
