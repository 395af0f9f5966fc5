// Attribute mappings in real cycles: expressions in exports, matching values computed by
// expressions, attributes dropped by IgnoreFlowIfNullOrEmpty, redacted values in the logs.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisioDb } from '@provisio/db';
import type { AttributeMapping, ProvisioningObjectSummary } from '@provisio/engine';
import { ProvisioningWorker } from '../src/index';
import {
  addUser,
  assign,
  defaultUserMappings,
  ENTERPRISE,
  requestRun,
  seedJob,
  startSampleApp,
  tempDataDir,
  type SampleApp,
} from './harness';

let app: SampleApp;
let db: ProvisioDb;
let cleanup: () => Promise<void>;
let worker: ProvisioningWorker;

beforeAll(async () => {
  app = await startSampleApp();
});
afterAll(async () => {
  await app.stop();
});
beforeEach(async () => {
  await app.reset();
  ({ db, cleanup } = await tempDataDir());
  worker = new ProvisioningWorker({
    db,
    workerId: 'mappings-test-worker',
    pollMs: 20,
    leaseMs: 30_000,
    concurrency: 4,
    log: () => undefined,
  });
});
afterEach(() => cleanup());

async function cycle(jobId: string) {
  await requestRun(db, jobId);
  const report = await worker.runOnce();
  if (!report) throw new Error('no job was due');
  return report;
}

const eventsOf = async (jobId: string, cycleId: string): Promise<ProvisioningObjectSummary[]> =>
  (await db.events.listProvisioningEvents({ jobId, cycleId }, { top: 500 })).items;

const byUserName = async (userName: string) =>
  (await app.users()).find((u) => u.userName.toLowerCase() === userName.toLowerCase());

/** The default user mappings with the rows for the given targets replaced. */
function mappingsWith(rows: Record<string, Partial<AttributeMapping>>): AttributeMapping[] {
  return defaultUserMappings().map((m) =>
    rows[m.targetAttributeName] ? { ...m, ...rows[m.targetAttributeName] } : m,
  );
}

const fn = (expression: string): AttributeMapping['source'] => ({
  type: 'Function',
  name: null,
  expression,
  parameters: [],
});

describe('expressions in exports', () => {
  it('a creation sends what the expressions compute; an update sends the new value, logged old → new', async () => {
    const adele = await addUser(db, 'adele', { givenName: 'Adele', surname: 'Vance', jobTitle: 'Engineer' });
    const mappings = mappingsWith({
      displayName: { source: fn('Join(" ", [givenName], ToUpper([surname]))') },
      title: { source: fn('Append([jobTitle], " (contractor)")') },
    });
    const { spId, jobId } = await seedJob(db, app, { mappings });
    await assign(db, spId, adele.id);

    const created = await cycle(jobId);
    expect(created).toMatchObject({ state: 'Succeeded', tally: { created: 1 } });
    expect(await byUserName('adele@contoso.com')).toMatchObject({
      displayName: 'Adele VANCE',
      title: 'Engineer (contractor)',
    });
    expect((await eventsOf(jobId, created.cycleId))[0]?.modifiedProperties).toEqual(
      expect.arrayContaining([{ displayName: 'displayName', oldValue: null, newValue: 'Adele VANCE' }]),
    );

    await db.directory.updateUser(adele.id, { surname: 'Wilber' });
    await app.clearRequests();
    const updated = await cycle(jobId);
    expect(updated).toMatchObject({ state: 'Succeeded', tally: { updated: 1 } });
    const patch = (await app.requests()).find((r) => r.method === 'PATCH');
    expect((patch?.body as { Operations: unknown[] }).Operations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'displayName', value: 'Adele WILBER' }),
        expect.objectContaining({ path: 'name.familyName', value: 'Wilber' }),
      ]),
    );
    const [event] = await eventsOf(jobId, updated.cycleId);
    expect(event?.provisioningAction).toBe('update');
    expect(event?.modifiedProperties).toContainEqual({
      displayName: 'displayName',
      oldValue: 'Adele VANCE',
      newValue: 'Adele WILBER',
    });
    expect((await byUserName('adele@contoso.com'))?.displayName).toBe('Adele WILBER');
  });

  it('default if null applies on creation only; "Only during object creation" is not sent on update', async () => {
    const alex = await addUser(db, 'alex', { jobTitle: null, department: 'Sales' });
    const mappings = mappingsWith({
      title: { defaultValue: 'Employee' },
      [`${ENTERPRISE}:department`]: { flowType: 'ObjectAddOnly' },
    });
    const { spId, jobId } = await seedJob(db, app, { mappings });
    await assign(db, spId, alex.id);
    await cycle(jobId);
    expect(await byUserName('alex@contoso.com')).toMatchObject({
      title: 'Employee',
      [ENTERPRISE]: expect.objectContaining({ department: 'Sales' }),
    });

    await db.directory.updateUser(alex.id, { department: 'Legal', displayName: 'Alex Renamed' });
    await app.clearRequests();
    await cycle(jobId);
    const patch = (await app.requests()).find((r) => r.method === 'PATCH');
    const paths = (patch?.body as { Operations: { path?: string }[] }).Operations.map((o) => o.path);
    expect(paths).toEqual(['displayName']);
    expect((await byUserName('alex@contoso.com'))?.[ENTERPRISE]).toMatchObject({ department: 'Sales' });
  });
});

describe('matching values computed by expressions', () => {
  it('finds the existing account by an expression-valued matching attribute instead of creating one', async () => {
    const existing = await app.createUser({ userName: 'old.name@contoso.com', externalId: 'emp-1000' });
    const adele = await addUser(db, 'adele', { employeeId: '1000' });
    // externalId is matched first, computed from the employee id; userName second.
    const mappings = mappingsWith({
      externalId: { source: fn('Join("-", "emp", [employeeId])'), matchingPriority: 1 },
      userName: { matchingPriority: 2 },
    });
    const { spId, jobId } = await seedJob(db, app, { mappings });
    await assign(db, spId, adele.id);
    await app.clearRequests();

    const report = await cycle(jobId);
    expect(report).toMatchObject({ state: 'Succeeded', tally: { created: 0, updated: 1 } });
    const requests = await app.requests();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    const lookup = requests.find(
      (r) => r.method === 'GET' && decodeURIComponent(r.query).includes('externalId'),
    );
    expect(decodeURIComponent(lookup?.query ?? '').replace(/\+/g, ' ')).toContain('externalId eq "emp-1000"');
    const users = await app.users();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      id: existing.id,
      userName: 'adele@contoso.com',
      externalId: 'emp-1000',
    });
    const [event] = await eventsOf(jobId, report.cycleId);
    const matching = event?.provisioningSteps.find((s) => s.provisioningStepType === 'matching');
    expect(JSON.stringify(matching?.details)).toContain('emp-1000');
  });
});

describe('IgnoreFlowIfNullOrEmpty and Redact', () => {
  it('an empty department is left out of the creation; Redact sends the value and logs [Redact]', async () => {
    const noDepartment = await addUser(db, 'nadia', { department: null, employeeId: '4711' });
    const mappings = mappingsWith({
      [`${ENTERPRISE}:department`]: { source: fn('IgnoreFlowIfNullOrEmpty([department])') },
      [`${ENTERPRISE}:employeeNumber`]: { source: fn('Redact([employeeId])') },
    });
    const { spId, jobId } = await seedJob(db, app, { mappings });
    await assign(db, spId, noDepartment.id);
    await app.clearRequests();

    const report = await cycle(jobId);
    expect(report).toMatchObject({ state: 'Succeeded', tally: { created: 1 } });
    const post = (await app.requests()).find((r) => r.method === 'POST');
    const body = post?.body as Record<string, Record<string, unknown> | undefined>;
    expect(body[ENTERPRISE]).toEqual({ employeeNumber: '4711' });
    expect(body[ENTERPRISE]).not.toHaveProperty('department');
    expect((await byUserName('nadia@contoso.com'))?.[ENTERPRISE]).toEqual(
      expect.objectContaining({ employeeNumber: '4711' }),
    );

    const [event] = await eventsOf(jobId, report.cycleId);
    expect(event?.modifiedProperties).toContainEqual({
      displayName: `${ENTERPRISE}:employeeNumber`,
      oldValue: null,
      newValue: '[Redact]',
    });
    expect(event?.modifiedProperties.some((p) => p.displayName.endsWith(':department'))).toBe(false);
    // The value itself appears nowhere in the event, request bodies included.
    const logged = JSON.stringify({
      ...event,
      sourceIdentity: null,
      provisioningSteps: event?.provisioningSteps.filter((s) => s.provisioningStepType !== 'import'),
    });
    expect(logged).not.toContain('4711');

    // A department given later flows again; the redacted attribute, unchanged, is not resent.
    await db.directory.updateUser(noDepartment.id, { department: 'Legal' });
    await app.clearRequests();
    const later = await cycle(jobId);
    const patch = (await app.requests()).find((r) => r.method === 'PATCH');
    expect((patch?.body as { Operations: unknown[] }).Operations).toEqual([
      expect.objectContaining({ path: `${ENTERPRISE}:department`, value: 'Legal' }),
    ]);
    expect((await eventsOf(jobId, later.cycleId))[0]?.modifiedProperties).toEqual([
      { displayName: `${ENTERPRISE}:department`, oldValue: null, newValue: 'Legal' },
    ]);
  });
});
