import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_COLUMNS, parseLogColumns } from './columns';

describe('parseLogColumns', () => {
  it('falls back to the defaults when nothing usable is stored', () => {
    for (const stored of [null, '', 'not json', '{}', '[]', '["bogus"]'])
      expect(parseLogColumns(stored)).toEqual(DEFAULT_LOG_COLUMNS);
  });

  it("keeps the picker's order and drops unknown keys", () => {
    expect(parseLogColumns('["jobId","bogus","date","status"]')).toEqual(['date', 'status', 'jobId']);
  });
});
