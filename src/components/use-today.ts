import { useCallback, useEffect, useState } from 'react';

const startOfToday = () => {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today;
};

/**
 * The start of the user's current day, which moves on at midnight: a page left open overnight
 * offers tomorrow's dates, not yesterday's. A sleeping laptop misses timers, so the day is also
 * checked when the window comes back, and `recheck` checks it on demand (before a submit).
 */
export function useToday() {
  const [today, setToday] = useState(startOfToday);

  const recheck = useCallback(() => {
    const current = startOfToday();
    setToday((shown) => (shown.getTime() === current.getTime() ? shown : current));
    return current;
  }, []);

  useEffect(() => {
    const nextMidnight = new Date(today);
    nextMidnight.setDate(nextMidnight.getDate() + 1);
    let timer: ReturnType<typeof setTimeout>;
    // At most an hour between checks: a clock or time zone that changes under the page is caught too.
    // A timer that fires while the clock still says yesterday (a clock set back, or a timer early)
    // schedules the next check; a new day re-runs this effect instead.
    const schedule = () => {
      timer = setTimeout(
        () => {
          if (recheck().getTime() === today.getTime()) schedule();
        },
        Math.max(Math.min(nextMidnight.getTime() - Date.now() + 1000, 60 * 60 * 1000), 1000),
      );
    };
    schedule();
    window.addEventListener('focus', recheck);
    document.addEventListener('visibilitychange', recheck);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('focus', recheck);
      document.removeEventListener('visibilitychange', recheck);
    };
  }, [today, recheck]);

  return { today, recheck };
}
