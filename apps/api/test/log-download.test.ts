import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32 } from 'node:zlib';
import {
  DOWNLOAD_TOO_LARGE_MESSAGE,
  MAX_DOWNLOAD_EVENTS,
  type DirectoryAudit,
  type ProvisioningObjectSummary,
} from '@provisio/contracts';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvZipDownload } from '../src/services/log-download';
import { packEventBody } from '@provisio/db';
import {
  createAppWithJob,
  describeAccess,
  errorOf,
  startTestApp,
  TEST_DIALECT,
  type TestContext,
} from './helpers';
import { event, OTHER_SP } from './log-events';

let t: TestContext;
const URL = '/api/v1.0/auditLogs/provisioning/download';
/** More than two of the download's pages of a thousand. */
const COUNT = 2_345;

beforeAll(async () => {
  t = await startTestApp();
  const events: ProvisioningObjectSummary[] = [];
  for (let i = 0; i < COUNT; i += 1) {
    const e = event(i, {
      action: i % 3 === 0 ? 'create' : i % 3 === 1 ? 'update' : 'disable',
      status: i % 5 === 0 ? 'failure' : i % 5 === 1 ? 'skipped' : 'success',
      ...(i % 10 === 9 ? { sp: OTHER_SP } : {}),
    });
    if (i % 4 === 0)
      e.modifiedProperties.push({ displayName: 'department', oldValue: 'Sales', newValue: 'Legal' });
    events.push(e);
  }
  // Values a spreadsheet would run as formulas, and a name beyond ASCII with a comma and quotes.
  const tricky = event(COUNT, { name: '=HYPERLINK("http://evil.example","click")', cycleId: 'cycle-tricky' });
  tricky.modifiedProperties = [
    { displayName: 'jobTitle', oldValue: '@SUM(A1)', newValue: 'Zoë "Z", Østergaard' },
  ];
  events.push(tricky);
  await t.db.events.insertProvisioningEvents(events);
});
afterAll(async () => {
  await t.close();
});

async function download(query: string, cookie = t.reader) {
  const res = await t.app.inject({ url: `${URL}?${query}`, headers: { cookie } });
  return res;
}
const filterParam = (filter: string) => `$filter=${encodeURIComponent(filter)}`;
type Row = Record<string, string>;
const csv = (bytes: Uint8Array): Row[] => {
  // ignoreBOM keeps the BOM in the text, so that the test sees it.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parse(text, { bom: true, columns: true }) as Row[];
};
/**
 * What the archive's central directory says of each file (its CRC-32 and size), which an unzip
 * tool checks the content against.
 */
function centralDirectory(zip: Uint8Array): Record<string, { crc: number; size: number }> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries: Record<string, { crc: number; size: number }> = {};
  for (let at = 0; at + 46 <= zip.length; at += 1) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    entries[name] = { crc: view.getUint32(at + 16, true), size: view.getUint32(at + 24, true) };
  }
  return entries;
}
const downloadTemps = () => readdirSync(tmpdir()).filter((n) => n.startsWith('provisio-download-'));

/** Every event the list route returns for a filter, following @odata.nextLink. */
async function listAll(filter: string): Promise<ProvisioningObjectSummary[]> {
  const all: ProvisioningObjectSummary[] = [];
  let url: string | undefined = `/api/v1.0/auditLogs/provisioning?${filterParam(filter)}&$top=1000`;
  while (url) {
    const res = await t.app.inject({ url, headers: { cookie: t.reader } });
    const page = res.json() as { value: ProvisioningObjectSummary[]; '@odata.nextLink'?: string };
    all.push(...page.value);
    url = page['@odata.nextLink'];
  }
  return all;
}

describe('access', () => {
  describeAccess(it, () => t, [{ method: 'GET', url: `${URL}?format=json`, readerAllowed: true }]);
});

describe('GET /api/v1.0/auditLogs/provisioning/download', () => {
  it('format=json: every matching event, in the list order, as one JSON array file', async () => {
    const filter = "provisioningStatusInfo/status eq 'failure' and servicePrincipal/id eq 'sp-logs-1'";
    const res = await download(`format=json&${filterParam(filter)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="ProvisioningLogs.json"; filename*=UTF-8''ProvisioningLogs.json`,
    );
    const events = res.json() as ProvisioningObjectSummary[];
    expect(events.length).toBeGreaterThan(400);
    expect(events).toEqual(await listAll(filter));
    expect(events.every((e) => e.provisioningStatusInfo.status === 'failure')).toBe(true);
  });

  it('format=json with nothing matching gives an empty array', async () => {
    const res = await download(`format=json&${filterParam("jobId eq 'a' and jobId eq 'b'")}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
  });

  it('format=csv: a ZIP of the events, their steps and their modified properties, joined on Change ID', async () => {
    const filter = "provisioningAction eq 'create' and cycleId eq 'cycle-a'";
    const res = await download(`format=csv&${filterParam(filter)}&$orderby=activityDateTime asc`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain('filename="ProvisioningLogs.zip"');
    const zip = new Uint8Array(res.rawPayload);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual([
      'ProvisioningLogs.csv',
      'ProvisioningLogs_ProvisioningSteps.csv',
      'ProvisioningLogs_ModifiedProperties.csv',
    ]);
    // Each file is what the archive says it is: an unzip tool would find no error.
    expect(centralDirectory(zip)).toEqual(
      Object.fromEntries(
        Object.entries(files).map(([name, data]) => [name, { crc: crc32(data), size: data.length }]),
      ),
    );
    const expected = (await listAll(filter)).reverse();
    const rows = csv(files['ProvisioningLogs.csv']!);
    expect(rows.map((r) => r['Event ID'])).toEqual(expected.map((e) => e.id));
    const failed = expected.find((e) => e.provisioningStatusInfo.status === 'failure')!;
    expect(rows.find((r) => r['Event ID'] === failed.id)).toEqual({
      'Date (UTC)': failed.activityDateTime,
      'Change ID': failed.changeId,
      'Cycle ID': failed.cycleId,
      'Job ID': failed.jobId,
      'Event ID': failed.id,
      Action: 'create',
      Status: 'failure',
      'Error Code': 'SystemForCrossDomainIdentityManagementBadRequest',
      'Error Category': 'nonServiceFailure',
      Reason: 'Bad request',
      'Additional Details': '',
      'Recommended Action': 'Fix the mapping.',
      'Duration (ms)': '12',
      'Initiated By': 'Provisio Provisioning Service',
      Application: 'Sample SCIM App',
      'Application ID': failed.servicePrincipal.id,
      'Source System': 'Provisio Directory',
      'Source Identity ID': failed.sourceIdentity.id,
      'Source Identity Name': failed.sourceIdentity.displayName,
      'Source Identity Type': 'User',
      'Target System': 'Sample SCIM App',
      'Target Identity ID': failed.targetIdentity.id,
      'Target Identity Name': failed.targetIdentity.displayName,
      'Target Identity Type': 'urn:ietf:params:scim:schemas:core:2.0:User',
      'Tenant ID': 'provisio',
    });

    const steps = csv(files['ProvisioningLogs_ProvisioningSteps.csv']!);
    expect(steps).toHaveLength(expected.length);
    expect(steps[0]).toEqual({
      'Change ID': expected[0]!.changeId,
      'Step Number': '1',
      Step: 'EntryImport',
      'Step Type': 'import',
      Status: 'success',
      Description: `Received User '${expected[0]!.sourceIdentity.displayName}'`,
      Details: JSON.stringify({ ReportableIdentifier: expected[0]!.sourceIdentity.displayName }),
    });

    const properties = csv(files['ProvisioningLogs_ModifiedProperties.csv']!);
    const expectedProperties = expected.flatMap((e) =>
      e.modifiedProperties.map((p) => ({
        'Change ID': e.changeId,
        Attribute: p.displayName,
        'Old Value': p.oldValue ?? '',
        'New Value': p.newValue ?? '',
      })),
    );
    expect(properties).toEqual(expectedProperties);
    expect(new Set(properties.map((p) => p['Change ID']))).toEqual(new Set(rows.map((r) => r['Change ID'])));
  });

  it('format=csv: a cell a spreadsheet would run as a formula starts with an apostrophe; quotes, commas and accents survive', async () => {
    const res = await download(`format=csv&${filterParam(`changeId eq 'change-${COUNT}'`)}`);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const [row] = csv(files['ProvisioningLogs.csv']!);
    expect(row?.['Source Identity Name']).toBe(`'=HYPERLINK("http://evil.example","click")`);
    const [property] = csv(files['ProvisioningLogs_ModifiedProperties.csv']!);
    expect(property).toMatchObject({ 'Old Value': "'@SUM(A1)", 'New Value': 'Zoë "Z", Østergaard' });
  });

  it('names the file as asked, in ASCII for old clients and exactly in filename*', async () => {
    const res = await download(`format=json&fileName=${encodeURIComponent("Zoë's logs (Nov)")}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Zo_'s logs (Nov).json"; filename*=UTF-8''Zo%C3%AB%27s%20logs%20%28Nov%29.json`,
    );
  });

  it.each([
    ['format=xml', 'querystring/format'],
    ['', 'querystring/format'],
    ['format=json&fileName=../etc/passwd', 'querystring/fileName'],
    ['format=json&fileName=', 'querystring/fileName'],
  ])('answers 400 naming the field for %s', async (query, target) => {
    const res = await download(query);
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('request.invalid');
    expect(JSON.stringify(error)).toContain(target);
  });

  it('answers 400 filter.invalid or for $orderby before sending anything', async () => {
    const bad = await download(`format=csv&${filterParam("colour eq 'blue'")}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-disposition']).toBeUndefined();
    expect(errorOf(bad)).toMatchObject({ code: 'filter.invalid' });
    const order = await download('format=json&$orderby=displayName');
    expect(order.statusCode).toBe(400);
    expect(errorOf(order).details?.[0]?.target).toBe('querystring/$orderby');
  });
});

describe('the CSV archive', () => {
  const pages = (count: number) =>
    async function* () {
      for (let from = 0; from < count; from += 1000)
        yield Array.from({ length: Math.min(1000, count - from) }, (_, i) => event(from + i));
    };
  const all = async (chunks: AsyncIterable<Uint8Array>) => {
    const out: Uint8Array[] = [];
    for await (const chunk of chunks) out.push(chunk);
    return out;
  };

  it('leaves no temporary file behind, finished or abandoned part way', async () => {
    const before = downloadTemps();
    const whole = await all(csvZipDownload(pages(3_000)));
    expect(Object.keys(unzipSync(Buffer.concat(whole)))).toHaveLength(3);
    const partial = csvZipDownload(pages(3_000));
    await partial.next();
    expect(downloadTemps()).toHaveLength(before.length + 1);
    await partial.return(undefined);
    expect(downloadTemps()).toEqual(before);
  });

  it('holds every event once in each file, across pages', async () => {
    const files = unzipSync(Buffer.concat(await all(csvZipDownload(pages(2_500)))));
    const ids = csv(files['ProvisioningLogs.csv']!).map((r) => r['Event ID']);
    expect(ids).toHaveLength(2_500);
    expect(new Set(ids).size).toBe(2_500);
    expect(csv(files['ProvisioningLogs_ProvisioningSteps.csv']!)).toHaveLength(2_500);
    expect(csv(files['ProvisioningLogs_ModifiedProperties.csv']!)).toHaveLength(2_500);
  });
});

describe('the download limit', () => {
  let big: TestContext;
  beforeAll(async () => {
    big = await startTestApp();
    // One more event than a download holds (written by SQL: the limit is about counting), one of
    // them in a cycle of its own.
    // The numbers 1…n and zero-padded text, in each dialect's words.
    const numbers =
      TEST_DIALECT === 'postgres'
        ? 'SELECT generate_series(1, ?::integer) AS i'
        : 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n';
    const padded = (prefix: string) =>
      TEST_DIALECT === 'postgres' ? `'${prefix}' || lpad(i::text, 7, '0')` : `printf('${prefix}%07d', i)`;
    const text = (prefix: string) =>
      TEST_DIALECT === 'postgres' ? `'${prefix}' || i` : `printf('${prefix}%d', i)`;
    await big.sql.run(
      `INSERT INTO provisioning_events (id, activity_date_time, job_id, cycle_id, change_id, service_principal_id,
         action, status, source_id, source_display_name, target_id, target_display_name, body)
       SELECT ${padded('evt-')}, '2026-11-01T00:00:00.000Z', 'scim.logs',
         CASE i WHEN 1 THEN 'cycle-small' ELSE 'cycle-big' END, ${text('change-')}, 'sp-logs-1', 'create',
         'success', ${text('u-')}, 'User', '', '', ? FROM (${numbers}) n`,
      [packEventBody(JSON.stringify(event(0))), MAX_DOWNLOAD_EVENTS + 1],
    );
    await big.sql.run(
      `INSERT INTO audit_events (id, activity_date_time, category, activity_display_name, result, target_id, body)
       SELECT ${padded('audit-')}, '2026-11-01T00:00:00.000Z', 'ProvisioningManagement', 'Other', 'success',
         NULL, '{}' FROM (${numbers}) n`,
      [MAX_DOWNLOAD_EVENTS + 1],
    );
  });
  afterAll(async () => {
    await big.close();
  });

  it('refuses a download of more events than it holds, before sending anything, and says what to do', async () => {
    for (const format of ['csv', 'json']) {
      const res = await big.app.inject({
        url: `${URL}?format=${format}`,
        headers: { cookie: big.reader },
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(errorOf(res)).toMatchObject({ code: 'download.tooLarge', message: DOWNLOAD_TOO_LARGE_MESSAGE });
    }
    const audit = await big.app.inject({
      url: '/api/v1.0/auditLogs/directoryAudits/download?format=csv',
      headers: { cookie: big.reader },
    });
    expect(audit.statusCode).toBe(400);
    expect(errorOf(audit)).toMatchObject({ code: 'download.tooLarge' });
    expect(DOWNLOAD_TOO_LARGE_MESSAGE).toContain('at most 250,000');
    const narrowed = await big.app.inject({
      url: `${URL}?format=json&${filterParam("cycleId eq 'cycle-small'")}`,
      headers: { cookie: big.reader },
    });
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.json()).toHaveLength(1);
  });

  it('$count=true says how many events match, for the portal to check before it downloads', async () => {
    const count = async (query: string) => {
      const res = await big.app.inject({
        url: `/api/v1.0/auditLogs/provisioning?$top=1&${query}`,
        headers: { cookie: big.reader },
      });
      expect(res.statusCode).toBe(200);
      return (res.json() as { '@odata.count'?: number })['@odata.count'];
    };
    expect(await count('$count=true')).toBe(MAX_DOWNLOAD_EVENTS + 1);
    expect(await count(`$count=true&${filterParam("cycleId eq 'cycle-small'")}`)).toBe(1);
    expect(await count(`$count=true&${filterParam("jobId eq 'a' and jobId eq 'b'")}`)).toBe(0);
    expect(await count('')).toBeUndefined();
  });
});

describe('GET /api/v1.0/auditLogs/directoryAudits/download', () => {
  const AUDIT_URL = '/api/v1.0/auditLogs/directoryAudits/download';
  let audited: TestContext;
  let spId: string;
  beforeAll(async () => {
    audited = await startTestApp();
    // Audit events as the API writes them: an application, its job, credentials saved, a start.
    ({ spId } = await createAppWithJob(audited, 'Audited, "quoted" App'));
    await audited.app.inject({
      method: 'PUT',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
      headers: { cookie: audited.admin },
      payload: { value: [{ key: 'BaseAddress', value: 'https://audited.example.com/scim' }] },
    });
  });
  afterAll(async () => {
    await audited.close();
  });
  const get = (query: string) =>
    audited.app.inject({ url: `${AUDIT_URL}?${query}`, headers: { cookie: audited.reader } });
  const listed = async (filter: string) =>
    (
      await audited.app.inject({
        url: `/api/v1.0/auditLogs/directoryAudits?$top=1000&${filterParam(filter)}`,
        headers: { cookie: audited.reader },
      })
    ).json().value as DirectoryAudit[];

  describeAccess(it, () => audited, [
    { method: 'GET', url: `${AUDIT_URL}?format=json`, readerAllowed: true },
  ]);

  it('format=json: the events the list shows for the filter, newest first', async () => {
    const filter = `targetResources/any(t: t/id eq '${spId}')`;
    const res = await get(`format=json&${filterParam(filter)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('filename="AuditLogs.json"');
    const events = res.json() as DirectoryAudit[];
    expect(events.map((e) => e.activityDisplayName)).toEqual([
      'Update provisioning setting or credentials',
      'Add provisioning configuration',
      'Add service principal',
    ]);
    expect(events).toEqual(await listed(filter));
  });

  it('format=csv: one CSV file, a row per event, its target and who did it in words', async () => {
    const res = await get(
      `format=csv&fileName=Audit&${filterParam(`targetResources/any(t: t/id eq '${spId}')`)}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('filename="Audit.csv"');
    const rows = csv(new Uint8Array(res.rawPayload));
    expect(rows).toHaveLength(3);
    const added = rows.find((r) => r.Activity === 'Add service principal')!;
    expect(added).toMatchObject({
      Service: expect.any(String),
      Result: 'success',
      'Initiated By (Type)': 'User',
      'Initiated By': expect.any(String),
      Target: 'Audited, "quoted" App',
      'Target ID': spId,
    });
    const [event] = await listed(
      `targetResources/any(t: t/id eq '${spId}') and activityDisplayName eq 'Add service principal'`,
    );
    expect(added['Activity ID']).toBe(event!.id);
    expect(added['Date (UTC)']).toBe(event!.activityDateTime);
  });

  it('$count=true on the list says how many audit events match', async () => {
    const res = await audited.app.inject({
      url: `/api/v1.0/auditLogs/directoryAudits?$top=1&$count=true&${filterParam(`targetResources/any(t: t/id eq '${spId}')`)}`,
      headers: { cookie: audited.reader },
    });
    expect(res.json()).toMatchObject({ '@odata.count': 3 });
  });

  it('answers 400 naming the field for a bad format, filter or order, before sending anything', async () => {
    expect(errorOf(await get('format=xml')).details?.[0]?.target).toBe('querystring/format');
    const bad = await get(`format=csv&${filterParam("colour eq 'blue'")}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-disposition']).toBeUndefined();
    expect(errorOf(bad).code).toBe('filter.invalid');
    expect(errorOf(await get('format=json&$orderby=activityDateTime asc')).details?.[0]?.target).toBe(
      'querystring/$orderby',
    );
  });
});
