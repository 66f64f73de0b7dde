import type { FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, Suspense, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { lazyPart } from './lazy-part';
import { useGuardedHistory } from './navigation';

// A first visit has no news: the Flashbar loads with the first flash, not with the first page.
const Flashbar = lazyPart(() => import('@cloudscape-design/components/flashbar').then((module) => module.default), {
  what: 'Messages',
});

type Notification = Pick<FlashbarProps.MessageDefinition, 'type' | 'header' | 'content'>;

interface Item extends FlashbarProps.MessageDefinition {
  /** The page the flash was first shown on: it belongs there, and goes when the user moves on. */
  shownOn?: string;
  /** For the page the user is about to go to: held until the user leaves `from`, the page it was made on. */
  nextPage?: { from: string };
}

interface NotifyOptions {
  /** The flash reports on the page the user is being sent to (a create that returns to the list). */
  onNextPage?: boolean;
}

interface NotificationsValue {
  items: Item[];
  notify: (notification: Notification, options?: NotifyOptions) => void;
  /** Marks new flashes as shown on `pathname`, and drops those shown on another page. */
  settle: (pathname: string) => void;
}

const NotificationsContext = createContext<NotificationsValue | null>(null);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Item[]>([]);
  const history = useGuardedHistory();
  const notify = useCallback((notification: Notification, { onNextPage = false }: NotifyOptions = {}) => {
    Flashbar.preload();
    const id = crypto.randomUUID();
    // Read now, not in the updater: the navigation that follows may land in the same render.
    const from = history.location().pathname;
    const dismiss = () => setItems((current) => current.filter((item) => item.id !== id));
    // A flash is news, not a log: a new one replaces those already shown. Flashes of one action
    // (made before any was shown) and those waiting for the next page stay, newest first, a few.
    setItems((current) => [
      {
        ...notification,
        id,
        dismissible: true,
        dismissLabel: 'Dismiss message',
        onDismiss: dismiss,
        ...(onNextPage ? { nextPage: { from } } : {}),
      },
      ...current.filter((item) => item.shownOn === undefined).slice(0, 2),
    ]);
  }, [history]);
  const settle = useCallback((pathname: string) => {
    const settled = (item: Item): Item | undefined => {
      if (item.nextPage) {
        if (item.nextPage.from === pathname) return item;
        const { nextPage: _landed, ...landed } = item;
        return { ...landed, shownOn: pathname };
      }
      if (item.shownOn === undefined) return { ...item, shownOn: pathname };
      return item.shownOn === pathname ? item : undefined;
    };
    setItems((current) => {
      const next = current.map(settled);
      if (next.every((item, index) => item === current[index])) return current;
      return next.filter((item): item is Item => item !== undefined);
    });
  }, []);
  const value = useMemo(() => ({ items, notify, settle }), [items, notify, settle]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

function useNotificationsContext(): NotificationsValue {
  const value = useContext(NotificationsContext);
  if (!value) throw new Error('useNotify must be used inside NotificationsProvider');
  return value;
}

export const useNotify = () => useNotificationsContext().notify;

export function Notifications() {
  const { items, settle } = useNotificationsContext();
  const [pathname] = useLocation();
  useEffect(() => settle(pathname), [items, pathname, settle]);
  const shown = items.filter((item) => !item.nextPage);
  if (shown.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <Flashbar items={shown} stackItems={shown.length > 2} />
    </Suspense>
  );
}
