const WINDOW_MS = 60_000;

/**
 * Counts events per key in fixed one-minute windows. Keys are users or presented tokens, never IP
 * addresses: behind a proxy every request comes from one address.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Records one event; the seconds to wait when it is one too many, else undefined. */
  hit(key: string, now = Date.now()): number | undefined {
    if (this.perMinute === 0) return undefined;
    let window = this.current(key, now);
    if (!window) {
      if (this.windows.size > 10_000) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count > this.perMinute ? secondsLeft(window.start, now) : undefined;
  }

  /** Seconds to wait before `key` may act again, without recording anything. */
  blockedFor(key: string, now = Date.now()): number | undefined {
    const window = this.perMinute === 0 ? undefined : this.current(key, now);
    return window && window.count >= this.perMinute ? secondsLeft(window.start, now) : undefined;
  }

  /** The key's window, while it is still in force. */
  private current(key: string, now: number) {
    const window = this.windows.get(key);
    return window && now - window.start < WINDOW_MS ? window : undefined;
  }

  private sweep(now: number) {
    for (const key of this.windows.keys()) if (!this.current(key, now)) this.windows.delete(key);
  }
}

const secondsLeft = (start: number, now: number) => Math.ceil((start + WINDOW_MS - now) / 1000);
