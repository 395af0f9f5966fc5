import { describe, expect, it } from 'vitest';
import { formatNextCycle } from './status-text';

const NOW = new Date(2026, 0, 1, 10, 4, 0).getTime();
const at = (minutes: number, seconds = 0) => new Date(NOW + minutes * 60_000 + seconds * 1000).toISOString();
const clock = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));

describe('the next cycle, in words', () => {
  it.each([
    [at(38), `in 38 minutes, at ${clock(at(38))}`],
    [at(1), `in 1 minute, at ${clock(at(1))}`],
    [at(0, 20), `in less than a minute, at ${clock(at(0, 20))}`],
    [at(65), `in 1 hour 5 minutes, at ${clock(at(65))}`],
    [at(120), `in 2 hours, at ${clock(at(120))}`],
    [at(0, -5), 'now'],
  ])('%s', (iso, text) => {
    expect(formatNextCycle(iso, NOW)).toBe(text);
  });
});
