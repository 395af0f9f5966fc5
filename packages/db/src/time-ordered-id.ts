import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let offset = pool.length;
const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** The millisecond of the last id, and the counter its ids of that millisecond carry. */
let lastMs = -1;
let sequence = 0;

/**
 * A UUID version 7 (RFC 9562): milliseconds since 1970 first, then a 12-bit counter, then random
 * bits. Provisioning events are keyed by it, and their change ids (indexed too) are such ids, so
 * ids written one after another land at the end of their index instead of on a random page of it,
 * which keeps the per-object commit small at high rates. Audit events are keyed by it too: the
 * counter (RFC 9562's method 1) orders the ids one process makes within one millisecond as they
 * were made, so two audit events of the same millisecond list in the order they happened. It
 * starts at a random value below 2048 each millisecond and wraps after 4095.
 */
export function timeOrderedId(now: number): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const b = pool.subarray(offset, offset + 16);
  offset += 16;
  // 48-bit big-endian timestamp; Number arithmetic because bitwise operators stop at 32 bits.
  b[0] = Math.floor(now / 2 ** 40) & 0xff;
  b[1] = Math.floor(now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  if (now === lastMs) sequence = (sequence + 1) & 0xfff;
  else {
    lastMs = now;
    sequence = (((b[6] ?? 0) & 0x07) << 8) | (b[7] ?? 0);
  }
  b[6] = 0x70 | (sequence >>> 8);
  b[7] = sequence & 0xff;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i += 1) {
    s += hex[b[i] ?? 0];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}
