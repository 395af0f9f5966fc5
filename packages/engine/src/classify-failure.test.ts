import { describe, expect, it } from 'vitest';
import { classifyFailure, type FailureLike, type FailureOperation } from './classify-failure';

describe('classifyFailure', () => {
  it.each<{
    name: string;
    failure: FailureLike;
    operation: FailureOperation;
    attempt: number;
    disposition: string;
    code: string;
    wait?: number | null;
  }>([
    {
      name: '401 stops the cycle',
      failure: { kind: 'unauthorized', status: 401, code: 'Unauthorized' },
      operation: 'lookup',
      attempt: 1,
      disposition: 'stopCycle',
      code: 'Unauthorized',
    },
    {
      name: '403 stops the cycle',
      failure: { kind: 'unauthorized', status: 403, code: 'InsufficientRights' },
      operation: 'create',
      attempt: 1,
      disposition: 'stopCycle',
      code: 'InsufficientRights',
    },
    {
      name: 'a target address the Tenant URL policy refuses stops the cycle',
      failure: {
        kind: 'refused',
        code: 'TargetAddressRefused',
        message: 'The Tenant URL points at 10.0.0.5 …',
      },
      operation: 'create',
      attempt: 1,
      disposition: 'stopCycle',
      code: 'TargetAddressRefused',
      wait: null,
    },
    {
      name: '429 retries after Retry-After',
      failure: { kind: 'transient', status: 429, code: 'TooManyRequests', retryAfterMs: 2000 },
      operation: 'update',
      attempt: 1,
      disposition: 'retry',
      code: 'TooManyRequests',
      wait: 2000,
    },
    {
      name: '429 keeps being waited for beyond the attempts other failures get',
      failure: { kind: 'transient', status: 429, code: 'TooManyRequests', retryAfterMs: 1000 },
      operation: 'create',
      attempt: 5,
      disposition: 'retry',
      code: 'TooManyRequests',
      wait: 1000,
    },
    {
      name: '429 escrows once its own attempts are spent',
      failure: { kind: 'transient', status: 429, code: 'TooManyRequests', retryAfterMs: 1000 },
      operation: 'create',
      attempt: 20,
      disposition: 'escrow',
      code: 'TooManyRequests',
      wait: null,
    },
    {
      name: '500 retries with backoff',
      failure: { kind: 'transient', status: 500, code: 'InternalServerError' },
      operation: 'create',
      attempt: 2,
      disposition: 'retry',
      code: 'InternalServerError',
      wait: 1000,
    },
    {
      name: 'transient escrows once attempts are spent',
      failure: { kind: 'transient', status: 503, code: 'WebExceptionProtocolError' },
      operation: 'create',
      attempt: 3,
      disposition: 'escrow',
      code: 'WebExceptionProtocolError',
      wait: null,
    },
    {
      name: 'a Retry-After longer than a cycle waits escrows',
      failure: { kind: 'transient', status: 429, code: 'TooManyRequests', retryAfterMs: 3_600_000 },
      operation: 'update',
      attempt: 1,
      disposition: 'escrow',
      code: 'TooManyRequests',
      wait: null,
    },
    {
      name: 'linked object gone on GET → re-match',
      failure: { kind: 'notFound', status: 404, code: 'InvalidAnchor' },
      operation: 'lookup',
      attempt: 1,
      disposition: 'rematch',
      code: 'InvalidAnchor',
    },
    {
      name: 'linked object gone on PATCH → re-match',
      failure: { kind: 'notFound', status: 404, code: 'InvalidAnchor' },
      operation: 'update',
      attempt: 1,
      disposition: 'rematch',
      code: 'InvalidAnchor',
    },
    {
      name: 'already gone on DELETE → done',
      failure: { kind: 'notFound', status: 404, code: 'InvalidAnchor' },
      operation: 'delete',
      attempt: 1,
      disposition: 'alreadyDone',
      code: 'InvalidAnchor',
    },
    {
      name: '409 fails with EntryConflict',
      failure: { kind: 'conflict', status: 409, code: 'EntryConflict' },
      operation: 'create',
      attempt: 1,
      disposition: 'fail',
      code: 'EntryConflict',
    },
    {
      name: '412 fails with EntryConflict',
      failure: { kind: 'conflict', status: 412, code: 'Conflict' },
      operation: 'update',
      attempt: 1,
      disposition: 'fail',
      code: 'EntryConflict',
    },
    {
      name: '400 fails',
      failure: { kind: 'rejected', status: 400, code: 'BadRequest' },
      operation: 'create',
      attempt: 1,
      disposition: 'fail',
      code: 'BadRequest',
    },
    {
      name: 'a non-SCIM answer fails',
      failure: { kind: 'incompatible', status: 200 },
      operation: 'lookup',
      attempt: 1,
      disposition: 'fail',
      code: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
    },
  ])('$name', ({ failure, operation, attempt, disposition, code, wait }) => {
    const decision = classifyFailure(failure, { operation, attempt, appName: 'Contoso' });
    expect(decision.disposition).toBe(disposition);
    expect(decision.errorCode).toBe(code);
    if (wait !== undefined) expect(decision.retryAfterMs).toBe(wait);
    expect(decision.recommendedAction.length).toBeGreaterThan(10);
  });

  it('tells what to do about a rejected Secret Token', () => {
    const decision = classifyFailure(
      { kind: 'unauthorized', status: 401, code: 'Unauthorized' },
      { operation: 'lookup', attempt: 1, appName: 'Contoso' },
    );
    expect(decision.recommendedAction).toMatch(/Secret Token/);
  });

  it('tells how to allow a refused target address', () => {
    const decision = classifyFailure(
      { kind: 'refused', code: 'TargetAddressRefused', message: 'The Tenant URL points at 10.0.0.5.' },
      { operation: 'lookup', attempt: 1, appName: 'Contoso' },
    );
    expect(decision.reason).toBe('The Tenant URL points at 10.0.0.5.');
    expect(decision.recommendedAction).toMatch(/PROVISIO_TARGET_ALLOW/);
  });
});
