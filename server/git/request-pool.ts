/**
 * At most `max` Git requests at once (each runs git upload-pack or receive-pack and the 1–2 git processes it
 * starts), and at most half of them for one user, so that one PAT holder cannot take every place;
 * the rest wait their turn, for `maxWaitMs` at most. Also knows what is running, so a shutdown can
 * let it finish.
 */
export class GitRequestPool {
  private running = 0;
  private readonly byUser = new Map<string, number>();
  private readonly waiting: Array<{ user: string; take: () => void }> = [];
  private readonly active = new Set<Promise<unknown>>();
  private readonly perUser: number;

  constructor(
    private readonly max: number,
    private readonly maxWaitMs: number,
  ) {
    this.perUser = Math.max(1, Math.floor(max / 2));
  }

  /** Runs `work` for `user` when a place is free to them; undefined when none came free in time. */
  async run<T>(user: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.fits(user)) this.reserve(user);
    else if (!(await this.waitForPlace(user))) return undefined;
    const done = work();
    this.active.add(done);
    try {
      return { value: await done };
    } finally {
      this.active.delete(done);
      this.release(user);
    }
  }

  private fits(user: string) {
    return this.running < this.max && (this.byUser.get(user) ?? 0) < this.perUser;
  }

  private reserve(user: string) {
    this.running += 1;
    this.byUser.set(user, (this.byUser.get(user) ?? 0) + 1);
  }

  private release(user: string) {
    this.running -= 1;
    const left = (this.byUser.get(user) ?? 1) - 1;
    if (left === 0) this.byUser.delete(user);
    else this.byUser.set(user, left);
    // The first in line whom a place now fits: a user at their share lets others pass.
    const next = this.waiting.findIndex((entry) => this.fits(entry.user));
    if (next >= 0) this.waiting.splice(next, 1)[0]?.take();
  }

  private waitForPlace(user: string): Promise<boolean> {
    return new Promise((resolve) => {
      const entry = {
        user,
        take: () => {
          clearTimeout(timer);
          this.reserve(user);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        resolve(false);
      }, this.maxWaitMs);
      this.waiting.push(entry);
    });
  }

  /** Resolves when everything running now has finished. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.active]);
  }
}
