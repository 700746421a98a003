/**
 * Live Tail (StartLiveTail): a session sends `sessionStart`, then every second a `sessionUpdate` with
 * the lines stored since the last one in its groups that pass its stream and pattern filters (an
 * empty array when there were none; at most 500, sampled evenly beyond that), until the client goes
 * away, the session has run three hours (`SessionTimeoutException`), reading the store fails
 * (`SessionStreamingException`) or the server stops. Sessions read the store, not this node's
 * memory, so a session sees lines written on every node sharing it.
 *
 * A session's states: `running` (a tick is scheduled or under way) → `ended` (no more events; the
 * stream is ended or destroyed). An update the client has not read in time is dropped, as CloudWatch
 * drops the oldest once its buffer is full.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { Clock, Timer } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { LogRepo, StoredLogLine } from '../../storage/store.js';
import type { FilterMatcher } from '../../telemetry/filter-pattern/index.js';
import { encodeEvent, encodeException } from '../../wire/eventstream.js';

export interface LiveTailRequest {
  /** Each group's store key and the identifier the client named it by (echoed in every event). */
  groups: readonly { key: string; identifier: string }[];
  logStreamNames?: readonly string[];
  logStreamNamePrefixes?: readonly string[];
  logEventFilterPattern?: string;
  match: FilterMatcher;
}

export interface LiveTailOptions {
  updateMs: number;
  maxSessionMs: number;
  maxEventsPerUpdate: number;
  /** Bytes of unread updates after which further updates are dropped. */
  maxBufferedBytes: number;
}

const DEFAULTS: LiveTailOptions = { updateMs: 1000, maxSessionMs: 3 * 3_600_000, maxEventsPerUpdate: 500, maxBufferedBytes: 8 * 1024 * 1024 };
const READ_PAGE = 1000;

interface TailEvent {
  logStreamName: string;
  logGroupIdentifier: string;
  message: string;
  timestamp: number;
  ingestionTime: number;
}

/** Every live session of this node, ended together when the server stops. */
export class LiveTails {
  private readonly sessions = new Set<LiveTailSession>();
  private readonly options: LiveTailOptions;

  constructor(
    private readonly repo: LogRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Partial<LiveTailOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Starts a session from the lines stored from now on; its encoded events are read from the stream returned. */
  async start(request: LiveTailRequest, requestId: string): Promise<Readable> {
    const from = await this.repo.lastLineId();
    const session = new LiveTailSession(request, from, this.repo, this.clock, this.logger, this.options, () => this.sessions.delete(session));
    this.sessions.add(session);
    session.begin(requestId);
    return session.events;
  }

  get active(): number {
    return this.sessions.size;
  }

  /** Ends every session (the server is stopping): each client's stream ends cleanly. */
  close(): void {
    for (const s of [...this.sessions]) s.end();
  }
}

class LiveTailSession {
  readonly events = new PassThrough();
  private state: 'running' | 'ended' = 'running';
  private timer: Timer | undefined;
  private readonly cursors = new Map<string, number>();
  private readonly endsAt: number;

  constructor(
    private readonly request: LiveTailRequest,
    from: number,
    private readonly repo: LogRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: LiveTailOptions,
    private readonly onEnded: () => void,
  ) {
    for (const g of request.groups) this.cursors.set(g.key, from);
    this.endsAt = clock.now() + options.maxSessionMs;
    // The client went away (or the connection was cut): no more reads.
    this.events.on('close', () => this.stop());
  }

  begin(requestId: string): void {
    const r = this.request;
    this.write('sessionStart', {
      requestId,
      sessionId: randomUUID(),
      logGroupIdentifiers: r.groups.map((g) => g.identifier),
      ...(r.logStreamNames ? { logStreamNames: r.logStreamNames } : {}),
      ...(r.logStreamNamePrefixes ? { logStreamNamePrefixes: r.logStreamNamePrefixes } : {}),
      ...(r.logEventFilterPattern !== undefined ? { logEventFilterPattern: r.logEventFilterPattern } : {}),
    });
    this.schedule();
  }

  end(): void {
    if (this.state === 'ended') return;
    this.stop();
    this.events.end();
  }

  private stop(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.timer?.cancel();
    this.timer = undefined;
    this.onEnded();
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => void this.tick(), this.options.updateMs);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.state !== 'running') return;
    if (this.clock.now() >= this.endsAt) return this.fail('SessionTimeoutException', 'The session has timed out after three hours.');
    let lines: TailEvent[];
    try {
      lines = await this.read();
    } catch (err) {
      this.logger.warn('live tail could not read the log store', { error: (err as Error).message });
      return this.fail('SessionStreamingException', 'The session could not read the log events.');
    }
    if (this.state !== 'running') return;
    const sampled = lines.length > this.options.maxEventsPerUpdate;
    const results = sampled ? sample(lines, this.options.maxEventsPerUpdate) : lines;
    if (this.events.writableLength <= this.options.maxBufferedBytes) this.write('sessionUpdate', { sessionMetadata: { sampled }, sessionResults: results });
    this.schedule();
  }

  /** The lines stored since the last read, in every group, that pass the filters. */
  private async read(): Promise<TailEvent[]> {
    const out: TailEvent[] = [];
    for (const group of this.request.groups) {
      for (;;) {
        const afterId = this.cursors.get(group.key)!;
        const page = await this.repo.query({ functionName: group.key, afterId, limit: READ_PAGE });
        for (const line of page) if (this.passes(line)) out.push(toEvent(group.identifier, line));
        if (page.length > 0) this.cursors.set(group.key, page[page.length - 1]!.id);
        if (page.length < READ_PAGE) break;
      }
    }
    return out;
  }

  private passes(line: StoredLogLine): boolean {
    const { logStreamNames: names, logStreamNamePrefixes: prefixes } = this.request;
    if (names && !names.includes(line.stream)) return false;
    if (prefixes && !prefixes.some((p) => line.stream.startsWith(p))) return false;
    return this.request.match(line.message);
  }

  private fail(exceptionType: string, message: string): void {
    if (this.state !== 'running') return;
    this.stop();
    this.events.end(encodeException(exceptionType, message));
  }

  private write(eventType: string, payload: object): void {
    this.events.write(encodeEvent(eventType, Buffer.from(JSON.stringify(payload)), 'application/json'));
  }
}

function toEvent(identifier: string, line: StoredLogLine): TailEvent {
  return { logStreamName: line.stream, logGroupIdentifier: identifier, message: line.message, timestamp: line.timestamp, ingestionTime: line.ingestionTime };
}

/** `max` of `lines`, evenly spread, in order. */
function sample<T>(lines: readonly T[], max: number): T[] {
  const step = lines.length / max;
  return Array.from({ length: max }, (_, i) => lines[Math.floor(i * step)]!);
}
