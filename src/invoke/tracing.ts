/**
 * The trace an invocation runs in, as Lambda decides it: an upstream trace (from the caller's
 * X-Amzn-Trace-Id, an async event or a queue message's AWSTraceHeader) is continued with a new
 * parent segment; its sampling decision is followed; without one, a function with TracingConfig
 * Active samples the first request each second and 5% of the rest, and PassThrough never samples.
 * Each invocation counts itself in the trace's lineage, which is how recursive loops are found.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import { randomHex } from '../lib/ids.js';
import { memoByString } from '../lib/memo.js';
import { formatTraceHeader, parseTraceHeader, type TraceHeader } from '../wire/trace-header.js';

export type TracingMode = 'Active' | 'PassThrough';

/** Invocations of one function along one trace past which Lambda stops a recursive loop. */
export const RECURSION_LIMIT = 16;

export interface InvocationTrace {
  /** The header the runtime receives (Lambda-Runtime-Trace-Id, then _X_AMZN_TRACE_ID). */
  header: string;
  /** How many times this function has been invoked along this trace, this invocation included. */
  depth: number;
}

export class Tracer {
  private second = -1;
  private reservoirUsed = false;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  forInvocation(functionArn: string, mode: TracingMode, upstream: string | undefined): InvocationTrace {
    const parsed = parseTraceHeader(upstream);
    const now = this.clock.now();
    const header: TraceHeader = parsed ?? { root: newRoot(now) };
    header.parent = randomHex(8); // 8 bytes: 16 hex digits
    header.sampled = parsed?.sampled === '0' || parsed?.sampled === '1' ? parsed.sampled : this.sample(mode, now) ? '1' : '0';
    const lineage = new Map(parsed?.lineage ?? []);
    const key = lineageKey(functionArn);
    const depth = (lineage.get(key) ?? 0) + 1;
    lineage.set(key, depth);
    header.lineage = lineage;
    return { header: formatTraceHeader(header), depth };
  }

  /** X-Ray's default rule: one request a second, then 5% of the rest. */
  private sample(mode: TracingMode, now: number): boolean {
    if (mode !== 'Active') return false;
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.reservoirUsed = false;
    }
    if (!this.reservoirUsed) {
      this.reservoirUsed = true;
      return true;
    }
    return this.random() < 0.05;
  }
}

function newRoot(nowMs: number): string {
  return `1-${Math.floor(nowMs / 1000).toString(16).padStart(8, '0')}-${randomHex(12)}`;
}

/** A function's short, stable name in the lineage: its unqualified ARN, hashed (remembered by the ARN as given). */
const lineageKey = memoByString((functionArn: string): string => {
  const unqualified = functionArn.split(':').slice(0, 7).join(':');
  return createHash('sha256').update(unqualified).digest('hex').slice(0, 8);
});
