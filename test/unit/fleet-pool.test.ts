import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeRecord } from '../../src/domain/fleet.js';
import { FleetPool } from '../../src/fleet/fleet-pool.js';
import { splitProvisioned } from '../../src/fleet/provisioned-spread.js';
import { ConcurrencyLimiter, type ConcurrencyLease } from '../../src/invoke/concurrency.js';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';

/** The store's pool shares in memory: grants what the other holders leave of the limit, counts round trips. */
class Shares {
  readonly held = new Map<string, number>();
  trips = 0;
  async resizePoolShare(holder: string, want: number, limit: number): Promise<number> {
    this.trips++;
    let others = 0;
    for (const [h, n] of this.held) if (h !== holder) others += n;
    const granted = Math.max(0, Math.min(want, limit - others));
    this.held.set(holder, granted);
    return granted;
  }
}

const DEAD_AFTER = 3000;

function node(shares: Shares, clock: ManualClock, id: string, limit: number) {
  const limiter = new ConcurrencyLimiter(limit);
  let beat = clock.now();
  const pool = new FleetPool(shares, id, DEAD_AFTER, clock, silentLogger, limiter, () => beat);
  limiter.drawFrom(pool);
  /** What the invoker does: one round trip when the share is used up, then takes a slot or is refused. */
  const acquire = async (): Promise<ConcurrencyLease | string> => {
    if (!limiter.hasUnreservedRoom()) await pool.grow();
    try {
      return limiter.acquire('f', null);
    } catch (err) {
      return (err as { fields?: { Reason?: string } }).fields?.Reason ?? String(err);
    }
  };
  return { limiter, pool, acquire, beatNow: () => (beat = clock.now()) };
}

const leases = (xs: (ConcurrencyLease | string)[]) => xs.filter((x): x is ConcurrencyLease => typeof x !== 'string');

describe('a fleet node\'s share of the unreserved pool', () => {
  it('asks the store once for those short at once, then runs on its share with no round trip', async () => {
    const shares = new Shares();
    const clock = new ManualClock(10_000);
    const a = node(shares, clock, 'a', 4);
    const first = await Promise.all([a.acquire(), a.acquire(), a.acquire()]);
    assert.equal(leases(first).length, 3);
    assert.ok(shares.trips <= 2, `round trips: ${shares.trips}`);
    const trips = shares.trips;
    leases(first)[0]!.release();
    assert.equal(leases([await a.acquire()]).length, 1, 'room in the share');
    assert.equal(shares.trips, trips, 'no round trip while the share has room');
  });

  it('never lets the nodes run more than the limit; a node gives back what it did not use since the last trim', async () => {
    const shares = new Shares();
    const clock = new ManualClock(10_000);
    const a = node(shares, clock, 'a', 4);
    const b = node(shares, clock, 'b', 4);
    const ran = await Promise.all([...Array.from({ length: 5 }, () => a.acquire()), ...Array.from({ length: 5 }, () => b.acquire())]);
    assert.equal(leases(ran).length, 4);
    assert.ok(ran.filter((x) => typeof x === 'string').every((x) => x === 'ConcurrentInvocationLimitExceeded'));
    for (const l of leases(ran)) l.release();

    // Nothing ran since: two trims (the first still sees the peak) give everything back.
    await a.pool.trim();
    await b.pool.trim();
    await a.pool.trim();
    await b.pool.trim();
    assert.deepEqual([...shares.held.values()], [0, 0]);
    const alone = await Promise.all(Array.from({ length: 6 }, () => a.acquire()));
    assert.equal(leases(alone).length, 4, 'one node alone takes the whole pool');
    assert.equal(a.pool.held, 4);
  });

  it('stops using its share once the others could see it dead', async () => {
    const shares = new Shares();
    const clock = new ManualClock(10_000);
    const a = node(shares, clock, 'a', 4);
    const held = await a.acquire();
    assert.equal(typeof held, 'object');
    clock.advance(DEAD_AFTER);
    assert.equal(a.limiter.hasUnreservedRoom(), false, 'its last heartbeat is a dead-after time old');
    assert.equal(await a.acquire(), 'ConcurrentInvocationLimitExceeded');
    a.beatNow();
    assert.equal(typeof (await a.acquire()), 'object');
  });
});

describe('provisioned environments split over the live nodes', () => {
  const n = (id: string, maxEnvironments = 64): NodeRecord => ({ id, advertise: '', startedAt: 0, heartbeatAt: 0, capacity: { memoryMb: 1024, maxEnvironments }, load: { environments: 0, inFlight: 0 } });
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  it('gives each node its part, the same whatever order the nodes are read in', () => {
    const three = splitProvisioned('f:1', 3, [n('c'), n('a'), n('b')]);
    assert.deepEqual([...three.values()], [1, 1, 1]);
    const seven = splitProvisioned('f:1', 7, [n('a'), n('b'), n('c')]);
    assert.equal(sum(seven), 7);
    assert.deepEqual([...seven.values()].sort(), [2, 2, 3]);
    assert.deepEqual(splitProvisioned('f:1', 7, [n('c'), n('b'), n('a')]), seven);
  });

  it('puts none past a node\'s environment limit; what none can hold stays unallocated', () => {
    const split = splitProvisioned('f:1', 6, [n('a', 1), n('b', 10)]);
    assert.equal(split.get('a'), 1);
    assert.equal(split.get('b'), 5);
    assert.equal(sum(splitProvisioned('f:1', 9, [n('a', 2), n('b', 3)])), 5);
    assert.equal(sum(splitProvisioned('f:1', 3, [])), 0);
  });
});
