import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import { resultHeadline } from './headline';

const event = (
  status: ProvisioningObjectSummary['provisioningStatusInfo']['status'],
  action: ProvisioningObjectSummary['provisioningAction'],
  reason?: string,
) =>
  ({
    provisioningAction: action,
    sourceIdentity: { id: 'u1', displayName: 'Aisha Nguyen', identityType: 'User', details: {} },
    provisioningStatusInfo: {
      status,
      errorInformation: reason
        ? { errorCode: 'NotEffectivelyEntitled', reason, additionalDetails: null, recommendedAction: null }
        : null,
    },
  }) as unknown as ProvisioningObjectSummary;

describe('resultHeadline: the heading of a provision-on-demand result is a sentence', () => {
  it.each([
    [event('success', 'create'), 'Aisha Nguyen was created.'],
    [event('success', 'disable'), 'Aisha Nguyen was disabled.'],
    [
      event('skipped', 'other', 'The user is not assigned to the application.'),
      'Aisha Nguyen was skipped: the user is not assigned to the application.',
    ],
    [
      event('failure', 'update', 'The application answered 500.'),
      'Aisha Nguyen could not be updated: the application answered 500.',
    ],
  ])('%#', (e, text) => {
    expect(resultHeadline(e)).toBe(text);
    expect(resultHeadline(e)).not.toMatch(/Other|Skipped:/);
  });
});
