import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from './classify-failure';
import { DEFAULT_ESCROW_POLICY } from './escrow-policy';
import { describeCycleConfiguration, readJobOptions } from './job-options';

const secrets = { BaseAddress: 'https://app.example.com/scim', SecretToken: 't' };

describe('readJobOptions', () => {
  it('defaults: the reference schedules, Auto matching, 8 requests in flight', () => {
    const read = readJobOptions(secrets, {});
    expect(read).toMatchObject({
      ok: true,
      options: {
        syncAll: false,
        skipOutOfScopeDeletions: false,
        maxConcurrency: 8,
        retryPolicy: DEFAULT_RETRY_POLICY,
        escrowPolicy: DEFAULT_ESCROW_POLICY,
        initialCycleMatching: 'Auto',
      },
    });
  });

  it('reads the settings over the worker defaults', () => {
    const read = readJobOptions(
      { ...secrets, SyncAll: 'true', SkipOutOfScopeDeletions: 'True' },
      {
        MaxConcurrentExports: '16',
        ExportRetryAttempts: '5',
        ExportRetryDelay: 'PT0.1S',
        EscrowRetrySchedule: 'PT1S, PT2S',
        EscrowRetryInterval: 'PT3S',
        EscrowRetryWindow: 'PT1M',
        InitialCycleMatching: 'filter',
      },
      { maxConcurrency: 4 },
    );
    expect(read).toMatchObject({
      ok: true,
      options: {
        syncAll: true,
        skipOutOfScopeDeletions: true,
        maxConcurrency: 16,
        retryPolicy: { maxAttempts: 5, baseDelayMs: 100 },
        escrowPolicy: { retryAfterFirstFailureMs: [1000, 2000], thenEveryMs: 3000, giveUpAfterMs: 60_000 },
        initialCycleMatching: 'Filter',
      },
    });
  });

  it.each([
    ['ExportRetryAttempts', '0'],
    ['ExportRetryDelay', '500ms'],
    ['EscrowRetrySchedule', '6h'],
    ['EscrowRetryInterval', 'PT0S'],
    ['EscrowRetryWindow', 'forever'],
    ['InitialCycleMatching', 'Sometimes'],
  ])('a bad %s is a configuration error naming the setting', (name, value) => {
    const read = readJobOptions(secrets, { [name]: value });
    expect(read).toMatchObject({
      ok: false,
      error: { code: 'provisioning_job.invalid_setting', target: name },
    });
    if (!read.ok) expect(read.error.message).toContain(name);
  });

  it('without a Tenant URL nothing can run', () => {
    expect(readJobOptions({}, {})).toMatchObject({ ok: false, error: { code: 'TenantUrlMissing' } });
  });
});

describe('describeCycleConfiguration', () => {
  const mapping = {
    enabled: true,
    flowTypes: ['Add', 'Update'],
    name: 'Users',
    sourceObjectName: 'User',
    targetObjectName: 'User',
    scope: null,
    attributeMappings: [],
    metadata: [],
  } as const;

  it('does not depend on the order of keys, but on every value and on the scope setting', () => {
    const a = describeCycleConfiguration(
      { ...mapping, flowTypes: [...mapping.flowTypes], attributeMappings: [], metadata: [] },
      null,
      { syncAll: false },
    );
    const reordered = describeCycleConfiguration(
      {
        metadata: [],
        attributeMappings: [],
        scope: null,
        targetObjectName: 'User',
        sourceObjectName: 'User',
        name: 'Users',
        flowTypes: ['Add', 'Update'],
        enabled: true,
      },
      null,
      { syncAll: false },
    );
    expect(reordered).toBe(a);
    expect(
      describeCycleConfiguration(
        { ...mapping, flowTypes: ['Add'], attributeMappings: [], metadata: [] },
        null,
        { syncAll: false },
      ),
    ).not.toBe(a);
    expect(
      describeCycleConfiguration(
        { ...mapping, flowTypes: [...mapping.flowTypes], attributeMappings: [], metadata: [] },
        null,
        { syncAll: true },
      ),
    ).not.toBe(a);
  });

  it('with groups, depends on the group mapping but not on how requests are sent', () => {
    const users = { ...mapping, flowTypes: [...mapping.flowTypes], attributeMappings: [], metadata: [] };
    const groupMapping = (flowTypes: ('Add' | 'Update' | 'Delete')[]) => ({
      ...users,
      flowTypes,
      name: 'Groups',
      sourceObjectName: 'Group',
      targetObjectName: 'Group',
    });
    const optionsOf = (settings: Record<string, string>) => {
      const read = readJobOptions(secrets, settings);
      if (!read.ok) throw new Error(read.error.message);
      return read.options;
    };
    const fingerprint = (settings: Record<string, string>, groups: ReturnType<typeof groupMapping> | null) =>
      describeCycleConfiguration(
        users,
        null,
        optionsOf(settings),
        groups ? { mapping: groups, targetObject: null } : null,
      );
    const base = fingerprint({}, groupMapping(['Add', 'Update']));
    expect(
      fingerprint({ MembershipBatchSize: '7', MaxConcurrentExports: '32' }, groupMapping(['Add', 'Update'])),
    ).toBe(base);
    expect(fingerprint({}, null)).not.toBe(base);
    expect(fingerprint({}, groupMapping(['Add']))).not.toBe(base);
  });
});
