import { describe, expect, it } from 'vitest';
import {
  describeInterval,
  intervalMinutesText,
  intervalSeconds,
  readIntervalMinutes,
} from './cycle-interval';

describe('cycle interval', () => {
  it.each([
    ['PT40M', 2400, '40'],
    ['PT1H30M', 5400, '90'],
    ['PT24H', 86400, '1440'],
    ['PT5S', 5, '0.08'],
    [undefined, 2400, '40'],
  ])('reads %s as %i seconds, shown as %s minutes', (duration, seconds, text) => {
    expect(intervalSeconds(duration)).toBe(seconds);
    expect(intervalMinutesText(seconds)).toBe(text);
  });

  it('accepts whole minutes from 20 to 1440 and says the range in words otherwise', () => {
    expect(readIntervalMinutes(' 40 ')).toEqual({ interval: 'PT40M' });
    expect(readIntervalMinutes('1440')).toEqual({ interval: 'PT1440M' });
    for (const bad of ['19', '1441', '', '30.5', 'forty']) {
      expect(readIntervalMinutes(bad)).toEqual({
        problem: 'Enter the cycle interval in whole minutes, from 20 (20 minutes) to 1440 (24 hours).',
      });
    }
    expect(describeInterval(5400)).toBe('1 hour 30 minutes');
  });
});
