import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { FORMAT_1_SAMPLE_EVENTS } from './event-body-dictionary';

/**
 * How a provisioning event's JSON (Graph's provisioningObjectSummary) is kept in the `body` column.
 *
 * An event is about 2.5 KB of JSON, nearly all of it the same keys, step names and sentences from
 * one event to the next. Stored as text, two events no longer fit in one 4 KB page, so each took a
 * page of its own (4.75 KB on disk with the indexes). Stored compressed against a preset
 * dictionary of what events have in common, an event's body is about 300–500 bytes (most of it
 * the ids, which do not compress).
 *
 * The stored value is a BLOB: one format byte, then the deflate-raw stream of the UTF-8 JSON made
 * with that format's dictionary (its sample events, event-body-dictionary.ts). Rows written
 * before compression hold the JSON as TEXT and are read as they are. A format, once released, never changes: its dictionary decodes every row written
 * with it. A better dictionary is a new format byte, with the old one kept for reading (a test pins
 * each dictionary's hash).
 */
const FORMAT_DEFLATE_1 = 1;

/** Format 1's dictionary: the JSON of its sample events, one after another. */
const DICTIONARY_1 = Buffer.from(FORMAT_1_SAMPLE_EVENTS.map((e) => JSON.stringify(e)).join(''));

/**
 * Level 3 takes no longer than level 1 on bodies this small and packs them 10% tighter. The output
 * chunk sizes fit what an event compresses and decompresses to: zlib allocates a whole chunk for
 * every call and the result keeps it, and zlib's default of 16 KB doubled the cost of each call
 * and the memory a download holds. A 16 KB window holds the whole dictionary, and a smaller hash
 * table packs these bodies as tightly: each call allocates about 100 KB of compressor state rather
 * than zlib's default 270 KB. The inflater reads streams made with any window up to its own, so
 * this is a setting of the writer, not of the format.
 */
const DEFLATE_OPTIONS = {
  level: 3,
  dictionary: DICTIONARY_1,
  chunkSize: 1024,
  windowBits: 14,
  memLevel: 6,
} as const;
const INFLATE_OPTIONS = { dictionary: DICTIONARY_1, chunkSize: 4096 } as const;

/** The stored form of an event's JSON text: see the module's comment. */
export function packEventBody(json: string): Buffer {
  const packed = deflateRawSync(json, DEFLATE_OPTIONS);
  const stored = Buffer.allocUnsafe(packed.length + 1);
  stored[0] = FORMAT_DEFLATE_1;
  packed.copy(stored, 1);
  return stored;
}

/**
 * An event's JSON as UTF-8 bytes from its stored form, compressed or (rows written before) plain
 * text: what a download sends on without decoding it into a string.
 */
export function unpackEventJson(stored: Buffer | string): Buffer {
  if (typeof stored === 'string') return Buffer.from(stored, 'utf8');
  if (stored[0] !== FORMAT_DEFLATE_1)
    throw new Error(`A provisioning event is stored in an unknown format (${String(stored[0])}).`);
  return inflateRawSync(stored.subarray(1), INFLATE_OPTIONS);
}

/** An event's JSON text from its stored form, compressed or (rows written before) plain text. */
export function unpackEventBody(stored: Buffer | string): string {
  return typeof stored === 'string' ? stored : unpackEventJson(stored).toString('utf8');
}

/** The dictionary of each format, for the test that pins them. */
export const EVENT_BODY_DICTIONARIES: Readonly<Record<number, Buffer>> = { [FORMAT_DEFLATE_1]: DICTIONARY_1 };
