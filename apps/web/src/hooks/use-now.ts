import { useEffect, useState } from 'react';

/** The current time, renewed every `intervalMs`, for text such as "in 38 minutes" that ages without new data. */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
