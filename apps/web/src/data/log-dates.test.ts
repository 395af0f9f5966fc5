import { describe, expect, it } from 'vitest';
import { dateRangeProblem } from './log-dates';

describe('dateRangeProblem: a custom interval', () => {
  it('says when the End is before the Start', () => {
    expect(dateRangeProblem('2026-03-16T10:00', '2026-03-15T10:00')).toMatch(/^The End is before the Start/);
  });
  it.each([
    ['2026-03-15T10:00', '2026-03-16T10:00'],
    ['2026-03-15T10:00', '2026-03-15T10:00'],
    ['', '2026-03-16T10:00'],
    ['2026-03-15T10:00', ''],
  ])('%s → %s is fine', (from, to) => {
    expect(dateRangeProblem(from, to)).toBeUndefined();
  });
});
