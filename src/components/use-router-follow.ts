import { useCallback } from 'react';
import { useLocation } from 'wouter';

interface FollowEvent {
  preventDefault: () => void;
  detail: { href?: string; external?: boolean };
}

/** Cloudscape links render real hrefs; this keeps in-app ones inside the router, without a reload. */
export function useRouterFollow() {
  const [, navigate] = useLocation();
  return useCallback(
    (event: FollowEvent) => {
      const { href, external } = event.detail;
      if (!href || external) return;
      event.preventDefault();
      navigate(href);
    },
    [navigate],
  );
}
