import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGuardedHistory, type GuardedHistory } from './guarded-history';

/** Resolves once jsdom has delivered the popstate of a traversal, and one more task has run. */
function traverse(move: () => void): Promise<void> {
  return new Promise((resolve) => {
    window.addEventListener('popstate', () => setTimeout(resolve, 0), { once: true });
    move();
  });
}

/** Waits until the browser's URL shows `pathname` (an undone Back lands a task later). */
async function urlBecomes(pathname: string) {
  for (let tries = 0; tries < 50 && window.location.pathname !== pathname; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(window.location.pathname).toBe(pathname);
}

describe('createGuardedHistory', () => {
  let history: GuardedHistory;
  let unsubscribe: () => void;

  beforeEach(() => {
    window.history.replaceState(null, '', '/start');
    history = createGuardedHistory(window);
    unsubscribe = history.subscribe(() => undefined);
  });
  afterEach(() => unsubscribe());

  it('follows pushes, replaces and Back, with the state each navigation carried', async () => {
    history.navigate('/a', { state: { note: 'from start' } });
    expect(history.location()).toEqual({ pathname: '/a', state: { note: 'from start' }, action: 'push' });
    history.navigate('/b');
    history.navigate('/c', { replace: true });
    expect(history.location()).toMatchObject({ pathname: '/c', action: 'replace' });
    await traverse(() => window.history.back());
    expect(history.location()).toEqual({ pathname: '/a', state: { note: 'from start' }, action: 'pop' });
  });

  it('holds a link while blocked, and lets it through on proceed', () => {
    const seen: Array<[string, string]> = [];
    history.block((from, to) => {
      seen.push([from, to]);
      return true;
    });
    history.navigate('/settings', { state: { createdTokenName: 'laptop' } });
    expect(seen).toEqual([['/start', '/settings']]);
    expect(history.isBlocked()).toBe(true);
    expect(history.location().pathname).toBe('/start');
    expect(window.location.pathname).toBe('/start');
    history.proceed();
    expect(history.isBlocked()).toBe(false);
    expect(history.location()).toEqual({ pathname: '/settings', state: { createdTokenName: 'laptop' }, action: 'push' });
  });

  it('undoes a Back while blocked, and goes back on proceed', async () => {
    history.navigate('/create');
    history.block(() => true);
    await traverse(() => window.history.back());
    expect(history.isBlocked()).toBe(true);
    expect(history.location().pathname).toBe('/create');
    await urlBecomes('/create');

    await traverse(() => history.proceed());
    expect(history.isBlocked()).toBe(false);
    expect(history.location()).toMatchObject({ pathname: '/start', action: 'pop' });
    expect(window.location.pathname).toBe('/start');
  });

  it('drops a held navigation on reset, and when the blocker goes', async () => {
    history.navigate('/create');
    const unblock = history.block(() => true);
    history.navigate('/elsewhere');
    history.reset();
    expect(history.isBlocked()).toBe(false);
    expect(history.location().pathname).toBe('/create');

    await traverse(() => window.history.back());
    expect(history.isBlocked()).toBe(true);
    unblock();
    expect(history.isBlocked()).toBe(false);
    await urlBecomes('/create');
    await traverse(() => window.history.back());
    expect(history.location().pathname).toBe('/start');
  });

  it('asks the blocker about the page being left and the one asked for', () => {
    history.navigate('/create');
    history.block((from, to) => from === '/create' && to !== '/create');
    history.navigate('/create');
    expect(history.isBlocked()).toBe(false);
    history.navigate('/settings?x=1');
    expect(history.isBlocked()).toBe(true);
  });
});
