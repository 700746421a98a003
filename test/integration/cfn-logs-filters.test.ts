/**
 * AWS::Logs::LogStream, MetricFilter and SubscriptionFilter through a stack: lines put into the stack's
 * stream publish the filter's metric and reach the subscribed function; the filters follow an update
 * and go with the stack.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand, DescribeMetricFiltersCommand, DescribeSubscriptionFiltersCommand, FilterLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import { waitFor, type TestPlatform } from '../helpers/platform.js';

const SINK = [
  "const zlib = require('zlib');",
  "exports.handler = async (e) => { const d = JSON.parse(zlib.gunzipSync(Buffer.from(e.awslogs.data, 'base64'))); for (const l of d.logEvents) console.log('GOT ' + l.message); };",
].join('\n');

const template = (pattern: string) => ({
  Resources: {
    Group: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'app-logs' } },
    Stream: { Type: 'AWS::Logs::LogStream', Properties: { LogGroupName: { Ref: 'Group' }, LogStreamName: 'main' } },
    Errors: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'Group' },
        FilterPattern: pattern,
        MetricTransformations: [{ MetricName: 'Errors', MetricNamespace: 'App', MetricValue: '1', Unit: 'Count' }],
      },
    },
    Sink: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'log-sink', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/sink', Code: { ZipFile: SINK } } },
    SinkPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: 'Sink' }, Principal: 'logs.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['Group', 'Arn'] } },
    },
    ToSink: {
      Type: 'AWS::Logs::SubscriptionFilter',
      DependsOn: ['SinkPermission'],
      Properties: { LogGroupName: { Ref: 'Group' }, FilterName: 'to-sink', FilterPattern: pattern, DestinationArn: { 'Fn::GetAtt': ['Sink', 'Arn'] } },
    },
  },
  Outputs: { Stream: { Value: { Ref: 'Stream' } }, MetricFilter: { Value: { Ref: 'Errors' } }, Subscription: { Value: { Ref: 'ToSink' } } },
});

describe('CloudFormation: log streams, metric filters and subscription filters', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let cw: CloudWatchClient;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    cw = new CloudWatchClient(clientConfig(t));
  });
  after(() => cw.destroy());

  const settle = async () => {
    const stack = await settledStack(cfn, 'logs-filters', 120_000);
    const reasons = (await eventsOf(cfn, 'logs-filters')).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { stackId: stack.StackId!, status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const errorCount = async () => {
    const now = Date.now();
    const r = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Errors', StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 3_600_000), Period: 86_400, Statistics: ['Sum'] }));
    return (r.Datapoints ?? []).reduce((a, d) => a + d.Sum!, 0);
  };
  const received = async () => ((await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/log-sink', filterPattern: '"GOT"' }))).events ?? []).map((e) => e.message!.trim());
  const put = (...messages: string[]) => t.logs.send(new PutLogEventsCommand({ logGroupName: 'app-logs', logStreamName: 'main', logEvents: messages.map((message) => ({ message, timestamp: Date.now() })) }));

  it('lines put into the stack\'s stream publish the metric and reach the subscribed function', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'logs-filters', TemplateBody: JSON.stringify(template('ERROR')) }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'CREATE_COMPLETE', reasons);
    assert.equal(out.get('Stream'), 'main');
    assert.equal(out.get('Subscription'), 'to-sink');
    assert.deepEqual((await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: 'app-logs' }))).logStreams?.map((s) => s.logStreamName), ['main']);
    const metricFilters = (await t.logs.send(new DescribeMetricFiltersCommand({ logGroupName: 'app-logs' }))).metricFilters ?? [];
    assert.deepEqual(metricFilters.map((f) => [f.filterName, f.filterPattern, f.metricTransformations?.[0]?.metricName]), [[out.get('MetricFilter'), 'ERROR', 'Errors']]);

    await put('ERROR disk full', 'INFO all good');
    await waitFor(async () => (await errorCount()) === 1, 'the Errors metric');
    await waitFor(async () => (await received()).some((l) => l.endsWith('GOT ERROR disk full')), 'the subscribed function receiving the line');
    assert.ok(!(await received()).some((l) => l.includes('INFO all good')), 'only matching lines are delivered');
  });

  it('an update changes both filters\' patterns in place', async () => {
    const before = (await settle()).out;
    await cfn.send(new UpdateStackCommand({ StackName: 'logs-filters', TemplateBody: JSON.stringify(template('WARN')) }));
    const { status, reasons, out } = await settle();
    assert.equal(status, 'UPDATE_COMPLETE', reasons);
    assert.equal(out.get('MetricFilter'), before.get('MetricFilter'));
    const subs = (await t.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: 'app-logs' }))).subscriptionFilters ?? [];
    assert.deepEqual(subs.map((f) => [f.filterName, f.filterPattern]), [['to-sink', 'WARN']]);
    await put('WARN slow', 'ERROR ignored now');
    await waitFor(async () => (await received()).some((l) => l.endsWith('GOT WARN slow')), 'the WARN line delivered');
    await waitFor(async () => (await errorCount()) === 2, 'the WARN line counted');
  });

  it('deletes the filters, stream and group with the stack', async () => {
    const { stackId } = await settle();
    await cfn.send(new DeleteStackCommand({ StackName: 'logs-filters' }));
    assert.equal((await settledStack(cfn, stackId, 120_000)).StackStatus, 'DELETE_COMPLETE');
    assert.deepEqual((await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'app-logs' }))).logGroups, []);
  });
});
