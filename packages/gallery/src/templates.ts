import type { SynchronizationSchema } from '@provisio/contracts';
import { defaultScimSchema } from './scim-schema';

/** An application template: what "New application" offers. */
export interface ApplicationTemplate {
  id: string;
  displayName: string;
  description: string;
  /** Synchronization template id a job is created from (`scim` for SCIM 2.0). */
  synchronizationTemplateId: string;
  defaultSchema(jobId: string): SynchronizationSchema;
}

export const nonGalleryScimTemplate: ApplicationTemplate = {
  id: 'scim',
  displayName: 'SCIM 2.0 application (non-gallery)',
  description: 'Any application with a SCIM 2.0 endpoint: enter its Tenant URL and Secret Token.',
  synchronizationTemplateId: 'scim',
  defaultSchema: defaultScimSchema,
};

export const applicationTemplates: readonly ApplicationTemplate[] = [nonGalleryScimTemplate];

export function findSynchronizationTemplate(templateId: string): ApplicationTemplate | undefined {
  return applicationTemplates.find((t) => t.synchronizationTemplateId === templateId);
}
