/**
 * Metric filters: each event written after PutMetricFilter (a real function's lines and PutLogEvents
 * alike) that matches the pattern publishes its transformation, read back with GetMetricStatistics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DescribeMetricFiltersCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { openStore } from '../../src/storage/open-store.js';
import { createFunction, CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const DEADLINE_MS = 60_000;

describe('metric filters', () => {
  let p: TestPlatform;
  let cw: CloudWatchClient;
  before(async () => {
    p = await startTestPlatform();
    cw = new CloudWatchClient({ endpoint: p.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    cw.destroy();
    await p.stop();
  });

  const stats = async (namespace: string, name: string, dimensions: Dimension[] = []) => {
    const now = Date.now();
    const r = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: namespace,
        MetricName: name,
        Dimensions: dimensions,
        StartTime: new Date(now - 3 * 3_600_000),
        EndTime: new Date(now + 3_600_000),
        Period: 86_400,
        Statistics: ['SampleCount', 'Sum', 'Maximum', 'Minimum'],
      }),
    );
    const points = r.Datapoints ?? [];
    return points.length === 0 ? undefined : { count: points.reduce((a, d) => a + d.SampleCount!, 0), sum: points.reduce((a, d) => a + d.Sum!, 0), max: Math.max(...points.map((d) => d.Maximum!)), min: Math.min(...points.map((d) => d.Minimum!)), unit: points[0]!.Unit };
  };
  /** Metrics are published off the write path: wait until `count` samples are there (never a timed assertion). */
  const statsWhen = async (namespace: string, name: string, dimensions: Dimension[], count: number) => {
    const until = Date.now() + DEADLINE_MS;
    for (;;) {
      const s = await stats(namespace, name, dimensions);
      if ((s?.count ?? 0) >= count || Date.now() > until) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it("publishes the value and dimensions of a function's JSON lines, and a default value for the others", async () => {
    await createFunction(p.lambda, 'shop', 'log-json');
    const logGroupName = '/aws/lambda/shop';
    await assert.rejects(
      p.logs.send(new PutMetricFilterCommand({ logGroupName, filterName: 'x', filterPattern: '', metricTransformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1' }] })),
      { name: 'ResourceNotFoundException' },
    );
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    await p.logs.send(
      new PutMetricFilterCommand({
        logGroupName,
        filterName: 'order-amount',
        filterPattern: '{ $.type = "order" }',
        metricTransformations: [{ metricName: 'OrderAmount', metricNamespace: 'Shop', metricValue: '$.amount', dimensions: { Region: '$.region' }, unit: 'Count' }],
      }),
    );
    await p.logs.send(
      new PutMetricFilterCommand({
        logGroupName,
        filterName: 'done',
        filterPattern: '"done"',
        metricTransformations: [{ metricName: 'Done', metricNamespace: 'Shop', metricValue: '1', defaultValue: 0 }],
      }),
    );
    await assert.rejects(
      p.logs.send(new PutMetricFilterCommand({ logGroupName, filterName: 'bad', filterPattern: '{ $.a = ', metricTransformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1' }] })),
      { name: 'InvalidParameterException' },
    );
    await assert.rejects(
      p.logs.send(
        new PutMetricFilterCommand({ logGroupName, filterName: 'bad', filterPattern: '', metricTransformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1', defaultValue: 0, dimensions: { A: '$.a' } }] }),
      ),
      { name: 'InvalidParameterException' },
    );

    const out = await p.lambda.send(
      new InvokeCommand({ FunctionName: 'shop', Payload: JSON.stringify({ orders: [{ amount: 10, region: 'eu' }, { amount: 5, region: 'eu' }, { amount: 7, region: 'us' }] }) }),
    );
    assert.equal(out.FunctionError, undefined);

    assert.deepEqual(await statsWhen('Shop', 'OrderAmount', [{ Name: 'Region', Value: 'eu' }], 2), { count: 2, sum: 15, max: 10, min: 5, unit: 'Count' });
    assert.deepEqual(await statsWhen('Shop', 'OrderAmount', [{ Name: 'Region', Value: 'us' }], 1), { count: 1, sum: 7, max: 7, min: 7, unit: 'Count' });
    // START, three orders, done, END, REPORT: one 1 and six 0s (the REPORT line comes last).
    const done = await statsWhen('Shop', 'Done', [], 7);
    assert.deepEqual(done && { count: done.count, sum: done.sum }, { count: 7, sum: 1 });

    const described = await p.logs.send(new DescribeMetricFiltersCommand({ logGroupName }));
    assert.deepEqual(described.metricFilters?.map((f) => [f.filterName, f.logGroupName, f.metricTransformations?.[0]?.metricName]), [
      ['done', logGroupName, 'Done'],
      ['order-amount', logGroupName, 'OrderAmount'],
    ]);
    const byMetric = await p.logs.send(new DescribeMetricFiltersCommand({ metricName: 'OrderAmount', metricNamespace: 'Shop' }));
    assert.deepEqual(byMetric.metricFilters?.map((f) => f.filterName), ['order-amount']);
  });

  it('reads $fields of a space-delimited pattern in PutLogEvents events; a deleted filter publishes no more', async () => {
    const logGroupName = '/web/access';
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    await p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'nginx' }));
    const put = (filterName: string, metricName: string) =>
      p.logs.send(
        new PutMetricFilterCommand({
          logGroupName,
          filterName,
          filterPattern: '[ip, user, status = 5*, bytes]',
          metricTransformations: [{ metricName, metricNamespace: 'Web', metricValue: '$bytes', dimensions: { Status: '$status' }, unit: 'Bytes' }],
        }),
      );
    await put('errors', 'ErrorBytes');
    await put('errors-kept', 'ErrorBytesKept');
    const write = (messages: string[]) =>
      p.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: 'nginx', logEvents: messages.map((message) => ({ timestamp: Date.now(), message })) }));
    await write(['10.0.0.1 alice 200 100', '10.0.0.2 bob 503 2048', '10.0.0.3 carol 500 10']);
    assert.deepEqual(await statsWhen('Web', 'ErrorBytes', [{ Name: 'Status', Value: '503' }], 1), { count: 1, sum: 2048, max: 2048, min: 2048, unit: 'Bytes' });
    assert.equal((await statsWhen('Web', 'ErrorBytes', [{ Name: 'Status', Value: '500' }], 1))?.sum, 10);

    await p.logs.send(new DeleteMetricFilterCommand({ logGroupName, filterName: 'errors' }));
    await assert.rejects(p.logs.send(new DeleteMetricFilterCommand({ logGroupName, filterName: 'errors' })), { name: 'ResourceNotFoundException' });
    await write(['10.0.0.4 dave 503 1']);
    // Both filters see an event in the same pass: once the kept one has it, the deleted one would have too.
    assert.equal((await statsWhen('Web', 'ErrorBytesKept', [{ Name: 'Status', Value: '503' }], 2))?.count, 2);
    assert.equal((await stats('Web', 'ErrorBytes', [{ Name: 'Status', Value: '503' }]))?.count, 1);

    await p.logs.send(new DeleteLogGroupCommand({ logGroupName }));
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    assert.deepEqual((await p.logs.send(new DescribeMetricFiltersCommand({ logGroupName }))).metricFilters, [], 'filters go with their group');
  });

  it('TestMetricFilter reports matches with the named fields they extract', async () => {
    const r = await p.logs.send(
      new TestMetricFilterCommand({ filterPattern: '[ip, user, status = 4*, bytes]', logEventMessages: ['1.1.1.1 a 404 12', '1.1.1.1 b 200 3', '2.2.2.2 c 401 7'] }),
    );
    assert.deepEqual(r.matches, [
      { eventNumber: 1, eventMessage: '1.1.1.1 a 404 12', extractedValues: { $ip: '1.1.1.1', $user: 'a', $status: '404', $bytes: '12' } },
      { eventNumber: 3, eventMessage: '2.2.2.2 c 401 7', extractedValues: { $ip: '2.2.2.2', $user: 'c', $status: '401', $bytes: '7' } },
    ]);
    const json = await p.logs.send(new TestMetricFilterCommand({ filterPattern: '{ $.level = "ERROR" }', logEventMessages: ['{"level":"ERROR"}', '{"level":"INFO"}'] }));
    assert.deepEqual(json.matches?.map((m) => m.eventNumber), [1]);
  });

  it('sees a filter another node put, at its next refresh of the filters', async () => {
    const logGroupName = '/fleet/app';
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    await p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 's' }));
    // Another node's write: straight into the shared store, so this node's handlers never hear of it.
    const other = await openStore(p.platform.config);
    try {
      await other.logFilters.metricFilters.create('/fleet/app:hits', {
        group: '/fleet/app',
        filterName: 'hits',
        filterPattern: 'hit',
        metricTransformations: [{ metricName: 'Hits', metricNamespace: 'Fleet', metricValue: '1' }],
        creationTime: Date.now(),
      });
    } finally {
      await other.close();
    }
    // Written until one is counted: the refresh comes within 10 s; the deadline is far beyond.
    const until = Date.now() + DEADLINE_MS;
    let seen: Awaited<ReturnType<typeof stats>>;
    while (!(seen = await stats('Fleet', 'Hits')) && Date.now() < until) {
      await p.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'hit' }] }));
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok((seen?.count ?? 0) >= 1, 'the filter put by the other node publishes here');
    assert.deepEqual((await p.logs.send(new DescribeMetricFiltersCommand({ logGroupName }))).metricFilters?.map((f) => f.filterName), ['hits']);
  });
});
