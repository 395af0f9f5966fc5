import type { Explanation } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../lib/format';
import { explanationSentence } from './explanation-sentence';

const answer = (over: Partial<Explanation>): Explanation => ({
  willProvision: true,
  action: 'create',
  reason: '',
  recommendedAction: 'None.',
  checks: [],
  ...over,
});

describe('explanationSentence', () => {
  it('names what the next cycle will do, or that it will not provision the object', () => {
    expect(explanationSentence(answer({}), 'Ana', 'Contoso')).toBe(
      'The next cycle will create Ana in Contoso.',
    );
    expect(explanationSentence(answer({ action: 'staged' }), 'Ana', 'Contoso')).toBe(
      'The next cycle will stage the deletion of Ana in Contoso.',
    );
    expect(explanationSentence(answer({ willProvision: false, action: 'skip' }), 'Ana', 'Contoso')).toBe(
      'The next cycle will not provision Ana in Contoso.',
    );
  });

  it('names the first cycle after the retry when a failed export of the object waits in escrow', () => {
    const retryAt = '2026-03-14T09:05:12.000Z';
    expect(explanationSentence(answer({ action: 'update', retryAt }), 'Ana', 'Contoso')).toBe(
      `The first cycle after ${formatDateTime(retryAt)} will update Ana in Contoso.`,
    );
  });
});
