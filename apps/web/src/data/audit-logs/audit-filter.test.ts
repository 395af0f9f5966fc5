import { describe, expect, it } from 'vitest';
import { buildAuditLogFilter, DEFAULT_AUDIT_FILTERS, readAuditFilters } from './audit-filter';

describe('buildAuditLogFilter', () => {
  it('filters by application, activity and date', () => {
    const filter = buildAuditLogFilter(
      {
        ...DEFAULT_AUDIT_FILTERS,
        date: '30d',
        category: 'ProvisioningManagement',
        activity: 'Update provisioning setting or credentials',
      },
      new Date('2026-03-31T00:00:00Z'),
      'sp-1',
    );
    expect(filter).toBe(
      "targetResources/any(t: t/id eq 'sp-1') and category eq 'ProvisioningManagement' and activityDisplayName eq 'Update provisioning setting or credentials'" +
        ' and activityDateTime ge 2026-03-01T00:00:00Z',
    );
  });

  it('reads the Authentication category from the URL', () => {
    expect(readAuditFilters(new URLSearchParams('category=Authentication&activity=Sign-in'))).toMatchObject({
      category: 'Authentication',
      activity: 'Sign-in',
    });
  });
});
