import { describe, expect, it } from 'vitest';
import { redactForLog, textRedactor } from './redact.js';

describe('redaction', () => {
  it('removes every occurrence of the secret', () => {
    expect(textRedactor('s3cr3t')('a s3cr3t b s3cr3t')).toBe('a [redacted] b [redacted]');
    expect(textRedactor(undefined)('a s3cr3t')).toBe('a s3cr3t');
  });

  it('blanks passwords and the secret in nested bodies without touching the input', () => {
    const body = {
      userName: 'ada',
      Password: 'p',
      nested: [{ note: 'token s3cr3t' }],
      Operations: [{ op: 'replace', path: 'password', value: 'p2' }],
    };
    expect(redactForLog(body, textRedactor('s3cr3t'))).toEqual({
      userName: 'ada',
      Password: '[redacted]',
      nested: [{ note: 'token [redacted]' }],
      Operations: [{ op: 'replace', path: 'password', value: '[redacted]' }],
    });
    expect(body.Password).toBe('p');
  });

  it('returns a body with nothing to redact as it is', () => {
    const body = { userName: 'ada', emails: [{ value: 'ada@example.com' }], Operations: [{ path: 'title' }] };
    expect(redactForLog(body, textRedactor('s3cr3t'))).toBe(body);
  });

  it('blanks the value of an op on password even when nothing else needs redacting', () => {
    expect(redactForLog([{ op: 'replace', path: 'PASSWORD', value: 'p' }], textRedactor(undefined))).toEqual([
      { op: 'replace', path: 'PASSWORD', value: '[redacted]' },
    ]);
  });
});
