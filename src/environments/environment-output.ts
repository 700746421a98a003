/**
 * Where an environment's output goes, as on Lambda: a line belongs to the invocation running when it
 * was written, to the init record while the runtime initialises, and otherwise straight to the
 * environment's log stream. Resolved secrets are masked in everything stored and in the log tail.
 */
import type { Clock } from '../lib/clock.js';
import type { LogSink } from '../telemetry/log-sink.js';
import { maskingSink, maskLine } from '../telemetry/log-masking.js';
import type { Active } from './active-invocation.js';
import type { InitRecord } from './init-record.js';
import type { InvocationLog } from './invocation-log.js';

export class EnvironmentOutput {
  /** The log stream's name: `YYYY/MM/DD/[version]id`, as Lambda names them. */
  readonly stream: string;
  private readonly sink: LogSink;

  constructor(
    private readonly groupKey: string,
    streamPrefix: string,
    version: string,
    envId: string,
    sink: LogSink,
    private readonly mask: readonly string[],
    private readonly clock: Clock,
  ) {
    const d = new Date(clock.now());
    const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    this.stream = `${day}/${streamPrefix}[${version}]${envId}`;
    this.sink = maskingSink(sink, mask);
  }

  /** A line the runtime wrote: to `owner`'s log if an invocation owns it, else to init's record while it lasts, else to the stream. */
  line(line: string, owner: Active | undefined, init: InitRecord): void {
    const now = this.clock.now();
    if (owner) owner.log.add(now, line);
    else if (!init.add(now, line)) this.sink.append({ functionName: this.groupKey, stream: this.stream, requestId: null, lines: [{ timestamp: now, message: line }] });
  }

  /** One of the platform's lines (START, END, REPORT), when its log level lets it through. */
  platformLine(log: InvocationLog, line: string | undefined): void {
    if (line !== undefined) log.add(this.clock.now(), line);
  }

  /** Output of a successful init belongs to the stream, before the first START, as on Lambda. */
  flushInit(init: InitRecord): void {
    const lines = init.takeLines();
    if (lines.length > 0) this.sink.append({ functionName: this.groupKey, stream: this.stream, requestId: null, lines });
  }

  /** An ended invocation's lines go to the stream; the tail a caller may ask for (LogResult) is masked as they are. */
  closeInvocation(a: Active): string[] {
    this.sink.append({ functionName: this.groupKey, stream: this.stream, requestId: a.req.requestId, lines: a.log.lines });
    return a.log.lines.map((l) => maskLine(l.message, this.mask));
  }
}
