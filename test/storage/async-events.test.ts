import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeRecord } from '../../src/domain/fleet.js';
import { event } from '../helpers/store-records.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

describe(`asynchronous events and event invoke configs (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('stores events and reads them back whole, binary payload included', async () => {
    const { asyncEvents } = t().store;
    await asyncEvents.insert([event('e1'), event('e2', { payload: Buffer.from('{"a":1}') })]);
    assert.deepEqual(await asyncEvents.get('e1'), event('e1'));
    assert.deepEqual((await asyncEvents.get('e2'))!.payload, Buffer.from('{"a":1}'));
    assert.equal(await asyncEvents.get('missing'), undefined);
    await asyncEvents.insert([]);
  });

  it('claims due events in due order, marks them running and never claims them twice', async () => {
    const { asyncEvents } = t().store;
    await asyncEvents.insert([
      event('late', { nextAttemptAt: 5000 }),
      event('b', { nextAttemptAt: 2000 }),
      event('a', { nextAttemptAt: 1000 }),
      event('retry', { state: 'retrying', nextAttemptAt: 1500 }),
      event('done', { state: 'succeeded', nextAttemptAt: 0, finishedAt: 100 }),
    ]);
    assert.equal(await asyncEvents.nextDueAt(), 1000);
    const claimed = await asyncEvents.claim(3000, 2, 'n1');
    assert.deepEqual(claimed.map((e) => [e.id, e.state, e.claimedBy]), [['a', 'running', 'n1'], ['retry', 'running', 'n1']]);
    assert.deepEqual((await asyncEvents.claim(3000, 10, 'n2')).map((e) => e.id), ['b']);
    assert.deepEqual(await asyncEvents.claim(3000, 10, 'n1'), []);
    assert.equal(await asyncEvents.nextDueAt(), 5000);
    assert.deepEqual(await asyncEvents.get('a'), event('a', { state: 'running', claimedBy: 'n1' }));
    assert.deepEqual((await asyncEvents.list('f', ['running'], 10)).map((e) => [e.id, e.claimedBy]).sort(), [['a', 'n1'], ['b', 'n2'], ['retry', 'n1']]);

    assert.equal(await asyncEvents.requeueRunning(4000, 'n2'), 1, 'only what n2 left running');
    assert.deepEqual(await asyncEvents.get('b'), event('b', { nextAttemptAt: 4000 }));
    assert.equal((await asyncEvents.get('a'))!.state, 'running');
    assert.equal(await asyncEvents.requeueRunning(4000), 2, 'the only server: every running event');
    assert.deepEqual(await asyncEvents.get('a'), event('a', { nextAttemptAt: 4000 }));
    assert.equal(await asyncEvents.nextDueAt(), 4000);
  });

  it('queues again the running events of nodes silent too long, unknown or unrecorded; not a live node’s', async () => {
    const { asyncEvents, fleet } = t().store;
    const node = (id: string, at: number): NodeRecord => ({ id, advertise: 'http://127.0.0.1:1', startedAt: at, heartbeatAt: at, capacity: { memoryMb: 1, maxEnvironments: 1 }, load: { environments: 0, inFlight: 0 } });
    await fleet.join(node('alive', 1000), 0);
    await fleet.join(node('dead', 1000), 0);
    await fleet.heartbeat('alive', 5000, { environments: 0, inFlight: 1 });
    await asyncEvents.insert(['e-alive', 'e-dead', 'e-gone', 'e-queued'].map((id, i) => event(id, { nextAttemptAt: i })));
    await asyncEvents.claim(10, 1, 'alive');
    await asyncEvents.claim(10, 1, 'dead');
    await asyncEvents.claim(10, 1, 'gone');
    assert.equal(await asyncEvents.requeueOrphaned(6000, 4000), 2);
    assert.deepEqual(await asyncEvents.get('e-alive'), event('e-alive', { nextAttemptAt: 0, state: 'running', claimedBy: 'alive' }));
    assert.deepEqual(await asyncEvents.get('e-dead'), event('e-dead', { nextAttemptAt: 6000 }));
    assert.deepEqual(await asyncEvents.get('e-gone'), event('e-gone', { nextAttemptAt: 6000 }));
    assert.equal((await asyncEvents.get('e-queued'))!.state, 'queued');
    assert.equal(await asyncEvents.requeueOrphaned(6000, 4000), 0);
  });

  it('lets only the node running an event move it on', async () => {
    const { asyncEvents } = t().store;
    await asyncEvents.insert([event('e')]);
    const [mine] = await asyncEvents.claim(1000, 1, 'n1');
    const theirs = { ...mine!, claimedBy: 'n2' };
    assert.equal(await asyncEvents.update({ ...theirs, state: 'queued' }, ['running']), false, 'n2 never claimed it');
    assert.equal(await asyncEvents.update({ ...mine!, state: 'retrying', attempts: 1 }, ['running']), true);
    assert.deepEqual(await asyncEvents.get('e'), event('e', { state: 'retrying', attempts: 1 }), 'a waiting event runs on no node');
  });

  it('updates an event only from the states given (compare and set)', async () => {
    const { asyncEvents } = t().store;
    await asyncEvents.insert([event('e')]);
    const [running] = await asyncEvents.claim(1000, 1, 'n1');
    const done = { ...running!, state: 'succeeded' as const, attempts: 1, finishedAt: 1500, detail: { ...running!.detail, lastResponse: { ok: true, payload: 'hi', executedVersion: '$LATEST' } } };
    assert.equal(await asyncEvents.update(done, ['queued']), false);
    assert.equal((await asyncEvents.get('e'))!.state, 'running');
    assert.equal(await asyncEvents.update(done, ['running', 'retrying']), true);
    const { claimedBy, ...stored } = done;
    assert.equal(claimedBy, 'n1', 'the node that claimed it moves it on');
    assert.deepEqual(await asyncEvents.get('e'), stored, 'an event that no longer runs belongs to no node');
    assert.equal(await asyncEvents.update({ ...done, state: 'failed' }, ['running']), false, 'a second writer loses');
  });

  it('lists a function’s events in some states, most recently finished first (unfinished last)', async () => {
    const { asyncEvents } = t().store;
    await asyncEvents.insert([
      event('old', { state: 'succeeded', finishedAt: 100 }),
      event('new', { state: 'failed', finishedAt: 300 }),
      event('mid', { state: 'succeeded', finishedAt: 200 }),
      event('open1', { state: 'queued' }),
      event('open2', { state: 'queued' }),
      event('other', { functionName: 'g', state: 'succeeded', finishedAt: 400 }),
    ]);
    assert.deepEqual((await asyncEvents.list('f', ['succeeded', 'failed', 'queued'], 10)).map((e) => e.id), ['new', 'mid', 'old', 'open2', 'open1']);
    assert.deepEqual((await asyncEvents.list('f', ['succeeded'], 1)).map((e) => e.id), ['mid']);
    assert.equal(await asyncEvents.delete('mid'), true);
    assert.equal(await asyncEvents.delete('mid'), false);
    assert.deepEqual((await asyncEvents.list('f', ['succeeded'], 10)).map((e) => e.id), ['old']);
  });

  it('prunes finished events beyond the newest ones kept and those finished too long ago', async () => {
    const { asyncEvents } = t().store;
    await asyncEvents.insert([
      ...[100, 200, 300, 400, 500].map((at) => event(`s${at}`, { state: 'succeeded', finishedAt: at })),
      event('queued'),
      event('g', { functionName: 'g', state: 'succeeded', finishedAt: 1 }),
    ]);
    assert.equal(await asyncEvents.prune('f', ['succeeded'], 3, 0), 2, 'keeps the 3 newest');
    assert.deepEqual((await asyncEvents.list('f', ['succeeded'], 10)).map((e) => e.id), ['s500', 's400', 's300']);
    assert.equal(await asyncEvents.prune('f', ['succeeded'], 10, 450), 2, 'drops those finished before 450');
    assert.deepEqual((await asyncEvents.list('f', ['succeeded', 'queued'], 10)).map((e) => e.id), ['s500', 'queued']);
    assert.ok(await asyncEvents.get('g'));
  });

  it('gives concurrent claims different events', async () => {
    const other = await t().openAnother();
    await t().store.asyncEvents.insert([...Array(30)].map((_, i) => event(`e${i}`, { nextAttemptAt: i })));
    const claims = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? other : t().store).asyncEvents.claim(1000, 5, `n${i}`)));
    const ids = claims.flatMap((c) => c.map((e) => e.id));
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30);
  });

  it('puts (replacing), reads, lists page by page and deletes event invoke configs', async () => {
    const { eventInvokeConfigs } = t().store;
    const c = (functionName: string, qualifier: string, extra = {}) => ({ functionName, qualifier, lastModified: 1, ...extra });
    await eventInvokeConfigs.put(c('f', '$LATEST', { maximumRetryAttempts: 1 }));
    await eventInvokeConfigs.put(c('f', '$LATEST', { maximumRetryAttempts: 0, onFailure: 'arn:aws:sqs:us-east-1:000000000000:dlq' }));
    await eventInvokeConfigs.put(c('f', 'live'));
    await eventInvokeConfigs.put(c('f', '1'));
    await eventInvokeConfigs.put(c('g', '1'));
    assert.deepEqual(await eventInvokeConfigs.get('f', '$LATEST'), c('f', '$LATEST', { maximumRetryAttempts: 0, onFailure: 'arn:aws:sqs:us-east-1:000000000000:dlq' }));
    assert.equal(await eventInvokeConfigs.get('f', 'nope'), undefined);
    assert.deepEqual((await eventInvokeConfigs.list('f', undefined, 2)).map((x) => x.qualifier), ['$LATEST', '1']);
    assert.deepEqual((await eventInvokeConfigs.list('f', '1', 2)).map((x) => x.qualifier), ['live']);
    assert.equal(await eventInvokeConfigs.delete('f', '1'), true);
    assert.equal(await eventInvokeConfigs.delete('f', '1'), false);
    assert.deepEqual((await eventInvokeConfigs.list('f', undefined, 10)).map((x) => x.qualifier), ['$LATEST', 'live']);
  });
});
