import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useToday } from './use-today';

describe('useToday', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('moves on to the new day at midnight', () => {
    const midnight = new Date(2027, 2, 10);
    vi.useFakeTimers({ now: midnight.getTime() - 1500 });
    const { result } = renderHook(() => useToday());
    expect(result.current.today).toEqual(new Date(2027, 2, 9));
    act(() => vi.advanceTimersByTime(3000));
    expect(result.current.today).toEqual(midnight);
  });

  it('keeps checking when its timer fires while the clock still says yesterday', () => {
    const midnight = new Date(2027, 2, 10);
    vi.useFakeTimers({ now: midnight.getTime() - 1500 });
    const { result } = renderHook(() => useToday());
    // The clock is set back under the page: the timer meant for midnight fires before it.
    vi.setSystemTime(midnight.getTime() - 10_000);
    act(() => vi.advanceTimersByTime(3000));
    expect(result.current.today).toEqual(new Date(2027, 2, 9));
    act(() => vi.advanceTimersByTime(10_000));
    expect(result.current.today).toEqual(midnight);
  });
});
