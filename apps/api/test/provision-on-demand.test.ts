import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ON_DEMAND_MAX_SUBJECTS } from '@provisio/contracts';
import {
  configuredJob,
  createAppWithJob,
  createUser,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';
import { event } from './log-events';

// No worker runs here: a short wait shows the timeout, and a stand-in answers through the database
// the way a worker does (claim, then complete).
let t: TestContext;
beforeAll(async () => {
  t = await startTestApp({ onDemandTimeoutMs: 300, onDemandPollMs: 20 });
});
afterAll(async () => {
  await t.close();
});

const podUrl = (spId: string, jobId: string) =>
  `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/provisionOnDemand`;
const body = (...userIds: string[]) => ({
  parameters: [
    { ruleId: 'ProvisioToScim', subjects: userIds.map((objectId) => ({ objectId, objectTypeName: 'User' })) },
  ],
});

const provision = (spId: string, jobId: string, payload: object) =>
  t.app.inject({ method: 'POST', url: podUrl(spId, jobId), headers: { cookie: t.admin }, payload });

describe('access', () => {
  describeAccess(it, () => t, [{ method: 'POST', url: podUrl(NO_ID, 'scim.0'), payload: body(NO_ID) }]);
});

describe('validation', () => {
  let spId: string;
  let jobId: string;
  let userId: string;
  beforeAll(async () => {
    ({ spId, jobId } = await configuredJob(t, 'Validation App'));
    userId = await createUser(t, 'validation.user@contoso.com');
  });

  it('refuses more than five subjects, naming the field', async () => {
    const ids = Array.from({ length: ON_DEMAND_MAX_SUBJECTS + 1 }, () => userId);
    const res = await provision(spId, jobId, body(...ids));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('request.invalid');
    expect(errorOf(res).details?.[0]?.target).toBe('body/parameters/0/subjects');
  });

  it('refuses an empty body, no subjects and a subject without objectId', async () => {
    for (const payload of [
      {},
      { parameters: [{ ruleId: 'ProvisioToScim', subjects: [] }] },
      { parameters: [{ ruleId: 'ProvisioToScim', subjects: [{ objectTypeName: 'User' }] }] },
    ]) {
      const res = await provision(spId, jobId, payload);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).code).toBe('request.invalid');
    }
  });

  it('names an unknown rule, an unknown user, an unknown group and another object type', async () => {
    const cases: [object, string, string][] = [
      [
        { parameters: [{ ruleId: 'nope', subjects: [{ objectId: userId, objectTypeName: 'User' }] }] },
        'provisioning_on_demand.rule_not_found',
        'body/parameters/0/ruleId',
      ],
      [body(userId, NO_ID), 'provisioning_on_demand.user_not_found', 'body/parameters/0/subjects/1/objectId'],
      [
        {
          parameters: [
            {
              ruleId: 'ProvisioToScim',
              subjects: [
                {
                  objectId: userId,
                  objectTypeName: 'Group',
                  links: { members: [{ objectId: userId, objectTypeName: 'User' }] },
                },
              ],
            },
          ],
        },
        'provisioning_on_demand.group_not_found',
        'body/parameters/0/subjects/0/objectId',
      ],
      [
        {
          parameters: [
            { ruleId: 'ProvisioToScim', subjects: [{ objectId: userId, objectTypeName: 'Device' }] },
          ],
        },
        'provisioning_on_demand.object_type_not_supported',
        'body/parameters/0/subjects/0/objectTypeName',
      ],
    ];
    for (const [payload, code, target] of cases) {
      const res = await provision(spId, jobId, payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(errorOf(res).code).toBe(code);
      expect(errorOf(res).details?.[0]?.target).toBe(target);
    }
    expect(await t.db.onDemand.listRequestTimesSince(jobId, '2000-01-01T00:00:00Z')).toEqual([]);
  });

  it('takes one group at a time, with direct members only', async () => {
    const group = await t.db.directory.insertGroup({ displayName: 'On demand validation' });
    const member = await createUser(t, 'validation.member@contoso.com');
    await t.db.directory.addMember(group.id, member);
    const groupSubject = (...members: string[]) => ({
      objectId: group.id,
      objectTypeName: 'Group',
      links: { members: members.map((objectId) => ({ objectId, objectTypeName: 'User' })) },
    });
    const inner = await t.db.directory.insertGroup({ displayName: 'On demand inner' });
    await t.db.directoryExtensions.addMemberGroup(group.id, inner.id);
    const at = 'body/parameters/0/subjects/0';
    const cases: [object[], string, string, string | undefined][] = [
      [
        [groupSubject(member), { objectId: userId, objectTypeName: 'User' }],
        'provisioning_on_demand.one_group_per_request',
        'body/parameters/0/subjects',
        undefined,
      ],
      [
        [groupSubject(member, userId)],
        'provisioning_on_demand.not_a_member',
        `${at}/links/members/1/objectId`,
        `${at}/links/members/1/objectId: the user validation.user@contoso.com is not a direct member of the group On demand validation. Pick members from GET /api/v1.0/groups/${group.id}/members.`,
      ],
      [
        [groupSubject(inner.id)],
        'provisioning_on_demand.not_a_member',
        `${at}/links/members/0/objectId`,
        `${at}/links/members/0/objectId: '${inner.id}' is the group On demand inner, not a user: nested groups are not provisioned, only a group's direct user members.`,
      ],
      [
        [groupSubject(NO_ID)],
        'provisioning_on_demand.not_a_member',
        `${at}/links/members/0/objectId`,
        `${at}/links/members/0/objectId: the directory has no user '${NO_ID}'. Pick members from GET /api/v1.0/groups/${group.id}/members.`,
      ],
      [
        [{ objectId: group.id, objectTypeName: 'User' }],
        'provisioning_on_demand.user_not_found',
        `${at}/objectId`,
        `${at}/objectId: '${group.id}' is the group On demand validation, not a user. Set objectTypeName to Group to provision it.`,
      ],
      [
        [{ objectId: member, objectTypeName: 'Group' }],
        'provisioning_on_demand.group_not_found',
        `${at}/objectId`,
        `${at}/objectId: '${member}' is the user validation.member@contoso.com, not a group. Set objectTypeName to User to provision it.`,
      ],
      [
        [{ ...groupSubject(member), objectId: member, objectTypeName: 'User' }],
        'provisioning_on_demand.members_of_user',
        `${at}/links/members`,
        `${at}/links/members: only a group has members to provision with it. Remove links.members, or send the group as the subject (objectTypeName Group) with these users as its members.`,
      ],
    ];
    for (const [subjects, code, target, message] of cases) {
      const res = await provision(spId, jobId, { parameters: [{ ruleId: 'ProvisioToScim', subjects }] });
      expect(res.statusCode, res.body).toBe(400);
      expect(errorOf(res).code).toBe(code);
      expect(errorOf(res).details?.[0]?.target).toBe(target);
      if (message) expect(errorOf(res).message).toBe(message);
    }
  });

  it('needs saved credentials (400 provisioning_job.not_configured) and an existing job (404)', async () => {
    const { spId: bare, jobId: bareJob } = await createAppWithJob(t, 'No Credentials App');
    const res = await provision(bare, bareJob, body(userId));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('provisioning_job.not_configured');
    const missing = await provision(spId, 'scim.missing', body(userId));
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('provisioning_job.not_found');
  });
});

describe('waiting for the worker', () => {
  it('answers 504 provisioning_on_demand.timeout when no worker claims the request, and cancels it', async () => {
    const { spId, jobId } = await configuredJob(t, 'Timeout App');
    const userId = await createUser(t, 'timeout.user@contoso.com');
    const res = await provision(spId, jobId, body(userId));
    expect(res.statusCode).toBe(504);
    expect(errorOf(res).code).toBe('provisioning_on_demand.timeout');
    expect(errorOf(res).message).toMatch(/worker/);
    // Expired: a worker starting later does not run it behind the caller's back.
    expect(await t.db.onDemand.claimRequest('late-worker', new Date(), 30_000)).toBeNull();
  });

  it('says so when a cycle of the job holds its lease', async () => {
    const { spId, jobId } = await configuredJob(t, 'Busy App');
    const userId = await createUser(t, 'busy.user@contoso.com');
    await t.sql.run('UPDATE provisioning_jobs SET lease_owner = ?, lease_expires_at = ? WHERE id = ?', [
      'cycle-worker',
      new Date(Date.now() + 60_000).toISOString(),
      jobId,
    ]);
    const res = await provision(spId, jobId, body(userId));
    expect(res.statusCode).toBe(504);
    expect(errorOf(res).code).toBe('provisioning_on_demand.timeout');
    expect(errorOf(res).message).toMatch(/cycle .* is running/);
  });

  it('answers with Graph’s stringKeyStringValuePair and the events once a worker has written them', async () => {
    const { spId, jobId } = await configuredJob(t, 'Answer App');
    const userId = await createUser(t, 'answer.user@contoso.com');
    const pending = provision(spId, jobId, body(userId));
    // The stand-in worker.
    let claimed = null;
    for (let i = 0; i < 50 && !claimed; i += 1) {
      claimed = await t.db.onDemand.claimRequest('stand-in', new Date(), 30_000);
      if (!claimed) await new Promise((r) => setTimeout(r, 5));
    }
    expect(claimed).toMatchObject({
      jobId,
      status: 'Running',
      subjects: [{ objectId: userId, objectTypeName: 'User' }],
      requestedBy: { userName: 'admin' },
    });
    // Claimed with the job's lease: no cycle of the job starts meanwhile.
    expect((await t.db.jobs.findJob(jobId))?.leaseOwner).toBe('stand-in');
    const created = { ...event(1), jobId, cycleId: claimed!.id };
    await t.db.onDemand.completeRequest(
      claimed!.id,
      'stand-in',
      { status: 'Succeeded', results: [{ objectId: userId, event: created, error: null }], error: null },
      new Date(),
    );
    const res = await pending;
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as { key: string; value: string; provisioningEvents: unknown[] };
    expect(answer).toMatchObject({ '@odata.type': '#microsoft.graph.stringKeyStringValuePair' });
    expect(JSON.parse(answer.key)).toEqual({ result: 'Success', details: {} });
    expect(JSON.parse(answer.value)).toMatchObject({
      action: 'Create',
      changeId: created.changeId,
      statusInfo: { status: 'Success' },
      provisioningSteps: expect.arrayContaining([expect.objectContaining({ type: expect.any(String) })]),
    });
    expect(answer.provisioningEvents).toEqual([created]);
    // Entra writes no audit event for provisioning on demand.
    expect(
      (await t.db.events.listAuditEvents({}, { top: 1000 })).items.map((e) => e.activityDisplayName),
    ).not.toContain('Provision on demand');
  });

  it('answers 400 provisioning_on_demand.failed with the worker’s reason when nothing could be provisioned', async () => {
    const { spId, jobId } = await configuredJob(t, 'Failing App');
    const userId = await createUser(t, 'failing.user@contoso.com');
    const pending = provision(spId, jobId, body(userId));
    let claimed = null;
    for (let i = 0; i < 50 && !claimed; i += 1) {
      claimed = await t.db.onDemand.claimRequest('stand-in', new Date(), 30_000);
      if (!claimed) await new Promise((r) => setTimeout(r, 5));
    }
    await t.db.onDemand.completeRequest(
      claimed!.id,
      'stand-in',
      {
        status: 'Failed',
        results: [],
        error: { code: 'mapping.no_user_mapping', message: 'The job has no enabled user mapping.' },
      },
      new Date(),
    );
    const res = await pending;
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({
      code: 'provisioning_on_demand.failed',
      message: 'The job has no enabled user mapping.',
    });
  });
});

describe('rate limit', () => {
  it('takes 5 requests per 10 seconds per job, then answers 429 with Retry-After', async () => {
    const { spId, jobId } = await configuredJob(t, 'Rate App');
    const other = await configuredJob(t, 'Other Rate App');
    const userId = await createUser(t, 'rate.user@contoso.com');
    const answers = await Promise.all(Array.from({ length: 5 }, () => provision(spId, jobId, body(userId))));
    expect(answers.map((r) => r.statusCode)).toEqual([504, 504, 504, 504, 504]);
    const sixth = await provision(spId, jobId, body(userId));
    expect(sixth.statusCode).toBe(429);
    expect(errorOf(sixth).code).toBe('provisioning_on_demand.too_many_requests');
    const retryAfter = Number(sixth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    // Per job: another job's requests are not counted.
    expect((await provision(other.spId, other.jobId, body(userId))).statusCode).toBe(504);
  });
});
