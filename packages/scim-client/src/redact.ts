const REDACTED = '[redacted]';

/** Replaces every occurrence of the secret in a text; the identity when there is no secret. */
export function textRedactor(secret: string | undefined): (text: string) => string {
  if (secret === undefined || secret === '') return (text) => text;
  return (text) => (text.includes(secret) ? text.split(secret).join(REDACTED) : text);
}

const isPasswordName = (value: unknown) =>
  typeof value === 'string' && value.length === 8 && /^password$/i.test(value);

/** Whether `redactForLog` would change anything in the value: walked without copying. */
function needsRedaction(value: unknown, redact: (text: string) => string): boolean {
  if (typeof value === 'string') return redact(value) !== value;
  if (Array.isArray(value)) return value.some((item) => needsRedaction(item, redact));
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (isPasswordName(record.path) && Object.hasOwn(record, 'value')) return true;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      if (isPasswordName(key) || needsRedaction(record[key], redact)) return true;
    }
  }
  return false;
}

/**
 * Whether a value whose JSON text is `text` may need redacting. Without a backslash in the text,
 * every key and string of the value stands in it as it is, so one holding the secret or named
 * password shows in the text; with one, only the walk can tell.
 */
const textMayNeedRedaction = (text: string, redact: (text: string) => string): boolean =>
  text.includes('\\') || /password/i.test(text) || redact(text) !== text;

/**
 * A body that is safe to log: the Secret Token is removed from every string, and passwords (a
 * `password` attribute or a PATCH op on `password`) are blanked. The input is never changed: it is
 * returned itself when nothing in it needs redacting (most bodies: every request of a cycle logs
 * its body, and copying them all costs more than looking), otherwise a redacted copy. `text`, the
 * value's JSON when the caller has it, is looked through first: most bodies are settled by it.
 */
export function redactForLog(value: unknown, redact: (text: string) => string, text?: string): unknown {
  if (text !== undefined && !textMayNeedRedaction(text, redact)) return value;
  return needsRedaction(value, redact) ? redactedCopy(value, redact) : value;
}

function redactedCopy(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactedCopy(item, redact));
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const passwordOp = isPasswordName(record.path);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      copy[key] =
        isPasswordName(key) || (passwordOp && key === 'value') ? REDACTED : redactedCopy(item, redact);
    }
    return copy;
  }
  return value;
}
