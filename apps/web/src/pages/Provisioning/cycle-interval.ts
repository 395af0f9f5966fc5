import { CYCLE_INTERVAL_LIMITS, DEFAULT_CYCLE_INTERVAL_SECONDS, describeInterval } from '@provisio/contracts';

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

/** The words for a duration, shared with the API's messages. */
export { describeInterval };

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
