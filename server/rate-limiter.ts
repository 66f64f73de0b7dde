/**
 * Counts events per key in fixed one-minute windows. Keys are users or presented tokens, never IP
 * addresses: behind a proxy every request comes from one address.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Records one event; the seconds to wait when it is one too many, else undefined. */
  hit(key: string, now = Date.now()): number | undefined {
    if (this.perMinute === 0) return undefined;
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count > this.perMinute ? Math.ceil((window.start + this.windowMs - now) / 1000) : undefined;
  }

  /** Seconds to wait before `key` may act again, without recording anything. */
  blockedFor(key: string, now = Date.now()): number | undefined {
    const window = this.windows.get(key);
    if (this.perMinute === 0 || !window || now - window.start >= this.windowMs || window.count < this.perMinute) {
      return undefined;
    }
    return Math.ceil((window.start + this.windowMs - now) / 1000);
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
