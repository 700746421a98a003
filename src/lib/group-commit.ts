/**
 * Group commit: items from concurrent requests that arrive in the same turn of the event loop are
 * written together (one transaction), and each request is answered only once its item is written.
 * With `maxInFlight`, no more than that many writes run at once: items arriving meanwhile wait and
 * go together in the next write, so a busy store gets fewer, larger writes instead of more round trips.
 */
interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(err: unknown): void;
}

export class GroupCommit<I, O> {
  private pending: Pending<I, O>[] = [];
  private scheduled: Promise<void> | undefined;
  private inFlight = 0;

  /** `write` stores a batch and returns one result per item, in order. */
  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly maxInFlight = Infinity,
  ) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight >= this.maxInFlight) return; // the write in flight schedules the next when it ends
    this.scheduled ??= new Promise<void>((done) => setImmediate(done)).then(() => this.flush());
  }

  /** Writes whatever is pending now. */
  async flush(): Promise<void> {
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.inFlight++;
    try {
      const results = await this.write(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.inFlight--;
      if (this.pending.length > 0) this.schedule();
    }
  }
}
