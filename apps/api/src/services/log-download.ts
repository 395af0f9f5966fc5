import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { stringify } from 'csv-stringify/sync';
import { Zip, ZipDeflate } from 'fflate';

/**
 * One pass over the events to download, page by page, in the order the download asked for: as
 * objects, or as the JSON text they are stored as.
 */
export type EventPages<T = ProvisioningObjectSummary> = () => Iterable<readonly T[]>;

type Cell = string | number;
interface CsvFile<Row> {
  name: string;
  columns: readonly (readonly [header: string, value: (row: Row) => Cell])[];
  rows: (event: ProvisioningObjectSummary) => Row[];
}

/**
 * A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
 * formula, and directory values are typed by people: such a cell gets a leading apostrophe, which
 * spreadsheets show as text and do not display.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const text = (value: string | null | undefined): string => neutralizeFormula(value ?? '');

/** Everything but the steps and the modified properties, one row per event. */
const eventsFile: CsvFile<ProvisioningObjectSummary> = {
  name: 'ProvisioningLogs.csv',
  rows: (e) => [e],
  columns: [
    ['Date (UTC)', (e) => e.activityDateTime],
    ['Change ID', (e) => text(e.changeId)],
    ['Cycle ID', (e) => text(e.cycleId)],
    ['Job ID', (e) => text(e.jobId)],
    ['Event ID', (e) => text(e.id)],
    ['Action', (e) => e.provisioningAction],
    ['Status', (e) => e.provisioningStatusInfo.status],
    ['Error Code', (e) => text(e.provisioningStatusInfo.errorInformation?.errorCode)],
    ['Error Category', (e) => text(e.provisioningStatusInfo.errorInformation?.errorCategory)],
    ['Reason', (e) => text(e.provisioningStatusInfo.errorInformation?.reason)],
    ['Additional Details', (e) => text(e.provisioningStatusInfo.errorInformation?.additionalDetails)],
    ['Recommended Action', (e) => text(e.provisioningStatusInfo.errorInformation?.recommendedAction)],
    ['Duration (ms)', (e) => e.durationInMilliseconds],
    ['Initiated By', (e) => text(e.initiatedBy.displayName)],
    ['Application', (e) => text(e.servicePrincipal.displayName)],
    ['Application ID', (e) => text(e.servicePrincipal.id)],
    ['Source System', (e) => text(e.sourceSystem.displayName)],
    ['Source Identity ID', (e) => text(e.sourceIdentity.id)],
    ['Source Identity Name', (e) => text(e.sourceIdentity.displayName)],
    ['Source Identity Type', (e) => text(e.sourceIdentity.identityType)],
    ['Target System', (e) => text(e.targetSystem.displayName)],
    ['Target Identity ID', (e) => text(e.targetIdentity.id)],
    ['Target Identity Name', (e) => text(e.targetIdentity.displayName)],
    ['Target Identity Type', (e) => text(e.targetIdentity.identityType)],
    ['Tenant ID', (e) => text(e.tenantId)],
  ],
};

type StepRow = { event: ProvisioningObjectSummary; index: number };
const stepsFile: CsvFile<StepRow> = {
  name: 'ProvisioningLogs_ProvisioningSteps.csv',
  rows: (event) => event.provisioningSteps.map((_, index) => ({ event, index })),
  columns: [
    ['Change ID', (r) => text(r.event.changeId)],
    ['Step Number', (r) => r.index + 1],
    ['Step', (r) => text(r.event.provisioningSteps[r.index]?.name)],
    ['Step Type', (r) => text(r.event.provisioningSteps[r.index]?.provisioningStepType)],
    ['Status', (r) => text(r.event.provisioningSteps[r.index]?.status)],
    ['Description', (r) => text(r.event.provisioningSteps[r.index]?.description)],
    ['Details', (r) => text(JSON.stringify(r.event.provisioningSteps[r.index]?.details ?? {}))],
  ],
};

type PropertyRow = { event: ProvisioningObjectSummary; index: number };
const propertiesFile: CsvFile<PropertyRow> = {
  name: 'ProvisioningLogs_ModifiedProperties.csv',
  rows: (event) => event.modifiedProperties.map((_, index) => ({ event, index })),
  columns: [
    ['Change ID', (r) => text(r.event.changeId)],
    ['Attribute', (r) => text(r.event.modifiedProperties[r.index]?.displayName)],
    ['Old Value', (r) => text(r.event.modifiedProperties[r.index]?.oldValue)],
    ['New Value', (r) => text(r.event.modifiedProperties[r.index]?.newValue)],
  ],
};

/** The CSV text of one page of events, with the header (and a BOM, for spreadsheets) on the first. */
function* csvChunks<Row>(file: CsvFile<Row>, pages: EventPages): Generator<string> {
  // The BOM tells spreadsheets the file is UTF-8, so accented names survive a double-click.
  yield `\uFEFF${stringify([file.columns.map(([header]) => header)], { record_delimiter: 'windows' })}`;
  for (const page of pages()) {
    const records = page
      .flatMap((e) => file.rows(e))
      .map((row) => file.columns.map(([, value]) => value(row)));
    if (records.length) yield stringify(records, { record_delimiter: 'windows' });
  }
}

/** A JSON array of the events, a page at a time, passing on the stored JSON of each as it is. */
export function* jsonDownload(pages: EventPages<string>): Generator<string> {
  let first = true;
  yield '[';
  for (const page of pages()) {
    if (page.length === 0) continue;
    yield `${first ? '' : ','}${page.join(',')}`;
    first = false;
  }
  yield ']';
}

/**
 * A ZIP of three CSV files, as the Entra portal's CSV download gives them: the events, their
 * steps and their modified properties, joined on the change ID. Each file is one pass over
 * `pages`, so it must list the same events every time it is called.
 */
export function* csvZipDownload(pages: EventPages): Generator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else out.push(chunk);
  });
  function* drain() {
    if (failure) throw failure;
    while (out.length) yield out.shift()!;
  }
  const encoder = new TextEncoder();
  // Entries are written one after another, so the archive streams without holding a file back.
  function* entry<Row>(file: CsvFile<Row>) {
    const deflate = new ZipDeflate(file.name, { level: 1 });
    zip.add(deflate);
    for (const chunk of csvChunks(file, pages)) {
      deflate.push(encoder.encode(chunk));
      yield* drain();
    }
    deflate.push(new Uint8Array(0), true);
    yield* drain();
  }
  yield* entry(eventsFile);
  yield* entry(stepsFile);
  yield* entry(propertiesFile);
  zip.end();
  yield* drain();
}
