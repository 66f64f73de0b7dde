import { applyMode, Mode } from '@cloudscape-design/global-styles';
import { useEffect, useState } from 'react';
import { STORAGE_KEYS, useStoredState } from './use-stored-state';

const darkQuery = '(prefers-color-scheme: dark)';

const parseMode = (stored: unknown) => (stored === Mode.Dark || stored === Mode.Light ? stored : undefined);

/** Follows the system's light or dark mode until the user picks one, which this browser remembers. */
export function useColorMode() {
  const [systemMode, setSystemMode] = useState<Mode>(() =>
    globalThis.matchMedia?.(darkQuery).matches ? Mode.Dark : Mode.Light,
  );
  const [chosenMode, setChosenMode] = useStoredState(STORAGE_KEYS.colorMode, parseMode);
  const mode = chosenMode ?? systemMode;

  useEffect(() => {
    const query = globalThis.matchMedia?.(darkQuery);
    if (!query) return;
    const onChange = () => setSystemMode(query.matches ? Mode.Dark : Mode.Light);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  useEffect(() => {
    applyMode(mode);
  }, [mode]);

  return {
    mode,
    toggle: () => setChosenMode(mode === Mode.Dark ? Mode.Light : Mode.Dark),
  };
}
