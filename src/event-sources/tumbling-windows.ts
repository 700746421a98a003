/**
 * Tumbling windows (TumblingWindowInSeconds): a shard's records are grouped into fixed windows of
 * their arrival time; each invocation of a window gets the state the previous one returned, and once
 * the window is over a last invocation with no records and `isFinalInvokeForWindow` gets the final
 * state. The state lives in memory: a restart begins the open window's state anew.
 */
export interface WindowState {
  start: number;
  end: number;
  state: unknown;
}

export const windowOf = (at: number, seconds: number): { start: number; end: number } => {
  const size = seconds * 1000;
  const start = Math.floor(at / size) * size;
  return { start, end: start + size };
};

/** The event of an invocation in a window: Lambda's fields around the records. */
export function windowEvent(records: unknown[], w: WindowState, shardId: string, streamArn: string, final: boolean): Record<string, unknown> {
  return {
    Records: records,
    window: { start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() },
    state: w.state,
    shardId,
    eventSourceARN: streamArn,
    isFinalInvokeForWindow: final,
    isWindowTerminatedEarly: false,
  };
}

/** The state a function returned (`{"state": {...}}`), or the previous one when it returned none. */
export function returnedState(payload: Buffer, previous: unknown): unknown {
  try {
    const v = JSON.parse(payload.toString('utf8')) as { state?: unknown } | null;
    return v && typeof v === 'object' && 'state' in v ? v.state : previous;
  } catch {
    return previous;
  }
}
