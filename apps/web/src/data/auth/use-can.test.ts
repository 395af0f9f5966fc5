import { describe, expect, it } from 'vitest';
import { canOf } from './use-can';

describe('canOf', () => {
  it.each([
    ['Administrator', true, true],
    ['ApplicationAdministrator', true, false],
    ['ReportsReader', false, false],
    [undefined, false, false],
  ] as const)('%s manages: %s, administers: %s', (role, manage, admin) => {
    expect(canOf(role)).toMatchObject({ manage, admin });
  });
});
