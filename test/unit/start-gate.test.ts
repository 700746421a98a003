import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/lib/clock.js';
import { StartGate, type StartPermit } from '../../src/environments/start-gate.js';

/** Asks for `n` starts; returns the permits granted so far (granting is synchronous with the pump, resolution a microtask later). */
async function ask(gate: StartGate, n: number): Promise<StartPermit[]> {
  const granted: StartPermit[] = [];
  for (let i = 0; i < n; i++) void gate.acquire('invoke').granted.then((p) => granted.push(p));
  await Promise.resolve();
  return granted;
}
const settle = () => new Promise((r) => setImmediate(r));

describe('the start gate', () => {
  it('holds starts at the fixed bound when it does not adapt', async () => {
    const gate = new StartGate(2, 100);
    const granted = await ask(gate, 5);
    await settle();
    assert.equal(granted.length, 2);
    granted[0]!.initialised();
    await settle();
    assert.equal(granted.length, 3);
    assert.deepEqual(gate.counts, { starting: 2, limit: 2, live: 3, waiting: 2 });
  });

  it('holds background starts while an invocation\'s environment initialises, and lets them go once none does', async () => {
    const gate = new StartGate(4, 100);
    const order: string[] = [];
    const take = (priority: 'invoke' | 'background', name: string) => gate.acquire(priority).granted.then((p) => (order.push(name), p));
    const cold = take('invoke', 'cold start');
    const prestart = take('background', 'pre-start');
    await settle();
    assert.deepEqual(order, ['cold start'], 'the pre-start waits though the bound has room');
    const second = take('invoke', 'second cold start');
    await settle();
    assert.deepEqual(order, ['cold start', 'second cold start'], 'invocations still go first');
    (await cold).initialised();
    await settle();
    assert.equal(order.length, 2, 'one invocation start is still initialising');
    (await second).ended(); // failed to start: its slot ends with it
    await settle();
    assert.deepEqual(order, ['cold start', 'second cold start', 'pre-start']);
    // A background start holds nothing back from the next invocation.
    (await prestart);
    const third = take('invoke', 'third cold start');
    await settle();
    assert.equal(order[3], 'third cold start');
    assert.deepEqual(gate.counts, { starting: 2, limit: 4, live: 3, waiting: 0 });
    (await third).initialised();
  });

  it('holds background starts until an invocation\'s environment has answered its first invocation, or a while after its init', async () => {
    const clock = new ManualClock();
    const gate = new StartGate(4, 100, undefined, { ms: 100, clock });
    const order: string[] = [];
    const take = (priority: 'invoke' | 'background', name: string) => gate.acquire(priority).granted.then((p) => (order.push(name), p));
    const cold = take('invoke', 'cold start');
    void take('background', 'pre-start');
    await settle();
    (await cold).initialised();
    clock.advance(60);
    await settle();
    assert.deepEqual(order, ['cold start'], 'held while its first invocation runs');
    (await cold).settled();
    await settle();
    assert.deepEqual(order, ['cold start', 'pre-start'], 'let go once it answered');

    // An environment that never settles (a long first invocation) holds background starts 100 ms after its init.
    const long = take('invoke', 'long first invocation');
    void take('background', 'second pre-start');
    await settle();
    (await long).initialised();
    clock.advance(99);
    await settle();
    assert.equal(order.length, 3, 'held 99 ms after the init');
    clock.advance(1);
    await settle();
    assert.deepEqual(order, ['cold start', 'pre-start', 'long first invocation', 'second pre-start']);
    // Settling later, or twice, changes nothing.
    (await long).settled();
    (await cold).settled();
    assert.deepEqual(gate.counts, { starting: 2, limit: 4, live: 4, waiting: 0 }, 'the two pre-starts still start');
  });

  it('lets background starts go when an invocation\'s environment dies before settling', async () => {
    const clock = new ManualClock();
    const gate = new StartGate(4, 100, undefined, { ms: 100, clock });
    const order: string[] = [];
    const cold = gate.acquire('invoke').granted.then((p) => (order.push('cold start'), p));
    void gate.acquire('background').granted.then(() => order.push('pre-start'));
    await settle();
    (await cold).ended();
    await settle();
    assert.deepEqual(order, ['cold start', 'pre-start']);
  });

  it('raises the bound one start at a time while starts wait and the CPUs have room, up to its ceiling', async () => {
    const clock = new ManualClock();
    let idle = 0.5;
    const gate = new StartGate(2, 100, { ceiling: 4, idleSinceLast: () => idle, clock, intervalMs: 100 });
    const granted = await ask(gate, 10);
    await settle();
    assert.equal(granted.length, 2);
    clock.advance(100);
    await settle();
    assert.equal(granted.length, 3, 'one more while half the CPU is idle');
    clock.advance(100);
    await settle();
    assert.equal(granted.length, 4);
    clock.advance(100);
    await settle();
    assert.equal(granted.length, 4, 'never past the ceiling');
    assert.equal(gate.counts.limit, 4);

    // Busy CPUs: the bound steps back down, and starts in progress finish before new ones begin.
    idle = 0.01;
    clock.advance(100);
    clock.advance(100);
    await settle();
    assert.equal(gate.counts.limit, 2);
    granted[0]!.initialised();
    granted[1]!.initialised();
    await settle();
    assert.equal(granted.length, 4, 'two of four still start: no room for a third');
    granted[2]!.initialised();
    await settle();
    assert.equal(granted.length, 5);
  });

  it('keeps the bound where it is while the machine is neither idle nor saturated, and returns to it once nothing waits', async () => {
    const clock = new ManualClock();
    let idle: number | undefined = 0.1;
    const gate = new StartGate(2, 100, { ceiling: 4, idleSinceLast: () => idle, clock, intervalMs: 100 });
    const granted = await ask(gate, 3);
    for (let i = 0; i < 5; i++) clock.advance(100);
    await settle();
    assert.equal(granted.length, 2);
    idle = 0.9;
    clock.advance(100);
    await settle();
    assert.equal(granted.length, 3);
    assert.equal(gate.counts.limit, 3);
    clock.advance(100);
    assert.equal(gate.counts.limit, 2, 'nothing waits: back to the base bound');
    // Without a measure of the CPUs, it does not move.
    idle = undefined;
    const more = await ask(gate, 3);
    for (let i = 0; i < 5; i++) clock.advance(100);
    await settle();
    assert.equal(more.length, 0);
    assert.equal(gate.counts.limit, 2);
  });

  it('never rises without a measure of the CPUs (no /proc/stat), however long starts wait', async () => {
    const clock = new ManualClock();
    let asked = 0;
    const gate = new StartGate(2, 100, { ceiling: 4, idleSinceLast: () => (asked++, undefined), clock, intervalMs: 100 });
    const granted = await ask(gate, 6);
    for (let i = 0; i < 10; i++) {
      clock.advance(100);
      await settle();
    }
    assert.ok(asked > 0, 'the gate asked for a measure');
    assert.equal(granted.length, 2);
    assert.equal(gate.counts.limit, 2);
  });
});
