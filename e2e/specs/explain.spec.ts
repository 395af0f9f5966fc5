import { expect, test, type APIRequestContext } from '@playwright/test';
import type {
  Explanation,
  ProvisionOnDemandResponse,
  SynchronizationSchema,
  User,
} from '@provisio/contracts';
import { ok, OwnApp } from '../support/own-app';
import { adminApi, json, sampleApp } from '../support/stack';

// Explain against the whole product: for each of the troubleshooting guide's problems, what Explain
// says before anything runs is what the worker then writes (provision on demand runs the cycle's
// own pipeline), word for word.

let api: APIRequestContext;
let app: OwnApp;
let spId: string;
let jobUrl: string;
const stamp = Date.now().toString(36);

const newUser = (name: string, over: Partial<User> = {}) =>
  app.newUser(name, { department: 'Sales', jobTitle: 'Engineer', ...over });
const assign = (principalId: string) => app.assign(principalId);

const explain = async (objectId: string) =>
  ok<Explanation>(await api.get(`${jobUrl}/explain?objectId=${objectId}`), 'explain');

/**
 * Provision on demand: the cycle's pipeline for one object, whose event is what a cycle writes. The
 * API takes 5 requests per 10 s per job: a 429 is waited out as its Retry-After says.
 */
async function provisionNow(objectId: string, objectTypeName: 'User' | 'Group' = 'User') {
  const schema = await json<SynchronizationSchema>(api, `${jobUrl}/schema`);
  const data = {
    parameters: [{ ruleId: schema.synchronizationRules[0]?.id, subjects: [{ objectId, objectTypeName }] }],
  };
  let res = await api.post(`${jobUrl}/provisionOnDemand`, { data });
  while (res.status() === 429) {
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers()['retry-after'] ?? '1') * 1000));
    res = await api.post(`${jobUrl}/provisionOnDemand`, { data });
  }
  const answer = await ok<ProvisionOnDemandResponse>(res, 'provision on demand');
  const event = answer.provisioningEvents[0];
  if (!event) throw new Error('no event');
  return event;
}

/** Changes the user mapping (and the target's attribute definitions) through the schema API. */
async function editSchema(change: (schema: SynchronizationSchema) => void) {
  const schema = await json<SynchronizationSchema>(api, `${jobUrl}/schema`);
  change(schema);
  await ok(await api.put(`${jobUrl}/schema`, { data: schema }), 'save schema');
}

test.beforeAll(async () => {
  api = await adminApi();
  app = await OwnApp.create(api, `Explain App ${stamp}`, stamp);
  ({ spId, jobUrl } = app);
});

test.afterAll(async () => {
  await app.remove();
  await api.dispose();
});

test('Explain gives the cause and the fix of each problem in the words of the event the worker then writes', async () => {
  const ana = await newUser('ana');
  await assign(ana.id);

  // Not configured, then not started: the job's state comes first.
  let answer = await explain(ana.id);
  expect(answer).toMatchObject({ willProvision: false, action: 'none' });
  expect(answer.reason).toContain('is not configured');
  expect(answer.checks.find((c) => c.name === 'Provisioning configured')?.passed).toBe(false);

  // Bad credentials: Explain's one lookup is refused, and says so as the worker would.
  await ok(
    await api.put(`/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`, {
      data: {
        value: [
          { key: 'BaseAddress', value: sampleApp.baseUrl },
          { key: 'SecretToken', value: 'not-the-token' },
        ],
      },
    }),
    'save wrong token',
  );
  // The application rejects the token: the lookup says it before anything runs, as the worker does.
  answer = await explain(ana.id);
  expect(answer).toMatchObject({ willProvision: false, action: 'failed' });
  expect(answer.checks.find((c) => c.name === 'Initial cycle completed')?.passed).toBe(false);
  const refused = await api.post(`${jobUrl}/provisionOnDemand`, {
    data: {
      parameters: [
        {
          ruleId: (await json<SynchronizationSchema>(api, `${jobUrl}/schema`)).synchronizationRules[0]?.id,
          subjects: [{ objectId: ana.id, objectTypeName: 'User' }],
        },
      ],
    },
  });
  expect(await refused.text()).toContain(JSON.stringify(answer.reason).slice(1, -1));

  // The right token, provisioning Off: not started.
  await ok(
    await api.put(`/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`, {
      data: { value: [{ key: 'SecretToken', value: sampleApp.token() }] },
    }),
    'save the right token',
  );
  answer = await explain(ana.id);
  expect(answer).toMatchObject({ willProvision: false, action: 'none' });
  expect(answer.reason).toContain('is Off');
  expect(answer.checks.find((c) => c.name === 'Assigned')?.detail).toContain('directly');
  await ok(await api.post(`${jobUrl}/start`), 'start');

  // The scoping filter and the required attribute come first: a cycle that began before them
  // would provision, with the mapping of its start, a user assigned meanwhile.
  await editSchema((schema) => {
    const mapping = schema.synchronizationRules[0]?.objectMappings[0];
    if (!mapping) throw new Error('no user mapping');
    mapping.scope = {
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
    for (const directory of schema.directories)
      for (const object of directory.objects)
        for (const attribute of object.attributes) if (attribute.name === 'title') attribute.required = true;
  });
  // Not effectively entitled: not assigned.
  const ben = await newUser('ben');
  // Out of scope: a scoping filter on department.
  const cai = await newUser('cai', { department: 'Marketing' });
  await assign(cai.id);
  // Required attribute missing: the application requires title, and dee has no job title.
  const dee = await newUser('dee', { jobTitle: null });
  await assign(dee.id);

  for (const [user, code, clause] of [
    [ben, 'NotEffectivelyEntitled', 'Assigned'],
    [cai, 'OutOfScope', "Scoping filter 'Sales only'"],
    [dee, 'MandatoryFieldsMissing', 'Required attributes'],
  ] as const) {
    const said = await explain(user.id);
    expect(said, code).toMatchObject({ willProvision: false, action: 'skip' });
    const failing = said.checks.find((c) => c.name.startsWith(clause));
    expect(failing?.passed, `${code}: ${JSON.stringify(said.checks)}`).toBe(false);
    const event = await provisionNow(user.id);
    expect(event.provisioningStatusInfo.errorInformation?.errorCode).toBe(code);
    expect(event.provisioningStatusInfo.errorInformation?.reason).toBe(said.reason);
    expect(event.provisioningStatusInfo.errorInformation?.recommendedAction).toBe(said.recommendedAction);
  }
  const caiScope = (await explain(cai.id)).checks.find((c) =>
    c.name.startsWith("Scoping filter 'Sales only'"),
  );
  expect(caiScope?.detail).toBe('department is "Marketing".');

  // Matching attribute empty: userName from mail, and eve has none.
  const eve = await newUser('eve', { mail: null });
  await assign(eve.id);
  await editSchema((schema) => {
    const mapping = schema.synchronizationRules[0]?.objectMappings[0];
    const userName = mapping?.attributeMappings.find((a) => a.targetAttributeName === 'userName');
    if (!mapping || !userName) throw new Error('no userName mapping');
    mapping.scope = null;
    userName.source = { type: 'Attribute', name: 'mail', expression: null, parameters: [] };
    for (const directory of schema.directories)
      for (const object of directory.objects)
        for (const attribute of object.attributes) if (attribute.name === 'title') attribute.required = false;
  });
  const said = await explain(eve.id);
  expect(said).toMatchObject({ willProvision: false, action: 'skip' });
  expect(said.checks.find((c) => c.name === 'Matching value')?.passed).toBe(false);
  const event = await provisionNow(eve.id);
  expect(event.provisioningStatusInfo.errorInformation?.errorCode).toBe('ImportSkipped');
  expect(event.provisioningStatusInfo.errorInformation?.reason).toBe(said.reason);
  expect(event.provisioningStatusInfo.errorInformation?.recommendedAction).toBe(said.recommendedAction);

  // A group's matching property empty: the group mapping matches on displayName, mapped from the
  // group's mail nickname, which this group does not have.
  await editSchema((schema) => {
    const groups = schema.synchronizationRules[0]?.objectMappings.find((m) => m.sourceObjectName === 'Group');
    const displayName = groups?.attributeMappings.find((a) => a.targetAttributeName === 'displayName');
    if (!groups || !displayName) throw new Error('no group mapping');
    groups.enabled = true;
    displayName.source = { type: 'Attribute', name: 'mailNickname', expression: null, parameters: [] };
  });
  const team = await ok<{ id: string }>(
    await api.post('/api/v1.0/groups', { data: { displayName: `Explained Team ${stamp}` } }),
    'create group',
  );
  await assign(team.id);
  const teamSaid = await explain(team.id);
  expect(teamSaid).toMatchObject({ willProvision: false, action: 'skip' });
  expect(teamSaid.reason).toContain(`Group 'Explained Team ${stamp}'`);
  const groupEvent = await provisionNow(team.id, 'Group');
  expect(groupEvent.provisioningStatusInfo.errorInformation?.errorCode).toBe('ImportSkipped');
  expect(groupEvent.provisioningStatusInfo.errorInformation?.reason).toBe(teamSaid.reason);
  expect(groupEvent.provisioningStatusInfo.errorInformation?.recommendedAction).toBe(
    teamSaid.recommendedAction,
  );
  await api.delete(`/api/v1.0/groups/${team.id}`);
});
