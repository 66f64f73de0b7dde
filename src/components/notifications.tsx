import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router';

type Notification = Pick<FlashbarProps.MessageDefinition, 'type' | 'header' | 'content'>;

interface Item extends FlashbarProps.MessageDefinition {
  /** The page the flash was first shown on: it belongs there, and goes when the user moves on. */
  shownOn?: string;
}

interface NotificationsValue {
  items: Item[];
  notify: (notification: Notification) => void;
  /** Marks new flashes as shown on `pathname`, and drops those shown on another page. */
  settle: (pathname: string) => void;
}

const NotificationsContext = createContext<NotificationsValue | null>(null);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Item[]>([]);
  const notify = useCallback((notification: Notification) => {
    const id = crypto.randomUUID();
    const dismiss = () => setItems((current) => current.filter((item) => item.id !== id));
    // Newest first, and only a few: a flash is news, not a log.
    setItems((current) => [
      { ...notification, id, dismissible: true, dismissLabel: 'Dismiss message', onDismiss: dismiss },
      ...current.slice(0, 2),
    ]);
  }, []);
  const settle = useCallback((pathname: string) => {
    setItems((current) => {
      if (current.every((item) => item.shownOn === pathname)) return current;
      return current
        .filter((item) => item.shownOn === undefined || item.shownOn === pathname)
        .map((item) => (item.shownOn === undefined ? { ...item, shownOn: pathname } : item));
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
  const { pathname } = useLocation();
  useEffect(() => settle(pathname), [items, pathname, settle]);
  return <Flashbar items={items} stackItems={items.length > 2} />;
}
