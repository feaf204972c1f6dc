import { useEffect, useState } from 'react';
import { secondsLeft } from '../../../study/clock';

/** Whole seconds left until a local deadline, ticking every half second; undefined without one. */
export function useCountdown(localDeadline: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (localDeadline === undefined) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [localDeadline]);
  return localDeadline === undefined ? undefined : secondsLeft(localDeadline, now);
}
