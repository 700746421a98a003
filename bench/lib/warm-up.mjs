// Warming a load target up before it is measured (bench/invoke.mjs, bench/peers-invoke.mjs).
import autocannon from 'autocannon';

/** Warm-up: rounds of this many seconds, until each connection has made WARM_INVOCATIONS requests or WARM_MAX_SECONDS passed. */
export const WARM_ROUND_SECONDS = 2;
const WARM_INVOCATIONS = 5000;
const WARM_MAX_SECONDS = 30;
/** Targets (URL and connections) warmed already: their environments stay warm between the measures of one run. */
const warmed = new Set();

/**
 * Warms a target as a steady load would: each environment is a process of its own whose JIT optimises
 * the runtime's per-invocation code only after some thousands of invocations, so sixteen new
 * environments at c=16, taking ~150 invocations each a second, are measured in V8's baseline tier
 * if measured at once (on this machine 2,400 req/s after 4 s, 3,900 after 10 s, 5,800 after 20 s).
 * The first measure of a target waits until each connection (one environment each in default mode)
 * has made WARM_INVOCATIONS requests, at most WARM_MAX_SECONDS; the floor and the bare server get the
 * same. The rates of the rounds are kept with the figure: they show the warm-up itself.
 */
export async function warmUp(opts) {
  const key = `${opts.url} ${opts.connections}`;
  if (warmed.has(key)) {
    await autocannon({ ...opts, duration: 1 });
    return [];
  }
  warmed.add(key);
  const rates = [];
  let requests = 0;
  for (let spent = 0; spent < WARM_MAX_SECONDS && requests < WARM_INVOCATIONS * opts.connections; spent += WARM_ROUND_SECONDS) {
    const r = await autocannon({ ...opts, duration: WARM_ROUND_SECONDS });
    rates.push(Math.round(r.requests.average));
    requests += r.requests.total;
  }
  return rates;
}
