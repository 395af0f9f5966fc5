// The Tenant URL policy at connection time: the worker resolves a saved host name itself and
// checks every address before connecting, so a name that DNS points at a private or metadata
// address stops the cycle with the refusal, and nothing is sent. Names are resolved by a table
// here, and the connector refuses anything but loopback: no packet leaves the machine.
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { parseTargetAllowList, type TargetLookup } from '@provisio/scim-client';
import { buildConnector } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProvisioningWorker } from '../src/index';
import { addUser, assign, requestRun, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

const NAMES: Record<string, string> = {
  'scim.corp.example': '10.0.0.5',
  'sample.corp.example': '127.0.0.1',
};
const lookups: string[] = [];
const lookup: TargetLookup = (hostname, _options, callback) => {
  lookups.push(hostname);
  const address = NAMES[hostname];
  if (address === undefined) {
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    return;
  }
  callback(null, [{ address, family: isIP(address) } satisfies LookupAddress]);
};

/** Where the worker asked to connect; anything but loopback fails the test and is never opened. */
const connects: string[] = [];
const strayConnects: string[] = [];
const loopbackConnector = buildConnector({});
const connect: buildConnector.connector = (options, callback) => {
  connects.push(options.hostname);
  if (options.hostname !== '127.0.0.1' && options.hostname !== '::1') {
    strayConnects.push(options.hostname);
    callback(new Error(`test: a connection to ${options.hostname} was attempted`), null);
    return;
  }
  loopbackConnector(options, callback);
};

let worker: ProvisioningWorker;
beforeEach(() => {
  lookups.length = 0;
  connects.length = 0;
  strayConnects.length = 0;
  worker = new ProvisioningWorker({
    db: t.db,
    workerId: 'policy-worker',
    pollMs: 20,
    leaseMs: 30_000,
    concurrency: 4,
    log: (line) => t.logs.push(line),
    targets: { policy: parseTargetAllowList('sample.corp.example'), lookup, connect },
  });
});
afterEach(async () => {
  await worker.stop();
});

async function cycle(jobId: string) {
  await requestRun(t.db, jobId);
  const report = await worker.runOnce();
  if (!report) throw new Error('no job was due');
  return report;
}

describe('the Tenant URL policy in the worker', () => {
  it('a saved name that resolves to a private address fails the cycle with the refusal; nothing is sent', async () => {
    // Saved before the policy existed: written straight to the database, never checked by the API.
    const { spId, jobId } = await seedJob(t.db, t.app, {
      settings: { ExportRetryAttempts: '1', ExportRetryDelay: 'PT0.01S' },
      secrets: { BaseAddress: 'https://scim.corp.example/scim/v2' },
    });
    for (const name of ['ana', 'ben']) await assign(t.db, spId, (await addUser(t.db, name)).id);

    const report = await cycle(jobId);

    expect(report.state).toBe('Failed');
    expect(report.error).toMatchObject({ code: 'TargetAddressRefused', tenantActionable: true });
    expect(report.error?.message).toContain(
      "The Tenant URL's host scim.corp.example resolves to 10.0.0.5, a private-network address",
    );
    expect(report.error?.message).toContain('PROVISIO_TARGET_ALLOW');
    expect(lookups).toContain('scim.corp.example');
    expect(connects).toEqual([]);
    expect(strayConnects).toEqual([]);
    // Like rejected credentials: a job-level error that quarantines the job and keeps the watermark.
    const job = await t.db.jobs.getJob(jobId);
    expect(job.statusCode).toBe('Quarantine');
    expect(job.status.quarantine).toMatchObject({
      reason: 'EncounteredQuarantineException',
      error: { code: 'TargetAddressRefused' },
    });
    expect(job.status.lastExecution?.error?.message).toContain('10.0.0.5');
    expect(job.watermark).toBeNull();
    expect(await t.app.users()).toEqual([]);
  });

  it('a cloud metadata address written as a decimal number is refused before any lookup', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      secrets: { BaseAddress: 'http://2852039166/latest' },
    });
    await assign(t.db, spId, (await addUser(t.db, 'ana')).id);

    const report = await cycle(jobId);

    expect(report.error?.code).toBe('TargetAddressRefused');
    expect(report.error?.message).toContain(
      '169.254.169.254, a link-local address used by cloud metadata services',
    );
    expect(connects).toEqual([]);
  });

  it('a name an administrator allows connects to the address it resolves to', async () => {
    const port = new URL(t.app.scimBaseUrl).port;
    const { spId, jobId } = await seedJob(t.db, t.app, {
      secrets: { BaseAddress: `http://sample.corp.example:${port}/scim/v2` },
    });
    await assign(t.db, spId, (await addUser(t.db, 'ana')).id);

    const report = await cycle(jobId);

    expect(report.state).toBe('Succeeded');
    expect(lookups).toContain('sample.corp.example');
    expect(connects[0]).toBe('127.0.0.1');
    expect(strayConnects).toEqual([]);
    expect(await t.account('ana@contoso.com')).toBeDefined();
  });
});
