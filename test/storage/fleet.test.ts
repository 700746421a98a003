import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stateOf, type NodeRecord } from '../../src/domain/fleet.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const node = (id: string, at: number): NodeRecord => ({
  id,
  advertise: `http://127.0.0.1:${id.length + 9000}`,
  startedAt: at,
  heartbeatAt: at,
  capacity: { memoryMb: 4096, maxEnvironments: 64 },
  load: { environments: 0, inFlight: 0 },
});

describe(`fleet (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('records nodes, their heartbeats and clean stops; refuses a second live node of one id', async () => {
    const { fleet } = t().store;
    assert.equal(await fleet.join(node('a', 1000), 0), true);
    assert.equal(await fleet.join(node('b', 1000), 0), true);
    assert.equal(await fleet.join(node('a', 1500), 1000), false, 'a still beats');
    await fleet.heartbeat('a', 2000, { environments: 3, inFlight: 1 });
    let nodes = await fleet.nodes();
    assert.deepEqual(nodes.map((n) => [n.id, n.heartbeatAt, n.load.environments, n.load.inFlight]), [['a', 2000, 3, 1], ['b', 1000, 0, 0]]);
    assert.deepEqual(nodes.map((n) => stateOf(n, 2500, 1000)), ['alive', 'dead']);

    assert.equal(await fleet.join(node('b', 3000), 2000), true, 'b was silent: a new b takes its place');
    await fleet.leave('a', 3100);
    nodes = await fleet.nodes();
    assert.equal(nodes[0]!.stoppedAt, 3100);
    assert.equal(stateOf(nodes[0]!, 3100, 1000), 'stopped');
    assert.equal(await fleet.join(node('a', 3200), 3000), true, 'a stopped node of that id may start again');
    assert.equal((await fleet.nodes())[0]!.stoppedAt, undefined);

    assert.equal(await fleet.forget(2999), 0);
    assert.equal(await fleet.forget(3250), 2);
    assert.deepEqual(await fleet.nodes(), []);
  });

  it('gives a lease to one holder until it expires, renews it for its holder, releases it', async () => {
    const { fleet } = t().store;
    assert.equal(await fleet.acquire('alarms', 'a', 1000, 2000), true);
    assert.equal(await fleet.acquire('alarms', 'b', 1500, 2500), false, 'held by a');
    assert.equal(await fleet.acquire('alarms', 'a', 1500, 2500), true, 'renewed');
    assert.equal(await fleet.acquire('alarms', 'b', 2400, 3400), false, 'the renewal holds');
    assert.deepEqual(await fleet.leases(), [{ name: 'alarms', holder: 'a', expiresAt: 2500 }]);
    assert.equal(await fleet.acquire('alarms', 'b', 2500, 3500), true, 'expired: b takes it');
    assert.equal(await fleet.acquire('alarms', 'a', 2600, 3600), false);

    await fleet.release('alarms', 'a');
    assert.equal((await fleet.leases())[0]!.holder, 'b', 'only the holder releases');
    await fleet.acquire('schedules', 'b', 2600, 3600);
    await fleet.acquire('mappings', 'a', 2600, 3600);
    assert.equal(await fleet.releaseAll('b'), 2);
    assert.deepEqual((await fleet.leases()).map((l) => [l.name, l.holder]), [['mappings', 'a']]);
    await fleet.join(node('a', 2600), 0);
    await fleet.leave('a', 2700);
    assert.deepEqual(await fleet.leases(), [], 'a node that stops lets go of its leases');
    assert.equal(await fleet.acquire('alarms', 'a', 2800, 3800), true);
    await fleet.release('alarms', 'a');
    assert.deepEqual(await fleet.leases(), []);
  });

  it('counts concurrency slots of live nodes only: a limit holds, a dead node’s slots are deleted', async () => {
    const { fleet } = t().store;
    await fleet.join(node('a', 1000), 0);
    await fleet.join(node('b', 1000), 0);
    const a1 = await fleet.takeSlot('f', 'a', 2, 0, 1000);
    const b1 = await fleet.takeSlot('f', 'b', 2, 0, 1000);
    assert.ok(a1 !== undefined && b1 !== undefined && a1 !== b1);
    assert.equal(await fleet.takeSlot('f', 'a', 2, 0, 1000), undefined, 'two held: the limit');
    assert.ok((await fleet.takeSlot('f', 'b', 3, 0, 1000)) !== undefined, 'a higher limit takes a third');
    assert.deepEqual((await fleet.slots()).map((s) => [s.functionName, s.holder]), [['f', 'a'], ['f', 'b'], ['f', 'b']]);
    assert.ok((await fleet.takeSlot('g', 'a', 1, 0, 1000)) !== undefined, 'each function counts its own');

    await fleet.releaseSlot(a1);
    assert.equal(await fleet.takeSlot('f', 'a', 2, 0, 1000), undefined, 'b still holds two');
    await fleet.heartbeat('a', 5000, { environments: 0, inFlight: 0 });
    // b beat last at 1000: seen dead from 4000 on, its slots stop counting and are deleted.
    const a2 = await fleet.takeSlot('f', 'a', 2, 4000, 5000);
    assert.ok(a2 !== undefined);
    assert.deepEqual((await fleet.slots()).map((s) => [s.functionName, s.holder]), [['g', 'a'], ['f', 'a']]);
    assert.ok((await fleet.takeSlot('f', 'a', 2, 4000, 5000)) !== undefined);
    assert.equal(await fleet.takeSlot('f', 'a', 2, 4000, 5000), undefined);

    assert.equal(await fleet.releaseSlots('a'), 3);
    assert.deepEqual(await fleet.slots(), []);
    await fleet.takeSlot('f', 'a', 2, 4000, 5000);
    await fleet.leave('a', 5100);
    assert.equal((await fleet.slots()).length, 1, 'a stopping node’s slot counts while its invocations drain');
    await fleet.join(node('b', 9000), 0);
    assert.ok((await fleet.takeSlot('f', 'b', 1, 8500, 9000)) !== undefined, 'once its heartbeat lapses, it does not');
    assert.deepEqual((await fleet.slots()).map((s) => s.holder), ['b']);
  });

  it('never hands out more slots than the limit to takers racing for them', async () => {
    const { fleet } = t().store;
    await fleet.join(node('a', 1000), 0);
    await fleet.join(node('b', 1000), 0);
    const taken = await Promise.all(Array.from({ length: 12 }, (_, i) => fleet.takeSlot('f', i % 2 ? 'a' : 'b', 3, 0, 1000)));
    assert.equal(taken.filter((id) => id !== undefined).length, 3);
    assert.equal((await fleet.slots()).length, 3);
  });

  it('grants shares of the unreserved pool up to the limit among live nodes; a dead node\u2019s share returns', async () => {
    const { fleet } = t().store;
    await fleet.join(node('a', 1000), 0);
    await fleet.join(node('b', 1000), 0);
    assert.equal(await fleet.resizePoolShare('a', 3, 4, 0, 1000), 3);
    assert.equal(await fleet.resizePoolShare('b', 3, 4, 0, 1000), 1, 'only what a leaves');
    assert.equal(await fleet.resizePoolShare('a', 5, 4, 0, 1000), 3, 'b holds one: a keeps three');
    assert.equal(await fleet.resizePoolShare('a', 1, 4, 0, 1100), 1, 'a gives two back');
    assert.equal(await fleet.resizePoolShare('b', 4, 4, 0, 1100), 3);
    assert.deepEqual((await fleet.poolShares()).map((s) => [s.holder, s.slots, s.updatedAt]), [['a', 1, 1100], ['b', 3, 1100]]);
    assert.equal(await fleet.resizePoolShare('a', 4, 2, 0, 1200), 0, 'a lower limit grants nothing past the others');

    // b stops beating: once its heartbeat is older than aliveSince, its share is a's to take.
    await fleet.heartbeat('a', 5000, { environments: 0, inFlight: 0 });
    assert.equal(await fleet.resizePoolShare('a', 4, 4, 0, 5000), 1, 'b still counts');
    assert.equal(await fleet.resizePoolShare('a', 4, 4, 4000, 5000), 4, 'b is silent since before 4000');
    assert.deepEqual((await fleet.poolShares()).map((s) => s.holder), ['a']);
    await fleet.releasePoolShare('a');
    assert.deepEqual(await fleet.poolShares(), []);
  });

  it('never grants more of the pool than the limit to nodes racing for it', async () => {
    const { fleet } = t().store;
    for (const id of ['a', 'b', 'c']) await fleet.join(node(id, 1000), 0);
    const granted = await Promise.all(Array.from({ length: 9 }, (_, i) => fleet.resizePoolShare(['a', 'b', 'c'][i % 3]!, 2 + (i % 2), 5, 0, 1000)));
    assert.ok(granted.every((g) => g >= 0 && g <= 3), String(granted));
    const total = (await fleet.poolShares()).reduce((n, s) => n + s.slots, 0);
    assert.ok(total <= 5, `shares total ${total}`);
  });
});
