/**
 * The invocations of one multi-concurrency environment (Lambda Managed Instances): up to `max` at
 * once, each delivered on its own `/next` long poll and answered by request id. An invocation
 * assigned while no poll is open waits here for the runtime's next one; a poll opened while no
 * invocation waits is kept until one comes.
 */

/** A `/next` long poll held open; false when the runtime's connection is gone. */
export type Poll = (headers: string, body: Buffer) => boolean;

/** Request ids answered lately, so a late answer is told "already answered" rather than "unknown". */
const REMEMBERED = 256;

export class ConcurrentSlots<T extends { req: { requestId: string } }> {
  /** Delivered to the runtime, by request id. */
  private readonly running = new Map<string, T>();
  /** Assigned, waiting for a poll, oldest first. */
  private readonly queued: T[] = [];
  private readonly polls: Poll[] = [];
  private readonly answered = new Set<string>();
  /** Answered, their log still open: output that raced the answer still belongs to them. */
  private readonly closing = new Map<string, T>();

  constructor(readonly max: number) {}

  /** Assigned and not yet answered. */
  get inFlight(): number {
    return this.running.size + this.queued.length;
  }

  get hasRoom(): boolean {
    return this.inFlight < this.max;
  }

  /** Takes an invocation; returns the poll to deliver it on now, if one is open (it is then running). */
  assign(a: T): Poll | undefined {
    const poll = this.polls.shift();
    if (poll) this.running.set(a.req.requestId, a);
    else this.queued.push(a);
    return poll;
  }

  /** A poll arrived: returns the waiting invocation to deliver on it now (it is then running), or keeps the poll. */
  poll(p: Poll): T | undefined {
    const a = this.queued.shift();
    if (a) this.running.set(a.req.requestId, a);
    else this.polls.push(p);
    return a;
  }

  /** The runtime closed a poll's connection. */
  withdraw(p: Poll): void {
    const i = this.polls.indexOf(p);
    if (i >= 0) this.polls.splice(i, 1);
  }

  /** A delivery failed (its poll's connection was gone): the invocation waits for another poll. */
  undeliver(a: T): Poll | undefined {
    this.running.delete(a.req.requestId);
    return this.assign(a);
  }

  /** The running invocation with this request id. */
  find(requestId: string): T | undefined {
    return this.running.get(requestId);
  }

  isOpen(a: T): boolean {
    return this.running.get(a.req.requestId) === a || this.queued.includes(a);
  }

  wasAnswered(requestId: string): boolean {
    return this.answered.has(requestId);
  }

  /** The invocation is answered (or ended by the platform): its slot is free. */
  finish(a: T): void {
    const id = a.req.requestId;
    if (this.running.get(id) === a) this.running.delete(id);
    else {
      const i = this.queued.indexOf(a);
      if (i >= 0) this.queued.splice(i, 1);
    }
    this.closing.set(id, a);
    this.answered.add(id);
    if (this.answered.size > REMEMBERED) this.answered.delete(this.answered.values().next().value!);
  }

  /** Its log is closed: later output belongs to the environment. */
  closed(a: T): void {
    if (this.closing.get(a.req.requestId) === a) this.closing.delete(a.req.requestId);
  }

  /** The invocation, running or closing, whose request id a runtime's log line names. */
  ownerOfLine(line: string): T | undefined {
    const known = (id: string) => this.running.get(id) ?? this.closing.get(id);
    const id = requestIdOfLine(line, (x) => known(x) !== undefined);
    return id === undefined ? undefined : known(id);
  }

  /** Every invocation not yet answered, running or waiting. */
  open(): T[] {
    return [...this.running.values(), ...this.queued];
  }

  dropPolls(): void {
    this.polls.length = 0;
  }
}

/**
 * The request id a runtime's log line names, among those running: Lambda's text lines carry it in
 * their first tab-separated fields (Node.js: `time id LEVEL`, Python: `[LEVEL] time id`), JSON
 * lines in `requestId`.
 */
export function requestIdOfLine(line: string, isRunning: (id: string) => boolean): string | undefined {
  if (line.startsWith('{')) {
    const m = /"requestId":\s*"([A-Za-z0-9-]{1,64})"/.exec(line);
    return m && isRunning(m[1]!) ? m[1] : undefined;
  }
  for (const field of line.split('\t', 3)) if (isRunning(field)) return field;
  return undefined;
}
