import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EVENT_BODY_DICTIONARIES, packEventBody, unpackEventBody } from './event-body';

/** An event as the worker writes one for a created user, with the ids and names that vary. */
const createdEvent = (n: number) =>
  JSON.stringify({
    id: `0193a1b2-c3d4-7e5f-8a9b-${String(n).padStart(12, '0')}`,
    activityDateTime: '2026-11-30T08:15:42.123Z',
    changeId: `0193a1b2-c3d4-7e5f-9a9b-${String(n).padStart(12, '0')}`,
    cycleId: '5c0e6a1f-2b3c-4d5e-8f90-a1b2c3d4e5f6',
    jobId: 'scim.fbc6bdae45484822a25123fe54ea6da3',
    durationInMilliseconds: 12,
    initiatedBy: { id: '', displayName: 'Provisio Provisioning Service', initiatorType: 'system' },
    modifiedProperties: [
      { displayName: 'userName', oldValue: null, newValue: `user${n}@contoso.com` },
      { displayName: 'displayName', oldValue: null, newValue: `Ada Example ${n}` },
    ],
    provisioningAction: 'create',
    provisioningStatusInfo: { status: 'success', errorInformation: null },
    provisioningSteps: [
      {
        name: 'EntryImport',
        provisioningStepType: 'import',
        status: 'success',
        description: `Retrieved User 'user${n}@contoso.com' from Provisio Directory`,
        details: { objectId: `u-${n}`, userPrincipalName: `user${n}@contoso.com`, department: 'Sales' },
      },
      {
        name: 'EntryExportAdd',
        provisioningStepType: 'export',
        status: 'success',
        description: `User 'user${n}@contoso.com' was created in Contoso`,
        details: { Request: 'POST http://127.0.0.1:3110/scim/v2/Users', ResponseStatus: '201' },
      },
    ],
    servicePrincipal: { id: '9f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', displayName: 'Contoso' },
    sourceIdentity: { id: `u-${n}`, displayName: `Ada Example ${n}`, identityType: 'User', details: {} },
    targetIdentity: { id: `t-${n}`, displayName: `user${n}@contoso.com`, identityType: 'User', details: {} },
    sourceSystem: { id: 'Provisio', displayName: 'Provisio Directory', details: {} },
    targetSystem: { id: 'scim.fbc6bdae45484822a25123fe54ea6da3', displayName: 'Contoso', details: {} },
    tenantId: '',
  });

describe('event bodies', () => {
  it('come back exactly as they were written, accents and all', () => {
    // Random text beyond the output chunks (4 KB of JSON, 1 KB compressed) takes several of them.
    const large = JSON.stringify({ notes: randomBytes(12_000).toString('base64') });
    for (const json of [createdEvent(1), createdEvent(2).replace('Ada', 'Zoë Çelik 日本'), '{}', large]) {
      expect(unpackEventBody(packEventBody(json))).toBe(json);
    }
  });

  it('take a fraction of their JSON, written in the newest format (LZ4, 2)', () => {
    const json = createdEvent(7);
    const stored = packEventBody(json);
    expect(stored[0]).toBe(2);
    expect(stored.length).toBeLessThan(json.length / 3);
  });

  it('written in format 1 (deflate) are still read', () => {
    // Written by the release that wrote format 1, with its settings (level 3, a 16 KB window).
    const stored = Buffer.from(
      'AYNFl6GlcaJhkpFusnGKia55qmmarkWiZRKy6cZohSqtmkw40nCpLsgBqMEWlX94tcLh9tSczGwiUyuVE0EtAA==',
      'base64',
    );
    expect(JSON.parse(unpackEventBody(stored))).toEqual({
      id: '0193a1b2-c3d4-7e5f-8a9b-000000000003',
      provisioningAction: 'create',
      provisioningStatusInfo: { status: 'success', errorInformation: null },
      sourceIdentity: { id: 'u-3', displayName: 'Zoë Çelik', identityType: 'User', details: {} },
      sourceSystem: { id: 'Provisio', displayName: 'Provisio Directory', details: {} },
    });
  });

  it('written as text before compression are read as they are', () => {
    expect(unpackEventBody('{"id":"old"}')).toBe('{"id":"old"}');
  });

  it('in a format this version does not know are refused, not misread', () => {
    expect(() => unpackEventBody(Buffer.from([9, 1, 2]))).toThrow(/unknown format \(9\)/);
  });

  it('keep each released dictionary unchanged, or old rows could not be read', () => {
    // Changing a released dictionary breaks every event stored with it: add a new format instead.
    const hashes = Object.fromEntries(
      Object.entries(EVENT_BODY_DICTIONARIES).map(([format, dictionary]) => [
        format,
        createHash('sha256').update(dictionary).digest('hex').slice(0, 16),
      ]),
    );
    expect(hashes).toEqual({ 1: 'd515ec69bd248e82', 2: 'd515ec69bd248e82' });
  });
});
