import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppWithJob, describeAccess, errorOf, NO_ID, startTestApp, type TestContext } from './helpers';
import { event, OTHER_SP, SP } from './log-events';

let t: TestContext;

beforeAll(async () => {
  t = await startTestApp();
  const events: ProvisioningObjectSummary[] = [];
  for (let i = 0; i < 30; i += 1) {
    events.push(
      event(i, {
        action: i % 3 === 0 ? 'create' : i % 3 === 1 ? 'update' : 'disable',
        status: i % 5 === 0 ? 'failure' : i % 5 === 1 ? 'skipped' : 'success',
        cycleId: i < 15 ? 'cycle-a' : 'cycle-b',
      }),
    );
  }
  events.push(event(40, { sp: OTHER_SP, name: 'Zoë Østergaard' }));
  events.push(event(41, { name: "Ciarán O'Brien" }));
  await t.db.events.insertProvisioningEvents(events);
});
afterAll(async () => {
  await t.close();
});

type Page<T> = { value: T[]; '@odata.nextLink'?: string };
async function list(query: string, cookie = t.reader): Promise<Page<ProvisioningObjectSummary>> {
  const res = await t.app.inject({ url: `/api/v1.0/auditLogs/provisioning${query}`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json() as Page<ProvisioningObjectSummary>;
}
const q = (filter: string) => `?$filter=${encodeURIComponent(filter)}&$top=1000`;

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: '/api/v1.0/auditLogs/provisioning', readerAllowed: true },
    { method: 'GET', url: '/api/v1.0/auditLogs/provisioning/evt-001', readerAllowed: true },
    { method: 'GET', url: '/api/v1.0/auditLogs/directoryAudits', readerAllowed: true },
    { method: 'GET', url: `/api/v1.0/auditLogs/directoryAudits/${NO_ID}`, readerAllowed: true },
  ]);
});

describe('GET /api/v1.0/auditLogs/provisioning', () => {
  it('lists newest first, 50 per page by default, for Administrators and Reports Readers', async () => {
    for (const cookie of [t.admin, t.reader]) {
      const page = await list('', cookie);
      expect(page.value).toHaveLength(32);
      expect(page.value[0]!.id).toBe('evt-041');
      expect(page.value[0]).toMatchObject({ provisioningAction: 'create', servicePrincipal: { id: SP } });
    }
  });

  it('pages with $top and @odata.nextLink carrying the filter, in either order', async () => {
    for (const [orderby, first] of [
      ['activityDateTime desc', 'evt-029'],
      ['activityDateTime asc', 'evt-000'],
    ] as const) {
      const filter = encodeURIComponent("servicePrincipal/id eq 'sp-logs-1'");
      let url: string | undefined =
        `/api/v1.0/auditLogs/provisioning?$filter=${filter}&$top=7&$orderby=${encodeURIComponent(orderby)}`;
      const ids: string[] = [];
      let pages = 0;
      while (url) {
        const res = await t.app.inject({ url, headers: { cookie: t.reader } });
        expect(res.statusCode).toBe(200);
        const page = res.json() as Page<ProvisioningObjectSummary>;
        ids.push(...page.value.map((e) => e.id));
        if (page['@odata.nextLink']) {
          expect(decodeURIComponent(page['@odata.nextLink'])).toContain(
            "$filter=servicePrincipal/id eq 'sp-logs-1'&$top=7",
          );
          expect(page['@odata.nextLink']).toMatch(
            /^http:\/\/localhost\/api\/v1\.0\/auditLogs\/provisioning\?.*\$skiptoken=/,
          );
        }
        url = page['@odata.nextLink'];
        pages += 1;
      }
      expect(pages).toBe(5);
      expect(ids).toHaveLength(31);
      expect(new Set(ids).size).toBe(31);
      expect(ids[0]).toBe(first === 'evt-029' ? 'evt-041' : first);
    }
  });

  it.each<[string, (e: ProvisioningObjectSummary) => boolean]>([
    ["provisioningAction eq 'create'", (e) => e.provisioningAction === 'create'],
    ["provisioningStatusInfo/status eq 'failure'", (e) => e.provisioningStatusInfo.status === 'failure'],
    ["provisioningStatusInfo/status ne 'success'", (e) => e.provisioningStatusInfo.status !== 'success'],
    [
      "(provisioningAction eq 'update' or provisioningAction eq 'disable') and provisioningStatusInfo/status eq 'success'",
      (e) =>
        ['update', 'disable'].includes(e.provisioningAction) && e.provisioningStatusInfo.status === 'success',
    ],
    [
      'activityDateTime ge 2026-11-01T00:10:00Z and activityDateTime lt 2026-11-01T00:20:00Z',
      (e) => e.activityDateTime >= '2026-11-01T00:10' && e.activityDateTime < '2026-11-01T00:20',
    ],
    ["servicePrincipal/id eq 'sp-logs-2'", (e) => e.servicePrincipal.id === OTHER_SP],
    ["jobId eq 'scim.other'", (e) => e.jobId === 'scim.other'],
    ["cycleId eq 'cycle-b'", (e) => e.cycleId === 'cycle-b'],
    ["changeId eq 'change-7'", (e) => e.changeId === 'change-7'],
    ["id eq 'evt-003' or id eq 'evt-004'", (e) => ['evt-003', 'evt-004'].includes(e.id)],
    ["sourceIdentity/id eq 'user-9'", (e) => e.sourceIdentity.id === 'user-9'],
    ["targetIdentity/id eq 'target-9'", (e) => e.targetIdentity.id === 'target-9'],
    ["contains(sourceIdentity/displayName, 'zoë')", (e) => e.sourceIdentity.displayName === 'Zoë Østergaard'],
    [
      "contains(tolower(targetIdentity/displayName), 'o''brien')",
      (e) => e.targetIdentity.displayName === "Ciarán O'Brien",
    ],
    ["jobId eq 'a' and jobId eq 'b'", () => false],
  ])('filters with %s', async (filter, predicate) => {
    const page = await list(q(filter));
    const all = (await list('?$top=1000')).value;
    const expected = all.filter(predicate).map((e) => e.id);
    expect(page.value.map((e) => e.id)).toEqual(expected);
  });

  it.each([
    ["colour eq 'blue'", 'Unknown property'],
    ["provisioningAction eq 'create' or jobId eq 'x'", "'or' across different properties"],
    ["provisioningAction eq 'create", 'closing quote'],
    ["activityDateTime gt 'tomorrow'", 'needs a date'],
    ['activityDateTime gt tomorrow', "Put text in single quotes: 'tomorrow'"],
  ])(
    'answers 400 filter.invalid naming the position and the supported properties for %s',
    async (filter, fragment) => {
      const res = await t.app.inject({
        url: `/api/v1.0/auditLogs/provisioning${q(filter)}`,
        headers: { cookie: t.reader },
      });
      expect(res.statusCode).toBe(400);
      const error = errorOf(res);
      expect(error.code).toBe('filter.invalid');
      expect(error.details?.[0]?.target).toBe('querystring/$filter');
      expect(error.message).toContain(fragment);
      expect(error.message).toMatch(/position \d+/);
      expect(error.message).toContain('Supported properties: provisioningStatusInfo/status');
    },
  );

  it('answers 400 naming the parameter for a bad $top, $orderby or $skiptoken', async () => {
    for (const [query, target] of [
      ['?$top=1001', 'querystring/$top'],
      ['?$top=0', 'querystring/$top'],
      ['?$orderby=displayName', 'querystring/$orderby'],
      ['?$skiptoken=nope', 'querystring/$skiptoken'],
    ] as const) {
      const res = await t.app.inject({
        url: `/api/v1.0/auditLogs/provisioning${query}`,
        headers: { cookie: t.reader },
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).details?.[0]?.target).toBe(target);
    }
    expect((await list('?$top=1000')).value).toHaveLength(32);
  });

  it('filters by source system and target system (the application, by its name)', async () => {
    const { spId } = await createAppWithJob(t, 'Target System App');
    await t.db.events.insertProvisioningEvents([event(801, { sp: spId }), event(802, { sp: spId })]);
    const list = async (filter: string) => {
      const res = await t.app.inject({
        url: `/api/v1.0/auditLogs/provisioning?$top=999&$filter=${encodeURIComponent(filter)}`,
        headers: { cookie: t.reader },
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().value as ProvisioningObjectSummary[]).map((e) => e.id);
    };
    expect(await list("targetSystem/displayName eq 'Target System App'")).toEqual(['evt-802', 'evt-801']);
    expect(
      await list(
        "targetSystem/displayName eq 'Target System App' and sourceSystem/displayName eq 'Provisio Directory'",
      ),
    ).toEqual(['evt-802', 'evt-801']);
    expect(await list("sourceSystem/displayName eq 'Another Directory'")).toEqual([]);
  });

  it('gets one event by id; 404 provisioning_event.not_found otherwise', async () => {
    const res = await t.app.inject({
      url: '/api/v1.0/auditLogs/provisioning/evt-005',
      headers: { cookie: t.reader },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(event(5, { action: 'disable', status: 'failure', cycleId: 'cycle-a' }));
    const missing = await t.app.inject({
      url: '/api/v1.0/auditLogs/provisioning/evt-999',
      headers: { cookie: t.reader },
    });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('provisioning_event.not_found');
  });
});

describe('GET /api/v1.0/auditLogs/directoryAudits', () => {
  it('lists audit events newest first and filters them by target, category, activity and time', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Audited App');
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
      headers: { cookie: t.admin },
      payload: { value: [{ key: 'BaseAddress', value: 'https://audited.example.com/scim' }] },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/start`,
      headers: { cookie: t.admin },
    });

    const byTarget = await t.app.inject({
      url: `/api/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(`targetResources/any(t: t/id eq '${spId}')`)}`,
      headers: { cookie: t.reader },
    });
    expect(byTarget.statusCode).toBe(200);
    expect(byTarget.json().value.map((e: { activityDisplayName: string }) => e.activityDisplayName)).toEqual([
      'Enable/start provisioning configuration',
      'Update provisioning setting or credentials',
      'Add provisioning configuration',
      'Add service principal',
    ]);

    const provisioning = await t.app.inject({
      url: `/api/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent("category eq 'ProvisioningManagement' and activityDisplayName eq 'Enable/start provisioning configuration' and activityDateTime gt 2020-01-01")}`,
      headers: { cookie: t.reader },
    });
    const events = provisioning.json().value as { id: string; category: string; loggedByService: string }[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      category: 'ProvisioningManagement',
      loggedByService: 'Account Provisioning',
    });

    const one = await t.app.inject({
      url: `/api/v1.0/auditLogs/directoryAudits/${events[0]!.id}`,
      headers: { cookie: t.reader },
    });
    expect(one.statusCode).toBe(200);
    expect(one.json().id).toBe(events[0]!.id);

    const future = await t.app.inject({
      url: `/api/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent('activityDateTime gt 2999-01-01')}`,
      headers: { cookie: t.reader },
    });
    expect(future.json().value).toHaveLength(0);
  });

  it('filters by who initiated, the service, the target’s name and the result', async () => {
    const { spId } = await createAppWithJob(t, 'Filtered Audit App');
    const failed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { userName: 'nobody-here', password: 'wrong password' },
    });
    expect(failed.statusCode).toBe(401);
    const list = async (filter: string) => {
      const res = await t.app.inject({
        url: `/api/v1.0/auditLogs/directoryAudits?$top=999&$filter=${encodeURIComponent(filter)}`,
        headers: { cookie: t.reader },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().value as {
        activityDisplayName: string;
        loggedByService: string;
        result: string;
        initiatedBy: { user: { displayName: string } | null };
        targetResources: { id: string; displayName: string }[];
      }[];
    };
    const byName = await list("targetResources/any(t: t/displayName eq 'Filtered Audit App')");
    expect(byName.length).toBeGreaterThan(0);
    for (const e of byName) expect(e.targetResources[0]?.id).toBe(spId);
    for (const filter of ["initiatedBy eq 'admin'", "initiatedBy/user/displayName eq 'admin'"]) {
      const mine = await list(filter);
      expect(mine.length).toBeGreaterThan(0);
      for (const e of mine) expect(e.initiatedBy.user?.displayName).toBe('admin');
    }
    const provisioning = await list("loggedByService eq 'Account Provisioning'");
    expect(provisioning.length).toBeGreaterThan(0);
    for (const e of provisioning) expect(e.loggedByService).toBe('Account Provisioning');
    const failures = await list("result eq 'failure'");
    expect(failures.map((e) => e.activityDisplayName)).toContain('Sign-in');
    for (const e of failures) expect(e.result).toBe('failure');
    expect(await list("initiatedBy eq 'admin' and initiatedBy/app/displayName eq 'x'")).toEqual([]);
  });

  it('pages with $top and @odata.nextLink', async () => {
    const first = await t.app.inject({
      url: '/api/v1.0/auditLogs/directoryAudits?$top=2',
      headers: { cookie: t.reader },
    });
    const page = first.json() as Page<{ id: string }>;
    expect(page.value).toHaveLength(2);
    const next = await t.app.inject({ url: page['@odata.nextLink']!, headers: { cookie: t.reader } });
    expect(next.statusCode).toBe(200);
    const second = next.json() as Page<{ id: string }>;
    expect(second.value[0]!.id).not.toBe(page.value[0]!.id);
    expect(second.value.map((e) => e.id)).not.toContain(page.value[1]!.id);
  });

  it('answers 400 filter.invalid for an unsupported filter and 404 audit_event.not_found for an unknown id', async () => {
    const bad = await t.app.inject({
      url: `/api/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent("operationType eq 'Add'")}`,
      headers: { cookie: t.reader },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('filter.invalid');
    expect(errorOf(bad).details?.[0]?.target).toBe('querystring/$filter');
    const missing = await t.app.inject({
      url: `/api/v1.0/auditLogs/directoryAudits/${NO_ID}`,
      headers: { cookie: t.reader },
    });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('audit_event.not_found');
  });
});
