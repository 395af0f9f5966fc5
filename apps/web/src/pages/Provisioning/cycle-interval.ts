import { CYCLE_INTERVAL_LIMITS, DEFAULT_CYCLE_INTERVAL_SECONDS } from '@provisio/contracts';

const DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/i;

/** Seconds of the job's `schedule.cycleInterval` (`PT40M`, `PT1H30M`, `PT5S`); the default when unknown. */
export function intervalSeconds(duration: string | undefined): number {
  const m = duration ? DURATION.exec(duration) : null;
  if (!m) return DEFAULT_CYCLE_INTERVAL_SECONDS;
  const [, h, min, s] = m;
  return Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Math.round(Number(s ?? 0));
}

/** Minutes as the Cycle interval field shows them: whole minutes, or two decimals for a shorter default. */
export function intervalMinutesText(seconds: number): string {
  return seconds % 60 === 0 ? String(seconds / 60) : (seconds / 60).toFixed(2);
}

/** "40 minutes", "1 hour 30 minutes", "5 seconds". */
export function describeInterval(seconds: number): string {
  const parts: string[] = [];
  const unit = (n: number, word: string) => {
    if (n > 0) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  };
  unit(Math.floor(seconds / 3600), 'hour');
  unit(Math.floor((seconds % 3600) / 60), 'minute');
  unit(seconds % 60, 'second');
  return parts.join(' ') || '0 seconds';
}

const MIN_MINUTES = CYCLE_INTERVAL_LIMITS.minSeconds / 60;
const MAX_MINUTES = CYCLE_INTERVAL_LIMITS.maxSeconds / 60;

/** The typed minutes as the API's `schedule.interval`, or the problem to show under the field. */
export function readIntervalMinutes(text: string): { interval: string } | { problem: string } {
  const trimmed = text.trim();
  const minutes = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isInteger(minutes) || minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
    return {
      problem: `Enter the cycle interval in whole minutes, from ${MIN_MINUTES} (${describeInterval(MIN_MINUTES * 60)}) to ${MAX_MINUTES} (${describeInterval(MAX_MINUTES * 60)}).`,
    };
  }
  return { interval: `PT${minutes}M` };
}
