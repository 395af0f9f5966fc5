import { describe, expect, it } from 'vitest';
import { changedSinceText, heldSummary, sentSummary, totalCount } from './labels';

const counts = { create: 3, update: 12, disable: 1, delete: 0, skip: 5, staged: 2, failed: 1 };

describe('preview labels', () => {
  it('sums every action', () => {
    expect(totalCount(counts)).toBe(24);
  });

  it('states what the cycle sends', () => {
    expect(sentSummary(counts)).toBe('create 3, update 12, disable 1 and delete 0 objects');
    expect(sentSummary({ ...counts, delete: 1 })).toBe('create 3, update 12, disable 1 and delete 1 object');
  });

  it('states what the cycle leaves alone or holds back, and nothing when there is none', () => {
    expect(heldSummary(counts)).toEqual([
      '5 objects are skipped.',
      '2 removals are held back by the accidental deletion threshold.',
      '1 object could not be read in the application; the cycle tries it again.',
    ]);
    expect(heldSummary({ ...counts, skip: 0, staged: 0, failed: 0 })).toEqual([]);
  });

  it.each([
    [
      0,
      'No previewed object changed in the directory since this preview: the cycle carries out the plan as shown.',
    ],
    [1, '1 object changed in the directory since this preview; it is planned again as the cycle reaches it.'],
    [
      1200,
      `${(1200).toLocaleString()} objects changed in the directory since this preview; they are planned again as the cycle reaches them.`,
    ],
  ])('says what happens to %i objects changed since the preview', (changed, text) => {
    expect(changedSinceText(changed)).toBe(text);
  });
});
