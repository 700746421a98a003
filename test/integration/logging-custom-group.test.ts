/**
 * LoggingConfig.LogGroup: functions that log to a group of any name, which need not exist first and
 * which several functions may share, each in streams named `YYYY/MM/DD/<function>[<version>]<id>`.
 * The group's readers (GetLogEvents, FilterLogEvents, Logs Insights, the selfless CLI) and its
 * metric and subscription filters see the functions' lines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  GetQueryResultsCommand,
  PutMetricFilterCommand,
  PutSubscriptionFilterCommand,
  StartQueryCommand,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { createFunction, CREDENTIALS, decode, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, SELFLESS_BIN } from '../helpers/run.js';

const DEADLINE_MS = 60_000;
const GROUP = '/apps/shop';
const ACCOUNT = '000000000000';
const STREAM = (fn: string) => new RegExp(`^\\d{4}/\\d{2}/\\d{2}/${fn}\\[\\$LATEST\\][0-9a-f]+$`);

const SHOP_JS = `exports.handler = async (event) => {
  console.log('hello from ' + process.env.AWS_LAMBDA_FUNCTION_NAME + ' ' + (event.tag ?? ''));
  return { group: process.env.AWS_LAMBDA_LOG_GROUP_NAME, stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME };
};`;

interface Seen {
  group: string;
  stream: string;
}

describe('a custom log group (LoggingConfig.LogGroup)', () => {
  let t: TestPlatform;
  let cw: CloudWatchClient;
  before(async () => {
    t = await startTestPlatform();
    cw = new CloudWatchClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    cw.destroy();
    await t.stop();
  });

  const deploy = async (name: string, logGroup?: string) => {
    await t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: await zipEntries({ 'index.js': SHOP_JS }) },
        ...(logGroup ? { LoggingConfig: { LogGroup: logGroup } } : {}),
      }),
    );
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: name });
  };
  const invoke = async (name: string, tag = ''): Promise<Seen> => {
    const r = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ tag }) }));
    assert.equal(r.FunctionError, undefined);
    return decode(r.Payload) as Seen;
  };
  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() > deadline) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('sends two functions to one group, not there beforehand, each in streams named after it', async () => {
    await deploy('shop-a', GROUP);
    await deploy('shop-b', GROUP);
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop-a' }));
    assert.deepEqual(config.LoggingConfig, { LogFormat: 'Text', LogGroup: GROUP });

    const a = await invoke('shop-a', 'first');
    const b = await invoke('shop-b', 'first');
    assert.equal(a.group, GROUP);
    assert.equal(b.group, GROUP);
    assert.match(a.stream, STREAM('shop-a'));
    assert.match(b.stream, STREAM('shop-b'));

    const groups = await t.logs.send(new DescribeLogGroupsCommand({}));
    const names = (groups.logGroups ?? []).map((g) => g.logGroupName);
    assert.ok(names.includes(GROUP), `${GROUP} in ${names.join(', ')}`);
    assert.ok(!names.some((n) => n?.startsWith('/aws/lambda/shop-')), `no function group in ${names.join(', ')}`);

    const streams = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    assert.deepEqual((streams.logStreams ?? []).map((s) => s.logStreamName).sort(), [a.stream, b.stream].sort());

    const events = await t.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: a.stream, startFromHead: true }));
    const messages = (events.events ?? []).map((e) => e.message ?? '');
    assert.match(messages[0]!, /^START RequestId: \S+ Version: \$LATEST/);
    assert.ok(messages.some((m) => m.includes('hello from shop-a first')), messages.join(''));
    assert.ok(!messages.some((m) => m.includes('shop-b')), messages.join(''));
    assert.ok(messages.some((m) => m.startsWith('END RequestId:')));
    assert.ok(messages.some((m) => m.startsWith('REPORT RequestId:')));

    const filtered = await t.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"hello from"' }));
    assert.deepEqual(
      (filtered.events ?? []).map((e) => [e.logStreamName, e.message?.trim().split('\t').pop()]).sort(),
      [
        [a.stream, 'hello from shop-a first'],
        [b.stream, 'hello from shop-b first'],
      ].sort(),
    );
  });

  it('is read by Logs Insights and the selfless CLI', async () => {
    const { queryId } = await t.logs.send(
      new StartQueryCommand({ logGroupName: GROUP, startTime: Math.floor(Date.now() / 1000) - 3600, endTime: Math.floor(Date.now() / 1000) + 60, queryString: 'filter @message like /hello from/ | stats count(*) as n by @logStream' }),
    );
    const r = await until<GetQueryResultsCommandOutput>(() => t.logs.send(new GetQueryResultsCommand({ queryId: queryId! })), (v) => v.status === 'Complete' || v.status === 'Failed');
    assert.equal(r.status, 'Complete');
    const rows = (r.results ?? []).map((row) => Object.fromEntries(row.map((f) => [f.field, f.value])));
    assert.deepEqual(rows.map((row) => [STREAM('shop-a').test(row['@logStream']!) ? 'a' : STREAM('shop-b').test(row['@logStream']!) ? 'b' : row['@logStream'], row['n']]).sort(), [
      ['a', '1'],
      ['b', '1'],
    ]);

    const cli = await run(process.execPath, [SELFLESS_BIN, 'logs', 'shop-a', '--endpoint', t.platform.url]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /hello from shop-a first/);
    assert.doesNotMatch(cli.stdout, /shop-b/);
  });

  it("applies the group's metric and subscription filters to the functions' lines", async () => {
    await createFunction(t.lambda, 'shop-listener', 'log-subscriber');
    await t.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'shop-listener',
        StatementId: 'logs-shop',
        Action: 'lambda:InvokeFunction',
        Principal: 'logs.amazonaws.com',
        SourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`,
      }),
    );
    await t.logs.send(
      new PutMetricFilterCommand({
        logGroupName: GROUP,
        filterName: 'hellos',
        filterPattern: '"hello from"',
        metricTransformations: [{ metricName: 'Hellos', metricNamespace: 'Shop', metricValue: '1' }],
      }),
    );
    // A function writing to the group cannot subscribe to it: each delivery would log and be delivered again.
    await t.lambda.send(
      new AddPermissionCommand({ FunctionName: 'shop-a', StatementId: 'logs-shop', Action: 'lambda:InvokeFunction', Principal: 'logs.amazonaws.com', SourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*` }),
    );
    await assert.rejects(
      t.logs.send(new PutSubscriptionFilterCommand({ logGroupName: GROUP, filterName: 'self', filterPattern: '', destinationArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-a` })),
      (err: Error) => err.name === 'InvalidParameterException' && /cannot subscribe to its own log group/.test(err.message),
    );
    await t.logs.send(
      new PutSubscriptionFilterCommand({ logGroupName: GROUP, filterName: 'seconds', filterPattern: '"second"', destinationArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:shop-listener` }),
    );
    const a = await invoke('shop-a', 'second');
    await invoke('shop-b', 'second');

    const stats = () =>
      cw.send(
        new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Hellos', StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 3_600_000), Period: 86_400, Statistics: ['Sum'] }),
      );
    const sum = (s: Awaited<ReturnType<typeof stats>>) => (s.Datapoints ?? []).reduce((n, d) => n + (d.Sum ?? 0), 0);
    assert.equal(sum(await until(stats, (s) => sum(s) >= 2)), 2);

    const received = () => t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/shop-listener', filterPattern: '"RECEIVED"' }));
    const deliveries = (r: Awaited<ReturnType<typeof received>>) =>
      (r.events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('RECEIVED ') + 9)) as { logGroup: string; logStream: string; logEvents: { message: string }[] });
    const got = deliveries(await until(received, (r) => deliveries(r).length >= 2));
    assert.deepEqual(got.map((d) => d.logGroup), [GROUP, GROUP]);
    assert.ok(got.some((d) => d.logStream === a.stream && d.logEvents.some((e) => e.message.includes('hello from shop-a second'))));
    assert.ok(got.some((d) => STREAM('shop-b').test(d.logStream) && d.logEvents.some((e) => e.message.includes('hello from shop-b second'))));
  });

  it("goes back to the function's own group, and refuses a name that is not a log group's", async () => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'shop-b', LoggingConfig: { LogGroup: '/aws/lambda/shop-b' } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: 'shop-b' });
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop-b' }));
    assert.equal(config.LoggingConfig?.LogGroup, '/aws/lambda/shop-b');
    const b = await invoke('shop-b', 'third');
    assert.equal(b.group, '/aws/lambda/shop-b');
    assert.match(b.stream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]+$/);
    const own = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/shop-b', filterPattern: '"hello from"' }));
    assert.deepEqual((own.events ?? []).map((e) => e.message?.trim().split('\t').pop()), ['hello from shop-b third']);

    // Switching the format keeps the group.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'shop-a', LoggingConfig: { LogFormat: 'JSON' } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: 'shop-a' });
    const a = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop-a' }));
    assert.deepEqual(a.LoggingConfig, { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO', LogGroup: GROUP });

    await assert.rejects(
      t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'shop-a', LoggingConfig: { LogGroup: 'shop group!' } })),
      (err: Error) => /ValidationException|InvalidParameterValueException/.test(err.name),
    );
  });
});
