import { describe, expect, it } from 'vitest';
import { clientKey, RateLimiter } from './rate-limiter';

describe('the rate limiter', () => {
  it('allows so many a minute per key, then says how long to wait', () => {
    const limiter = new RateLimiter(2);
    const start = 1_000_000;
    expect(limiter.hit('a', start)).toBeUndefined();
    expect(limiter.hit('a', start + 1000)).toBeUndefined();
    expect(limiter.hit('a', start + 15_000)).toBe(45);
    expect(limiter.hit('b', start + 15_000)).toBeUndefined();
    expect(limiter.hit('a', start + 60_000)).toBeUndefined();
  });

  it('keeps at most its capacity of keys, forgetting the oldest window first', () => {
    const limiter = new RateLimiter(1, 3);
    for (const key of ['a', 'b', 'c']) limiter.hit(key, 0);
    expect(limiter.hit('a', 10)).toBe(60);
    limiter.hit('d', 20);
    expect(limiter.size).toBe(3);
    // 'a' was the oldest window: it went to make room for 'd', so it counts afresh; 'c' is still counted.
    expect(limiter.hit('a', 30)).toBeUndefined();
    expect(limiter.hit('c', 30)).toBe(60);
    expect(limiter.size).toBe(3);
  });

  it('stays bounded and fast under a flood of distinct keys', () => {
    const limiter = new RateLimiter(10, 1000);
    const started = performance.now();
    for (let index = 0; index < 200_000; index += 1) limiter.hit(`key-${index}`, index);
    expect(limiter.size).toBe(1000);
    // Linear work: a sweep of the map per new key would take minutes here.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('client keys', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2'],
    ['2001:db8:1:2::99', '2001:db8:1:2'],
    ['2001:DB8:0001:0002:ffff::1', '2001:db8:1:2'],
    ['::1', '0:0:0:0'],
    [undefined, 'unknown'],
  ])('%s counts as %s (an IPv6 client holds its whole /64)', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
