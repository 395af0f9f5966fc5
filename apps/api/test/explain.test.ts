import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explanation } from '@provisio/contracts';
import {
  createAppWithJob,
  createUser,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';

// Explain's route: who may call it and what it answers before the job can reach an application
// (e2e/specs/explain.spec.ts checks every problem against the events the worker writes).
let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const url = (spId: string, jobId: string, objectId: string) =>
  `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/explain?objectId=${objectId}`;

describe('access', () => {
  describeAccess(it, () => t, [{ method: 'GET', url: url(NO_ID, 'scim.0', NO_ID) }]);
});

describe('GET …/jobs/{jobId}/explain', () => {
  it('answers every role; a job without credentials is explained first', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Explained App');
    const userId = await createUser(t, 'explained@contoso.com');
    for (const cookie of [t.admin, t.appAdmin, t.reader]) {
      const res = await t.app.inject({ url: url(spId, jobId, userId), headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.json<Explanation>()).toMatchObject({
        willProvision: false,
        action: 'none',
        reason: 'Provisioning of Explained App is not configured: it has no Tenant URL and Secret Token.',
      });
    }
  });

  it('404 for an object the directory does not have; 400 without objectId', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Explained App 2');
    const missing = await t.app.inject({ url: url(spId, jobId, NO_ID), headers: { cookie: t.admin } });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('explain.object_not_found');
    const none = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/explain`,
      headers: { cookie: t.admin },
    });
    expect(none.statusCode).toBe(400);
    expect(errorOf(none).details?.[0]?.target).toContain('objectId');
  });
});
