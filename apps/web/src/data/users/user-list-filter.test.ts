import { describe, expect, it } from 'vitest';
import { NO_USER_FILTERS, userListFilter } from './user-list-filter';

describe('userListFilter', () => {
  it.each([
    [NO_USER_FILTERS, undefined],
    [{ ...NO_USER_FILTERS, department: ' Sales ' }, "department eq 'Sales'"],
    [{ ...NO_USER_FILTERS, department: "O'Brien's" }, "department eq 'O''Brien''s'"],
    [{ ...NO_USER_FILTERS, enabled: 'disabled' as const }, 'accountEnabled eq false'],
    [
      { department: 'R&D', enabled: 'enabled' as const, servicePrincipalId: 'sp-1' },
      "department eq 'R&D' and accountEnabled eq true and appRoleAssignments/any(a:a/resourceId eq 'sp-1')",
    ],
  ])('%j → %s', (filters, expected) => {
    expect(userListFilter(filters)).toBe(expected);
  });
});
