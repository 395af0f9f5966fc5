/** When escrowed objects are retried: Entra's schedule by default, shorter in tests. */
export interface EscrowPolicy {
  /** Delays after the first failure for the first retries (Entra: 6 h, 12 h and 24 h). */
  retryAfterFirstFailureMs: readonly number[];
  /** After those, one retry every … (Entra: 24 h). */
  thenEveryMs: number;
  /** Retries stop this long after the first failure (Entra: 28 days); the escrow is then dropped. */
  giveUpAfterMs: number;
}

/** What a relations phase exports: a group's members, or a user's references (manager). */
export type RelationKind = 'members' | 'references';

/** A relation's escrow is kept apart from its object's own: `<id>/members`, `<id>/references`. */
export const relationEscrowId = (sourceId: string, kind: RelationKind) => `${sourceId}/${kind}`;
/** The object whose relation an escrow is of. */
export const objectOfRelationEscrow = (escrowId: string) => escrowId.slice(0, escrowId.lastIndexOf('/'));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The reference's schedule: 6 h, 12 h, 24 h after the first failure, then every 24 h, for 28 days. */
export const DEFAULT_ESCROW_POLICY: EscrowPolicy = {
  retryAfterFirstFailureMs: [6 * HOUR, 12 * HOUR, 24 * HOUR],
  thenEveryMs: DAY,
  giveUpAfterMs: 28 * DAY,
};

/** What to do with an object that failed (again) transiently. */
export type EscrowPlan =
  /** Keep it in escrow and retry it in the first cycle after `nextAttemptAt`. */
  | { kind: 'retry'; attempts: number; firstFailedAt: Date; nextAttemptAt: Date }
  /** The retry window is over: drop the escrow (quarantine decides what happens to the job). */
  | { kind: 'giveUp'; attempts: number; firstFailedAt: Date };

/** Offset from the first failure of retry number `n` (1-based). */
function retryOffset(policy: EscrowPolicy, n: number): number {
  const fixed = policy.retryAfterFirstFailureMs;
  if (n <= fixed.length) return fixed[n - 1] ?? 0;
  return (fixed[fixed.length - 1] ?? 0) + (n - fixed.length) * policy.thenEveryMs;
}

/**
 * Schedules the next retry of an object that failed transiently. `previous` is its escrow before
 * this failure (null for a first failure). Retry n is due at first failure + the n-th delay; a
 * retry that ran late is not followed by retries already overdue.
 *
 * @example
 * planEscrow(DEFAULT_ESCROW_POLICY, null, now) // → retry 6 h from now, attempts 1
 */
export function planEscrow(
  policy: EscrowPolicy,
  previous: { attempts: number; firstFailedAt: Date } | null,
  now: Date,
): EscrowPlan {
  const firstFailedAt = previous?.firstFailedAt ?? now;
  const attempts = (previous?.attempts ?? 0) + 1;
  const first = firstFailedAt.getTime();
  let n = attempts;
  while (first + retryOffset(policy, n) <= now.getTime() && n < attempts + 10_000) n += 1;
  const offset = retryOffset(policy, n);
  if (offset > policy.giveUpAfterMs) return { kind: 'giveUp', attempts, firstFailedAt };
  return { kind: 'retry', attempts, firstFailedAt, nextAttemptAt: new Date(first + offset) };
}

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Milliseconds of an ISO 8601 duration without years or months (`PT40M`, `PT6H`, `P28D`,
 * `PT0.5S`), as Graph writes schedules; null when the text is not one.
 */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) return null;
  const [, w, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return Math.round(
    ((((w ?? 0) * 7 + (d ?? 0)) * 24 + (h ?? 0)) * 60 + (min ?? 0)) * 60_000 + (s ?? 0) * 1000,
  );
}

/** Parses a comma-separated list of durations (`PT6H, PT12H, PT24H`); null if any part is not one. */
export function parseDurationList(text: string): number[] | null {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const out: number[] = [];
  for (const p of parts) {
    const ms = parseDuration(p);
    if (ms === null) return null;
    out.push(ms);
  }
  return out.length > 0 ? out : null;
}
