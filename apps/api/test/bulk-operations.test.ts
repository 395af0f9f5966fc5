import type { BulkOperation, BulkOperationResult, Collection, User } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  createUser,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const BASE = '/api/v1.0/directory/bulkOperations';

async function upload(kind: 'create' | 'update' | 'delete', csv: string, cookie = t.admin) {
  return t.app.inject({
    method: 'POST',
    url: `${BASE}?kind=${kind}&fileName=${kind}.csv`,
    headers: { cookie, 'content-type': 'text/csv' },
    payload: csv,
  });
}

/** Polls the operation as the portal does, until it ends. */
async function finished(id: string): Promise<BulkOperation> {
  for (let i = 0; i < 600; i += 1) {
    const res = await t.app.inject({ url: `${BASE}/${id}`, headers: { cookie: t.admin } });
    expect(res.statusCode).toBe(200);
    const op = res.json<BulkOperation>();
    if (['succeeded', 'completedWithErrors', 'failed'].includes(op.status)) return op;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`bulk operation ${id} did not finish`);
}

async function run(kind: 'create' | 'update' | 'delete', csv: string) {
  const res = await upload(kind, csv);
  expect(res.statusCode, res.body).toBe(202);
  const op = await finished(res.json<BulkOperation>().id);
  // Every page of the results, through @odata.nextLink.
  const results: BulkOperationResult[] = [];
  let url: string | undefined = `${BASE}/${op.id}/results?$top=500`;
  while (url) {
    const page: { statusCode: number; json: <T>() => T } = await t.app.inject({
      url,
      headers: { cookie: t.admin },
    });
    expect(page.statusCode).toBe(200);
    const body: Collection<BulkOperationResult> = page.json<Collection<BulkOperationResult>>();
    results.push(...body.value);
    url =
      body['@odata.nextLink'] &&
      new URL(body['@odata.nextLink']).pathname + new URL(body['@odata.nextLink']).search;
  }
  return { op, results };
}

const userByName = (upn: string) => t.db.directory.findUserByPrincipalName(upn);

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: `${BASE}/template?kind=create` },
    { method: 'POST', url: `${BASE}?kind=create`, payload: {} },
    { method: 'GET', url: BASE },
    { method: 'GET', url: `${BASE}/${NO_ID}` },
    { method: 'GET', url: `${BASE}/${NO_ID}/results` },
  ]);

  it('lets an Application Administrator upload, and refuses a Reports Reader with text/csv too', async () => {
    const reader = await upload('create', 'userPrincipalName,displayName\r\n', t.reader);
    expect(reader.statusCode).toBe(403);
    expect(errorOf(reader).code).toBe('auth.forbidden');
    const appAdmin = await upload(
      'create',
      'userPrincipalName,displayName\r\nx@contoso.com,X\r\n',
      t.appAdmin,
    );
    expect(appAdmin.statusCode).toBe(202);
    expect((await finished(appAdmin.json<BulkOperation>().id)).status).toBe('succeeded');
  });
});

describe('templates', () => {
  it('offers the user attributes for create, id and the attributes for update, id and userPrincipalName for delete', async () => {
    const create = await t.app.inject({ url: `${BASE}/template?kind=create`, headers: { cookie: t.reader } });
    expect(create.statusCode).toBe(200);
    expect(create.headers['content-type']).toMatch(/^text\/csv/);
    expect(create.headers['content-disposition']).toContain('UserCreateTemplate.csv');
    const header = create.body.trim().split(',');
    expect(header.slice(0, 2)).toEqual(['userPrincipalName', 'displayName']);
    expect(header).toEqual(expect.arrayContaining(['department', 'jobTitle', 'accountEnabled']));
    expect(header).not.toContain('password');
    const update = await t.app.inject({ url: `${BASE}/template?kind=update`, headers: { cookie: t.admin } });
    expect(update.body.trim().split(',').slice(0, 2)).toEqual(['id', 'userPrincipalName']);
    const remove = await t.app.inject({ url: `${BASE}/template?kind=delete`, headers: { cookie: t.admin } });
    expect(remove.body.trim()).toBe('id,userPrincipalName');
  });
});

describe('bulk create', () => {
  const lines = ['userPrincipalName,displayName,department,jobTitle,accountEnabled'];
  for (let i = 2; i <= 1001; i += 1) {
    if (i === 10) lines.push(`bulk${i}@contoso.com,,Sales,Clerk,true`);
    else if (i === 500) lines.push(`bulk${i}-at-contoso.com,Bulk ${i},Sales,Clerk,true`);
    else if (i === 900) lines.push(`bulk${i}@contoso.com,Bulk ${i},${'D'.repeat(65)},Clerk,false`);
    else
      lines.push(
        `bulk${i}@contoso.com,"Bulk ${i}, the ${i}th",Sales,Clerk,${i % 2 === 0 ? 'TRUE' : 'false'}`,
      );
  }
  const csv = `${lines.join('\r\n')}\r\n`;

  it('creates the 997 good rows of 1,000 and names the 3 bad lines with column and reason', async () => {
    const before = await t.db.directory.countUsers();
    const { op, results } = await run('create', csv);
    expect(op).toMatchObject({
      kind: 'create',
      status: 'completedWithErrors',
      fileName: 'create.csv',
      total: 1000,
      validated: 1000,
      processed: 1000,
      succeeded: 997,
      failed: 3,
      error: null,
    });
    expect(await t.db.directory.countUsers()).toBe(before + 997);
    expect(await userByName('bulk2@contoso.com')).toMatchObject({
      displayName: 'Bulk 2, the 2th',
      department: 'Sales',
      accountEnabled: true,
    });
    expect((await userByName('bulk3@contoso.com'))?.accountEnabled).toBe(false);
    expect(await userByName('bulk10@contoso.com')).toBeNull();
    expect(await userByName('bulk900@contoso.com')).toBeNull();
    expect(results.map((r) => [r.line, r.column, r.code])).toEqual([
      [10, 'displayName', 'request.invalid'],
      [500, 'userPrincipalName', 'request.invalid'],
      [900, 'department', 'request.invalid'],
    ]);
    expect(results[0]!.reason).toBe('displayName is required: fill in this column.');
    expect(results[1]!.reason).toMatch(/^userPrincipalName is not in the expected form/);
    expect(results[2]!.reason).toBe('department must be at most 64 characters long; shorten it.');
    expect(results[1]!.key).toBe('bulk500-at-contoso.com');

    const audit = (await auditEvents(t)).filter((e) =>
      e.additionalDetails.some((d) => d.key === 'BulkOperationId' && d.value === op.id),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.resultReason).toBe('Created 997 user(s); 3 row(s) rejected.');
    expect(audit[0]!.additionalDetails).toEqual(
      expect.arrayContaining([
        { key: 'Total', value: '1000' },
        { key: 'Succeeded', value: '997' },
        { key: 'Failed', value: '3' },
      ]),
    );
  });

  it('reports the users of a file uploaded again as taken instead of creating them', async () => {
    const before = await t.db.directory.countUsers();
    const { op, results } = await run('create', csv);
    expect(op).toMatchObject({ status: 'completedWithErrors', total: 1000, succeeded: 0, failed: 1000 });
    expect(await t.db.directory.countUsers()).toBe(before);
    const conflicts = results.filter((r) => r.code === 'user.conflict');
    expect(conflicts).toHaveLength(997);
    expect(conflicts[0]).toMatchObject({
      line: 2,
      column: 'userPrincipalName',
      reason: 'The user principal name bulk2@contoso.com is already taken. Choose another one.',
    });
  });

  it('rejects a second row with the same user principal name, naming the first line', async () => {
    const { op, results } = await run(
      'create',
      'userPrincipalName,displayName\nsame@contoso.com,Same\nSAME@contoso.com,Same again\nother@contoso.com,Other\n',
    );
    expect(op).toMatchObject({ succeeded: 2, failed: 1 });
    expect(results).toEqual([
      expect.objectContaining({ line: 3, column: 'userPrincipalName', code: 'bulk_operation.duplicate_row' }),
    ]);
    expect(results[0]!.reason).toContain('Line 2');
  });

  it('refuses a file whose header is not the template’s, before anything runs', async () => {
    const res = await upload(
      'create',
      'userPrincipalName,displayName,favouriteColour\na@contoso.com,A,blue\n',
    );
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('bulk_operation.invalid_header');
    expect(errorOf(res).message).toContain('favouriteColour');
    const missing = await upload('create', 'userPrincipalName\na@contoso.com\n');
    expect(errorOf(missing).message).toContain('no displayName column');
    const empty = await upload('create', '');
    expect(errorOf(empty).code).toBe('bulk_operation.empty_file');
  });

  it('accepts Entra template headings and semicolons', async () => {
    const { op } = await run(
      'create',
      'Name [displayName] Required;User name [userPrincipalName] Required\r\nSemi Colon;semi@contoso.com\r\n',
    );
    expect(op).toMatchObject({ status: 'succeeded', succeeded: 1 });
    expect((await userByName('semi@contoso.com'))?.displayName).toBe('Semi Colon');
  });

  it('fails an operation whose file is not valid CSV, creating nothing', async () => {
    const before = await t.db.directory.countUsers();
    const { op } = await run('create', 'userPrincipalName,displayName\nq1@contoso.com,"Open quote\n');
    expect(op.status).toBe('failed');
    expect(op.error?.code).toBe('bulk_operation.invalid_file');
    expect(await t.db.directory.countUsers()).toBe(before);
  });
});

describe('bulk update', () => {
  it('updates users named by id or by user principal name, and rejects a bad row', async () => {
    const a = await createUser(t, 'upd.a@contoso.com');
    await createUser(t, 'upd.b@contoso.com');
    const { op, results } = await run(
      'update',
      [
        'id,userPrincipalName,department,jobTitle',
        `${a},upd.a2@contoso.com,Finance,`,
        `,upd.b@contoso.com,,Director`,
        `,nobody@contoso.com,Finance,`,
        `,upd.b@contoso.com,${'J'.repeat(129)},`,
      ].join('\n'),
    );
    expect(op).toMatchObject({
      kind: 'update',
      status: 'completedWithErrors',
      total: 4,
      succeeded: 2,
      failed: 2,
    });
    const updatedA = await t.db.directory.getUser(a);
    expect(updatedA).toMatchObject({ userPrincipalName: 'upd.a2@contoso.com', department: 'Finance' });
    expect(await userByName('upd.b@contoso.com')).toMatchObject({ jobTitle: 'Director', department: null });
    expect(results.map((r) => [r.line, r.column, r.code])).toEqual([
      [4, 'userPrincipalName', 'user.not_found'],
      [5, 'department', 'request.invalid'],
    ]);
    const users = await t.app.inject({ url: `/api/v1.0/users/${a}`, headers: { cookie: t.admin } });
    expect(users.json<User>().userPrincipalName).toBe('upd.a2@contoso.com');
  });
});

describe('bulk delete', () => {
  it('moves users named by id or user principal name to the recycle bin, and rejects a bad row', async () => {
    const a = await createUser(t, 'del.a@contoso.com');
    const b = await createUser(t, 'del.b@contoso.com');
    const { op, results } = await run(
      'delete',
      ['userPrincipalName,id', `,${a}`, 'del.b@contoso.com,', 'ghost@contoso.com,', `,${a}`].join('\n'),
    );
    expect(op).toMatchObject({
      kind: 'delete',
      status: 'completedWithErrors',
      total: 4,
      succeeded: 2,
      failed: 2,
    });
    expect((await t.db.directory.getUser(a)).deletedDateTime).not.toBeNull();
    expect((await t.db.directory.getUser(b)).deletedDateTime).not.toBeNull();
    expect(results.map((r) => [r.line, r.column, r.code])).toEqual([
      [4, 'userPrincipalName', 'user.not_found'],
      [5, null, 'bulk_operation.duplicate_row'],
    ]);
    const audit = (await auditEvents(t)).find((e) => e.activityDisplayName === 'Bulk delete users');
    expect(audit?.resultReason).toBe('Deleted 2 user(s); 2 row(s) rejected.');
  });
});

describe('GET /directory/bulkOperations', () => {
  it('lists past operations newest first, and 404s an unknown one', async () => {
    const res = await t.app.inject({ url: `${BASE}?$top=2`, headers: { cookie: t.reader } });
    expect(res.statusCode).toBe(200);
    const page = res.json<Collection<BulkOperation>>();
    expect(page.value).toHaveLength(2);
    expect(page.value[0]!.kind).toBe('delete');
    expect(page['@odata.nextLink']).toContain('$skiptoken=');
    const missing = await t.app.inject({ url: `${BASE}/${NO_ID}`, headers: { cookie: t.admin } });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('bulk_operation.not_found');
  });
});
