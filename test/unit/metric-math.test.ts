import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, MathError, type Series } from '../../src/telemetry/cloudwatch/metric-math.js';
import { emfMetrics } from '../../src/telemetry/emf.js';

const series = (...points: [number, number][]): Series => new Map(points);
const m1 = series([0, 10], [60, 20], [120, 30]);
const m2 = series([0, 5], [60, 0], [180, 1]);
const ctx = { series: (id: string) => ({ m1, m2 })[id], metrics: () => [m1, m2] };
const run = (e: string) => {
  const v = evaluate(e, ctx);
  return typeof v === 'number' ? v : [...v];
};

describe('metric math', () => {
  it('combines series point by point on shared timestamps, leaving out divisions by zero', () => {
    assert.deepEqual(run('m1 / m2'), [[0, 2]]);
    assert.deepEqual(run('m1 + m2 * 2'), [[0, 20], [60, 20]]);
    assert.deepEqual(run('(m1 - 5) * -1'), [[0, -5], [60, -15], [120, -25]]);
    assert.deepEqual(run('2 * (3 + 4) / 7'), 2);
  });

  it('aggregates over arrays per timestamp, and over one series to a number', () => {
    assert.deepEqual(run('SUM([m1, m2])'), [[0, 15], [60, 20], [120, 30], [180, 1]]);
    assert.deepEqual(run('MAX(METRICS())'), [[0, 10], [60, 20], [120, 30], [180, 1]]);
    assert.deepEqual(run('AVG(m1)'), 20);
    assert.deepEqual(run('MIN(m1) + MAX(m2)'), 15);
    assert.deepEqual(run('ABS(m2 - 3)'), [[0, 2], [60, 3], [180, 2]]);
  });

  it('refuses what it cannot read, naming the problem', () => {
    assert.throws(() => run('m1 / m3'), (e: Error) => e instanceof MathError && /Unrecognized metric or expression id: m3/.test(e.message));
    assert.throws(() => run('SEARCH(m1)'), /Unsupported function SEARCH/);
    assert.throws(() => run('m1 +'), /Unexpected end/);
    assert.throws(() => run('m1 m2'), /Unexpected 'm2'/);
    assert.throws(() => run('[m1, m2]'), /returns 2 time series/);
    assert.throws(() => run('m1 % 2'), /Unexpected character/);
  });
});

describe('Embedded Metric Format', () => {
  const line = (extra: object) =>
    JSON.stringify({ _aws: { Timestamp: 1_800_000_000_000, CloudWatchMetrics: [{ Namespace: 'App', Dimensions: [['svc'], []], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }, { Name: 'Hits' }] }] }, ...extra });

  it('gives each metric once per dimension set, values as statistic sets, after a runtime prefix too', () => {
    const got = emfMetrics(`2026-12-05T21:00:00.000Z\tabc-123\tINFO\t${line({ svc: 'api', Latency: [10, 30], Hits: 1 })}`);
    assert.deepEqual(
      got.map((p) => [p.namespace, p.metricName, p.dimensions.map((d) => `${d.name}=${d.value}`).join(), p.unit, p.timestamp, p.values.sampleCount, p.values.sum, p.values.min, p.values.max]),
      [
        ['App', 'Latency', 'svc=api', 'Milliseconds', 1_800_000_000_000, 2, 40, 10, 30],
        ['App', 'Hits', 'svc=api', 'None', 1_800_000_000_000, 1, 1, 1, 1],
        ['App', 'Latency', '', 'Milliseconds', 1_800_000_000_000, 2, 40, 10, 30],
        ['App', 'Hits', '', 'None', 1_800_000_000_000, 1, 1, 1, 1],
      ],
    );
  });

  it('ignores lines that are not EMF, and dimension sets whose members are missing', () => {
    assert.deepEqual(emfMetrics('plain text mentioning "_aws"'), []);
    assert.deepEqual(emfMetrics(JSON.stringify({ _aws: { CloudWatchMetrics: 'no' } })), []);
    assert.deepEqual(emfMetrics(line({ Latency: 5 })).map((p) => p.dimensions.length), [0], 'the set without svc is dropped, the empty set kept');
  });
});
