import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import type { DirectoryAudit, ProvisioningObjectSummary } from '@provisio/contracts';
import { Zip, type AsyncFlateStreamHandler, type ZipInputFile } from 'fflate';

/**
 * One pass over the events to download, page by page, in the order the download asked for: as
 * objects, or as their JSON text. Each page is read from the database as the download gets to it.
 */
export type EventPages<T = ProvisioningObjectSummary> = () => AsyncIterable<readonly T[]>;

type Cell = string | number;
/** A CSV file of a log: its columns, and the rows each event of the log gives (one, or one per step…). */
interface CsvFile<Row, Event = ProvisioningObjectSummary> {
  name: string;
  columns: readonly (readonly [header: string, value: (row: Row) => Cell])[];
  rows: (event: Event) => Row[];
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

/** The audit log, one row per event, with its first target (the one the event is about) in columns. */
const auditFile: CsvFile<DirectoryAudit, DirectoryAudit> = {
  name: 'AuditLogs.csv',
  rows: (e) => [e],
  columns: [
    ['Date (UTC)', (e) => e.activityDateTime],
    ['Activity ID', (e) => text(e.id)],
    ['Correlation ID', (e) => text(e.correlationId)],
    ['Service', (e) => text(e.loggedByService)],
    ['Category', (e) => text(e.category)],
    ['Activity', (e) => text(e.activityDisplayName)],
    ['Result', (e) => e.result],
    ['Result Reason', (e) => text(e.resultReason)],
    ['Operation Type', (e) => text(e.operationType)],
    ['Initiated By (Type)', (e) => (e.initiatedBy.user ? 'User' : e.initiatedBy.app ? 'App' : '')],
    ['Initiated By', (e) => text(e.initiatedBy.user?.displayName ?? e.initiatedBy.app?.displayName)],
    ['Initiated By (UPN)', (e) => text(e.initiatedBy.user?.userPrincipalName)],
    ['Initiated By (ID)', (e) => text(e.initiatedBy.user?.id ?? e.initiatedBy.app?.servicePrincipalId)],
    ['Target Type', (e) => text(e.targetResources[0]?.type)],
    ['Target', (e) => text(e.targetResources[0]?.displayName)],
    ['Target ID', (e) => text(e.targetResources[0]?.id)],
    ['Modified Properties', (e) => text(JSON.stringify(e.targetResources[0]?.modifiedProperties ?? []))],
    [
      'Other Targets',
      (e) =>
        text(
          e.targetResources
            .slice(1)
            .map((t) => t.displayName || t.id)
            .join('; '),
        ),
    ],
    ['Additional Details', (e) => text(e.additionalDetails.map((d) => `${d.key}: ${d.value}`).join('; '))],
  ],
};

/** A cell as RFC 4180 writes it: quoted, with its quotes doubled, when it holds a comma, a quote or a line break. */
function csvCell(value: Cell): string {
  if (typeof value === 'number') return String(value);
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The CSV lines (CRLF-ended, as spreadsheets expect) of one page of events for one file. */
function csvLines<Row, Event>(file: CsvFile<Row, Event>, page: readonly Event[]): string {
  let text = '';
  for (const event of page) {
    for (const row of file.rows(event)) {
      let line = '';
      for (const [, value] of file.columns) line += (line === '' ? '' : ',') + csvCell(value(row));
      text += `${line}\r\n`;
    }
  }
  return text;
}

/** The first line of a file: a BOM, which tells spreadsheets the file is UTF-8, and the headers. */
const csvHeader = <Row, Event>(file: CsvFile<Row, Event>) =>
  `\uFEFF${file.columns.map(([header]) => csvCell(header)).join(',')}\r\n`;

/** An empty last deflate block (fixed Huffman, BFINAL set): what ends a run of sync-flushed pieces. */
const LAST_BLOCK = Uint8Array.of(0x03, 0x00);

/**
 * A ZIP entry deflated here a piece at a time with the platform's zlib: each piece is compressed on
 * its own and ends with a sync flush, so the pieces laid end to end are one deflate stream, which
 * `LAST_BLOCK` closes. The entry keeps the CRC and size of what it compressed, which the archive
 * writes after the data.
 */
class DeflatedEntry implements ZipInputFile {
  readonly compression = 8;
  crc = 0;
  size = 0;
  readonly mtime = Date.now();
  ondata?: AsyncFlateStreamHandler;
  constructor(readonly filename: string) {}

  /** The compressed bytes of the next piece of the entry's text. */
  deflate(text: string): Buffer<ArrayBuffer> {
    const bytes = Buffer.from(text, 'utf8');
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    return deflateRawSync(bytes, { level: 1, finishFlush: constants.Z_SYNC_FLUSH });
  }

  /** Passes compressed bytes to the archive; `last` closes the entry. */
  push(data: Uint8Array<ArrayBuffer>, last = false): void {
    this.ondata?.(null, last ? concat(data, LAST_BLOCK) : data, last);
  }

  terminate(): void {}
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/**
 * A JSON array of the events, a page at a time, passing on the JSON bytes of each as they are:
 * never decoded into strings, which keeps a large download's memory low.
 */
export async function* jsonDownload(pages: EventPages<Uint8Array>): AsyncGenerator<Uint8Array> {
  const comma = Buffer.from(',');
  let first = true;
  yield Buffer.from('[');
  for await (const page of pages()) {
    if (page.length === 0) continue;
    const parts: Uint8Array[] = [];
    for (const body of page) {
      if (!first) parts.push(comma);
      parts.push(body);
      first = false;
    }
    yield Buffer.concat(parts);
  }
  yield Buffer.from(']');
}

/** The audit log as one CSV file (with a BOM, CRLF lines), a page of events at a time. */
export async function* auditCsvDownload(pages: EventPages<DirectoryAudit>): AsyncGenerator<Uint8Array> {
  yield Buffer.from(csvHeader(auditFile), 'utf8');
  for await (const page of pages()) yield Buffer.from(csvLines(auditFile, page), 'utf8');
}

/**
 * A ZIP of three CSV files, as the Entra portal's CSV download gives them: the events, their
 * steps and their modified properties, joined on the change ID.
 *
 * The events are read once. The first file streams out as its pages are compressed; the other two,
 * whose entries come after it in the archive, are compressed at the same time into temporary files
 * and streamed from there once the first is complete. Memory stays flat whatever the number of
 * events, and each event is read and parsed once rather than once per file.
 */
export async function* csvZipDownload(pages: EventPages): AsyncGenerator<Uint8Array> {
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
  const dir = mkdtempSync(join(tmpdir(), 'provisio-download-'));
  const files = [eventsFile, stepsFile, propertiesFile] as CsvFile<unknown>[];
  const entries = files.map((file) => new DeflatedEntry(file.name));
  const spills = entries.slice(1).map((_, i) => openSync(join(dir, `entry-${i + 1}`), 'w+'));
  try {
    const [first] = entries;
    zip.add(first!);
    const write = (i: number, text: string) => {
      const piece = entries[i]!.deflate(text);
      if (i === 0) first!.push(piece);
      else writeSync(spills[i - 1]!, piece);
    };
    files.forEach((file, i) => write(i, csvHeader(file)));
    yield* drain();
    for await (const page of pages()) {
      files.forEach((file, i) => write(i, csvLines(file, page)));
      yield* drain();
    }
    first!.push(new Uint8Array(0), true);
    yield* drain();
    // The spilled entries, each read back in order.
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (const [i, fd] of spills.entries()) {
      const entry = entries[i + 1]!;
      zip.add(entry);
      for (let at = 0; ;) {
        const read = readSync(fd, buffer, 0, buffer.length, at);
        if (read === 0) break;
        at += read;
        entry.push(Uint8Array.prototype.slice.call(buffer, 0, read));
        yield* drain();
      }
      entry.push(new Uint8Array(0), true);
      yield* drain();
    }
    zip.end();
    yield* drain();
  } finally {
    for (const fd of spills) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}
