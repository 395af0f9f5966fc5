import { describe, expect, it } from 'vitest';
import { extractDetail, parseRetryAfter } from './scim-failure.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T10:00:00Z');
  it.each([
    [null, undefined],
    ['', undefined],
    ['0', 0],
    ['30', 30_000],
    ['1.5', 1_500],
    ['Sat, 01 Mar 2025 10:02:00 GMT', 120_000],
    ['Sat, 01 Mar 2025 09:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('extractDetail', () => {
  it.each([
    [
      { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'taken', scimType: 'uniqueness' },
      '',
      { detail: 'taken', scimType: 'uniqueness' },
    ],
    [{ message: 'nope' }, '', { detail: 'nope' }],
    [{ error: { message: 'graph style' } }, '', { detail: 'graph style' }],
    [{ error: 'invalid_token', error_description: 'expired' }, '', { detail: 'invalid_token' }],
    [{ status: '500' }, '', {}],
    [undefined, '<html><title> Service Unavailable </title></html>', { detail: 'Service Unavailable' }],
    [undefined, '<html><body>x</body></html>', {}],
    [undefined, '  plain\n text  ', { detail: 'plain text' }],
    [undefined, '', {}],
  ])('%j %j', (json, text, expected) => {
    expect(extractDetail(json, text)).toEqual(expected);
  });

  it('clips long details', () => {
    expect(extractDetail({ detail: 'x'.repeat(5000) }, '').detail).toHaveLength(1000);
  });
});
