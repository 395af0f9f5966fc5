import type {
  AttributeMapping,
  AttributeMappingFunctionSchema,
  Collection,
  FilterGroup,
  ParseExpressionResponse,
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
  t = await startTestApp({ now: () => new Date('2026-03-16T07:00:00Z') });
});
afterAll(async () => {
  await t.close();
});

const jobUrl = (spId: string, jobId: string, rest = '') =>
  `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}${rest}`;

async function getSchema(spId: string, jobId: string): Promise<SynchronizationSchema> {
  const res = await t.app.inject({ url: jobUrl(spId, jobId, '/schema'), headers: { cookie: t.admin } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const putSchema = (spId: string, jobId: string, payload: object) =>
  t.app.inject({ method: 'PUT', url: jobUrl(spId, jobId, '/schema'), headers: { cookie: t.admin }, payload });

const parse = (spId: string, jobId: string, payload: object) =>
  t.app.inject({
    method: 'POST',
    url: jobUrl(spId, jobId, '/schema/parseExpression'),
    headers: { cookie: t.admin },
    payload,
  });

const userMappings = (schema: SynchronizationSchema) =>
  schema.synchronizationRules[0]!.objectMappings[0]!.attributeMappings;

/** The schema with the user mapping's row for `target` replaced (or added when missing). */
function withRow(
  schema: SynchronizationSchema,
  target: string,
  row: Partial<AttributeMapping>,
): SynchronizationSchema {
  const copy = structuredClone(schema);
  const rows = userMappings(copy);
  const i = rows.findIndex((m) => m.targetAttributeName === target);
  const base: AttributeMapping = {
    source: null,
    targetAttributeName: target,
    defaultValue: null,
    flowType: 'Always',
    matchingPriority: 0,
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  };
  if (i >= 0) rows[i] = { ...rows[i]!, ...row };
  else rows.push({ ...base, ...row });
  return copy;
}

const expressionSource = (expression: string) => ({
  type: 'Function' as const,
  name: null,
  expression,
  parameters: [],
});

describe('access', () => {
  const job = `/api/v1.0/servicePrincipals/${NO_ID}/synchronization/jobs/scim.0`;
  describeAccess(it, () => t, [
    { method: 'GET', url: `${job}/schema` },
    { method: 'PUT', url: `${job}/schema`, payload: { synchronizationRules: [], directories: [] } },
    { method: 'GET', url: `${job}/schema/functions` },
    { method: 'POST', url: `${job}/schema/parseExpression`, payload: { expression: '[mail]' } },
    {
      method: 'POST',
      url: `${job}/schema/validate`,
      payload: { synchronizationRules: [], directories: [] },
    },
  ]);
});

describe('PUT …/schema', () => {
  it('saves a changed mapping: version bumped, expression kept as written with its parsed tree, watermark cleared, one audit event', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Schema App');
    const before = await getSchema(spId, jobId);
    expect(before.version).toBe('1');
    await t.db.jobs.updateJob(jobId, { watermark: 42 });

    const text = 'Join(" ",\n  [givenName], [surname])';
    const res = await putSchema(
      spId,
      jobId,
      withRow(before, 'displayName', { source: expressionSource(text) }),
    );
    expect(res.statusCode).toBe(204);

    const after = await getSchema(spId, jobId);
    expect(after.version).toBe('2');
    expect(userMappings(after).find((m) => m.targetAttributeName === 'displayName')?.source).toEqual({
      type: 'Function',
      name: 'Join',
      expression: text,
      parameters: [
        { key: 'separator', value: { type: 'Constant', name: ' ', expression: '" "', parameters: [] } },
        { key: 'source', value: expect.objectContaining({ type: 'Attribute', name: 'givenName' }) },
        { key: 'source', value: expect.objectContaining({ type: 'Attribute', name: 'surname' }) },
      ],
    });
    const job = await t.db.jobs.getJob(jobId);
    expect(job.watermark).toBeNull();
    // Provisioning is off: nothing is asked of the worker.
    expect(job.runRequestedAt).toBeNull();

    const audit = (await auditEvents(t)).filter(
      (e) =>
        e.activityDisplayName === 'Update attribute mappings or scope' && e.targetResources[0]?.id === spId,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      category: 'ProvisioningManagement',
      operationType: 'Update',
      initiatedBy: { user: { displayName: 'admin' } },
      additionalDetails: expect.arrayContaining([
        { key: 'JobId', value: jobId },
        { key: 'SchemaVersion', value: '2' },
      ]),
    });
    expect(audit[0]!.targetResources[0]!.modifiedProperties).toEqual([
      {
        displayName: 'Provision Provisio Directory Users: displayName',
        oldValue: '[displayName]',
        newValue: text,
      },
    ]);
  });

  it('saving what is saved changes nothing: no new version, no audit event', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Unchanged App');
    const schema = await getSchema(spId, jobId);
    await t.db.jobs.updateJob(jobId, { watermark: 7 });
    expect((await putSchema(spId, jobId, schema)).statusCode).toBe(204);
    expect((await getSchema(spId, jobId)).version).toBe('1');
    expect((await t.db.jobs.getJob(jobId)).watermark).toBe(7);
    expect(
      (await auditEvents(t)).filter(
        (e) =>
          e.activityDisplayName === 'Update attribute mappings or scope' && e.targetResources[0]?.id === spId,
      ),
    ).toEqual([]);
  });

  it('when provisioning is on, a change asks for a cycle now', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Active App');
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
      headers: { cookie: t.admin },
      payload: { value: [{ key: 'BaseAddress', value: 'https://scim.example.com/scim' }] },
    });
    await t.app.inject({ method: 'POST', url: jobUrl(spId, jobId, '/start'), headers: { cookie: t.admin } });
    await t.db.jobs.updateJob(jobId, { runRequestedAt: null, watermark: 3 });
    const schema = await getSchema(spId, jobId);
    const res = await putSchema(spId, jobId, withRow(schema, 'title', { flowType: 'ObjectAddOnly' }));
    expect(res.statusCode).toBe(204);
    const job = await t.db.jobs.getJob(jobId);
    expect(job.runRequestedAt).toBe('2026-03-16T07:00:00.000Z');
    expect(job.watermark).toBeNull();
  });

  it('an invalid expression: 400 schema.invalid with the field, the mapping and the position; nothing saved', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Invalid App');
    const schema = await getSchema(spId, jobId);
    const index = userMappings(schema).findIndex((m) => m.targetAttributeName === 'displayName');
    const res = await putSchema(
      spId,
      jobId,
      withRow(schema, 'displayName', { source: expressionSource('Joinn(",", [givenName])') }),
    );
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('schema.invalid');
    expect(error.message).toMatch(
      /^1 problem in the attribute mappings: The expression mapped to 'displayName' is invalid at line 1, column 1/,
    );
    expect(error.details).toEqual([
      expect.objectContaining({
        code: 'mapping.invalid_expression',
        target: `synchronizationRules/0/objectMappings/0/attributeMappings/${index}/source/expression`,
        objectMappingName: 'Provision Provisio Directory Users',
        targetAttributeName: 'displayName',
        start: 0,
        end: 5,
        line: 1,
        column: 1,
      }),
    ]);
    expect((await getSchema(spId, jobId)).version).toBe('1');
  });

  it('reports every problem at once, each with its code and field', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Many Problems App');
    let schema = await getSchema(spId, jobId);
    schema = withRow(schema, 'title', {
      source: { type: 'Attribute', name: 'favouriteColour', expression: '[favouriteColour]', parameters: [] },
    });
    schema = withRow(schema, 'nickName', {
      source: { type: 'Attribute', name: 'mail', expression: '[mail]', parameters: [] },
    });
    schema = withRow(schema, 'externalId', { source: null, matchingPriority: 2 });
    schema = withRow(schema, 'DISPLAYNAME', {
      source: { type: 'Attribute', name: 'mail', expression: '[mail]', parameters: [] },
    });
    // userName (required) is no longer mapped; mail becomes the matching attribute.
    const rows = userMappings(schema);
    rows.splice(
      rows.findIndex((m) => m.targetAttributeName === 'userName'),
      1,
    );
    rows.find((m) => m.targetAttributeName === 'emails[type eq "work"].value')!.matchingPriority = 1;

    const res = await putSchema(spId, jobId, schema);
    expect(res.statusCode).toBe(400);
    const codes = errorOf(res)
      .details!.map((d) => d.code)
      .sort();
    expect(codes).toEqual(
      [
        'mapping.duplicate_target',
        'mapping.matching_without_source',
        'mapping.required_target_unmapped',
        'mapping.unknown_source_attribute',
        'mapping.unknown_target_attribute',
      ].sort(),
    );
    const required = errorOf(res).details!.find((d) => d.code === 'mapping.required_target_unmapped');
    expect(required).toMatchObject({
      target: 'synchronizationRules/0/objectMappings/0/attributeMappings',
      targetAttributeName: 'userName',
    });
  });

  it('a target attribute added to the attribute list (an extension URN) can be mapped', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Extension App');
    const custom = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter';
    let schema = withRow(await getSchema(spId, jobId), custom, {
      source: { type: 'Attribute', name: 'department', expression: '[department]', parameters: [] },
    });
    expect(errorOf(await putSchema(spId, jobId, schema)).details).toEqual([
      expect.objectContaining({ code: 'mapping.unknown_target_attribute', targetAttributeName: custom }),
    ]);
    schema = structuredClone(schema);
    const target = schema.directories.find((d) => d.name === 'customappsso')!.objects[0]!;
    target.attributes.push({ ...target.attributes[0]!, name: custom, required: false, caseExact: true });
    expect((await putSchema(spId, jobId, schema)).statusCode).toBe(204);
    const saved = await getSchema(spId, jobId);
    expect(saved.directories[1]!.objects[0]!.attributes.at(-1)).toMatchObject({
      name: custom,
      caseExact: true,
    });
  });

  it('a body that is not a schema: 400 request.invalid naming the field', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Bad Body App');
    const schema = await getSchema(spId, jobId);
    const bad = withRow(schema, 'title', { flowType: 'Sometimes' as never });
    const res = await putSchema(spId, jobId, bad);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('request.invalid');
    expect(errorOf(res).details?.[0]?.target).toMatch(
      /^body\/synchronizationRules\/0\/objectMappings\/0\/attributeMappings\/\d+\/flowType$/,
    );
  });

  it('a stale version: 409 schema.version_conflict; unknown job: 404', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Conflict App');
    const schema = await getSchema(spId, jobId);
    expect(
      (await putSchema(spId, jobId, withRow(schema, 'title', { flowType: 'ObjectAddOnly' }))).statusCode,
    ).toBe(204);
    const stale = await putSchema(spId, jobId, withRow(schema, 'title', { defaultValue: 'x' }));
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('schema.version_conflict');
    const missing = await putSchema(spId, 'scim.nope', schema);
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('provisioning_job.not_found');
  });

  it('scoping filters: each bad clause is refused at its field; a good filter is saved and audited', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Scoping App');
    const schema = await getSchema(spId, jobId);
    const withScope = (groups: FilterGroup[]) => {
      const copy = structuredClone(schema);
      copy.synchronizationRules[0]!.objectMappings[0]!.scope = {
        groups,
        inputFilterGroups: [],
        categoryFilterGroups: [],
      };
      return copy;
    };
    const clause = (sourceOperandName: string, operatorName: string, values?: string[]) => ({
      sourceOperandName,
      operatorName,
      targetOperand: values ? { values } : null,
    });

    const bad = await putSchema(
      spId,
      jobId,
      withScope([
        { name: 'Sales', clauses: [clause('department', 'EQUALS', ['Sales'])] },
        {
          name: '',
          clauses: [
            clause('userPrincipalName', 'REGEX MATCH', ['(unclosed']),
            clause('employeeId', 'Greater_Than', ['ten']),
            clause('favouriteColour', 'EQUALS', ['blue']),
            clause('department', 'LIKE', ['S%']),
          ],
        },
      ]),
    );
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).code).toBe('schema.invalid');
    const scope = 'synchronizationRules/0/objectMappings/0/scope/groups/1';
    expect(
      errorOf(bad)
        .details!.map((d) => [d.code, d.target])
        .sort(),
    ).toEqual(
      [
        ['scoping_filter.missing_title', `${scope}/name`],
        ['scoping_filter.invalid_value', `${scope}/clauses/0/targetOperand/values/0`],
        ['scoping_filter.invalid_value', `${scope}/clauses/1/targetOperand/values/0`],
        ['scoping_filter.unknown_attribute', `${scope}/clauses/2/sourceOperandName`],
        ['scoping_filter.unknown_operator', `${scope}/clauses/3/operatorName`],
      ].sort(),
    );
    const regex = errorOf(bad).details!.find((d) => d.target === `${scope}/clauses/0/targetOperand/values/0`);
    expect(regex).toMatchObject({ objectMappingName: 'Provision Provisio Directory Users' });
    expect(regex!.message).toMatch(/'\(unclosed' is not a valid regular expression: unterminated group\./);
    expect(regex!.message).not.toContain('^(?:');
    expect((await getSchema(spId, jobId)).version).toBe('1');

    await t.db.jobs.updateJob(jobId, { watermark: 5 });
    const sales: FilterGroup = { name: 'Sales', clauses: [clause('department', 'EQUALS', ['Sales'])] };
    expect((await putSchema(spId, jobId, withScope([sales]))).statusCode).toBe(204);
    const saved = await getSchema(spId, jobId);
    expect(saved.synchronizationRules[0]!.objectMappings[0]!.scope?.groups).toEqual([sales]);
    expect((await t.db.jobs.getJob(jobId)).watermark).toBeNull();
    const audit = (await auditEvents(t)).filter(
      (e) =>
        e.activityDisplayName === 'Update attribute mappings or scope' && e.targetResources[0]?.id === spId,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.targetResources[0]!.modifiedProperties).toEqual([
      {
        displayName: 'Provision Provisio Directory Users: Source Object Scope',
        oldValue: 'All records',
        newValue: JSON.stringify([sales]),
      },
    ]);
  });

  it('unknown properties are not stored', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Clean App');
    const schema = withRow(await getSchema(spId, jobId), 'title', { flowType: 'ObjectAddOnly' });
    (schema as unknown as Record<string, unknown>)['@odata.context'] = 'x';
    (userMappings(schema)[0] as unknown as Record<string, unknown>).extra = 'y';
    expect((await putSchema(spId, jobId, schema)).statusCode).toBe(204);
    const stored = (await t.db.jobs.getJob(jobId)).schema as unknown as Record<string, unknown>;
    expect(stored['@odata.context']).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain('"extra"');
  });
});

describe('POST …/schema/validate', () => {
  const validate = (spId: string, jobId: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: jobUrl(spId, jobId, '/schema/validate'),
      headers: { cookie: t.admin },
      payload,
    });

  it('answers the problems PUT would refuse, with their position, and saves nothing', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Validate App');
    const schema = await getSchema(spId, jobId);
    const index = userMappings(schema).findIndex((m) => m.targetAttributeName === 'displayName');
    const res = await validate(
      spId,
      jobId,
      withRow(schema, 'displayName', { source: expressionSource('Join(" ", [notAnAttribute])') }),
    );
    expect(res.statusCode).toBe(200);
    const { problems } = res.json<{ problems: { message: string }[] }>();
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'mapping.unknown_source_attribute',
        target: `synchronizationRules/0/objectMappings/0/attributeMappings/${index}/source/expression`,
        targetAttributeName: 'displayName',
        start: 10,
        end: 26,
        line: 1,
        column: 11,
      }),
    ]);
    expect(problems[0]!.message).toMatch(/the known attributes are: .*givenName/);
    expect((await getSchema(spId, jobId)).version).toBe('1');
  });

  it('a schema PUT would accept has no problems; an unknown job is a 404', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Validate Good App');
    const res = await validate(spId, jobId, await getSchema(spId, jobId));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ problems: [] });
    const missing = await validate(spId, 'scim.missing', await getSchema(spId, jobId));
    expect(missing.statusCode).toBe(404);
  });
});

describe('GET …/schema/functions', () => {
  it('lists every function in Graph’s attributeMappingFunctionSchema shape', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Functions App');
    const res = await t.app.inject({
      url: jobUrl(spId, jobId, '/schema/functions'),
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Collection<AttributeMappingFunctionSchema>;
    expect(body.value.length).toBeGreaterThanOrEqual(48);
    expect(body.value.find((f) => f.name === 'Append')).toEqual({
      id: 'Append',
      name: 'Append',
      description: expect.any(String),
      parameters: [
        { name: 'source', type: 'String', allowMultipleOccurrence: false, required: true },
        { name: 'suffix', type: 'String', allowMultipleOccurrence: false, required: true },
      ],
    });
    const missing = await t.app.inject({
      url: jobUrl(spId, 'scim.nope', '/schema/functions'),
      headers: { cookie: t.admin },
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('POST …/schema/parseExpression', () => {
  let spId: string;
  let jobId: string;
  beforeAll(async () => {
    ({ spId, jobId } = await createAppWithJob(t, 'Parse App'));
  });

  it('evaluates against testInputObject properties: Graph’s answer plus what it read', async () => {
    const res = await parse(spId, jobId, {
      expression: 'Join(" ", [givenName], ToUpper([surname]))',
      testInputObject: {
        properties: [
          { key: 'givenName', value: 'Adele' },
          { key: 'surname', value: 'Vance' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      parsingSucceeded: true,
      evaluationSucceeded: true,
      evaluationResult: ['Adele VANCE'],
      parsedExpression: expect.objectContaining({
        type: 'Function',
        name: 'Join',
        parameters: expect.any(Array),
      }),
      error: null,
      attributesRead: ['givenName', 'surname'],
      inputValues: [
        { key: 'givenName', value: 'Adele' },
        { key: 'surname', value: 'Vance' },
      ],
      flow: 'Value',
      redacted: false,
    });
  });

  it('a parse error is a 200 answer with parsingSucceeded false and the position', async () => {
    const res = await parse(spId, jobId, { expression: 'Joinn(",", [givenName])' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as ParseExpressionResponse;
    expect(body).toMatchObject({
      parsingSucceeded: false,
      evaluationSucceeded: false,
      evaluationResult: null,
      parsedExpression: null,
      error: { code: 'expression.unknown_function', start: 0, end: 5, line: 1, column: 1 },
    });
    expect(body.error?.message).toContain('Join');
  });

  it('without test input it only parses', async () => {
    const body = (
      await parse(spId, jobId, { expression: 'ToLower([mail])' })
    ).json() as ParseExpressionResponse;
    expect(body).toMatchObject({
      parsingSucceeded: true,
      evaluationSucceeded: false,
      evaluationResult: null,
      attributesRead: ['mail'],
    });
  });

  it('testUserId reads the directory user as a cycle does: assigned → IsSoftDeleted False; typed values override', async () => {
    const userId = await createUser(t, 'zoe.mapping@contoso.com', { givenName: 'Zoë', surname: 'Mapping' });
    const active = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';
    const unassigned = (
      await parse(spId, jobId, { expression: active, testUserId: userId })
    ).json() as ParseExpressionResponse;
    expect(unassigned).toMatchObject({
      evaluationResult: ['False'],
      inputValues: [{ key: 'IsSoftDeleted', value: 'True' }],
    });

    const assign = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: userId },
    });
    expect(assign.statusCode).toBe(201);
    const assigned = (
      await parse(spId, jobId, { expression: active, testUserId: userId })
    ).json() as ParseExpressionResponse;
    expect(assigned.evaluationResult).toEqual(['True']);

    const joined = (
      await parse(spId, jobId, {
        expression: 'NormalizeDiacritics(Join(".", [givenName], [surname]))',
        testUserId: userId,
      })
    ).json() as ParseExpressionResponse;
    expect(joined.evaluationResult).toEqual(['Zoe.Mapping']);

    const overridden = (
      await parse(spId, jobId, {
        expression: 'Join(".", [givenName], [surname])',
        testUserId: userId,
        testInputObject: { properties: [{ key: 'surname', value: 'Typed' }] },
      })
    ).json() as ParseExpressionResponse;
    expect(overridden.evaluationResult).toEqual(['Zoë.Typed']);
  });

  it('an unknown testUserId: 400 naming body/testUserId', async () => {
    const res = await parse(spId, jobId, { expression: '[mail]', testUserId: NO_ID });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({
      code: 'expression.test_user_not_found',
      details: [expect.objectContaining({ target: 'body/testUserId' })],
    });
  });

  it('a request that is not Graph’s shape: 400 request.invalid', async () => {
    const res = await parse(spId, jobId, { expression: 42 });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details?.[0]?.target).toBe('body/expression');
  });
});
