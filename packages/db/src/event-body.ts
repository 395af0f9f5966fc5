import { inflateRawSync } from 'node:zlib';
import { compressSync as lz4Compress, uncompressSync as lz4Uncompress } from 'lz4-napi';
import { FORMAT_1_SAMPLE_EVENTS } from './event-body-dictionary';

/**
 * How a provisioning event's JSON (Graph's provisioningObjectSummary) is kept in the `body` column.
 *
 * An event is about 2.5 KB of JSON, nearly all of it the same keys, step names and sentences from
 * one event to the next. Stored as text, two events no longer fit in one 4 KB page, so each took a
 * page of its own (4.75 KB on disk with the indexes). Stored compressed against a preset
 * dictionary of what events have in common, it takes a fraction of that (most of it the ids, which
 * do not compress). docs/decisions/0003 and 0009 say why, and why LZ4.
 *
 * The stored value is a BLOB: one format byte, then the UTF-8 JSON compressed against that format's
 * preset dictionary (the sample events of event-body-dictionary.ts):
 * - format 1, deflate-raw. Read only: it cost the worker about 50 µs of CPU per event, most of it
 *   zlib taking in the 11 KB dictionary again for every event, a sixth of an initial cycle's CPU.
 * - format 2, an LZ4 block (its decoded length first, 4 bytes little-endian, then the block), what
 *   events are written in: about a quarter of deflate's CPU for bodies about 1.7 times as large (an
 *   event of 4 KB of JSON takes about 1 KB), which still lets four events share a 4 KB page.
 * Rows written before compression hold the JSON as TEXT and are read as they are. A format, once
 * released, never changes: its dictionary decodes every row written with it. A better dictionary or
 * codec is a new format byte, with the old ones kept for reading (a test pins each dictionary's hash).
 */
const FORMAT_DEFLATE_1 = 1;
const FORMAT_LZ4_2 = 2;

/** Formats 1 and 2's dictionary: the JSON of the sample events, one after another. */
const DICTIONARY_1 = Buffer.from(FORMAT_1_SAMPLE_EVENTS.map((e) => JSON.stringify(e)).join(''));

/** How format 1 (deflate-raw) is read. */
const INFLATE_OPTIONS = { dictionary: DICTIONARY_1, chunkSize: 4096 } as const;

/** The stored form of an event's JSON text: see the module's comment. */
export function packEventBody(json: string): Buffer {
  const packed = lz4Compress(json, DICTIONARY_1);
  const stored = Buffer.allocUnsafe(packed.length + 1);
  stored[0] = FORMAT_LZ4_2;
  packed.copy(stored, 1);
  return stored;
}

/**
 * An event's JSON as UTF-8 bytes from its stored form, compressed or (rows written before) plain
 * text: what a download sends on without decoding it into a string.
 */
export function unpackEventJson(stored: Buffer | string): Buffer {
  if (typeof stored === 'string') return Buffer.from(stored, 'utf8');
  if (stored[0] === FORMAT_LZ4_2) return lz4Uncompress(stored.subarray(1), DICTIONARY_1);
  if (stored[0] === FORMAT_DEFLATE_1) return inflateRawSync(stored.subarray(1), INFLATE_OPTIONS);
  throw new Error(`A provisioning event is stored in an unknown format (${String(stored[0])}).`);
}

/** An event's JSON text from its stored form, compressed or (rows written before) plain text. */
export function unpackEventBody(stored: Buffer | string): string {
  return typeof stored === 'string' ? stored : unpackEventJson(stored).toString('utf8');
}

/** The dictionary of each format, for the test that pins them. */
export const EVENT_BODY_DICTIONARIES: Readonly<Record<number, Buffer>> = {
  [FORMAT_DEFLATE_1]: DICTIONARY_1,
  [FORMAT_LZ4_2]: DICTIONARY_1,
};
