import { useCallback, useState } from 'react';

/**
 * State kept in this browser's localStorage under `key`, for choices a person expects the console
 * to remember (never secrets). A stored value `parse` does not accept, or storage that is
 * unavailable, counts as nothing stored.
 */
export function useStoredState<T>(key: string, parse: (stored: unknown) => T | undefined) {
  const [value, setValue] = useState<T | undefined>(() => {
    try {
      const stored = globalThis.localStorage?.getItem(key);
      return stored === null || stored === undefined ? undefined : parse(JSON.parse(stored));
    } catch {
      return undefined;
    }
  });
  const store = useCallback(
    (next: T) => {
      setValue(next);
      try {
        globalThis.localStorage?.setItem(key, JSON.stringify(next));
      } catch {
        // Private browsing or a full quota: the choice holds for this visit.
      }
    },
    [key],
  );
  return [value, store] as const;
}

export const STORAGE_KEYS = {
  colorMode: 'pat-console:color-mode',
  tokenTablePreferences: 'pat-console:token-table-preferences',
  activityTablePreferences: 'pat-console:activity-table-preferences',
} as const;
