import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ensureFixtureInstalled } from '../helpers/fixture-install.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const MIN = 60_000;

describe('Embedded Metric Format from Powertools Metrics', () => {
  let t: TestPlatform;
  let cw: CloudWatchClient;
  before(async () => {
    await ensureFixtureInstalled('powertools-metrics', { requiredFiles: ['node_modules/@aws-lambda-powertools/metrics/package.json'] });
    t = await startTestPlatform();
    cw = new CloudWatchClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    cw?.destroy();
    await t?.stop();
  });

  it("a function's metric comes back through GetMetricData with Powertools' namespace, service dimension and unit", async () => {
    await createFunction(t.lambda, 'shop', 'powertools-metrics', { Runtime: 'nodejs20.x', Handler: 'index.handler' });
    for (const orders of [3, 4]) {
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'shop', Payload: JSON.stringify({ orders }) }));
      assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
    }
    const now = Date.now();
    const query = (Stat: string) => ({
      Id: Stat.toLowerCase(),
      MetricStat: { Metric: { Namespace: 'Powertools', MetricName: 'Orders', Dimensions: [{ Name: 'service', Value: 'checkout' }] }, Period: 3600, Stat, Unit: 'Count' as const },
    });
    const read = async () => {
      const res = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query('Sum'), query('SampleCount')], StartTime: new Date(now - 2 * 3600_000), EndTime: new Date(now + MIN) }));
      return res.MetricDataResults!.map((r) => r.Values!.reduce((a, b) => a + b, 0));
    };
    // Log lines reach the sink just after each invocation returns: poll, with a generous deadline.
    let got = await read();
    for (let i = 0; i < 200 && got[1]! < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      got = await read();
    }
    assert.deepEqual(got, [7, 2]);
  });
});
