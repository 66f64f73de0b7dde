import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

type Notification = Pick<FlashbarProps.MessageDefinition, 'type' | 'header' | 'content'>;

interface NotificationsValue {
  items: FlashbarProps.MessageDefinition[];
  notify: (notification: Notification) => void;
}

const NotificationsContext = createContext<NotificationsValue | null>(null);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<FlashbarProps.MessageDefinition[]>([]);
  const notify = useCallback((notification: Notification) => {
    const id = crypto.randomUUID();
    const dismiss = () => setItems((current) => current.filter((item) => item.id !== id));
    // Newest first, and only a few: a flash is news, not a log.
    setItems((current) => [
      { ...notification, id, dismissible: true, dismissLabel: 'Dismiss message', onDismiss: dismiss },
      ...current.slice(0, 2),
    ]);
  }, []);
  const value = useMemo(() => ({ items, notify }), [items, notify]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

function useNotificationsContext(): NotificationsValue {
  const value = useContext(NotificationsContext);
  if (!value) throw new Error('useNotify must be used inside NotificationsProvider');
  return value;
}

export const useNotify = () => useNotificationsContext().notify;

export function Notifications() {
  const { items } = useNotificationsContext();
  return <Flashbar items={items} stackItems={items.length > 2} />;
}
