const WINDOW_MS = 60_000;
/** Keys kept at most; past it the oldest window is forgotten, so memory stays bounded under a flood. */
const DEFAULT_CAPACITY = 50_000;

interface Window {
  start: number;
  count: number;
}

/**
 * Counts events per key in fixed one-minute windows, in constant time per call. The map keeps
 * insertion order and a window that starts again is moved to its end, so the first entry is always
 * the oldest: when the map is full, that one goes.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perMinute: number,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Records one event; the seconds to wait when it is one too many, else undefined. */
  hit(key: string, now = Date.now()): number | undefined {
    if (this.perMinute === 0) return undefined;
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (window) this.windows.delete(key);
      else if (this.windows.size >= this.capacity) this.evictOldest();
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count > this.perMinute ? secondsLeft(window.start, now) : undefined;
  }

  /** Keys currently counted: for tests of the bound. */
  get size() {
    return this.windows.size;
  }

  private evictOldest() {
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
  }
}

const secondsLeft = (start: number, now: number) => Math.ceil((start + WINDOW_MS - now) / 1000);

/**
 * The key for counting a client's failures: its address, which an attacker cannot vary for free.
 * An IPv6 client usually holds a whole /64, so that prefix is the address.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!mapped.includes(':')) return mapped;
  return expandIpv6(mapped).slice(0, 4).join(':');
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  return [...headParts, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tailParts].map((part) =>
    (part.replace(/^0+(?=.)/, '') || '0').toLowerCase(),
  );
}
