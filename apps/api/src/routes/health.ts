import { provisioningHealthSchema } from '@provisio/contracts';
import { errors, type RoutePlugin } from './common';

/** Provisioning across applications (our addition); every role may read it. */
export const healthRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/provisioningHealth',
    {
      config: { access: 'read' },
      schema: {
        tags: ['provisioning'],
        summary:
          'Our addition: every application with a provisioning job — what it is doing now (Idle, Queued, InProgress with its progress), its next cycle, its last cycle and escrows — and the reasons it needs attention (rejected credentials, quarantine, a failed cycle, objects in escrow), each with where it is fixed.',
        response: { 200: provisioningHealthSchema, ...errors() },
      },
    },
    async () => services.provisioningHealth.summarize(),
  );
};
