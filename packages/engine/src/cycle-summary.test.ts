import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify-failure';
import { cycleState, emptyTally, summarizeExecution, tallyObject } from './cycle-summary';
import { findUserObjectMapping, readJobOptions } from './job-options';
import type { ObjectActionPlan } from './plan-object-action';
import { objectMapping } from './test-fixtures';

const skip = (
  reason: 'RedundantExport' | 'DuplicateTargetEntries',
  status: 'skipped' | 'failure',
): ObjectActionPlan => ({
  kind: 'skip',
  reason,
  status,
  targetId: null,
  note: null,
  connectorState: null,
});

describe('cycle tally and summary', () => {
  it('counts each object once by its result', () => {
    const t = emptyTally();
    const conflict = classifyFailure(
      { kind: 'conflict', status: 409 },
      { operation: 'create', attempt: 1, appName: 'A' },
    );
    tallyObject(t, {
      scope: null,
      plan: { kind: 'create', values: {} },
      outcome: { kind: 'success', targetId: '1' },
      requests: 1,
    });
    tallyObject(t, {
      scope: null,
      plan: { kind: 'update', targetId: '1', changes: [], values: {} },
      outcome: { kind: 'success', targetId: '1' },
      requests: 1,
    });
    tallyObject(t, { scope: null, plan: skip('RedundantExport', 'skipped'), outcome: null });
    tallyObject(t, { scope: null, plan: skip('DuplicateTargetEntries', 'failure'), outcome: null });
    tallyObject(t, {
      scope: null,
      plan: { kind: 'create', values: {} },
      outcome: { kind: 'failure', decision: conflict },
      requests: 1,
    });
    expect(t).toMatchObject({
      imported: 5,
      created: 1,
      updated: 1,
      exported: 2,
      exports: 3,
      skipped: 1,
      redundant: 1,
      failed: 2,
    });
    expect(cycleState(t, null)).toBe('EntryLevelErrors');
    expect(cycleState(emptyTally(), null)).toBe('Succeeded');
    expect(cycleState(emptyTally(), { code: 'Unauthorized', message: 'x', tenantActionable: true })).toBe(
      'Failed',
    );
  });

  it('maps to synchronizationTaskExecution', () => {
    const t = { ...emptyTally(), imported: 3, entitled: 2, inScope: 2, exported: 2, exports: 2, created: 2 };
    expect(
      summarizeExecution({
        cycleId: 'c',
        kind: 'Incremental',
        timeBegan: 'b',
        timeEnded: 'e',
        tally: t,
        error: null,
      }),
    ).toEqual({
      activityIdentifier: 'c',
      countEntitled: 2,
      countEntitledForProvisioning: 2,
      countEscrowed: 0,
      countEscrowedRaw: 0,
      countExported: 2,
      countExports: 2,
      countImported: 3,
      countImportedDeltas: 3,
      countImportedReferenceDeltas: 0,
      error: null,
      state: 'Succeeded',
      timeBegan: 'b',
      timeEnded: 'e',
      cycleKind: 'Incremental',
    });
  });
});

describe('readJobOptions', () => {
  it.each<{
    secrets: Record<string, string>;
    settings: Record<string, string>;
    expected: Record<string, unknown>;
  }>([
    {
      secrets: { BaseAddress: 'http://x/scim', SecretToken: 't', SyncAll: 'True' },
      settings: {},
      expected: { syncAll: true, skipOutOfScopeDeletions: false, maxConcurrency: 8 },
    },
    {
      secrets: { BaseAddress: 'http://x/scim', SkipOutOfScopeDeletions: 'true' },
      settings: { MaxConcurrentExports: '2' },
      expected: { syncAll: false, skipOutOfScopeDeletions: true, maxConcurrency: 2, secretToken: '' },
    },
    {
      secrets: { BaseAddress: 'http://x/scim' },
      settings: { MaxConcurrentExports: '999' },
      expected: { maxConcurrency: 64 },
    },
  ])('reads $secrets / $settings', ({ secrets, settings, expected }) => {
    const r = readJobOptions(secrets, settings);
    expect(r.ok && r.options).toMatchObject(expected);
  });

  it('a missing Tenant URL is a configuration error', () => {
    const r = readJobOptions({ SecretToken: 't' }, {});
    expect(r.ok ? null : r.error.code).toBe('TenantUrlMissing');
  });

  it('finds the enabled user mapping', () => {
    const schema = {
      id: 's',
      version: '1',
      directories: [],
      synchronizationRules: [
        {
          id: 'r',
          name: 'r',
          editable: true,
          priority: 1,
          sourceDirectoryName: 'Provisio Directory',
          targetDirectoryName: 'customappsso',
          metadata: [],
          objectMappings: [
            objectMapping({ sourceObjectName: 'Group', name: 'groups' }),
            objectMapping({ name: 'users' }),
          ],
        },
      ],
    };
    const found = findUserObjectMapping(schema);
    expect(found.ok && found.mapping.name).toBe('users');
    const none = findUserObjectMapping({ ...schema, synchronizationRules: [] });
    expect(none.ok ? null : none.error.code).toBe('mapping.no_user_mapping');
  });
});
