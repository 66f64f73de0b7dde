import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Suspense } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyPart, PART_RETRY_INTERVAL_MS } from './lazy-part';

const Greeting = ({ who }: { who: string }) => <p>Hello, {who}</p>;

/** A part whose code fails to arrive the first `failures` times it is asked for. */
function flakyPart(failures: number, options: { dismiss?: (props: { who: string }) => void } = {}) {
  let left = failures;
  const load = vi.fn(() =>
    left-- > 0 ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve(Greeting),
  );
  return { Part: lazyPart(load, { what: 'The greeting', ...options }), load };
}

/** The page's own server: down (the fetch fails) or up. */
const serverIs = (up: boolean) =>
  vi.spyOn(globalThis, 'fetch').mockImplementation(() => (up ? Promise.resolve(new Response(null)) : Promise.reject(new TypeError('offline'))));

const renderPart = (Part: (props: { who: string }) => React.ReactNode) =>
  render(
    <Suspense fallback="loading">
      <Part who="Ada" />
    </Suspense>,
  );

describe('A lazy part whose code fails to load', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('says so in its place, and Retry shows it once the code arrives', async () => {
    serverIs(false);
    const { Part } = flakyPart(1);
    renderPart(Part);
    expect(await screen.findByText('The greeting could not be loaded')).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Hello, Ada')).toBeVisible();
  });

  it('tries again on its own while the server is down, and shows the part when it is back', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    serverIs(false);
    const { Part, load } = flakyPart(2);
    renderPart(Part);
    await screen.findByText('The greeting could not be loaded');
    // Between tries, Retry waits to be pressed (it is busy while a try is on).
    const idle = () => waitFor(() => expect(screen.getByRole('button', { name: 'Retry' })).not.toHaveAttribute('aria-disabled'));
    await idle();
    await vi.advanceTimersByTimeAsync(PART_RETRY_INTERVAL_MS);
    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    await idle();
    expect(screen.getByText('The greeting could not be loaded')).toBeVisible();
    await vi.advanceTimersByTimeAsync(PART_RETRY_INTERVAL_MS);
    await waitFor(() => expect(load).toHaveBeenCalledTimes(3));
    vi.useRealTimers();
    expect(await screen.findByText('Hello, Ada')).toBeVisible();
  });

  it('asks for a reload when the server answers but the code is gone (a newer console was deployed)', async () => {
    serverIs(true);
    const { Part } = flakyPart(Infinity);
    renderPart(Part);
    await userEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('button', { name: 'Reload' })).toBeVisible();
    expect(screen.getByText(/was updated since this page was opened/)).toBeVisible();
  });

  it('as a dialog, takes the focus and can be closed', async () => {
    serverIs(false);
    const dismiss = vi.fn();
    const { Part } = flakyPart(1, { dismiss });
    renderPart(Part);
    const header = await screen.findByText('The greeting could not be loaded');
    expect(header.closest('[role="alert"], [tabindex]')?.contains(document.activeElement)).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(dismiss).toHaveBeenCalledWith({ who: 'Ada' });
  });
});
