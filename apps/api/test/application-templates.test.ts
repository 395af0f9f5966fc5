import {
  DEFAULT_ACCESS_ROLE_ID,
  type ApplicationServicePrincipal,
  type ApplicationTemplate,
  type Collection,
  type SynchronizationJob,
  type SynchronizationTemplate,
} from '@provisio/contracts';
import {
  applyMappings,
  buildScopedUserView,
  compileObjectMapping,
  evaluateMatchingValues,
  findTargetObject,
  validateSchema,
} from '@provisio/engine';
import { applicationTemplates } from '@provisio/gallery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/seed/demo';
import { auditEvents, describeAccess, errorOf, NO_ID, startTestApp, type TestContext } from './helpers';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const get = (url: string, cookie = t.admin) => t.app.inject({ url, headers: { cookie } });
const list = async (query = '') => {
  const res = await get(`/api/v1.0/applicationTemplates${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Collection<ApplicationTemplate>>().value;
};
const instantiate = (id: string, payload: object, cookie = t.admin) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1.0/applicationTemplates/${id}/instantiate`,
    headers: { cookie },
    payload,
  });

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: '/api/v1.0/applicationTemplates' },
    { method: 'GET', url: '/api/v1.0/applicationTemplates/slack' },
    {
      method: 'POST',
      url: '/api/v1.0/applicationTemplates/slack/instantiate',
      payload: { displayName: 'X' },
    },
    { method: 'GET', url: `/api/v1.0/servicePrincipals/${NO_ID}/synchronization/templates` },
  ]);

  it('lets a Reports Reader browse the gallery but not add an application from it', async () => {
    expect((await get('/api/v1.0/applicationTemplates/zoom', t.reader)).statusCode).toBe(200);
    const res = await instantiate('zoom', { displayName: 'Zoom' }, t.reader);
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('auth.forbidden');
  });
});

describe('GET /applicationTemplates', () => {
  it('lists every template, the non-gallery SCIM template first, in the Graph shape with our additions', async () => {
    const all = await list();
    expect(all.map((x) => x.id)).toEqual(applicationTemplates.map((x) => x.id));
    expect(all[0]).toMatchObject({ id: 'scim', nonGallery: true, synchronizationTemplateId: 'scim' });
    const slack = all.find((x) => x.id === 'slack')!;
    expect(slack).toMatchObject({
      displayName: 'Slack',
      publisher: 'Slack Technologies',
      categories: ['communication', 'collaboration'],
      supportedProvisioningTypes: ['sync'],
      supportedFeatures: { users: true, groups: true, patch: true, roles: false, onDemand: true },
      scimDialect: { patchDialect: 'entra', tenantUrlFormat: 'https://api.slack.com/scim/v2' },
      matchingAttributes: { user: ['userName'], group: ['displayName'] },
    });
    expect(slack.logoUrl).toMatch(/^data:image\/svg\+xml,/);
    expect(slack.tutorial).toContain('## Find the Tenant URL and Secret Token');
  });

  it('searches displayName, publisher, description and categories with $search', async () => {
    expect((await list('?$search=slack')).map((x) => x.id)).toEqual(['slack']);
    expect((await list('?$search="crm"')).map((x) => x.id)).toEqual(['salesforce']);
    expect((await list('?$search=github')).map((x) => x.id)).toEqual(['github-enterprise-managed-user']);
    expect(await list('?$search=nothing-is-called-this')).toEqual([]);
  });

  it('filters on categories and displayName as Graph allows with $filter', async () => {
    const byCategory = await list(`?$filter=${encodeURIComponent("categories/any(c:c eq 'education')")}`);
    expect(byCategory.map((x) => x.id)).toEqual(['linkedin-learning']);
    const byName = await list(`?$filter=${encodeURIComponent("displayName eq 'zoom'")}`);
    expect(byName.map((x) => x.id)).toEqual(['zoom']);
    const both = await list(
      `?$filter=${encodeURIComponent("startswith(displayName,'S') and categories/any(c:c eq 'crm')")}`,
    );
    expect(both.map((x) => x.id)).toEqual(['salesforce']);
  });

  it('refuses a $filter it does not understand with 400 naming query/$filter and the forms it takes', async () => {
    const res = await get(`/api/v1.0/applicationTemplates?$filter=${encodeURIComponent('price lt 5')}`);
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('application_template.invalid_filter');
    expect(error.details?.[0]?.target).toBe('query/$filter');
    expect(error.message).toContain("categories/any(c:c eq 'crm')");
  });

  it('answers one template, or 404 application_template.not_found', async () => {
    const res = await get('/api/v1.0/applicationTemplates/figma');
    expect(res.statusCode).toBe(200);
    expect(res.json<ApplicationTemplate>()).toMatchObject({
      id: 'figma',
      supportedFeatures: { groups: false },
    });
    const missing = await get('/api/v1.0/applicationTemplates/nope');
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('application_template.not_found');
  });
});

describe('POST /applicationTemplates/{id}/instantiate', () => {
  it("adds the application with the template's app roles and a provisioning job from its synchronization template", async () => {
    const res = await instantiate('github-enterprise-managed-user', {
      displayName: '  GitHub (engineering)  ',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<ApplicationServicePrincipal>();
    const sp = body.servicePrincipal;
    expect(body.application).toEqual({
      id: sp.appId,
      appId: sp.appId,
      displayName: 'GitHub (engineering)',
      applicationTemplateId: 'github-enterprise-managed-user',
    });
    expect(sp).toMatchObject({
      displayName: 'GitHub (engineering)',
      applicationTemplateId: 'github-enterprise-managed-user',
    });
    expect(sp.appRoles.map((r) => [r.displayName, r.value, r.isEnabled])).toEqual([
      ['User', null, true],
      ['Enterprise user', 'user', true],
      ['Enterprise Owner', 'enterprise_owner', true],
      ['Billing Manager', 'billing_manager', true],
      ['Guest Collaborator', 'guest_collaborator', true],
    ]);
    expect(sp.appRoles[0]!.id).toBe(DEFAULT_ACCESS_ROLE_ID);

    // The application reads back as created, and its job is there, from the template's schema.
    expect((await get(`/api/v1.0/servicePrincipals/${sp.id}`)).json()).toEqual(sp);
    const jobs = (await get(`/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs`)).json<
      Collection<SynchronizationJob>
    >().value;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.templateId).toBe('githubemu');
    expect(jobs[0]!.id).toMatch(/^githubemu\.[0-9a-f]{32}$/);
    const schema = (
      await get(`/api/v1.0/servicePrincipals/${sp.id}/synchronization/jobs/${jobs[0]!.id}/schema`)
    ).json<{
      directories: { name: string }[];
    }>();
    expect(schema.directories.map((d) => d.name)).toEqual([
      'Provisio Directory',
      'GitHub Enterprise Managed User',
    ]);

    const activities = (await auditEvents(t))
      .filter((e) => e.targetResources.some((r) => r.id === sp.id))
      .map((e) => e.activityDisplayName);
    expect(activities).toEqual(
      expect.arrayContaining(['Add service principal', 'Add provisioning configuration']),
    );
  });

  it("lists the application's synchronization template, with the schema a new job starts from", async () => {
    const created = (await instantiate('zoom', { displayName: 'Zoom' })).json<ApplicationServicePrincipal>();
    const res = await get(
      `/api/v1.0/servicePrincipals/${created.servicePrincipal.id}/synchronization/templates`,
    );
    expect(res.statusCode).toBe(200);
    const [template, ...rest] = res.json<Collection<SynchronizationTemplate>>().value;
    expect(rest).toEqual([]);
    expect(template).toMatchObject({
      id: 'zoom',
      factoryTag: 'zoom',
      default: true,
      applicationId: created.servicePrincipal.appId,
    });
    // Zoom has no groups: only a user mapping.
    expect(template!.schema.synchronizationRules[0]!.objectMappings.map((m) => m.sourceObjectName)).toEqual([
      'User',
    ]);

    // A non-gallery application offers the SCIM template.
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/servicePrincipals',
      headers: { cookie: t.admin },
      payload: { displayName: 'Own' },
    });
    const scim = await get(
      `/api/v1.0/servicePrincipals/${own.json<{ id: string }>().id}/synchronization/templates`,
    );
    expect(scim.json<Collection<SynchronizationTemplate>>().value.map((x) => x.id)).toEqual(['scim']);
    expect((await get(`/api/v1.0/servicePrincipals/${NO_ID}/synchronization/templates`)).statusCode).toBe(
      404,
    );
  });

  it('refuses a blank or missing name with 400 naming body/displayName, and adds nothing', async () => {
    const before = (await get('/api/v1.0/servicePrincipals')).json<Collection<unknown>>().value.length;
    for (const payload of [{ displayName: '   ' }, {}, { displayName: 'x'.repeat(257) }]) {
      const res = await instantiate('slack', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(res).details?.[0]?.target ?? '').toMatch(/body\/displayName|\/displayName/);
    }
    const missing = await instantiate('nope', { displayName: 'X' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('application_template.not_found');
    expect((await get('/api/v1.0/servicePrincipals')).json<Collection<unknown>>().value.length).toBe(before);
  });
});

describe('every template against the demo directory', () => {
  it('has a default schema that validates, and mappings that evaluate for a demo user with no error', async () => {
    await seedDemo(t.db, { scimUrl: 'http://127.0.0.1:9/scim', scimToken: 'demo-token' });
    const user = (await t.db.directory.listUsers({ top: 50 })).items.find((u) => u.managerId && u.employeeId);
    expect(user).toBeDefined();
    for (const template of applicationTemplates) {
      const schema = template.defaultSchema(`${template.synchronizationTemplateId}.0`);
      expect(validateSchema(schema), template.id).toEqual([]);
      const roles = template.appRoles.map((r) => ({ ...r, isEnabled: true }));
      const role = roles[0]?.id ?? DEFAULT_ACCESS_ROLE_ID;
      for (const mapping of schema.synchronizationRules[0]!.objectMappings) {
        const compiled = compileObjectMapping(mapping, {
          targetObject: findTargetObject(schema.directories, mapping.targetObjectName),
        });
        if (!compiled.ok)
          throw new Error(`${template.id}: ${compiled.errors.map((e) => e.message).join(' ')}`);
        if (mapping.sourceObjectName !== 'User') continue;
        const { view, scope } = buildScopedUserView({
          user: user!,
          entitlement: { appRoleId: role, via: 'User' },
          appRoles: roles,
          syncAll: false,
          scope: compiled.mapping.scope,
        });
        expect(scope.inScope, template.id).toBe(true);
        const evaluation = { now: new Date('2026-06-01T10:00:00Z'), random: () => 0.5 };
        const applied = applyMappings(compiled.mapping, view, { ...evaluation, isCreate: true });
        expect(applied.errors, template.id).toEqual([]);
        expect(applied.ignoreObject).toBe(false);
        expect(applied.values.active?.value, template.id).toBe('True');
        for (const m of evaluateMatchingValues(compiled.mapping, view, evaluation)) {
          expect(m.value, `${template.id} ${m.targetAttributeName}`).toBeTruthy();
        }
        if (template.supportedFeatures.roles) {
          const roleTarget = template.defaultUserMappings.find((m) =>
            /AppRoleAssignment/.test(m.source?.expression ?? ''),
          )!;
          expect(
            JSON.stringify(applied.values[roleTarget.targetAttributeName]?.value),
            template.id,
          ).toContain(template.appRoles[0]!.value!);
        }
      }
    }
  });
});
