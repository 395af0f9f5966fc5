import { describe, expect, it } from 'vitest';
import { buildProvisioningLogFilter, DEFAULT_FILTERS, readFilters, writeFilters } from './log-filter';

const now = new Date('2026-03-10T12:00:00.000Z');

describe('buildProvisioningLogFilter', () => {
  it('limits the default view to the last 7 days', () => {
    expect(buildProvisioningLogFilter(DEFAULT_FILTERS, now)).toBe('activityDateTime ge 2026-03-03T12:00:00Z');
  });

  it('ANDs application, status, action, identity and date in Graph syntax', () => {
    const filter = buildProvisioningLogFilter(
      { ...DEFAULT_FILTERS, date: '24h', status: 'failure', action: 'create', identity: " O'Brien " },
      now,
      'sp-1',
    );
    expect(filter).toBe(
      "servicePrincipal/id eq 'sp-1' and provisioningStatusInfo/status eq 'failure' and provisioningAction eq 'create'" +
        " and contains(sourceIdentity/displayName, 'O''Brien') and activityDateTime ge 2026-03-09T12:00:00Z",
    );
  });

  it('uses the custom interval bounds that are set', () => {
    const start = new Date(2026, 0, 2, 8, 30);
    const filter = buildProvisioningLogFilter(
      { ...DEFAULT_FILTERS, date: 'custom', from: '2026-01-02T08:30', to: '' },
      now,
    );
    expect(filter).toBe(`activityDateTime ge ${start.toISOString().replace('.000Z', 'Z')}`);
  });

  it('narrows to one cycle', () => {
    expect(buildProvisioningLogFilter({ ...DEFAULT_FILTERS, cycleId: 'c-9' }, now)).toMatch(
      /^cycleId eq 'c-9' and /,
    );
  });
});

describe('the filters Entra adds to Date, Status, Action and Identity', () => {
  it('filter by application, job, cycle, change and the two systems', () => {
    const filter = buildProvisioningLogFilter(
      {
        ...DEFAULT_FILTERS,
        servicePrincipalId: 'sp-2',
        jobId: 'scim.1',
        cycleId: 'c-1',
        changeId: 'ch-1',
        sourceSystem: 'Provisio',
        targetSystem: "O'Brien SCIM",
      },
      now,
    );
    expect(filter).toBe(
      "servicePrincipal/id eq 'sp-2' and jobId eq 'scim.1' and cycleId eq 'c-1' and changeId eq 'ch-1'" +
        " and sourceSystem/displayName eq 'Provisio' and targetSystem/displayName eq 'O''Brien SCIM'" +
        ' and activityDateTime ge 2026-03-03T12:00:00Z',
    );
  });

  it('under an application, the route names the application', () => {
    expect(
      buildProvisioningLogFilter({ ...DEFAULT_FILTERS, servicePrincipalId: 'other' }, now, 'sp-1'),
    ).toMatch(/^servicePrincipal\/id eq 'sp-1' and activityDateTime/);
  });
});

describe('readFilters / writeFilters', () => {
  it('round-trips through the URL and leaves defaults out', () => {
    const filters = { ...DEFAULT_FILTERS, status: 'skipped' as const, identity: 'adele' };
    const params = writeFilters(new URLSearchParams('event=e1'), filters);
    expect(params.toString()).toBe('event=e1&status=skipped&identity=adele');
    expect(readFilters(params)).toEqual(filters);
  });

  it('keeps the application and the id and system filters in the URL', () => {
    const filters = {
      ...DEFAULT_FILTERS,
      servicePrincipalId: 'sp-2',
      jobId: 'scim.1',
      changeId: 'ch-1',
      sourceSystem: 'Provisio',
      targetSystem: 'Sample SCIM App',
    };
    const params = writeFilters(new URLSearchParams(), filters);
    expect(params.toString()).toBe(
      'app=sp-2&jobId=scim.1&changeId=ch-1&sourceSystem=Provisio&targetSystem=Sample+SCIM+App',
    );
    expect(readFilters(params)).toEqual(filters);
  });

  it('ignores unknown values', () => {
    expect(readFilters(new URLSearchParams('status=bogus&date=1y'))).toEqual(DEFAULT_FILTERS);
  });
});
