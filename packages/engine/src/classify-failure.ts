/** The parts of a SCIM client failure the engine decides on (the client's ScimFailure fits). */
export interface FailureLike {
  kind: 'transient' | 'notFound' | 'conflict' | 'unauthorized' | 'rejected' | 'incompatible' | 'refused';
  status?: number | undefined;
  code?: string | undefined;
  retryAfterMs?: number | undefined;
  message?: string | undefined;
}

export type FailureOperation = 'lookup' | 'create' | 'update' | 'disable' | 'delete';

export type FailureDisposition =
  /** Try the same request again after `retryAfterMs`. */
  | 'retry'
  /** Give up on the object for this cycle; it is kept for a later retry. */
  | 'escrow'
  /** The object failed; retrying the same request would fail the same way. */
  | 'fail'
  /** The target refuses us altogether (credentials), or we refuse its address: stop the cycle. */
  | 'stopCycle'
  /** The linked target object is gone: match the user again. */
  | 'rematch'
  /** The request wanted the object gone, and it is: count it as done. */
  | 'alreadyDone';

export interface FailureDecision {
  disposition: FailureDisposition;
  /** Wait before the retry (only for 'retry'). */
  retryAfterMs: number | null;
  errorCode: string;
  reason: string;
  recommendedAction: string;
  errorCategory: 'failure' | 'nonServiceFailure';
}

export interface RetryPolicy {
  /** Attempts per request within a cycle, the first included. */
  maxAttempts: number;
  /**
   * Attempts per request answered 429 (each after the target's Retry-After). Throttling says
   * "later", not "broken": a rate-limited target is waited for rather than escrowed.
   */
  maxThrottledAttempts: number;
  /** First backoff; doubled per attempt. */
  baseDelayMs: number;
  /** Longest wait a cycle accepts; a longer Retry-After escrows the object instead. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  maxThrottledAttempts: 20,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

const TRANSIENT_ACTION: Record<string, string> = {
  TooManyRequests:
    'The application throttled Provisio. Nothing to do: the object is retried. If it keeps happening, ask the application to raise its rate limit.',
  Timeout: 'Check that the application is up and answers within 30 s; the object is retried.',
  WebExceptionConnectFailure:
    'Check the Tenant URL and that the application is running and reachable from Provisio; the object is retried.',
};

/**
 * Decides what a failed SCIM request means for the object and the cycle: retry (transient,
 * with backoff or the target's Retry-After), escrow once retries are spent, fail the object
 * (conflict, rejected, incompatible), re-match (a linked object is gone), or stop the cycle
 * (401/403: the credentials are wrong, and every request would fail; refused: the Tenant URL
 * policy forbids the target's address, and every request would be refused the same way).
 *
 * @example
 * classifyFailure({ kind: 'transient', status: 429, code: 'TooManyRequests', retryAfterMs: 2000 },
 *   { operation: 'update', attempt: 1, appName: 'Contoso' })
 * // → { disposition: 'retry', retryAfterMs: 2000, errorCode: 'TooManyRequests', … }
 */
export function classifyFailure(
  failure: FailureLike,
  context: { operation?: FailureOperation; attempt?: number; appName?: string; policy?: RetryPolicy } = {},
): FailureDecision {
  const policy = context.policy ?? DEFAULT_RETRY_POLICY;
  const app = context.appName ?? 'the application';
  const operation = context.operation ?? 'update';
  const attempt = context.attempt ?? 1;
  const message = failure.message ?? `${app} answered HTTP ${failure.status ?? '?'}.`;
  switch (failure.kind) {
    case 'unauthorized':
      return {
        disposition: 'stopCycle',
        retryAfterMs: null,
        errorCode: failure.code ?? (failure.status === 403 ? 'InsufficientRights' : 'Unauthorized'),
        reason: message,
        recommendedAction:
          failure.status === 403
            ? `Give the account behind the Secret Token the right to manage users in ${app}, then Test Connection and restart provisioning.`
            : `Check the Secret Token (and the Tenant URL) under Provisioning > Admin Credentials, use Test Connection, then restart provisioning.`,
        errorCategory: 'nonServiceFailure',
      };
    case 'refused':
      // Like rejected credentials: a job-level error that quarantines the job until the Tenant
      // URL or the allow-list changes; retrying or escrowing objects cannot help.
      return {
        disposition: 'stopCycle',
        retryAfterMs: null,
        errorCode: failure.code ?? 'TargetAddressRefused',
        reason: message,
        recommendedAction:
          'Correct the Tenant URL under Provisioning > Admin Credentials, or allow the host in PROVISIO_TARGET_ALLOW (for the API and the worker, then restart them); then restart provisioning.',
        errorCategory: 'nonServiceFailure',
      };
    case 'transient': {
      const code = failure.code ?? 'InternalServerError';
      const backoff = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
      const wait = failure.retryAfterMs ?? backoff;
      const throttled = failure.status === 429 || code === 'TooManyRequests';
      const attempts = throttled ? policy.maxThrottledAttempts : policy.maxAttempts;
      const retry = attempt < attempts && wait <= policy.maxDelayMs;
      return {
        disposition: retry ? 'retry' : 'escrow',
        retryAfterMs: retry ? wait : null,
        errorCode: code,
        reason: message,
        recommendedAction:
          TRANSIENT_ACTION[code] ??
          `${app} failed temporarily. Nothing to do if it recovers: the object is retried in a later cycle.`,
        errorCategory: 'nonServiceFailure',
      };
    }
    case 'notFound':
      return {
        // A POST answered 404 means a wrong address, not a vanished object.
        disposition: operation === 'delete' ? 'alreadyDone' : operation === 'create' ? 'fail' : 'rematch',
        retryAfterMs: null,
        errorCode: failure.code ?? 'InvalidAnchor',
        reason: message,
        recommendedAction:
          'The account was deleted in the application. Provisio matches the user again; restart provisioning if other accounts were removed there too.',
        errorCategory: 'nonServiceFailure',
      };
    case 'conflict':
      return {
        disposition: 'fail',
        retryAfterMs: null,
        errorCode: 'EntryConflict',
        reason: message,
        recommendedAction:
          operation === 'create'
            ? `An account with the same unique value exists in ${app}. Make a matching attribute match it (so Provisio takes it over), or change the conflicting value.`
            : `Another account in ${app} already has one of the new unique values; change the value in the directory or in ${app}.`,
        errorCategory: 'nonServiceFailure',
      };
    case 'incompatible':
      return {
        disposition: 'fail',
        retryAfterMs: null,
        errorCode: failure.code ?? 'SystemForCrossDomainIdentityManagementServiceIncompatible',
        reason: message,
        recommendedAction: `Check that the Tenant URL is the SCIM 2.0 base address of ${app} and that its answers are SCIM JSON.`,
        errorCategory: 'nonServiceFailure',
      };
    case 'rejected':
      return {
        disposition: 'fail',
        retryAfterMs: null,
        errorCode: failure.code ?? 'WebExceptionProtocolError',
        reason: message,
        recommendedAction:
          failure.status === 400 || failure.status === 422
            ? `Check the attribute mappings: ${app} does not accept one of the values or attributes sent (see the request in the export step).`
            : `Check that ${app} supports this SCIM operation and that the Tenant URL is right.`,
        errorCategory: 'nonServiceFailure',
      };
  }
}
