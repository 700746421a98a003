import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

process.env['AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE'] = '1';
// The JS SDK v2 speaks CloudWatch's query protocol, as older clients do.
const { default: AWS } = await import('aws-sdk');

const MIN = 60_000;
const CART = [{ Name: 'Service', Value: 'cart' }];

interface Failure {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}
const failure = (p: Promise<unknown>): Promise<Failure> =>
  p.then(
    () => assert.fail('expected an error'),
    (e: Failure) => e,
  );

describe('CloudWatch metrics and alarms', () => {
  let t: TestPlatform;
  let cw: CloudWatchClient;
  // A whole minute ten minutes ago: what is put there is read back exactly.
  const base = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
  const window = { StartTime: new Date(base - 5 * MIN), EndTime: new Date(base + 5 * MIN) };
  const stat = (id: string, MetricName: string, Stat = 'Sum', Namespace = 'Shop', Dimensions = CART): MetricDataQuery => ({
    Id: id,
    MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period: 60, Stat },
  });
  const values = async (queries: MetricDataQuery[]) => {
    const res = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, ...window }));
    return Object.fromEntries(res.MetricDataResults!.map((r) => [r.Id!, r.Values!]));
  };

  before(async () => {
    t = await startTestPlatform();
    cw = new CloudWatchClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [
          { MetricName: 'Orders', Dimensions: CART, Timestamp: new Date(base), Value: 6, Unit: 'Count' },
          { MetricName: 'Orders', Dimensions: CART, Timestamp: new Date(base + 1000), Value: 4, Unit: 'Count' },
          { MetricName: 'Visits', Dimensions: CART, Timestamp: new Date(base), StatisticValues: { SampleCount: 5, Sum: 40, Minimum: 2, Maximum: 20 }, Unit: 'Count' },
          { MetricName: 'Latency', Dimensions: CART, Timestamp: new Date(base), Values: [10, 30], Counts: [3, 1], Unit: 'Milliseconds' },
        ],
      }),
    );
  });
  after(async () => {
    cw.destroy();
    await t.stop();
  });

  it('PutMetricData then GetMetricStatistics: the statistics of a minute, in its unit', async () => {
    const res = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', Dimensions: CART, Period: 60, Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'], ...window }),
    );
    assert.equal(res.Label, 'Latency');
    assert.equal(res.Datapoints!.length, 1);
    const d = res.Datapoints![0]!;
    assert.deepEqual([d.Timestamp!.getTime(), d.SampleCount, d.Sum, d.Average, d.Minimum, d.Maximum, d.Unit], [base, 4, 60, 15, 10, 30, 'Milliseconds']);
  });

  it('GetMetricData: metric stats and metric math (ratios, arithmetic, SUM/AVG/MAX over queries)', async () => {
    const got = await values([
      { ...stat('orders', 'Orders'), ReturnData: false },
      { ...stat('visits', 'Visits'), ReturnData: false },
      { Id: 'conversion', Expression: 'orders / visits * 100' },
      { Id: 'total', Expression: 'SUM([orders, visits])' },
      { Id: 'most', Expression: 'MAX(METRICS())' },
      { Id: 'mean', Expression: '(AVG([orders, visits]) - 5) * 2' },
      { Id: 'peak', Expression: 'MAX(orders)' },
    ]);
    assert.deepEqual(got, { conversion: [25], total: [50], most: [40], mean: [40], peak: [10] });
    const bad = await failure(cw.send(new GetMetricDataCommand({ MetricDataQueries: [stat('a', 'Orders'), { Id: 'b', Expression: 'a / nothing' }], ...window })));
    assert.equal(bad.name, 'InvalidParameterValueException');
    assert.match(bad.message, /Unrecognized metric or expression id: nothing/);
  });

  it("Lambda's own metrics under AWS/Lambda, with Lambda's names and dimensions", async () => {
    await createFunction(t.lambda, 'counted', 'actions');
    for (const action of ['echo', 'echo', 'echo', 'throw']) await t.lambda.send(new InvokeCommand({ FunctionName: 'counted', Payload: JSON.stringify({ action }) }));
    const fn = [{ Name: 'FunctionName', Value: 'counted' }];
    const now = Date.now();
    const res = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          { ...stat('invocations', 'Invocations', 'Sum', 'AWS/Lambda', fn), MetricStat: { ...stat('x', 'Invocations', 'Sum', 'AWS/Lambda', fn).MetricStat!, Period: 3600 } },
          { ...stat('errors', 'Errors', 'Sum', 'AWS/Lambda', fn), MetricStat: { ...stat('x', 'Errors', 'Sum', 'AWS/Lambda', fn).MetricStat!, Period: 3600 } },
          { Id: 'rate', Expression: '100 * errors / invocations' },
        ],
        StartTime: new Date(now - 3 * 3600_000),
        EndTime: new Date(now + MIN),
      }),
    );
    const sums = (id: string) => res.MetricDataResults!.find((r) => r.Id === id)!.Values!.reduce((a, b) => a + b, 0);
    assert.deepEqual([sums('invocations'), sums('errors')], [4, 1]);
    assert.ok(res.MetricDataResults!.find((r) => r.Id === 'rate')!.Values!.every((v) => v >= 0 && v <= 100));
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: 'counted' }] }));
    const names = new Set(listed.Metrics!.map((m) => m.MetricName));
    for (const name of ['Invocations', 'Errors', 'Duration', 'ConcurrentExecutions']) assert.ok(names.has(name), `${name} listed`);
    assert.ok(listed.Metrics!.some((m) => m.Dimensions!.some((d) => d.Name === 'ExecutedVersion' && d.Value === '$LATEST')));
  });

  it('ListMetrics lists published metrics; AWS/ namespaces cannot be published to', async () => {
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Shop' }));
    assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), ['Latency', 'Orders', 'Visits']);
    assert.deepEqual(listed.Metrics![0]!.Dimensions, CART);
    const refused = await failure(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'Invocations', Value: 1 }] })));
    assert.deepEqual([refused.name, refused.$metadata.httpStatusCode], ['InvalidParameterValueException', 400]);
    const both = await failure(cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'X', Value: 1, Values: [1] }] })));
    assert.equal(both.name, 'InvalidParameterCombinationException');
  });

  it('alarms: put, describe, set state, history, delete', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'counted-errors',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'counted' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    const described = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'counted' }))).MetricAlarms!;
    assert.equal(described.length, 1);
    const a = described[0]!;
    assert.deepEqual(
      [a.AlarmArn, a.Namespace, a.MetricName, a.Statistic, a.Threshold, a.ComparisonOperator, a.StateValue],
      ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:counted-errors', 'AWS/Lambda', 'Errors', 'Sum', 5, 'GreaterThanThreshold', 'OK'],
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'counted-errors', StateValue: 'ALARM', StateReason: 'testing the pager' }));
    assert.equal((await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }))).MetricAlarms![0]?.AlarmName, 'counted-errors');
    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'counted-errors' }))).AlarmHistoryItems!;
    assert.equal(history[0]!.HistorySummary, 'Alarm updated from OK to ALARM');
    assert.match(history[0]!.HistoryData!, /testing the pager/);
    const custom = await failure(
      cw.send(new PutMetricAlarmCommand({ AlarmName: 'x', Namespace: 'Shop', MetricName: 'Orders', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' })),
    );
    assert.equal(custom.name, 'InvalidParameterValueException');
    const missing = await failure(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'r' })));
    assert.deepEqual([missing.name, missing.$metadata.httpStatusCode], ['ResourceNotFound', 404]);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['counted-errors'] }));
    assert.deepEqual((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms, []);
  });

  it('an EMF line in function output becomes a metric, read back through GetMetricData and on /metrics', async () => {
    await createFunction(t.lambda, 'emitter', 'actions');
    const at = Math.floor(Date.now() / MIN) * MIN;
    const emf = JSON.stringify({
      _aws: { Timestamp: at + 5, CloudWatchMetrics: [{ Namespace: 'Checkout', Dimensions: [['service']], Metrics: [{ Name: 'CartValue', Unit: 'None' }] }] },
      service: 'payments',
      CartValue: [12.5, 7.5],
    });
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'emitter', Payload: JSON.stringify({ action: 'print', lines: [emf] }) }));
    assert.equal(res.FunctionError, undefined);
    const query = {
      MetricDataQueries: [{ Id: 'cart', MetricStat: { Metric: { Namespace: 'Checkout', MetricName: 'CartValue', Dimensions: [{ Name: 'service', Value: 'payments' }] }, Period: 60, Stat: 'Sum' } }],
      StartTime: new Date(at - MIN),
      EndTime: new Date(at + 2 * MIN),
    };
    let got: number[] = [];
    // The log line reaches the sink just after the invocation returns: poll, with a generous deadline.
    for (let i = 0; i < 200 && got.length === 0; i++) {
      got = (await cw.send(new GetMetricDataCommand(query))).MetricDataResults![0]!.Values!;
      if (got.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(got, [20]);
    const text = await (await fetch(`${t.platform.url}/metrics`)).text();
    assert.match(text, /^selfless_published_metric_sum\{namespace="Checkout",metric="CartValue",unit="None",dimensions="service=payments"\} 20$/m);
  });

  it('RPC v2 CBOR, the protocol the model lists first: the SDK v3 told to speak it', async () => {
    const cbor = new CloudWatchClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, protocol: AwsSmithyRpcV2CborProtocol });
    try {
      await cbor.send(new PutMetricDataCommand({ Namespace: 'Cbor', MetricData: [{ MetricName: 'Bytes', Timestamp: new Date(base), Value: 42, Unit: 'Bytes' }] }));
      const stats = await cbor.send(new GetMetricStatisticsCommand({ Namespace: 'Cbor', MetricName: 'Bytes', Period: 60, Statistics: ['Maximum'], ...window }));
      assert.deepEqual(
        stats.Datapoints!.map((d) => [d.Timestamp!.getTime(), d.Maximum, d.Unit]),
        [[base, 42, 'Bytes']],
      );
      const refused = await failure(cbor.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'm', Value: 1 }] })));
      assert.deepEqual([refused.name, refused.$metadata.httpStatusCode], ['InvalidParameterValueException', 400]);
    } finally {
      cbor.destroy();
    }
  });

  it('boto3 (JSON), the JS SDK v2 (query) and the aws CLI', async () => {
    const script = `
import boto3, json, sys, datetime
cw = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='us-east-1')
cw.put_metric_data(Namespace='Py', MetricData=[{'MetricName': 'Hits', 'Value': 3, 'Unit': 'Count'}])
now = datetime.datetime.now(datetime.timezone.utc)
r = cw.get_metric_data(MetricDataQueries=[{'Id': 'h', 'MetricStat': {'Metric': {'Namespace': 'Py', 'MetricName': 'Hits'}, 'Period': 60, 'Stat': 'Sum'}}],
                       StartTime=now - datetime.timedelta(minutes=5), EndTime=now + datetime.timedelta(minutes=1))
print(json.dumps({'values': r['MetricDataResults'][0]['Values'], 'alarms': len(cw.describe_alarms()['MetricAlarms'])}))
`;
    const py = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(py.code, 0, py.stderr);
    assert.deepEqual(JSON.parse(py.stdout), { values: [3], alarms: 0 });

    const v2 = new AWS.CloudWatch({ endpoint: t.platform.url, region: 'us-east-1', credentials: new AWS.Credentials('test', 'test'), maxRetries: 0 });
    await v2.putMetricData({ Namespace: 'V2', MetricData: [{ MetricName: 'Jobs', Value: 2, Dimensions: [{ Name: 'Queue', Value: 'q' }] }] }).promise();
    const stats = await v2
      .getMetricStatistics({ Namespace: 'V2', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q' }], Period: 60, Statistics: ['Sum'], StartTime: new Date(Date.now() - 5 * MIN), EndTime: new Date(Date.now() + MIN) })
      .promise();
    assert.deepEqual(stats.Datapoints!.map((d) => d.Sum), [2]);
    const v2Error = await v2.putMetricData({ Namespace: 'AWS/X', MetricData: [{ MetricName: 'm', Value: 1 }] }).promise().then(() => undefined, (e: { code: string }) => e.code);
    assert.equal(v2Error, 'InvalidParameterValue');

    const put = await run('aws', [
      '--endpoint-url', t.platform.url, 'cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-throttles', '--namespace', 'AWS/Lambda', '--metric-name', 'Throttles',
      '--dimensions', 'Name=FunctionName,Value=counted', '--statistic', 'Sum', '--period', '60', '--evaluation-periods', '1', '--threshold', '0',
      '--comparison-operator', 'GreaterThanThreshold',
    ]);
    assert.equal(put.code, 0, put.stderr);
    const described = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'cloudwatch', 'describe-alarms', '--alarm-names', 'cli-throttles']);
    assert.equal(described.code, 0, described.stderr);
    const alarm = (JSON.parse(described.stdout) as { MetricAlarms: { AlarmName: string; MetricName: string; Dimensions: unknown }[] }).MetricAlarms[0]!;
    assert.deepEqual([alarm.AlarmName, alarm.MetricName, alarm.Dimensions], ['cli-throttles', 'Throttles', [{ Name: 'FunctionName', Value: 'counted' }]]);
  });
});
