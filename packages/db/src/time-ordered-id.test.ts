import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id';

describe('timeOrderedId', () => {
  it('is a version 7 UUID that starts with the time, so later ids sort after earlier ones', () => {
    const a = timeOrderedId(Date.parse('2026-01-01T00:00:00.000Z'));
    const b = timeOrderedId(Date.parse('2026-01-01T00:00:00.001Z'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(a.replace(/-/g, '').slice(0, 12)).toBe(
      Date.parse('2026-01-01T00:00:00.000Z').toString(16).padStart(12, '0'),
    );
  });

  it('is unique', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(now)));
    expect(ids.size).toBe(10_000);
  });

  it('orders the ids of one millisecond as they were made', () => {
    const now = Date.now();
    const ids = Array.from({ length: 1_000 }, () => timeOrderedId(now));
    expect([...ids].sort()).toEqual(ids);
  });
});
