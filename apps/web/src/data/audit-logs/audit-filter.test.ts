import { describe, expect, it } from 'vitest';
import {
  buildAuditLogFilter,
  DEFAULT_AUDIT_FILTERS,
  readAuditFilters,
  writeAuditFilters,
} from './audit-filter';

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

  it('filters by service, initiator, target and status', () => {
    const filter = buildAuditLogFilter(
      {
        ...DEFAULT_AUDIT_FILTERS,
        date: '24h',
        service: 'Core Directory',
        initiatedBy: ' admin ',
        target: "O'Brien",
        status: 'failure',
      },
      new Date('2026-03-31T00:00:00Z'),
    );
    expect(filter).toBe(
      "loggedByService eq 'Core Directory' and initiatedBy eq 'admin'" +
        " and targetResources/any(t: t/displayName eq 'O''Brien') and result eq 'failure'" +
        ' and activityDateTime ge 2026-03-30T00:00:00Z',
    );
  });

  it('keeps the new filters in the URL and drops unknown values', () => {
    const filters = {
      ...DEFAULT_AUDIT_FILTERS,
      service: 'Account Provisioning',
      initiatedBy: 'admin',
      target: 'Sample SCIM App',
      status: 'success' as const,
    };
    const params = writeAuditFilters(new URLSearchParams(), filters);
    expect(readAuditFilters(params)).toEqual(filters);
    expect(readAuditFilters(new URLSearchParams('service=Other&status=maybe'))).toEqual(
      DEFAULT_AUDIT_FILTERS,
    );
  });

  it('reads the Authentication category from the URL', () => {
    expect(readAuditFilters(new URLSearchParams('category=Authentication&activity=Sign-in'))).toMatchObject({
      category: 'Authentication',
      activity: 'Sign-in',
    });
  });
});
