import type { ProvisioningAction, ProvisioningStepType } from '@provisio/contracts';

export const ACTION_LABEL: Record<ProvisioningAction, string> = {
  create: 'Create',
  update: 'Update',
  delete: 'Delete',
  stagedDelete: 'StagedDelete',
  disable: 'Disable',
  other: 'Other',
};

/** The step headings of the Entra details pane, by step type. */
export const STEP_TITLE: Record<ProvisioningStepType, string> = {
  import: 'Import the object',
  scoping: 'Determine if the object is in scope',
  matching: 'Match the object between source and target',
  processing: 'Evaluate the object before synchronization',
  referenceResolution: 'Resolve references',
  export: 'Provision the object',
};
