// Fault switches: ways a real SaaS endpoint misbehaves, so a provisioning client can be tested
// against them. All are off by default and apply to /scim/v2 only.

export interface FaultSettings {
  /** Added to every request that is served (not to ones a fault rejects). */
  latencyMs: number;
  /** Uniform random extra latency in [0, jitterMs). */
  jitterMs: number;
  /** Fraction (0–1) of requests answered with `errorStatus`. */
  errorRate: number;
  errorStatus: 500 | 503;
  /** Fraction (0–1) of requests answered 429 with `Retry-After: retryAfterSeconds`. */
  throttleRate: number;
  /**
   * Every n-th request answered 429 with `Retry-After: retryAfterSeconds` (0 = off), counted from
   * when the fault switches were last set: the same requests are throttled on every run, as a
   * test wants.
   */
  throttleEvery: number;
  retryAfterSeconds: number;
  /** Token bucket: requests per second (0 = unlimited); the surplus gets 429 with Retry-After. */
  rateLimitPerSecond: number;
  /**
   * Requests that may arrive at once when the bucket is full. 0 = a tenth of a second's worth (at least
   * 1), so a client pacing itself at the limit is not punished for timer jitter.
   */
  rateLimitBurst: number;
  /** Fraction (0–1) of requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** PATCH answered 405 (`Allow: GET, PUT, DELETE`) or 501 instead of served. */
  noPatch: 'off' | '405' | '501';
  /** Filters naming any of these attributes (e.g. `externalId`, `emails.value`) get 400 invalidFilter. */
  rejectFilterAttributes: string[];
  /** Requests using the enterprise extension get 400 with this scimType; discovery stops listing it. */
  rejectEnterpriseExtension: 'off' | 'invalidValue' | 'invalidSyntax';
  /**
   * An application without groups: every /Groups request answers 404, and discovery (ResourceTypes,
   * Schemas) stops listing the Group resource type. Stored groups are kept.
   */
  noGroups: boolean;
}

export const defaultFaults: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorStatus: 500,
  throttleRate: 0,
  throttleEvery: 0,
  retryAfterSeconds: 1,
  rateLimitPerSecond: 0,
  rateLimitBurst: 0,
  dropRate: 0,
  noPatch: 'off',
  rejectFilterAttributes: [],
  rejectEnterpriseExtension: 'off',
  noGroups: false,
});

export class FaultValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FaultValidationError';
  }
}

type Check = (value: unknown, field: string) => unknown;

const fraction: Check = (v, f) => {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new FaultValidationError(f, `${f} must be a fraction between 0 and 1.`);
  }
  return n;
};
const range =
  (min: number, max: number, integer = true): Check =>
  (v, f) => {
    const n = typeof v === 'string' ? Number(v) : v;
    if (
      typeof n !== 'number' ||
      !Number.isFinite(n) ||
      n < min ||
      n > max ||
      (integer && !Number.isInteger(n))
    ) {
      throw new FaultValidationError(
        f,
        `${f} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}.`,
      );
    }
    return n;
  };
const oneOf =
  (values: readonly (string | number)[]): Check =>
  (v, f) => {
    const found = values.find((x) => String(x) === String(v));
    if (found === undefined) throw new FaultValidationError(f, `${f} must be one of ${values.join(', ')}.`);
    return found;
  };
const flag: Check = (v, f) => {
  if (v === true || v === false) return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  throw new FaultValidationError(f, `${f} must be true or false.`);
};
const attributeList: Check = (v, f) => {
  const list = typeof v === 'string' ? v.split(',') : v;
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
    throw new FaultValidationError(f, `${f} must be a list of attribute names.`);
  }
  return (list as string[]).map((x) => x.trim()).filter((x) => x !== '');
};

const checks: Record<keyof FaultSettings, Check> = {
  latencyMs: range(0, 60_000),
  jitterMs: range(0, 60_000),
  errorRate: fraction,
  errorStatus: oneOf([500, 503]),
  throttleRate: fraction,
  throttleEvery: range(0, 1_000_000),
  retryAfterSeconds: range(0, 3600),
  rateLimitPerSecond: range(0, 1_000_000, false),
  rateLimitBurst: range(0, 1_000_000),
  dropRate: fraction,
  noPatch: oneOf(['off', '405', '501']),
  rejectFilterAttributes: attributeList,
  rejectEnterpriseExtension: oneOf(['off', 'invalidValue', 'invalidSyntax']),
  noGroups: flag,
};

/**
 * Validates `input` (a partial settings object) on top of `base`; throws FaultValidationError naming
 * the first bad field. Unknown fields are rejected so a typo never silently does nothing.
 */
export function mergeFaults(base: Readonly<FaultSettings>, input: unknown): FaultSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FaultValidationError('', 'Fault settings must be a JSON object.');
  }
  const out: FaultSettings = { ...base, rejectFilterAttributes: [...base.rejectFilterAttributes] };
  for (const [key, value] of Object.entries(input)) {
    const check = checks[key as keyof FaultSettings];
    if (!check) throw new FaultValidationError(key, `Unknown fault setting '${key}'.`);
    (out as unknown as Record<string, unknown>)[key] = check(value, key);
  }
  return out;
}

const ENV: Record<string, keyof FaultSettings> = {
  SAMPLE_APP_LATENCY_MS: 'latencyMs',
  SAMPLE_APP_JITTER_MS: 'jitterMs',
  SAMPLE_APP_ERROR_RATE: 'errorRate',
  SAMPLE_APP_ERROR_STATUS: 'errorStatus',
  SAMPLE_APP_THROTTLE_RATE: 'throttleRate',
  SAMPLE_APP_THROTTLE_EVERY: 'throttleEvery',
  SAMPLE_APP_RETRY_AFTER_SECONDS: 'retryAfterSeconds',
  SAMPLE_APP_RATE_LIMIT: 'rateLimitPerSecond',
  SAMPLE_APP_RATE_LIMIT_BURST: 'rateLimitBurst',
  SAMPLE_APP_DROP_RATE: 'dropRate',
  SAMPLE_APP_NO_PATCH: 'noPatch',
  SAMPLE_APP_REJECT_FILTER_ATTRIBUTES: 'rejectFilterAttributes',
  SAMPLE_APP_REJECT_ENTERPRISE_EXTENSION: 'rejectEnterpriseExtension',
  SAMPLE_APP_NO_GROUPS: 'noGroups',
};

/** The environment variables that set fault switches at start, with the setting each one sets. */
export const faultEnvironmentVariables: Readonly<Record<string, keyof FaultSettings>> = ENV;

/** Fault settings from environment variables (validated; throws FaultValidationError naming the variable). */
export function faultsFromEnv(env: NodeJS.ProcessEnv): FaultSettings {
  const partial: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') partial[key] = v;
  }
  try {
    return mergeFaults(defaultFaults, partial);
  } catch (e) {
    if (e instanceof FaultValidationError) {
      const name = Object.keys(ENV).find((n) => ENV[n] === e.field) ?? e.field;
      throw new FaultValidationError(name, `${name}: ${e.message}`);
    }
    throw e;
  }
}

export type FaultDecision =
  | { kind: 'pass'; delayMs: number }
  | { kind: 'drop' }
  | { kind: 'rateLimited'; retryAfterSeconds: number }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'error'; status: 500 | 503 };

/** The live settings and the token bucket behind the request-rate limit. */
export class FaultState {
  private current: FaultSettings;
  private tokens = 0;
  private refilledAt = 0;
  /** Requests that reached the throttle switches since the settings were last set. */
  private counted = 0;

  constructor(
    initial: FaultSettings,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.current = initial;
    this.resetBucket();
  }

  get settings(): Readonly<FaultSettings> {
    return this.current;
  }

  set(next: FaultSettings): void {
    const bucketChanged =
      next.rateLimitPerSecond !== this.current.rateLimitPerSecond ||
      next.rateLimitBurst !== this.current.rateLimitBurst;
    this.counted = 0;
    this.current = next;
    if (bucketChanged) this.resetBucket();
  }

  private get burst(): number {
    const f = this.current;
    return f.rateLimitBurst > 0 ? f.rateLimitBurst : Math.max(1, Math.ceil(f.rateLimitPerSecond / 10));
  }

  private resetBucket(): void {
    this.tokens = this.burst;
    this.refilledAt = this.now();
  }

  /** Decides what happens to one arriving request. Order: drop, rate limit, throttle, error, latency. */
  decide(): FaultDecision {
    const f = this.current;
    if (f.dropRate > 0 && this.random() < f.dropRate) return { kind: 'drop' };
    if (f.rateLimitPerSecond > 0) {
      const now = this.now();
      this.tokens = Math.min(
        this.burst,
        this.tokens + ((now - this.refilledAt) / 1000) * f.rateLimitPerSecond,
      );
      this.refilledAt = now;
      if (this.tokens >= 1) this.tokens -= 1;
      else {
        const wait = (1 - this.tokens) / f.rateLimitPerSecond;
        return { kind: 'rateLimited', retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
      }
    }
    if (f.throttleEvery > 0) {
      this.counted += 1;
      if (this.counted % f.throttleEvery === 0) {
        return { kind: 'throttled', retryAfterSeconds: f.retryAfterSeconds };
      }
    }
    if (f.throttleRate > 0 && this.random() < f.throttleRate) {
      return { kind: 'throttled', retryAfterSeconds: f.retryAfterSeconds };
    }
    if (f.errorRate > 0 && this.random() < f.errorRate) return { kind: 'error', status: f.errorStatus };
    const delayMs = f.latencyMs + (f.jitterMs > 0 ? this.random() * f.jitterMs : 0);
    return { kind: 'pass', delayMs };
  }
}
