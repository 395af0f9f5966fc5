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

  it('finds the same with the JSON text at hand as by walking the body', () => {
    const redact = textRedactor('s3"cr\\t');
    const bodies = [
      { userName: 'ada', title: 'Engineer' },
      { userName: 'ada', note: 'token s3"cr\\t' },
      { userName: 'ada', note: 'token s3\u0022cr' },
      { userName: 'ada', PASSWORD: 'p' },
      { Operations: [{ op: 'replace', path: 'Password', value: 'p' }] },
      { displayName: 'Zoë 🙂' },
    ];
    for (const body of bodies)
      expect(redactForLog(body, redact, JSON.stringify(body))).toEqual(redactForLog(body, redact));
    // A key written with an escape in the answer's text is still found.
    const answer = '{"p\\u0061ssword":"p"}';
    expect(redactForLog(JSON.parse(answer), redact, answer)).toEqual({ password: '[redacted]' });
    const plain = { userName: 'ada' };
    expect(redactForLog(plain, redact, JSON.stringify(plain))).toBe(plain);
  });
});
