import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useGuardedHistory } from './navigation';

/**
 * While `active`, leaving the page asks first: a link or Back inside the console is held until the
 * page calls `stay` or `leave`, and a reload, a closed tab or a typed address gets the browser's own
 * "Leave site?" prompt. `allow` lets the page's own next navigation through (its Done button).
 */
export function useLeaveGuard(active: boolean) {
  const history = useGuardedHistory();
  const blocked = useSyncExternalStore(history.subscribe, history.isBlocked);
  const activeRef = useRef(active);
  const allowedRef = useRef(false);
  useEffect(() => {
    activeRef.current = active;
  });

  useEffect(() => history.block((from, to) => activeRef.current && !allowedRef.current && from !== to), [history]);

  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);

  // What made leaving risky is over (the secret was copied): a held navigation waits for nothing.
  useEffect(() => {
    if (!active && blocked) history.reset();
  }, [active, blocked, history]);

  return {
    blocked,
    stay: history.reset,
    leave: history.proceed,
    allow: () => {
      allowedRef.current = true;
    },
  };
}
