import {
  classifyFailure,
  type FailureDecision,
  type FailureOperation,
  type JobOptions,
  type SynchronizationError,
} from '@provisio/engine';
import { ScimClient, ScimFailure, type ScimExchange, type ScimTransport } from '@provisio/scim-client';
import { sleep } from './concurrency';
import { Interrupted, type AnswerKind, type TargetGate } from './target-gate';

/** What sending requests to the target needs from the cycle. */
export interface SendContext {
  gate: TargetGate;
  /** Aborted on shutdown or when the lease is lost: objects waiting are left for the resumed cycle. */
  signal: AbortSignal;
  options: JobOptions;
  servicePrincipal: { displayName: string };
  /** How SCIM requests go on the wire (one keep-alive agent per worker process). */
  transport: ScimTransport;
  /** Reports a job-level failure (credentials): no new object starts after it. */
  stopCycle: (error: SynchronizationError) => void;
  /** Whether the cycle stopped on a job-level failure: requests not yet sent are not sent. */
  isStopped: () => boolean;
}

/** A request that failed for good (after retries), with the engine's decision about it. */
export class ObjectFailure extends Error {
  constructor(
    readonly decision: FailureDecision,
    cause: ScimFailure,
  ) {
    super(decision.reason, { cause });
  }
}

/**
 * How an answer bears on the target's limits: 429 is throttling; 502/503/504, timeouts and lost
 * connections are overload. Other failures (404, 409, a 500 from a bug) say nothing about load.
 */
function answerKind(failure: ScimFailure): AnswerKind {
  if (failure.status === 429) return 'throttled';
  if (failure.kind !== 'transient') return 'ok';
  return failure.status === undefined || failure.status >= 502 ? 'overloaded' : 'ok';
}

/**
 * Sends one request through the target's gate with the engine's retry policy. A final failure
 * becomes an ObjectFailure; a stop during a wait becomes Interrupted.
 */
export async function send<T>(
  ctx: SendContext,
  operation: FailureOperation,
  request: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    // After a 401 every request would fail the same way: the object is left as it is.
    if (ctx.isStopped()) throw new Interrupted();
    await ctx.gate.acquire(ctx.signal);
    if (ctx.isStopped()) {
      ctx.gate.cancel();
      throw new Interrupted();
    }
    let result: T;
    try {
      result = await request();
    } catch (error) {
      if (!(error instanceof ScimFailure)) {
        ctx.gate.cancel();
        throw error;
      }
      const decision = classifyFailure(error, {
        operation,
        attempt,
        appName: ctx.servicePrincipal.displayName,
        policy: ctx.options.retryPolicy,
      });
      const unanswered =
        error.status === undefined
          ? {
              code: decision.errorCode,
              message: `${decision.reason} ${decision.recommendedAction}`,
              tenantActionable: true,
            }
          : null;
      ctx.gate.done(answerKind(error), error.retryAfterMs ?? null, unanswered);
      if (decision.disposition === 'stopCycle') {
        ctx.stopCycle({
          code: decision.errorCode,
          message: `${decision.reason} ${decision.recommendedAction}`,
          tenantActionable: true,
        });
      }
      if (decision.disposition !== 'retry') throw new ObjectFailure(decision, error);
      // A stopping worker does not wait out a backoff: the object is left for the resumed cycle.
      if (ctx.signal.aborted) throw new Interrupted();
      await sleep(decision.retryAfterMs ?? 0, ctx.signal);
      if (ctx.signal.aborted) throw new Interrupted();
      continue;
    }
    ctx.gate.done('ok');
    return result;
  }
}

/** A SCIM client for the job's target over the cycle's transport; `onExchange` sees every request it sends. */
export function targetClient(ctx: SendContext, onExchange?: (exchange: ScimExchange) => void): ScimClient {
  return new ScimClient({
    tenantUrl: ctx.options.tenantUrl,
    secretToken: ctx.options.secretToken,
    transport: ctx.transport,
    ...(onExchange ? { onExchange } : {}),
  });
}
