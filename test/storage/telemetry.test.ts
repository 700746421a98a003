import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyPoint, type MetricPoint } from '../../src/telemetry/metrics.js';
import { alarm } from '../helpers/store-records.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const point = (kind: MetricPoint['kind'], value: string, minute: number, invocations: number, extra: Partial<MetricPoint> = {}): MetricPoint => ({
  ...emptyPoint('f', kind, value, minute),
  invocations,
  ...extra,
});

describe(`metrics and alarms (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('merges points of the same minute and dimension, sums and maxima alike', async () => {
    const { metrics } = t().store;
    const buckets = (pairs: [number, number][]) => {
      const b: number[] = [];
      for (const [i, n] of pairs) b[i] = n;
      return b;
    };
    await metrics.merge([
      point('function', '', 60_000, 2, { errors: 1, durationMaxMs: 10, durationSumMs: 15, durationBuckets: buckets([[3, 2]]), maxConcurrentExecutions: 2 }),
      point('version', '1', 60_000, 2),
    ]);
    await metrics.merge([
      point('function', '', 60_000, 3, { durationMaxMs: 7, durationSumMs: 9, durationBuckets: buckets([[3, 1], [5, 2]]), asyncEventsReceived: 4 }),
      point('function', '', 60_000, 1),
      point('alias', 'live', 120_000, 5),
    ]);
    await metrics.merge([]);
    const got = await metrics.query('f', 0);
    const fnPoint = got.find((p) => p.kind === 'function')!;
    assert.deepEqual(
      [fnPoint.invocations, fnPoint.errors, fnPoint.durationMaxMs, fnPoint.durationSumMs, fnPoint.maxConcurrentExecutions, fnPoint.asyncEventsReceived],
      [6, 1, 10, 24, 2, 4],
    );
    assert.deepEqual([fnPoint.durationBuckets[3], fnPoint.durationBuckets[5]], [3, 2]);
    assert.deepEqual(got.map((p) => `${p.minute}:${p.kind}:${p.value}:${p.invocations}`).sort(), ['120000:alias:live:5', '60000:function::6', '60000:version:1:2']);
    assert.deepEqual((await metrics.query('f', 120_000)).map((p) => p.kind), ['alias']);
    assert.deepEqual(await metrics.query('g', 0), []);
  });

  it('adds up concurrent flushes of the same minute (from two nodes)', async () => {
    const other = await t().openAnother();
    await Promise.all([...Array(10)].map((_, i) => (i % 2 ? other : t().store).metrics.merge([point('function', '', 60_000, 1), point('version', '1', 60_000, 1)])));
    const got = await t().store.metrics.query('f', 0);
    assert.deepEqual(got.map((p) => p.invocations), [10, 10]);
  });

  it('deletes points of minutes before a given one', async () => {
    const { metrics } = t().store;
    await metrics.merge([point('function', '', 60_000, 1), point('function', '', 120_000, 1), point('function', '', 180_000, 1)]);
    assert.equal(await metrics.deleteBefore(180_000), 2);
    assert.deepEqual((await metrics.query('f', 0)).map((p) => p.minute), [180_000]);
  });

  it('puts, lists by name, transitions with history (newest first) and deletes alarms with their history', async () => {
    const { alarms } = t().store;
    await alarms.put(alarm('b'));
    await alarms.put(alarm('a'));
    await alarms.put({ ...alarm('a'), stateReason: 'replaced' });
    assert.deepEqual(await alarms.get('a'), { ...alarm('a'), stateReason: 'replaced' });
    assert.equal(await alarms.get('missing'), undefined);
    assert.deepEqual((await alarms.list()).map((a) => a.definition.name), ['a', 'b']);

    const item = (oldState: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', newState: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', timestamp: number) => ({
      alarmName: 'a',
      timestamp,
      oldState,
      newState,
      reason: `${oldState} to ${newState}`,
    });
    await alarms.transition({ ...alarm('a', 'ALARM'), stateUpdatedAt: 10 }, item('INSUFFICIENT_DATA', 'ALARM', 10));
    await alarms.transition({ ...alarm('a', 'OK'), stateUpdatedAt: 20 }, item('ALARM', 'OK', 20));
    assert.equal((await alarms.get('a'))!.state, 'OK');
    assert.deepEqual(await alarms.history('a', 10), [item('ALARM', 'OK', 20), item('INSUFFICIENT_DATA', 'ALARM', 10)]);
    assert.deepEqual(await alarms.history('a', 1), [item('ALARM', 'OK', 20)]);
    assert.deepEqual(await alarms.history('b', 10), []);

    assert.equal(await alarms.delete('a'), true);
    assert.equal(await alarms.delete('a'), false);
    assert.deepEqual(await alarms.history('a', 10), []);
    assert.deepEqual((await alarms.list()).map((a) => a.definition.name), ['b']);
  });
});
