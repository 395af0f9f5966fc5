const REDACTED = '[redacted]';

/** Replaces every occurrence of the secret in a text; the identity when there is no secret. */
export function textRedactor(secret: string | undefined): (text: string) => string {
  if (secret === undefined || secret === '') return (text) => text;
  return (text) => (text.includes(secret) ? text.split(secret).join(REDACTED) : text);
}

const isPasswordPath = (value: unknown) => typeof value === 'string' && /^password$/i.test(value);

/**
 * A copy of a request or response body that is safe to log: the Secret Token is removed from every
 * string, and passwords (a `password` attribute or a PATCH op on `password`) are blanked.
 */
export function redactForLog(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, redact));
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const passwordOp = isPasswordPath(record.path);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      copy[key] =
        /^password$/i.test(key) || (passwordOp && key === 'value') ? REDACTED : redactForLog(item, redact);
    }
    return copy;
  }
  return value;
}
