import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricDatum } from '../../src/domain/custom-metric.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const MIN = 60_000;
const datum = (metricName: string, minute: number, value: number, extra: Partial<MetricDatum> = {}): MetricDatum => ({
  namespace: 'Shop',
  metricName,
  dimensions: [{ name: 'Service', value: 'cart' }],
  unit: 'Count',
  minute,
  sampleCount: 1,
  sum: value,
  min: value,
  max: value,
  ...extra,
});

describe(`custom metrics (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('merges data of the same metric, dimensions, unit and minute into one statistic set', async () => {
    const repo = t().store.customMetrics;
    await repo.merge([datum('Orders', MIN, 3), datum('Orders', MIN, 7), datum('Orders', 2 * MIN, 1)]);
    await repo.merge([datum('Orders', MIN, 1, { sampleCount: 2, sum: 4, min: 1, max: 3 })]);
    const id = { namespace: 'Shop', metricName: 'Orders', dimensions: [{ name: 'Service', value: 'cart' }] };
    const got = await repo.query(id, 0, 10 * MIN);
    assert.deepEqual(
      got.map((d) => [d.minute, d.sampleCount, d.sum, d.min, d.max, d.unit]),
      [
        [MIN, 4, 14, 1, 7, 'Count'],
        [2 * MIN, 1, 1, 1, 1, 'Count'],
      ],
    );
    assert.deepEqual(got[0]!.dimensions, id.dimensions);
    assert.deepEqual(await repo.query(id, 2 * MIN, 3 * MIN).then((d) => d.length), 1, 'to is exclusive, from inclusive');
    assert.deepEqual(await repo.query({ ...id, dimensions: [] }, 0, 10 * MIN), [], 'another set of dimensions is another metric');
  });

  it('lists metrics by namespace and name, with data since a time; deletes old minutes', async () => {
    const repo = t().store.customMetrics;
    const two = [
      { name: 'B', value: '2' },
      { name: 'A', value: '1' },
    ];
    await repo.merge([datum('Latency', 5 * MIN, 9, { unit: 'Milliseconds' }), datum('Latency', 5 * MIN, 9, { dimensions: two }), datum('Other', 5 * MIN, 1, { namespace: 'Else' })]);
    const listed = await repo.list({ namespace: 'Shop', metricName: 'Latency' }, 0);
    assert.deepEqual(listed, [
      { namespace: 'Shop', metricName: 'Latency', dimensions: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
      { namespace: 'Shop', metricName: 'Latency', dimensions: [{ name: 'Service', value: 'cart' }] },
    ]);
    assert.deepEqual(
      (await repo.list({}, 0)).map((m) => `${m.namespace}/${m.metricName}`),
      ['Else/Other', 'Shop/Latency', 'Shop/Latency'],
    );
    assert.equal((await repo.list({}, 6 * MIN)).length, 0);
    assert.equal(await repo.deleteBefore(6 * MIN), 3);
    assert.deepEqual(await repo.list({}, 0), []);
  });
});
