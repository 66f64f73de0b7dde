import { useCallback, useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';

/**
 * While `active`, leaving the page asks first: a link or Back inside the console is held until the
 * page calls `stay` or `leave`, and a reload, a closed tab or a typed address gets the browser's own
 * "Leave site?" prompt. `allow` lets the page's own next navigation through (its Done button).
 */
export function useLeaveGuard(active: boolean) {
  const activeRef = useRef(active);
  const allowedRef = useRef(false);
  useEffect(() => {
    activeRef.current = active;
  });

  const blocker = useBlocker(
    useCallback(
      ({ currentLocation, nextLocation }: { currentLocation: { pathname: string }; nextLocation: { pathname: string } }) =>
        activeRef.current && !allowedRef.current && currentLocation.pathname !== nextLocation.pathname,
      [],
    ),
  );

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
    if (!active && blocker.state === 'blocked') blocker.reset();
  }, [active, blocker]);

  return {
    blocked: blocker.state === 'blocked',
    stay: () => blocker.reset?.(),
    leave: () => blocker.proceed?.(),
    allow: () => {
      allowedRef.current = true;
    },
  };
}
