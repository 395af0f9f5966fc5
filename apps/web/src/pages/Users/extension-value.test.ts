import type { ExtensionProperty } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import { parseExtensionValue } from './extension-value';

const property = (dataType: ExtensionProperty['dataType'], isMultiValued = false): ExtensionProperty => ({
  id: '1',
  name: 'extension_0123456789abcdef0123456789abcdef_costCenter',
  appDisplayName: 'Provisio directory extensions',
  dataType,
  isMultiValued,
  isSyncedFromOnPremises: false,
  targetObjects: ['User'],
  createdDateTime: '2026-01-01T00:00:00.000Z',
});

describe('parseExtensionValue', () => {
  it.each([
    ['String', false, ' CC-1 ', { value: 'CC-1' }],
    ['String', false, '', { value: null }],
    ['Integer', false, '42', { value: 42 }],
    ['Integer', false, '4.2', { problem: 'The costCenter must be a whole number, such as 42.' }],
    ['Boolean', false, 'true', { value: true }],
    ['Boolean', false, 'false', { value: false }],
    ['DateTime', false, '2025-01-31T09:00:00Z', { value: '2025-01-31T09:00:00.000Z' }],
    [
      'DateTime',
      false,
      'soon',
      { problem: 'The costCenter must be a date and time such as 2025-01-31T09:00:00Z.' },
    ],
    ['String', true, 'a\n\n b \n', { value: ['a', 'b'] }],
    ['Integer', true, '1\n2', { value: [1, 2] }],
    ['String', true, '', { value: null }],
  ] as const)('%s (multi-valued %s) %j → %j', (dataType, multi, text, expected) => {
    expect(parseExtensionValue(property(dataType, multi), text)).toEqual(expected);
  });

  it('names the attribute by its short name when a text is too long', () => {
    expect(parseExtensionValue(property('String'), 'x'.repeat(257))).toEqual({
      problem: 'The costCenter can be at most 256 characters.',
    });
  });
});
