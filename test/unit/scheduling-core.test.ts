/** The scheduling core on a clock the test moves, with an in-memory state store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { parseExpression } from '../../src/schedules/expression.js';
import { SchedulingCore, type ScheduleJob } from '../../src/schedules/scheduling-core.js';
import type { ScheduleState, ScheduleStateRepo } from '../../src/storage/store.js';

class MemoryStates implements ScheduleStateRepo {
  readonly rows = new Map<string, ScheduleState>();
  async get(key: string) {
    const r = this.rows.get(key);
    return r && { ...r };
  }
  async claim(key: string, occurrence: number, skipped: boolean) {
    const r = this.rows.get(key);
    if (r && r.lastOccurrence >= occurrence) return false;
    this.rows.set(key, { key, lastOccurrence: occurrence, lastResult: r?.lastResult ?? null, fired: (r?.fired ?? 0) + (skipped ? 0 : 1), skipped: (r?.skipped ?? 0) + (skipped ? 1 : 0) });
    return true;
  }
  async claimMany(claims: readonly { key: string; occurrence: number }[]) {
    const won = new Set<string>();
    for (const c of claims) if (await this.claim(c.key, c.occurrence, false)) won.add(c.key);
    return won;
  }
  async setResults(results: readonly { key: string; result: string }[]) {
    for (const { key, result } of results) {
      const r = this.rows.get(key);
      if (r) r.lastResult = result;
    }
  }
  async delete(key: string) {
    this.rows.delete(key);
  }
}

const MINUTE = 60_000;
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function job(fired: number[], over: Partial<ScheduleJob> & Pick<ScheduleJob, 'expression'>): ScheduleJob {
  return { key: 'k', zone: 'UTC', anchor: 0, flexibleWindowMs: 0, fire: async (occ) => (fired.push(occ), 'ok'), ...over };
}

describe('the scheduling core', () => {
  it('fires rate(1 minute) once a minute on the clock, and records each occurrence', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const states = new MemoryStates();
    const core = new SchedulingCore(states, clock, silentLogger);
    core.start();
    const fired: number[] = [];
    const t0 = clock.now();
    await core.add(job(fired, { expression: parseExpression('rate(1 minute)', { allowAt: false }), anchor: t0 }));
    assert.equal(core.nextFireTime('k'), t0 + MINUTE);
    for (let i = 0; i < 3; i++) {
      clock.advance(MINUTE);
      await settle();
    }
    assert.deepEqual(fired, [t0 + MINUTE, t0 + 2 * MINUTE, t0 + 3 * MINUTE]);
    assert.deepEqual(await states.get('k'), { key: 'k', lastOccurrence: t0 + 3 * MINUTE, lastResult: 'ok', fired: 3, skipped: 0 });
    await core.stop();
  });

  it('across a restart: nothing fires twice; occurrences missed while down are skipped, or fired once within the flexible window', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const states = new MemoryStates();
    const t0 = clock.now();
    const fired: number[] = [];
    const expression = parseExpression('rate(1 minute)', { allowAt: false });
    let core = new SchedulingCore(states, clock, silentLogger);
    core.start();
    await core.add(job(fired, { expression, anchor: t0 }));
    clock.advance(MINUTE);
    await settle();
    await core.stop();
    // Down for 3.5 minutes: occurrences at 2, 3 and 4 minutes are missed.
    clock.advance(3.5 * MINUTE);
    core = new SchedulingCore(states, clock, silentLogger);
    core.start();
    await core.add(job(fired, { expression, anchor: t0 }));
    assert.deepEqual(fired, [t0 + MINUTE]);
    assert.equal((await states.get('k'))!.skipped, 3);
    assert.equal(core.nextFireTime('k'), t0 + 5 * MINUTE);
    await core.stop();

    // With a 5-minute flexible window, the latest missed occurrence fires once at start.
    clock.advance(2 * MINUTE); // now 6.5 min: 5 and 6 missed
    const flexible = new SchedulingCore(states, clock, silentLogger);
    flexible.start();
    await flexible.add(job(fired, { expression, anchor: t0, flexibleWindowMs: 5 * MINUTE }));
    await settle();
    clock.advance(0);
    await settle();
    assert.deepEqual(fired, [t0 + MINUTE, t0 + 6 * MINUTE]);
    assert.equal((await states.get('k'))!.skipped, 4);
    await flexible.stop();
  });

  it("cron() in a zone across daylight saving: the skipped hour does not fire, the repeated hour fires once", async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 7, 12)); // 2026-03-07, the day before US clocks spring forward
    const core = new SchedulingCore(new MemoryStates(), clock, silentLogger);
    core.start();
    const daily: number[] = [];
    const halfHourly: number[] = [];
    await core.add(job(daily, { key: 'daily', expression: parseExpression('cron(30 2 * * ? *)', { allowAt: false }), zone: 'America/New_York', anchor: clock.now() }));
    await core.add(job(halfHourly, { key: 'half-hourly', expression: parseExpression('cron(0/30 1 * * ? *)', { allowAt: false }), zone: 'America/New_York', anchor: clock.now() }));
    for (let h = 0; h < 24 * 3; h++) {
      clock.advance(3_600_000);
      await settle();
    }
    const iso = (t: number) => new Date(t).toISOString();
    // 02:30 does not exist on 2026-03-08 in New York: no run that day, and 06:30Z (EDT) after.
    assert.deepEqual(daily.map(iso), ['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
    assert.deepEqual(halfHourly.map(iso), ['2026-03-08T06:00:00.000Z', '2026-03-08T06:30:00.000Z', '2026-03-09T05:00:00.000Z', '2026-03-09T05:30:00.000Z', '2026-03-10T05:00:00.000Z', '2026-03-10T05:30:00.000Z']);
    await core.stop();

    // Fall back on 2026-11-01: 01:00 and 01:30 happen twice on the wall clock, and fire once.
    const fall = new ManualClock(Date.UTC(2026, 10, 1, 0));
    const core2 = new SchedulingCore(new MemoryStates(), fall, silentLogger);
    core2.start();
    const fallFired: number[] = [];
    await core2.add(job(fallFired, { expression: parseExpression('cron(0/30 1 * * ? *)', { allowAt: false }), zone: 'America/New_York', anchor: fall.now() }));
    for (let h = 0; h < 12; h++) {
      fall.advance(3_600_000);
      await settle();
    }
    assert.deepEqual(fallFired.map(iso), ['2026-11-01T05:00:00.000Z', '2026-11-01T05:30:00.000Z']);
    await core2.stop();
  });

  it('rate(n days) counts 24-hour periods, even across a daylight-saving change in its zone', async () => {
    // Noon in New York on 2026-03-07, the day before clocks spring forward.
    const clock = new ManualClock(Date.UTC(2026, 2, 7, 17));
    const core = new SchedulingCore(new MemoryStates(), clock, silentLogger);
    core.start();
    const fired: number[] = [];
    await core.add(job(fired, { expression: parseExpression('rate(1 day)', { allowAt: false }), zone: 'America/New_York', anchor: clock.now() }));
    for (let h = 0; h < 72; h++) {
      clock.advance(3_600_000);
      await settle();
    }
    // 24 hours apart in UTC: 12:00 EST, then 13:00 EDT on the wall clock.
    assert.deepEqual(fired.map((t) => new Date(t).toISOString()), ['2026-03-08T17:00:00.000Z', '2026-03-09T17:00:00.000Z', '2026-03-10T17:00:00.000Z']);
    await core.stop();
  });

  it('many occurrences due together: each fires once, earliest first, all claimed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const states = new MemoryStates();
    const core = new SchedulingCore(states, clock, silentLogger);
    core.start();
    const order: string[] = [];
    const due = clock.now() + MINUTE;
    // 300 schedules (several batches), spread over the second after `due`, added in reverse order.
    for (let i = 299; i >= 0; i--) {
      const key = `s${String(i).padStart(3, '0')}`;
      await core.add({ key, expression: parseExpression(`at(${new Date(due + i * 3).toISOString().slice(0, 19)})`, { allowAt: true }), zone: 'UTC', anchor: 0, flexibleWindowMs: 0, fire: async () => (order.push(key), 'ok') });
    }
    clock.advance(2 * MINUTE);
    for (let i = 0; i < 200 && order.length < 300; i++) await settle();
    assert.equal(order.length, 300);
    assert.equal(new Set(order).size, 300);
    // at() times are to the second: schedules of an earlier second never come after a later one.
    const seconds = order.map((k) => Math.floor((due + Number(k.slice(1)) * 3) / 1000));
    assert.deepEqual(seconds, [...seconds].sort((x, y) => x - y));
    assert.equal((await states.get('s299'))?.fired, 1);
    await core.stop();
  });

  it('at(): fires once in its zone, then completes; an end date stops a rate', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 8));
    const core = new SchedulingCore(new MemoryStates(), clock, silentLogger);
    core.start();
    const fired: number[] = [];
    let completed = 0;
    await core.add(job(fired, { key: 'once', expression: parseExpression('at(2026-06-01T10:30:00)', { allowAt: true }), zone: 'Europe/Paris', completed: async () => void completed++ }));
    await core.add(job(fired, { key: 'ends', expression: parseExpression('rate(30 minutes)', { allowAt: false }), anchor: clock.now(), endAt: clock.now() + 60 * MINUTE, completed: async () => void completed++ }));
    for (let i = 0; i < 8; i++) {
      clock.advance(30 * MINUTE);
      await settle();
    }
    assert.deepEqual(fired.map((t) => new Date(t).toISOString()), ['2026-06-01T08:30:00.000Z', '2026-06-01T08:30:00.000Z', '2026-06-01T09:00:00.000Z'].sort());
    assert.equal(completed, 2);
    assert.equal(core.nextFireTime('once'), undefined);
    await core.stop();
  });

  it('an occurrence weeks away (past the longest timer Node keeps) fires on time, waiting an hour at a time', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const core = new SchedulingCore(new MemoryStates(), clock, silentLogger);
    core.start();
    const fired: number[] = [];
    await core.add(job(fired, { expression: parseExpression('at(2026-02-15T00:00:00)', { allowAt: true }) }));
    for (let h = 0; h < 45 * 24 - 1; h++) clock.advance(3_600_000);
    await settle();
    assert.deepEqual(fired, []);
    clock.advance(3_600_000);
    await settle();
    assert.deepEqual(fired, [Date.UTC(2026, 1, 15)]);
    await core.stop();
  });
});
