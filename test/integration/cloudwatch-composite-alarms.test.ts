import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  type CompositeAlarm,
} from '@aws-sdk/client-cloudwatch';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';
import { sqsClient } from '../helpers/sqs.js';

interface Failure {
  name: string;
  /** The query error code, which the SDK keeps beside the name it gives. */
  Code?: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}
const failure = (p: Promise<unknown>): Promise<Failure> =>
  p.then(
    () => assert.fail('expected an error'),
    (e: Failure) => e,
  );
interface CompositeMessage {
  AlarmName: string;
  AlarmArn: string;
  OldStateValue: string;
  NewStateValue: string;
  NewStateReason: string;
  AlarmRule: string;
}
const ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:';

describe('CloudWatch composite alarms', () => {
  let t: TestPlatform;
  let cw: CloudWatchClient;
  let sqs: SQSClient;
  const clock = new ManualClock();
  const queues: Record<string, { url: string; arn: string }> = {};
  let responderArn = '';

  /** A metric alarm on a function's errors, OK until its state is set or the function fails (ALARM from the start if missing data is breaching). */
  const errorsAlarm = (AlarmName: string, FunctionName = 'never-invoked', TreatMissingData = 'notBreaching') =>
    cw.send(
      new PutMetricAlarmCommand({
        AlarmName,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: FunctionName }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData,
      }),
    );
  const composite = async (name: string): Promise<CompositeAlarm> => {
    const res = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['CompositeAlarm'] }));
    assert.equal(res.CompositeAlarms!.length, 1, `${name} is described`);
    return res.CompositeAlarms![0]!;
  };
  const setState = (AlarmName: string, StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA') => cw.send(new SetAlarmStateCommand({ AlarmName, StateValue, StateReason: 'set by the test' }));
  const nextMessage = async (queue: string): Promise<CompositeMessage> => {
    for (let i = 0; i < 20; i++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues[queue]!.url, WaitTimeSeconds: 1, MaxNumberOfMessages: 1 }));
      if (Messages?.[0]) return JSON.parse(Messages[0].Body!) as CompositeMessage;
    }
    throw new Error(`no message on ${queue}`);
  };
  const history = async (AlarmName: string) =>
    (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName, AlarmTypes: ['CompositeAlarm'] }))).AlarmHistoryItems!.map((h) => {
      assert.equal(h.AlarmType, 'CompositeAlarm');
      const data = JSON.parse(h.HistoryData!) as { oldState: { stateValue: string }; newState: { stateValue: string } };
      return `${data.oldState.stateValue}->${data.newState.stateValue}`;
    });

  before(async () => {
    t = await startTestPlatform({}, undefined, { alarmClock: clock });
    cw = new CloudWatchClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    sqs = sqsClient(t.platform.url);
    for (const name of ['composite-alarm', 'composite-ok']) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      queues[name] = { url: QueueUrl!, arn: attrs.Attributes!['QueueArn']! };
    }
    await createFunction(t.lambda, 'responder', 'echo');
    await createFunction(t.lambda, 'flaky', 'actions');
    responderArn = (await t.lambda.send(new GetFunctionCommand({ FunctionName: 'responder' }))).Configuration!.FunctionArn!;
  });
  after(async () => {
    cw.destroy();
    sqs.destroy();
    await t.stop();
  });

  it('follows ALARM(a) AND NOT OK(b) as its children change state, with history and actions', async () => {
    await errorsAlarm('child-a');
    await errorsAlarm('child-b');
    await cw.send(
      new PutCompositeAlarmCommand({
        AlarmName: 'a-not-b',
        AlarmDescription: 'a alarms while b is not fine',
        AlarmRule: `ALARM("child-a") AND NOT OK(${ARN}child-b)`,
        AlarmActions: [queues['composite-alarm']!.arn, responderArn],
        OKActions: [queues['composite-ok']!.arn],
        Tags: [{ Key: 'team', Value: 'ops' }],
      }),
    );
    const created = await composite('a-not-b');
    assert.equal(created.StateValue, 'OK', 'evaluated at creation: a is OK');
    assert.equal(created.AlarmRule, `ALARM("child-a") AND NOT OK(${ARN}child-b)`);
    assert.equal(created.AlarmArn, `${ARN}a-not-b`);
    assert.equal(created.ActionsEnabled, true);
    assert.deepEqual(created.AlarmActions, [queues['composite-alarm']!.arn, responderArn]);
    const first = await nextMessage('composite-ok');
    assert.deepEqual([first.AlarmName, first.OldStateValue, first.NewStateValue], ['a-not-b', 'INSUFFICIENT_DATA', 'OK']);

    await setState('child-a', 'ALARM');
    assert.equal((await composite('a-not-b')).StateValue, 'OK', 'b is still OK');
    await setState('child-b', 'ALARM');
    const alarmed = await composite('a-not-b');
    assert.equal(alarmed.StateValue, 'ALARM');
    assert.match(alarmed.StateReason!, new RegExp(`${ARN}child-b transitioned to ALARM`));
    const msg = await nextMessage('composite-alarm');
    assert.deepEqual([msg.AlarmName, msg.AlarmArn, msg.OldStateValue, msg.NewStateValue, msg.AlarmRule], ['a-not-b', `${ARN}a-not-b`, 'OK', 'ALARM', alarmed.AlarmRule]);
    await waitFor(async () => {
      const m = (await (await fetch(`${t.platform.url}/_selfless/functions/responder/metrics?minutes=5`)).json()) as { Total: { Invocations: number } };
      return m.Total.Invocations > 0;
    }, 'the Lambda action to run');

    await setState('child-b', 'INSUFFICIENT_DATA');
    assert.equal((await composite('a-not-b')).StateValue, 'ALARM', 'NOT OK(b) still holds');
    await setState('child-a', 'OK');
    assert.equal((await composite('a-not-b')).StateValue, 'OK');
    assert.equal((await nextMessage('composite-ok')).OldStateValue, 'ALARM');
    assert.deepEqual(await history('a-not-b'), ['ALARM->OK', 'OK->ALARM', 'INSUFFICIENT_DATA->OK']);

    // Without AlarmTypes only metric alarms are described; the relations answer both ways.
    const plain = await cw.send(new DescribeAlarmsCommand({}));
    assert.deepEqual(plain.CompositeAlarms, []);
    assert.ok(plain.MetricAlarms!.some((a) => a.AlarmName === 'child-a'));
    const children = await cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'a-not-b', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    assert.deepEqual(children.MetricAlarms!.map((a) => a.AlarmName), ['child-a', 'child-b']);
    const parents = await cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'child-b', AlarmTypes: ['CompositeAlarm'] }));
    assert.deepEqual(parents.CompositeAlarms!.map((a) => a.AlarmName), ['a-not-b']);
    const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: `${ARN}a-not-b` }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'ops' }]);

    // The aws CLI v1 speaks CloudWatch's query protocol.
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'cloudwatch', 'describe-alarms', '--alarm-types', 'CompositeAlarm', '--alarm-names', 'a-not-b']);
    assert.equal(cli.code, 0, cli.stderr);
    const out = JSON.parse(cli.stdout) as { CompositeAlarms: { AlarmName: string; AlarmRule: string; StateValue: string; ActionsEnabled: boolean; OKActions: string[] }[]; MetricAlarms: unknown[] };
    assert.deepEqual(out.MetricAlarms, []);
    assert.deepEqual(
      out.CompositeAlarms.map((c) => [c.AlarmName, c.AlarmRule, c.StateValue, c.ActionsEnabled, c.OKActions]),
      [['a-not-b', `ALARM("child-a") AND NOT OK(${ARN}child-b)`, 'OK', true, [queues['composite-ok']!.arn]]],
    );
  });

  it('follows a metric alarm driven by real metric data', async () => {
    await errorsAlarm('flaky-errors', 'flaky');
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'flaky-any', AlarmRule: 'ALARM(flaky-errors) OR FALSE' }));
    assert.equal((await composite('flaky-any')).StateValue, 'OK');
    for (let i = 0; i < 2; i++) assert.equal((await t.lambda.send(new InvokeCommand({ FunctionName: 'flaky', Payload: Buffer.from('{"action":"throw"}') }))).FunctionError, 'Unhandled');
    // Metrics are stamped by the server's own clock: step the alarm clock past the minute they fell in.
    const m = (await (await fetch(`${t.platform.url}/_selfless/functions/flaky/metrics?minutes=5`)).json()) as { PerMinute: { Minute: string; Errors: number }[] };
    const errorMinute = Date.parse(m.PerMinute.find((p) => p.Errors > 0)!.Minute);
    clock.advance(Math.max(60_000, errorMinute + 60_000 - clock.now()));
    await waitFor(async () => (await composite('flaky-any')).StateValue === 'ALARM', 'the composite to follow its child to ALARM');
    const child = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['flaky-errors'] }))).MetricAlarms![0]!;
    assert.equal(child.StateValue, 'ALARM');
    assert.match(child.StateReason!, /Threshold Crossed/);
  });

  it('nests: a composite of a composite, set by hand too; a child in a rule cannot be deleted first', async () => {
    await errorsAlarm('inner-1');
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'inner', AlarmRule: 'ALARM(inner-1)' }));
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'outer', AlarmRule: `ALARM(inner) AND TRUE`, ActionsEnabled: false, AlarmActions: [queues['composite-alarm']!.arn] }));
    assert.equal((await composite('outer')).StateValue, 'OK');
    await setState('inner-1', 'ALARM');
    assert.equal((await composite('inner')).StateValue, 'ALARM');
    assert.equal((await composite('outer')).StateValue, 'ALARM');
    assert.match((await composite('outer')).StateReason!, /alarm:inner transitioned to ALARM/);

    await setState('inner', 'OK');
    assert.equal((await composite('outer')).StateValue, 'OK', 'follows its child set by hand');
    // A child's new rule changes its state, which the parent follows.
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'inner', AlarmRule: 'TRUE' }));
    assert.equal((await composite('outer')).StateValue, 'ALARM', 'follows its child\'s new rule');
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'inner', AlarmRule: 'ALARM(inner-1) AND FALSE' }));
    assert.equal((await composite('outer')).StateValue, 'OK');
    assert.deepEqual(await history('outer'), ['ALARM->OK', 'OK->ALARM', 'ALARM->OK', 'OK->ALARM', 'INSUFFICIENT_DATA->OK']);

    const refused = await failure(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['inner'] })));
    assert.equal(refused.Code, 'ValidationError');
    assert.match(refused.message, /outer/);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['outer', 'inner'] }));
    const left = await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'], AlarmNamePrefix: 'inner' }));
    assert.deepEqual(left.CompositeAlarms, []);
    assert.deepEqual(await history('outer'), [], 'history goes with the alarm');
    // A child deleted from under a rule is in no state.
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'not-ok', AlarmRule: 'NOT OK(inner-1)' }));
    await setState('inner-1', 'OK');
    assert.equal((await composite('not-ok')).StateValue, 'OK');
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['inner-1'] }));
    assert.equal((await composite('not-ok')).StateValue, 'ALARM');
  });

  it('keeps its actions back while its ActionsSuppressor is in ALARM', async () => {
    await errorsAlarm('maintenance');
    await errorsAlarm('busy');
    await setState('maintenance', 'ALARM');
    await cw.send(
      new PutCompositeAlarmCommand({
        AlarmName: 'busy-unless-maintenance',
        AlarmRule: 'ALARM(busy)',
        ActionsSuppressor: 'maintenance',
        ActionsSuppressorWaitPeriod: 60,
        ActionsSuppressorExtensionPeriod: 120,
      }),
    );
    await setState('busy', 'ALARM');
    const c = await composite('busy-unless-maintenance');
    assert.deepEqual([c.StateValue, c.ActionsSuppressedBy, c.ActionsSuppressor, c.ActionsSuppressorWaitPeriod, c.ActionsSuppressorExtensionPeriod], ['ALARM', 'Alarm', `${ARN}maintenance`, 60, 120]);
    await setState('maintenance', 'OK');
    await setState('busy', 'OK');
    const after = await composite('busy-unless-maintenance');
    assert.deepEqual([after.StateValue, after.ActionsSuppressedBy], ['OK', 'ExtensionPeriod'], 'the suppressor left ALARM less than 120 s ago');
  });

  it('holds ALARM actions for the suppressor\'s wait period, then runs them unless it went to ALARM', async () => {
    // Missing data is breaching: these stay in ALARM whenever the minute tick evaluates them.
    await errorsAlarm('always-busy', 'never-invoked', 'breaching');
    await errorsAlarm('quiet-1');
    await errorsAlarm('quiet-2');
    const put = (AlarmName: string, suppressor: string) =>
      cw.send(
        new PutCompositeAlarmCommand({
          AlarmName,
          AlarmRule: 'ALARM(always-busy)',
          AlarmActions: [queues['composite-alarm']!.arn],
          ActionsSuppressor: suppressor,
          ActionsSuppressorWaitPeriod: 30,
          ActionsSuppressorExtensionPeriod: 30,
        }),
      );
    await put('waits-then-acts', 'quiet-1');
    await put('waits-then-holds', 'quiet-2');
    for (const name of ['waits-then-acts', 'waits-then-holds']) {
      const c = await composite(name);
      assert.deepEqual([c.StateValue, c.ActionsSuppressedBy], ['ALARM', 'WaitPeriod'], name);
    }
    await setState('quiet-2', 'ALARM');
    clock.advance(30_000);
    await waitFor(async () => (await composite('waits-then-acts')).ActionsSuppressedBy === undefined, 'the wait period to end');
    for (;;) {
      const msg = await nextMessage('composite-alarm');
      if (msg.AlarmName !== 'waits-then-acts') continue;
      assert.deepEqual([msg.OldStateValue, msg.NewStateValue], ['INSUFFICIENT_DATA', 'ALARM']);
      break;
    }
    await waitFor(async () => (await composite('waits-then-holds')).ActionsSuppressedBy !== 'WaitPeriod', 'the other wait period to end');
    const held = await composite('waits-then-holds');
    // Its suppressor is in ALARM, or left it within the extension period when the minute tick evaluated it.
    assert.equal(held.StateValue, 'ALARM');
    assert.ok(['Alarm', 'ExtensionPeriod'].includes(held.ActionsSuppressedBy!), held.ActionsSuppressedBy);
  });

  it('refuses a rule that does not parse, names unknown alarms or itself', async () => {
    const bad = await failure(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'bad', AlarmRule: 'ALARM(child-a) AND' })));
    // CloudWatch's ValidationError is outside its model: the SDK v3 names it ValidationException and keeps the code.
    assert.deepEqual([bad.name, bad.Code, bad.$metadata.httpStatusCode], ['ValidationException', 'ValidationError', 400]);
    assert.match(bad.message, /^Error in AlarmRule \[Unexpected end of rule at char 18\]/);
    const token = await failure(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'bad', AlarmRule: '()' })));
    assert.equal(token.message, "Error in AlarmRule [Unsupported token ')' at char 1]");
    const unknown = await failure(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'bad', AlarmRule: 'ALARM(child-a) OR OK(nope) OR ALARM(nada)' })));
    assert.equal(unknown.Code, 'ValidationError');
    assert.match(unknown.message, /alarms \[nope, nada\] in the alarm rule do not exist/);
    const self = await failure(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'child-c', AlarmRule: 'ALARM(child-c)' })));
    assert.equal(self.Code, 'ValidationError');
    assert.match(self.message, /cannot refer to itself/);
    const taken = await failure(cw.send(new PutCompositeAlarmCommand({ AlarmName: 'child-a', AlarmRule: 'TRUE' })));
    assert.equal(taken.Code, 'ValidationError', 'a metric alarm has the name');
    const takenToo = await failure(
      cw.send(new PutMetricAlarmCommand({ AlarmName: 'a-not-b', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'x' }], Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' })),
    );
    assert.equal(takenToo.Code, 'ValidationError', 'a composite alarm has the name');
    const described = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['bad', 'child-c'], AlarmTypes: ['CompositeAlarm'] }));
    assert.deepEqual(described.CompositeAlarms, []);
  });
});
