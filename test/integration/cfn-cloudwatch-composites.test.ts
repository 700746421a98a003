/**
 * AWS::CloudWatch::Dashboard, AWS::CloudWatch::CompositeAlarm (over two AWS::CloudWatch::Alarm named in
 * its rule by Fn::Sub, as templates write it) and AWS::Logs::ResourcePolicy through a stack: created in
 * dependency order, updated in place, deleted with the stack.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CloudWatchClient, DescribeAlarmsCommand, GetDashboardCommand, ListDashboardsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeResourcePoliciesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { cfnSuite, clientConfig, eventsOf, settledStack } from '../helpers/cloudformation.js';
import type { TestPlatform } from '../helpers/platform.js';

const STACK = 'observability';

const metricAlarm = (metric: string, name?: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    ...(name ? { AlarmName: name } : {}),
    Namespace: 'AWS/Lambda',
    MetricName: metric,
    Dimensions: [{ Name: 'FunctionName', Value: 'orders' }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
  },
});

const template = (v: { rule: string; title: string; actions: string[] }) => ({
  Resources: {
    ErrorsAlarm: metricAlarm('Errors', 'orders-errors'),
    ThrottlesAlarm: metricAlarm('Throttles'),
    Health: {
      Type: 'AWS::CloudWatch::CompositeAlarm',
      Properties: { AlarmRule: { 'Fn::Sub': v.rule }, AlarmDescription: 'orders is unwell', ActionsEnabled: true, AlarmActions: [] },
    },
    Board: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: {
        DashboardName: 'orders-board',
        DashboardBody: {
          'Fn::Join': ['', ['{"widgets":[{"type":"text","width":24,"height":2,"properties":{"markdown":"# ', v.title, '"}},{"type":"alarm","properties":{"alarms":["', { 'Fn::GetAtt': ['Health', 'Arn'] }, '"]}}]}']],
        },
      },
    },
    Group: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/events/orders' } },
    // What CDK adds when an EventBridge rule targets a log group.
    EventsToLogs: {
      Type: 'AWS::Logs::ResourcePolicy',
      Properties: {
        PolicyName: 'events-to-orders-logs',
        PolicyDocument: {
          'Fn::Join': [
            '',
            ['{"Statement":[{"Action":', JSON.stringify(v.actions), ',"Effect":"Allow","Principal":{"Service":["events.amazonaws.com","delivery.logs.amazonaws.com"]},"Resource":"', { 'Fn::GetAtt': ['Group', 'Arn'] }, '"}],"Version":"2012-10-17"}'],
          ],
        },
      },
    },
  },
  Outputs: {
    HealthName: { Value: { Ref: 'Health' } },
    HealthArn: { Value: { 'Fn::GetAtt': ['Health', 'Arn'] } },
    Board: { Value: { Ref: 'Board' } },
    Policy: { Value: { Ref: 'EventsToLogs' } },
    Throttles: { Value: { Ref: 'ThrottlesAlarm' } },
  },
});

describe('CloudFormation: dashboards, composite alarms and Logs resource policies', () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let cw: CloudWatchClient;
  cfnSuite((s) => {
    ({ t, cfn } = s);
    cw = new CloudWatchClient(clientConfig(t));
  });
  after(() => cw.destroy());

  const settle = async () => {
    const stack = await settledStack(cfn, STACK, 120_000);
    const reasons = (await eventsOf(cfn, STACK)).filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
    return { status: stack.StackStatus, reasons: reasons.join('\n'), out: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const composite = async (name: string) => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms![0];
  const policies = async () => (await t.logs.send(new DescribeResourcePoliciesCommand({}))).resourcePolicies!;
  const first = { rule: 'ALARM(${ErrorsAlarm}) OR ALARM("${ThrottlesAlarm.Arn}")', title: 'Orders', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'] };

  it('creates them in dependency order: the composite after its alarms, the dashboard after the composite', async () => {
    await cfn.send(new CreateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(template(first)) }));
    const s = await settle();
    assert.equal(s.status, 'CREATE_COMPLETE', s.reasons);
    const name = s.out.get('HealthName')!;
    const throttles = s.out.get('Throttles')!;
    assert.match(name, new RegExp(`^${STACK}-Health-`), 'a generated name');
    assert.equal(s.out.get('HealthArn'), `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`);
    assert.deepEqual([s.out.get('Board'), s.out.get('Policy')], ['orders-board', 'events-to-orders-logs']);

    const health = (await composite(name))!;
    assert.equal(health.AlarmRule, `ALARM(orders-errors) OR ALARM("arn:aws:cloudwatch:us-east-1:000000000000:alarm:${throttles}")`);
    assert.equal(health.StateValue, 'OK');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'orders-errors', StateValue: 'ALARM', StateReason: 'test' }));
    assert.equal((await composite(name))!.StateValue, 'ALARM', 'follows its child');

    const board = await cw.send(new GetDashboardCommand({ DashboardName: 'orders-board' }));
    const body = JSON.parse(board.DashboardBody!) as { widgets: { properties: { markdown?: string; alarms?: string[] } }[] };
    assert.equal(body.widgets[0]!.properties.markdown, '# Orders');
    assert.deepEqual(body.widgets[1]!.properties.alarms, [s.out.get('HealthArn')]);

    const [policy] = await policies();
    assert.equal(policy!.policyName, 'events-to-orders-logs');
    const doc = JSON.parse(policy!.policyDocument!) as { Statement: { Action: string[]; Resource: string }[] };
    assert.deepEqual(doc.Statement[0]!.Action, first.actions);
    assert.equal(doc.Statement[0]!.Resource, 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/orders:*');
  });

  it('updates each in place: the rule evaluated again, the body and the document replaced', async () => {
    const next = { rule: 'ALARM(${ErrorsAlarm}) AND ALARM(${ThrottlesAlarm})', title: 'Orders v2', actions: ['logs:PutLogEvents'] };
    await cfn.send(new UpdateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(template(next)) }));
    const s = await settle();
    assert.equal(s.status, 'UPDATE_COMPLETE', s.reasons);
    const health = (await composite(s.out.get('HealthName')!))!;
    assert.match(health.AlarmRule!, /^ALARM\(orders-errors\) AND ALARM\(observability-ThrottlesAlarm-/);
    assert.equal(health.StateValue, 'OK', 'throttles is not in ALARM');
    const board = await cw.send(new GetDashboardCommand({ DashboardName: 'orders-board' }));
    assert.match(board.DashboardBody!, /# Orders v2/);
    const [policy] = await policies();
    assert.deepEqual((JSON.parse(policy!.policyDocument!) as { Statement: { Action: string[] }[] }).Statement[0]!.Action, ['logs:PutLogEvents']);
  });

  it('deletes them with the stack', async () => {
    const name = (await settle()).out.get('HealthName')!;
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    const until = Date.now() + 60_000;
    for (;;) {
      const left = (await cw.send(new ListDashboardsCommand({}))).DashboardEntries!;
      if (left.length === 0 && (await composite(name)) === undefined) break;
      if (Date.now() > until) assert.fail('the stack\'s resources are still there');
      await new Promise((r) => setTimeout(r, 100));
    }
    await settledStack(cfn, STACK).catch(() => undefined);
    assert.deepEqual(await policies(), []);
    const metric = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'orders-' }));
    assert.deepEqual(metric.MetricAlarms, []);
  });
});
