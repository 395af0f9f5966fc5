import type {
  AppRole,
  ProvisioningConfiguration,
  ProvisioningConfigurationImportResult,
  ProvisioningConfigurationValidation,
  SynchronizationSchema,
} from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  createAppWithJob,
  createUser,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp({ now: () => new Date('2026-04-20T09:30:00Z') });
});
afterAll(async () => {
  await t.close();
});

const sync = (spId: string, rest = '') => `/api/v1.0/servicePrincipals/${spId}/synchronization${rest}`;
const jobUrl = (spId: string, jobId: string, rest = '') => sync(spId, `/jobs/${jobId}${rest}`);

async function call(method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: t.admin },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function exportOf(spId: string, jobId: string): Promise<ProvisioningConfiguration> {
  const res = await call('GET', jobUrl(spId, jobId, '/configuration'));
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** What an export configures: everything but when and where it was written. */
function configured(doc: ProvisioningConfiguration) {
  const { exportedDateTime: _when, exportedFrom: _from, ...rest } = doc;
  return rest;
}

const importInto = (spId: string, jobId: string, doc: unknown) =>
  call('PUT', jobUrl(spId, jobId, '/configuration'), doc);

const SALES_ROLE: AppRole = {
  id: '6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  displayName: 'Sales',
  value: 'Sales.Member',
  description: 'Members of the sales team',
  allowedMemberTypes: ['User'],
  isEnabled: true,
};
const AUDITOR_ROLE: AppRole = {
  id: '0c9d8e7f-6a5b-4c3d-9e1f-2a3b4c5d6e7f',
  displayName: 'Auditor',
  value: 'Auditor',
  description: 'Read-only access',
  allowedMemberTypes: ['User'],
  isEnabled: false,
};

/** A source application configured away from every default: mappings, scope, settings, roles. */
async function configuredSource(name: string): Promise<{ spId: string; jobId: string }> {
  const { spId, jobId } = await createAppWithJob(t, name);
  const schema = (await call('GET', jobUrl(spId, jobId, '/schema'))).json<SynchronizationSchema>();
  const users = schema.synchronizationRules[0]!.objectMappings[0]!;
  users.flowTypes = ['Add', 'Update'];
  const display = users.attributeMappings.find((m) => m.targetAttributeName === 'displayName')!;
  display.source = {
    type: 'Function',
    name: null,
    expression: 'Join(" ", [givenName], [surname])',
    parameters: [],
  };
  display.flowType = 'ObjectAddOnly';
  const title = users.attributeMappings.find((m) => m.targetAttributeName === 'title');
  if (title) title.defaultValue = 'Employee';
  // An attribute added to the application's attribute list, mapped, and a second matching attribute.
  const targetUser = schema.directories
    .flatMap((d) => d.objects)
    .find((o) => o.name === users.targetObjectName)!;
  targetUser.attributes.push({
    ...targetUser.attributes.find((a) => a.name === 'title')!,
    name: 'urn:ietf:params:scim:schemas:extension:contoso:2.0:User:costCenter',
  });
  users.attributeMappings.push({
    source: { type: 'Attribute', name: 'department', expression: null, parameters: [] },
    targetAttributeName: 'urn:ietf:params:scim:schemas:extension:contoso:2.0:User:costCenter',
    defaultValue: null,
    flowType: 'Always',
    matchingPriority: 0,
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  });
  const email = users.attributeMappings.find((m) => m.targetAttributeName === 'emails[type eq "work"].value');
  if (email) email.matchingPriority = 2;
  users.scope = {
    groups: [
      {
        name: 'Sales only',
        clauses: [
          { sourceOperandName: 'department', operatorName: 'EQUALS', targetOperand: { values: ['Sales'] } },
        ],
      },
    ],
    inputFilterGroups: [],
    categoryFilterGroups: [],
  };
  const saved = await call('PUT', jobUrl(spId, jobId, '/schema'), schema);
  expect(saved.statusCode, saved.body).toBe(204);
  const patched = await call('PATCH', jobUrl(spId, jobId), {
    schedule: { interval: 'PT2H' },
    synchronizationJobSettings: [
      { name: 'QuarantineTooManyDeletesThreshold', value: '25' },
      { name: 'MaxConcurrentExports', value: '4' },
    ],
  });
  expect(patched.statusCode, patched.body).toBe(200);
  const secrets = await call('PUT', sync(spId, '/secrets'), {
    value: [
      { key: 'BaseAddress', value: 'http://127.0.0.1:9/scim/v2' },
      { key: 'SecretToken', value: 'source-token-never-exported' },
      { key: 'SyncAll', value: 'true' },
      { key: 'SkipOutOfScopeDeletions', value: 'true' },
      {
        key: 'SyncNotificationSettings',
        value: JSON.stringify({ Enabled: true, Recipients: 'it@contoso.com', DeleteThresholdEnabled: true }),
      },
    ],
  });
  expect(secrets.statusCode, secrets.body).toBe(204);
  const sp = await t.db.applications.getServicePrincipal(spId);
  await t.db.applications.updateServicePrincipal(spId, {
    appRoles: [...sp.appRoles, SALES_ROLE, AUDITOR_ROLE],
  });
  return { spId, jobId };
}

describe('access', () => {
  const job = `/api/v1.0/servicePrincipals/${NO_ID}/synchronization/jobs/scim.0`;
  describeAccess(it, () => t, [
    // The settings of a job are for those who manage it, as its secrets are.
    { method: 'GET', url: `${job}/configuration`, readerAllowed: false },
    { method: 'PUT', url: `${job}/configuration`, payload: {} },
    { method: 'POST', url: `${job}/configuration/validate`, payload: {} },
  ]);
});

describe('GET …/configuration', () => {
  it('downloads the schema, settings and app roles under a named file, never the Tenant URL or the Secret Token', async () => {
    const { spId, jobId } = await configuredSource('Contoso CRM');
    const res = await call('GET', jobUrl(spId, jobId, '/configuration'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(
      'attachment; filename="provisioning-configuration-contoso-crm-2026-04-20.json"',
    );
    expect(res.body).not.toContain('source-token-never-exported');
    expect(res.body).not.toContain('127.0.0.1:9');
    const doc = res.json<ProvisioningConfiguration>();
    expect(doc).toMatchObject({
      format: 'provisio.provisioningConfiguration',
      formatVersion: 1,
      exportedDateTime: '2026-04-20T09:30:00.000Z',
      exportedFrom: { servicePrincipalId: spId, displayName: 'Contoso CRM', jobId, templateId: 'scim' },
      settings: {
        interval: 'PT2H',
        syncAll: true,
        skipOutOfScopeDeletions: true,
        notificationSettings: { Enabled: true, Recipients: 'it@contoso.com', DeleteThresholdEnabled: true },
        synchronizationJobSettings: [
          { name: 'MaxConcurrentExports', value: '4' },
          { name: 'QuarantineTooManyDeletesThreshold', value: '25' },
        ],
      },
    });
    expect(doc.appRoles.map((r) => r.displayName)).toEqual(['User', 'Sales', 'Auditor']);
    const users = doc.schema.synchronizationRules[0]!.objectMappings[0]!;
    expect(users.flowTypes).toEqual(['Add', 'Update']);
    expect(users.scope?.groups[0]?.name).toBe('Sales only');
    expect(
      users.attributeMappings.filter((m) => m.matchingPriority > 0).map((m) => m.targetAttributeName),
    ).toEqual(['userName', 'emails[type eq "work"].value']);
    expect(JSON.stringify(doc.schema.directories)).toContain('contoso:2.0:User:costCenter');
  });

  it('answers 404 for a job that is not the application’s', async () => {
    const { spId } = await createAppWithJob(t, 'Lonely App');
    const res = await call('GET', jobUrl(spId, 'scim.nope', '/configuration'));
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('provisioning_job.not_found');
  });
});

describe('PUT …/configuration', () => {
  it('reproduces the configuration exactly in a new application, keeps its credentials and records one audit event', async () => {
    const source = await configuredSource('Fabrikam HR');
    const exported = await exportOf(source.spId, source.jobId);

    const target = await createAppWithJob(t, 'Fabrikam HR (staging)');
    const credentials = await call('PUT', sync(target.spId, '/secrets'), {
      value: [
        { key: 'BaseAddress', value: 'http://127.0.0.1:10/scim' },
        { key: 'SecretToken', value: 'staging-token' },
      ],
    });
    expect(credentials.statusCode).toBe(204);
    await t.db.jobs.updateJob(target.jobId, { watermark: 7 });

    const res = await importInto(target.spId, target.jobId, exported);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<ProvisioningConfigurationImportResult>();
    expect(result).toMatchObject({ applied: true, version: '2' });
    expect(result.changes).toEqual(
      expect.arrayContaining([
        { change: 'Changed', displayName: 'Interval', oldValue: 'PT40M', newValue: 'PT2H' },
        { change: 'Changed', displayName: 'SyncAll', oldValue: 'false', newValue: 'true' },
        expect.objectContaining({ change: 'Added', displayName: 'App role Sales' }),
      ]),
    );

    const again = await exportOf(target.spId, target.jobId);
    expect(configured(again)).toEqual(configured(exported));
    expect(again.exportedFrom).toMatchObject({ servicePrincipalId: target.spId, jobId: target.jobId });

    // The credentials of the target stay; the next cycle is an initial cycle.
    const secrets = await t.db.jobs.getSecrets(target.jobId);
    expect(secrets).toMatchObject({ BaseAddress: 'http://127.0.0.1:10/scim', SecretToken: 'staging-token' });
    expect((await t.db.jobs.getJob(target.jobId)).watermark).toBeNull();

    const events = (await auditEvents(t)).filter(
      (e) =>
        e.activityDisplayName === 'Import provisioning configuration' &&
        e.targetResources[0]?.id === target.spId,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ category: 'ProvisioningManagement', operationType: 'Update' });
    expect(events[0]?.additionalDetails).toEqual(
      expect.arrayContaining([{ key: 'ImportedFrom', value: `Fabrikam HR (${source.jobId})` }]),
    );
    expect(JSON.stringify(events[0])).not.toContain('staging-token');

    // Importing the same document again changes nothing and records nothing.
    const repeat = await importInto(target.spId, target.jobId, exported);
    expect(repeat.json<ProvisioningConfigurationImportResult>()).toEqual({
      applied: false,
      version: '2',
      changes: [],
    });
    expect(
      (await auditEvents(t)).filter(
        (e) =>
          e.activityDisplayName === 'Import provisioning configuration' &&
          e.targetResources[0]?.id === target.spId,
      ),
    ).toHaveLength(1);
  });

  describe('refuses a malformed document, naming the field and the fix, and changes nothing', () => {
    let source: { spId: string; jobId: string };
    let target: { spId: string; jobId: string };
    let good: ProvisioningConfiguration;
    beforeAll(async () => {
      source = await configuredSource('Northwind Tickets');
      good = await exportOf(source.spId, source.jobId);
      target = await createAppWithJob(t, 'Northwind Tickets (copy)');
    });

    const userRows = (doc: ProvisioningConfiguration) =>
      doc.schema.synchronizationRules[0]!.objectMappings[0]!.attributeMappings;

    const cases: {
      name: string;
      change: (doc: ProvisioningConfiguration) => unknown;
      code: string;
      target: string;
      says: RegExp;
    }[] = [
      {
        name: 'a wrong format marker',
        change: (doc) => ({ ...doc, format: 'entra.schema' }),
        code: 'provisioning_configuration.unsupported_format',
        target: 'format',
        says: /not a Provisio provisioning configuration.*Export the configuration/,
      },
      {
        name: 'a newer format version',
        change: (doc) => ({ ...doc, formatVersion: 2 }),
        code: 'provisioning_configuration.unsupported_version',
        target: 'formatVersion',
        says: /newer Provisio/,
      },
      {
        name: 'a bad expression',
        change: (doc) => {
          const row = userRows(doc).find((m) => m.targetAttributeName === 'displayName')!;
          row.source = { type: 'Function', name: null, expression: 'Join(" ", [givenName]', parameters: [] };
          return doc;
        },
        code: 'mapping.invalid_expression',
        target:
          'schema/synchronizationRules/0/objectMappings/0/attributeMappings/{displayName}/source/expression',
        says: /^schema\.synchronizationRules\[0\]\.objectMappings\[0\]\.attributeMappings\[\d+\]\.source\.expression: The expression mapped to 'displayName' is invalid/,
      },
      {
        name: 'an unknown target attribute',
        change: (doc) => {
          userRows(doc).push({
            source: { type: 'Attribute', name: 'mail', expression: null, parameters: [] },
            targetAttributeName: 'favouriteColour',
            defaultValue: null,
            flowType: 'Always',
            matchingPriority: 0,
            flowBehavior: 'FlowWhenChanged',
            exportMissingReferences: false,
          });
          return doc;
        },
        code: 'mapping.unknown_target_attribute',
        target:
          'schema/synchronizationRules/0/objectMappings/0/attributeMappings/{favouriteColour}/targetAttributeName',
        says: /'favouriteColour' is not an attribute of/,
      },
      {
        name: 'a bad setting value',
        change: (doc) => {
          doc.settings.synchronizationJobSettings = [
            { name: 'QuarantineTooManyDeletesThreshold', value: 'lots' },
          ];
          return doc;
        },
        code: 'provisioning_configuration.invalid',
        target: 'settings/synchronizationJobSettings/0/value',
        says: /^settings\.synchronizationJobSettings\[0\]\.value: The job setting QuarantineTooManyDeletesThreshold is 'lots'.*whole number/,
      },
      {
        name: 'an interval out of range',
        change: (doc) => ({ ...doc, settings: { ...doc.settings, interval: 'PT5M' } }),
        code: 'provisioning_configuration.invalid',
        target: 'settings/interval',
        says: /between 20 minutes and 24 hours/,
      },
      {
        name: 'a duplicate role value',
        change: (doc) => {
          doc.appRoles.push({
            ...SALES_ROLE,
            id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
            displayName: 'Sales 2',
          });
          return doc;
        },
        code: 'app_role.duplicate_value',
        target: 'appRoles/3/value',
        says: /^appRoles\[3\]\.value: App roles 1 and 3 both have the value 'Sales\.Member'\. Values must be unique/,
      },
      {
        name: 'a setting of the wrong type',
        change: (doc) => ({ ...doc, settings: { ...doc.settings, syncAll: 'yes' } }),
        code: 'provisioning_configuration.invalid',
        target: 'settings/syncAll',
        says: /^settings\.syncAll must be a boolean/,
      },
    ];

    for (const c of cases) {
      it(c.name, async () => {
        const before = await exportOf(target.spId, target.jobId);
        const auditsBefore = (await auditEvents(t)).length;
        const doc = c.change(structuredClone(good));
        const res = await importInto(target.spId, target.jobId, doc);
        expect(res.statusCode, res.body).toBe(400);
        const error = errorOf(res);
        expect(error.code).toBe('provisioning_configuration.invalid');
        expect(error.message).toMatch(/^The configuration was not imported; nothing was changed\./);
        const rows = userRows(doc as ProvisioningConfiguration);
        const expected = c.target.replace(/\{(\w+)\}/, (_m, name: string) =>
          String(rows.findIndex((r) => r.targetAttributeName === name)),
        );
        const detail = error.details?.find((d) => d.target === expected);
        expect(detail, JSON.stringify(error.details)).toBeDefined();
        expect(detail?.code).toBe(c.code);
        expect(detail?.message).toMatch(c.says);
        // Nothing applied, nothing recorded.
        expect(configured(await exportOf(target.spId, target.jobId))).toEqual(configured(before));
        expect(await auditEvents(t)).toHaveLength(auditsBefore);
        // The dry run names the same problem.
        const dry = await call('POST', jobUrl(target.spId, target.jobId, '/configuration/validate'), doc);
        expect(dry.statusCode).toBe(200);
        expect(dry.json<ProvisioningConfigurationValidation>().problems).toContainEqual(detail);
      });
    }

    it('a role removed while assignments use it, naming the role and who holds it', async () => {
      const app = await configuredSource('Litware Learning');
      const userId = await createUser(t, 'megan.bowen@contoso.com');
      const assigned = await call('POST', `/api/v1.0/servicePrincipals/${app.spId}/appRoleAssignedTo`, {
        principalId: userId,
        appRoleId: SALES_ROLE.id,
      });
      expect(assigned.statusCode, assigned.body).toBe(201);
      const before = await exportOf(app.spId, app.jobId);
      const doc = structuredClone(before);
      doc.appRoles = doc.appRoles.filter((r) => r.id !== SALES_ROLE.id);
      const res = await importInto(app.spId, app.jobId, doc);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).details).toEqual([
        expect.objectContaining({
          code: 'provisioning_configuration.role_in_use',
          target: 'appRoles',
          message: expect.stringMatching(
            /'Sales'.*1 assignment uses it \(megan\.bowen\).*assign them another role/,
          ),
        }),
      ]);
      expect(configured(await exportOf(app.spId, app.jobId))).toEqual(configured(before));
    });
  });

  it('the dry run lists what an import would change and changes nothing', async () => {
    const source = await configuredSource('Adatum Chat');
    const doc = await exportOf(source.spId, source.jobId);
    const target = await createAppWithJob(t, 'Adatum Chat (copy)');
    const before = await exportOf(target.spId, target.jobId);
    const res = await call('POST', jobUrl(target.spId, target.jobId, '/configuration/validate'), doc);
    expect(res.statusCode).toBe(200);
    const body = res.json<ProvisioningConfigurationValidation>();
    expect(body.problems).toEqual([]);
    expect(body.changes).toEqual(
      expect.arrayContaining([
        { change: 'Added', displayName: 'QuarantineTooManyDeletesThreshold', oldValue: null, newValue: '25' },
        { change: 'Changed', displayName: 'SkipOutOfScopeDeletions', oldValue: 'false', newValue: 'true' },
      ]),
    );
    expect(configured(await exportOf(target.spId, target.jobId))).toEqual(configured(before));
  });
});

describe('an import that disables an assigned role', () => {
  it('leaves the user not effectively entitled at the next cycle: the assignment is recorded as changed', async () => {
    const source = await configuredSource('Fabrikam Tickets');
    const doc = await exportOf(source.spId, source.jobId);
    const target = await createAppWithJob(t, 'Fabrikam Tickets (copy)');
    expect((await importInto(target.spId, target.jobId, doc)).statusCode).toBe(200);
    const userId = await createUser(t, 'sales.import@contoso.com');
    const assigned = await call('POST', `/api/v1.0/servicePrincipals/${target.spId}/appRoleAssignedTo`, {
      principalId: userId,
      appRoleId: SALES_ROLE.id,
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const before = (await t.db.directory.getUser(userId)).changeSeq;

    const disabled = {
      ...doc,
      appRoles: doc.appRoles.map((r) => (r.id === SALES_ROLE.id ? { ...r, isEnabled: false } : r)),
    };
    expect((await importInto(target.spId, target.jobId, disabled)).statusCode).toBe(200);
    expect((await t.db.directory.getUser(userId)).changeSeq).toBeGreaterThan(before);
  });
});

describe('an installation whose default cycle interval is outside the range an administrator may choose', () => {
  let quick: TestContext;
  beforeAll(async () => {
    quick = await startTestApp({ cycleIntervalSeconds: 5 });
  });
  afterAll(async () => {
    await quick.close();
  });

  it('imports the configuration of a job that has that default, and still refuses another interval out of range', async () => {
    const previous = t;
    t = quick;
    try {
      const source = await createAppWithJob(t, 'Quick source');
      const doc = await exportOf(source.spId, source.jobId);
      expect(doc.settings.interval).toBe('PT5S');
      const target = await createAppWithJob(t, 'Quick target');
      const res = await importInto(target.spId, target.jobId, doc);
      expect(res.statusCode, res.body).toBe(200);
      const refused = await importInto(target.spId, target.jobId, {
        ...doc,
        settings: { ...doc.settings, interval: 'PT6S' },
      });
      expect(refused.statusCode).toBe(400);
      expect(errorOf(refused).details?.[0]?.target).toBe('settings/interval');
    } finally {
      t = previous;
    }
  });
});
