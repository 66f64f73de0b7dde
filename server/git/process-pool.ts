/**
 * At most `max` git processes at once; the rest wait their turn, for `maxWaitMs` at most. Also
 * knows what is running, so a shutdown can let it finish.
 */
export class GitProcessPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly active = new Set<Promise<unknown>>();

  constructor(
    private readonly max: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Runs `work` when a place is free; undefined when none came free in time. */
  async run<T>(work: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.running >= this.max && !(await this.waitForPlace())) return undefined;
    this.running += 1;
    const done = work();
    this.active.add(done);
    try {
      return { value: await done };
    } finally {
      this.active.delete(done);
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  private waitForPlace(): Promise<boolean> {
    return new Promise((resolve) => {
      const take = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        resolve(false);
      }, this.maxWaitMs);
      this.waiting.push(take);
    });
  }

  /** Resolves when everything running now has finished. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.active]);
  }
}
