// Directory extension attributes in real cycles: a Direct mapping from extension_<appId>_<name>
// sends the user's value to the sample app, a change of it is one update, and a scoping filter on
// it decides who is provisioned.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisioDb } from '@provisio/db';
import type { AttributeMapping } from '@provisio/engine';
import { ProvisioningWorker } from '../src/index';
import {
  addUser,
  assign,
  defaultUserMappings,
  ENTERPRISE,
  requestRun,
  scopeOf,
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
    workerId: 'extension-attributes-test-worker',
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

const byUserName = async (userName: string) =>
  (await app.users()).find((u) => u.userName.toLowerCase() === userName.toLowerCase());

/** The default mappings plus costCenter ← the extension attribute. */
function mappingsFrom(extensionName: string): AttributeMapping[] {
  return [
    ...defaultUserMappings(),
    {
      source: { type: 'Attribute', name: extensionName, expression: `[${extensionName}]`, parameters: [] },
      targetAttributeName: `${ENTERPRISE}:costCenter`,
      defaultValue: null,
      flowType: 'Always',
      matchingPriority: 0,
      flowBehavior: 'FlowWhenChanged',
      exportMissingReferences: false,
    },
  ];
}

describe('directory extension attributes', () => {
  it('a mapping from extension_<appId>_costCenter sends its value on create, and its change as one update', async () => {
    const costCenter = await db.directoryExtensions.insertExtensionProperty({
      name: `extension_${await db.directoryExtensions.extensionAppId()}_costCenter`,
      dataType: 'String',
      isMultiValued: false,
    });
    const adele = await addUser(db, 'adele');
    await db.directoryExtensions.setUserExtensionAttributes(adele.id, { [costCenter.name]: 'CC-100' });
    const { spId, jobId } = await seedJob(db, app, { mappings: mappingsFrom(costCenter.name) });
    await assign(db, spId, adele.id);

    expect(await cycle(jobId)).toMatchObject({ state: 'Succeeded', tally: { created: 1 } });
    expect(await byUserName('adele@contoso.com')).toMatchObject({
      [ENTERPRISE]: expect.objectContaining({ costCenter: 'CC-100' }),
    });

    await db.directoryExtensions.setUserExtensionAttributes(adele.id, { [costCenter.name]: 'CC-200' });
    await app.clearRequests();
    expect(await cycle(jobId)).toMatchObject({ state: 'Succeeded', tally: { updated: 1 } });
    const writes = (await app.requests()).filter((r) => r.method !== 'GET');
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(writes[0]?.body)).toContain('CC-200');
    expect(await byUserName('adele@contoso.com')).toMatchObject({
      [ENTERPRISE]: expect.objectContaining({ costCenter: 'CC-200' }),
    });
  });

  it('a scoping filter on an extension attribute provisions only the users whose value matches', async () => {
    const name = `extension_${await db.directoryExtensions.extensionAppId()}_isContractor`;
    await db.directoryExtensions.insertExtensionProperty({ name, dataType: 'Boolean', isMultiValued: false });
    const inside = await addUser(db, 'inside');
    const outside = await addUser(db, 'outside');
    await db.directoryExtensions.setUserExtensionAttributes(inside.id, { [name]: true });
    await db.directoryExtensions.setUserExtensionAttributes(outside.id, { [name]: false });
    const { spId, jobId } = await seedJob(db, app, { scope: scopeOf(name, 'IS TRUE') });
    await assign(db, spId, inside.id);
    await assign(db, spId, outside.id);

    expect(await cycle(jobId)).toMatchObject({ state: 'Succeeded', tally: { created: 1 } });
    expect(await byUserName('inside@contoso.com')).toBeDefined();
    expect(await byUserName('outside@contoso.com')).toBeUndefined();
  });
});
