import { describe, expect, it } from 'vitest';
import type { MatchingValue } from './attribute-mappings';
import { explainObject, explainUnconfiguredJob, type ExplainInput } from './explain-object';
import { buildScopedUserView, compileScopeFilter, evaluateScope } from './scoping';
import { buildUserSourceView } from './source-view';
import { describeSkip } from './skip-reasons';
import { user } from './test-fixtures';

const u = user();
const view = buildUserSourceView(u, { entitlement: null });
const unassigned = evaluateScope({
  view,
  accountEnabled: true,
  softDeleted: false,
  entitlement: null,
  syncAll: false,
  scope: compileScopeFilter(null).scope,
});
const matchingValues: MatchingValue[] = [
  { targetAttributeName: 'userName', value: u.userPrincipalName, redacted: false },
];
const base: ExplainInput = {
  objectType: 'User',
  identity: u.userPrincipalName,
  appName: 'Contoso',
  job: { configured: true, active: true, quarantine: null, initialCycleDone: true, cycleRunning: false },
  view,
  scope: unassigned,
  compiledScope: compileScopeFilter(null).scope,
  assignment: { direct: false, groups: [], role: null },
  matchingValues,
  missingRequired: [],
  lookup: { match: { kind: 'none', tried: [] } },
  plan: {
    kind: 'skip',
    reason: 'NotEffectivelyEntitled',
    status: 'skipped',
    targetId: null,
    note: null,
    connectorState: null,
  },
  escrow: null,
  now: '2026-03-01T10:00:00.000Z',
  lastEvent: null,
};

describe('explainObject', () => {
  it('explains a skip in the words of the event (describeSkip) and names the failing check', () => {
    const answer = explainObject(base);
    const event = describeSkip('NotEffectivelyEntitled', {
      objectType: 'User',
      identity: u.userPrincipalName,
      appName: 'Contoso',
      scope: unassigned,
      match: { kind: 'none', tried: [] },
      matchingValues,
      mappingErrors: [],
      note: null,
    });
    expect(answer).toMatchObject({
      willProvision: false,
      action: 'skip',
      reason: event.reason,
      recommendedAction: event.recommendedAction,
    });
    expect(answer.checks.find((c) => c.name === 'Assigned')).toMatchObject({ passed: false });
  });

  it.each([
    [{ active: false }, /is Off/, /Set Provisioning Status On/],
    [
      {
        quarantine: {
          reason: 'EncounteredQuarantineException',
          currentBegan: '2026-01-01T00:00:00Z',
          nextAttempt: '2026-01-01T01:00:00Z',
          seriesBegan: '2026-01-01T00:00:00Z',
          seriesCount: 1,
          error: null,
        },
      },
      /in quarantine \(EncounteredQuarantineException\)/,
      /Secret Token/,
    ],
  ])('the job comes first: %o', (job, reason, fix) => {
    const answer = explainObject({ ...base, job: { ...base.job, ...job } });
    expect(answer).toMatchObject({ willProvision: false, action: 'none' });
    expect(answer.reason).toMatch(reason);
    expect(answer.recommendedAction).toMatch(fix);
  });

  it('credentials the application rejects are said before anything else', () => {
    const answer = explainObject({
      ...base,
      job: { ...base.job, active: false },
      lookup: {
        failure: {
          disposition: 'stopCycle',
          retryAfterMs: null,
          errorCode: 'Unauthorized',
          reason: 'Contoso rejected the Secret Token (HTTP 401).',
          recommendedAction: 'Check the Secret Token.',
          errorCategory: 'nonServiceFailure',
        },
      },
    });
    expect(answer).toMatchObject({
      action: 'failed',
      reason: 'Contoso rejected the Secret Token (HTTP 401).',
    });
  });

  it('a creation and an update say what the next cycle does', () => {
    expect(explainObject({ ...base, plan: { kind: 'create', values: {} } })).toMatchObject({
      willProvision: true,
      action: 'create',
    });
    const update = explainObject({
      ...base,
      plan: {
        kind: 'update',
        targetId: 't',
        values: {},
        changes: [{ path: 'title', oldValue: 'A', newValue: 'B' }],
      },
    });
    expect(update.reason).toContain('title differs: the next cycle updates it');
  });

  it('an object whose failed export waits in escrow is exported by the cycle that retries it', () => {
    const create = { ...base, plan: { kind: 'create', values: {} } } as const;
    const escrow = { attempts: 1, nextAttemptAt: '2026-03-01T16:00:00.000Z', reason: 'HTTP 500' };
    const waiting = explainObject({ ...create, escrow });
    expect(waiting).toMatchObject({ willProvision: true, action: 'create' });
    expect(waiting.reason).toContain(
      'the first cycle after 2026-03-01T16:00:00.000Z, which retries its failed export, creates it.',
    );
    expect(waiting.recommendedAction).toMatch(/provision the User on demand/);
    expect(waiting.checks.find((c) => c.name === 'No escrow')).toMatchObject({ passed: false });
    // Once the retry is due, or when the next cycle is initial (it visits every escrowed object):
    // none has completed, or the configuration changed since.
    for (const input of [
      { ...create, escrow, now: '2026-03-01T16:00:00.000Z' },
      { ...create, escrow, job: { ...base.job, initialCycleDone: false } },
      { ...create, escrow, job: { ...base.job, configurationChanged: true } },
    ]) {
      expect(explainObject(input)).toMatchObject({ recommendedAction: 'None.' });
      expect(explainObject(input).reason).toContain('the next cycle creates it.');
    }
  });

  it('each reference of an object in scope is a check, in the words of its event; a waiting one fails', () => {
    const assigned = evaluateScope({
      view,
      accountEnabled: true,
      softDeleted: false,
      entitlement: { appRoleId: 'r', via: 'User' },
      syncAll: false,
      scope: compileScopeFilter(null).scope,
    });
    const dan = { objectType: 'User', name: 'dan@contoso.com' };
    const referenceCheck = (reference: NonNullable<ExplainInput['references']>[number]) =>
      explainObject({ ...base, scope: assigned, references: [reference] }).checks.find(
        (c) => c.name === 'Reference manager',
      );
    const of = `The urn:x:manager of the User '${u.userPrincipalName}'`;
    const manager = { attribute: 'urn:x:manager', referenced: dan, referencedTargetId: null };
    expect(referenceCheck({ ...manager, plan: { kind: 'wait' } })).toMatchObject({
      passed: false,
      detail: expect.stringContaining(`${of} is User 'dan@contoso.com', which is not provisioned in Contoso`),
    });
    expect(referenceCheck({ ...manager, plan: { kind: 'clear' } })?.detail).toBe(
      `${of} is User 'dan@contoso.com', which is not in Contoso: the next cycle removes the reference, and sets it again in the cycle that provisions it.`,
    );
    expect(referenceCheck({ ...manager, referencedTargetId: 't-dan', plan: { kind: 'none' } })?.detail).toBe(
      `${of} is User 'dan@contoso.com', whose id in Contoso is 't-dan': already set.`,
    );
    expect(referenceCheck({ ...manager, referenced: null, plan: { kind: 'clear' } })).toEqual({
      name: 'Reference manager',
      passed: true,
      detail: `${of} has no value: the next cycle removes the reference in Contoso.`,
    });
    // A failed update waiting in escrow: the first cycle after its retry changes the reference.
    const setDan = {
      ...manager,
      referencedTargetId: null,
      plan: { kind: 'set', targetId: 't-dan' },
    } as const;
    const retried = (input: Partial<ExplainInput>) =>
      explainObject({ ...base, scope: assigned, references: [setDan], ...input }).checks.find(
        (c) => c.name === 'Reference manager',
      )?.detail;
    const later = { nextAttemptAt: '2026-03-01T16:00:00.000Z' };
    expect(retried({ referencesEscrow: later })).toBe(
      `${of} is User 'dan@contoso.com', whose id in Contoso is 't-dan': the first cycle after 2026-03-01T16:00:00.000Z, which retries the User's failed update (or the next, if the User changes in the directory), sets it.`,
    );
    // The object's own failed export holds its references too: the first of the two retries.
    const own = { attempts: 1, nextAttemptAt: '2026-03-01T12:00:00.000Z', reason: 'HTTP 500' };
    expect(retried({ referencesEscrow: later, escrow: own })).toContain(
      ': the first cycle after 2026-03-01T12:00:00.000Z, which retries',
    );
    // A retry already due, or an initial cycle next (it takes up every provisioned user): the next cycle.
    expect(retried({ referencesEscrow: { nextAttemptAt: '2026-03-01T09:00:00.000Z' } })).toMatch(
      /: the next cycle sets it\.$/,
    );
    expect(retried({ referencesEscrow: later, job: { ...base.job, initialCycleDone: false } })).toMatch(
      /: the next cycle sets it\.$/,
    );
    expect(
      retried({
        referencesEscrow: later,
        references: [{ ...manager, referenced: null, plan: { kind: 'clear' } }],
      }),
    ).toBe(
      `${of} has no value: the first cycle after 2026-03-01T16:00:00.000Z, which retries the User's failed update (or the next, if the User changes in the directory), removes the reference in Contoso.`,
    );
    // Out of scope, an object's references are not resolved: no check.
    expect(
      explainObject({ ...base, references: [{ ...manager, plan: { kind: 'wait' } }] }).checks.map(
        (c) => c.name,
      ),
    ).not.toContain('Reference manager');
  });

  it('a job without credentials', () => {
    expect(explainUnconfiguredJob('Contoso')).toMatchObject({
      willProvision: false,
      reason: 'Provisioning of Contoso is not configured: it has no Tenant URL and Secret Token.',
    });
  });
});

describe('explainObject: the assignment record problem', () => {
  it('a user assigned with a role that was removed is not effectively entitled; the fix is to reassign', () => {
    const assigned = { appRoleId: '6f1c2a7e-3b9d-4c1e-9a55-0d2f8b7c4e11', via: 'User' as const };
    const { view: v, scope } = buildScopedUserView({
      user: u,
      entitlement: assigned,
      appRoles: [],
      syncAll: false,
      scope: compileScopeFilter(null).scope,
    });
    const answer = explainObject({
      ...base,
      view: v,
      scope,
      assignment: { direct: true, groups: [], role: null },
    });
    expect(answer).toMatchObject({ willProvision: false, action: 'skip' });
    expect(answer.reason).toMatch(/no longer has \(the role was disabled or removed\)/);
    expect(answer.recommendedAction).toMatch(/^Reassign the user to an existing role/);
    expect(answer.checks.find((c) => c.name === 'Assigned')).toMatchObject({
      passed: false,
      detail: expect.stringMatching(/^Assigned directly, but its assignment names an app role/),
    });
  });
});
