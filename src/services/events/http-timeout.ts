/** One HTTP request of EventBridge's, abandoned after its timeout on the injected clock (5 s, as API destinations). */
import type { Clock } from '../../lib/clock.js';

export const INVOCATION_TIMEOUT_MS = 5000;

export async function requestWithTimeout(url: URL, init: { method: string; headers: Record<string, string>; body: string | undefined }, clock: Clock, timeoutMs = INVOCATION_TIMEOUT_MS): Promise<Response> {
  const abort = new AbortController();
  const timer = clock.setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const res = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: abort.signal, redirect: 'manual' });
    // Read before the timer is cancelled, so that a stalled body also times out.
    const text = await res.text();
    return new Response([204, 205, 304].includes(res.status) ? null : text, { status: res.status, statusText: res.statusText, headers: res.headers });
  } finally {
    timer.cancel();
  }
}
