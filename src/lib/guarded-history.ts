/**
 * The browser's history as the console's router sees it, with one thing the History API lacks: a
 * navigation can be held while a page would lose something by leaving (a secret not yet copied),
 * then let through or dropped. Links and Back/Forward are both held: a Back is undone at once and
 * redone only if the user chooses to leave.
 */

export type HistoryAction = 'pop' | 'push' | 'replace';

export interface HistoryLocation {
  pathname: string;
  /** What the navigation carried for the next page (never a secret). */
  state: unknown;
  /** How the location was reached: a new page starts at its top, Back returns to where it was. */
  action: HistoryAction;
}

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

/** True when the navigation from `from` to `to` must wait for the user. */
export type Blocker = (from: string, to: string) => boolean;

export interface GuardedHistory {
  subscribe: (listener: () => void) => () => void;
  location: () => HistoryLocation;
  navigate: (to: string, options?: NavigateOptions) => void;
  /** One blocker at a time; the returned function removes it and drops what it held. */
  block: (blocker: Blocker) => () => void;
  isBlocked: () => boolean;
  /** Lets the held navigation happen. */
  proceed: () => void;
  /** Drops the held navigation: the user stays. */
  reset: () => void;
}

type Pending = { kind: 'push'; to: string; options: NavigateOptions } | { kind: 'pop'; delta: number };

/** Each entry knows its place, so that a Back can be measured and undone. */
interface Entry {
  idx: number;
  usr: unknown;
}

function readEntry(history: History): Entry | undefined {
  const state: unknown = history.state;
  if (typeof state !== 'object' || state === null || !('idx' in state) || typeof state.idx !== 'number') return undefined;
  return { idx: state.idx, usr: 'usr' in state ? state.usr : null };
}

export function createGuardedHistory(win: Window = window): GuardedHistory {
  const { history } = win;
  if (!readEntry(history)) history.replaceState({ idx: 0, usr: history.state as unknown } satisfies Entry, '');
  let index = readEntry(history)?.idx ?? 0;
  let current: HistoryLocation = { pathname: win.location.pathname, state: readEntry(history)?.usr ?? null, action: 'pop' };
  let blocker: Blocker | undefined;
  let pending: Pending | undefined;
  /** Pops this store caused itself, to undo a held Back: they change nothing. */
  let undoingPops = 0;
  let redoingPop = false;
  const listeners = new Set<() => void>();
  const emit = () => listeners.forEach((listener) => listener());

  const commit = (action: HistoryAction) => {
    const entry = readEntry(history);
    index = entry?.idx ?? index;
    current = { pathname: win.location.pathname, state: entry?.usr ?? null, action };
    emit();
  };

  const go = (to: string, { replace = false, state = null }: NavigateOptions) => {
    if (replace) history.replaceState({ idx: index, usr: state } satisfies Entry, '', to);
    else history.pushState({ idx: index + 1, usr: state } satisfies Entry, '', to);
    commit(replace ? 'replace' : 'push');
  };

  const onPopState = () => {
    if (undoingPops > 0) {
      undoingPops -= 1;
      return;
    }
    const entry = readEntry(history);
    // An entry made outside this store (a typed #fragment) has no place to return from: it passes.
    const delta = entry ? entry.idx - index : 0;
    if (!redoingPop && delta !== 0 && blocker?.(current.pathname, win.location.pathname)) {
      undoingPops += 1;
      pending = { kind: 'pop', delta };
      history.go(-delta);
      emit();
      return;
    }
    redoingPop = false;
    commit('pop');
  };

  return {
    subscribe(listener) {
      if (listeners.size === 0) win.addEventListener('popstate', onPopState);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) win.removeEventListener('popstate', onPopState);
      };
    },
    location: () => current,
    navigate(to, options = {}) {
      const pathname = new URL(to, win.location.href).pathname;
      if (blocker?.(current.pathname, pathname)) {
        pending = { kind: 'push', to, options };
        emit();
        return;
      }
      go(to, options);
    },
    block(next) {
      blocker = next;
      return () => {
        if (blocker !== next) return;
        blocker = undefined;
        pending = undefined;
        emit();
      };
    },
    isBlocked: () => pending !== undefined,
    proceed() {
      const held = pending;
      pending = undefined;
      if (held?.kind === 'push') go(held.to, held.options);
      else if (held?.kind === 'pop') {
        redoingPop = true;
        history.go(held.delta);
      }
      emit();
    },
    reset() {
      if (pending === undefined) return;
      pending = undefined;
      emit();
    },
  };
}
