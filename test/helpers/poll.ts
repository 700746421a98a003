/** Waiting in tests for a condition rather than a time: the probe is asked again every 200 ms until it holds. */
import assert from 'node:assert/strict';

/** Resolves with the first probed value `ok` accepts; fails naming `what` and the last value seen after `deadlineMs`. */
export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, deadlineMs = 90_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what}; last seen: ${JSON.stringify(last)}`);
}
