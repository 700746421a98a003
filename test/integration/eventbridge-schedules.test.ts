/** Scheduled rules and Scheduler schedules, on a schedule clock the test moves: no test waits a real minute. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand, type EventBridgeServiceException } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
  type SchedulerServiceException,
} from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, SELFLESS_BIN } from '../helpers/run.js';
import { sqsClient } from '../helpers/sqs.js';

const ACCOUNT = '000000000000';
const MINUTE = 60_000;

describe('schedules', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let scheduler: SchedulerClient;
  let sqs: SQSClient;
  // Whole minutes, so that occurrences fall where a reader expects them.
  const clock = new ManualClock(Math.ceil(Date.now() / MINUTE) * MINUTE);

  before(async () => {
    t = await startTestPlatform({}, undefined, { scheduleClock: clock });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    eb = new EventBridgeClient(config);
    scheduler = new SchedulerClient(config);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    eb.destroy();
    scheduler.destroy();
    sqs.destroy();
    await t.stop();
  });

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
  }

  /**
   * Long-polls until `count` messages arrived. Each poll first runs the schedule timers that have come
   * due: a schedule arms its next occurrence only after firing, possibly after the test moved the clock.
   */
  const receiveAll = (url: string, count: number) => receive(url, count, 60_000, ['All']);

  async function receive(url: string, count: number, deadlineMs = 60_000, attributes?: string[]): Promise<Message[]> {
    const got: Message[] = [];
    const end = Date.now() + deadlineMs;
    while (got.length < count && Date.now() < end) {
      clock.advance(0);
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, ...(attributes ? { MessageAttributeNames: attributes } : {}) }));
      got.push(...(r.Messages ?? []));
    }
    assert.equal(got.length, count, `expected ${count} message(s)`);
    return got;
  }

  it('a rate(1 minute) rule runs a function and feeds a queue every minute of the test clock', async () => {
    const ran = await queue('sched-ran');
    const events = await queue('sched-events');
    await createFunction(t.lambda, 'sched-cleanup', 'events-confirm', { Environment: { Variables: { CONFIRMATIONS_QUEUE_URL: ran.url } } });
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }));
    await t.lambda.send(new AddPermissionCommand({ FunctionName: 'sched-cleanup', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'every-minute',
        Targets: [
          { Id: 'fn', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:sched-cleanup` },
          { Id: 'q', Arn: events.arn },
        ],
      }),
    );
    const created = clock.now();
    clock.advance(MINUTE);
    const [first] = await receive(events.url, 1);
    const event = JSON.parse(first!.Body!) as Record<string, unknown>;
    assert.deepEqual(
      { source: event['source'], type: event['detail-type'], resources: event['resources'], detail: event['detail'] },
      { source: 'aws.events', type: 'Scheduled Event', resources: [RuleArn], detail: {} },
    );
    // rate() counts from the rule's creation; the occurrence is the event's time.
    const time = Date.parse(event['time'] as string);
    assert.ok(time > created - MINUTE && time <= created + MINUTE, `${String(event['time'])} is the first occurrence`);
    const [ranOnce] = await receive(ran.url, 1);
    assert.equal((JSON.parse(ranOnce!.Body!) as { 'detail-type': string })['detail-type'], 'Scheduled Event');
    clock.advance(MINUTE);
    clock.advance(MINUTE);
    await receive(events.url, 2);
    await receive(ran.url, 2);
  });

  it('scheduled rules: UTC rate() and cron() only, on the default bus', async () => {
    const fail = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: EventBridgeServiceException) => e);
    assert.equal((await fail(eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })))).name, 'ValidationException');
    assert.equal((await fail(eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(0 12 * * * *)' })))).name, 'ValidationException');
    assert.equal((await fail(eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'at(2026-01-01T00:00:00)' })))).name, 'ValidationException');
    await eb.send(new PutRuleCommand({ Name: 'weekdays', ScheduleExpression: 'cron(0 9 ? * MON-FRI *)' }));
  });

  const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/scheduler`;
  const failS = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: SchedulerServiceException) => e);

  it('Scheduler: schedule groups created, read, listed and deleted with their schedules', async () => {
    const { ScheduleGroupArn } = await scheduler.send(new CreateScheduleGroupCommand({ Name: 'jobs' }));
    assert.equal(ScheduleGroupArn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/jobs`);
    const conflict = await failS(scheduler.send(new CreateScheduleGroupCommand({ Name: 'jobs' })));
    assert.deepEqual([conflict.name, conflict.$metadata.httpStatusCode], ['ConflictException', 409]);
    assert.equal((await scheduler.send(new GetScheduleGroupCommand({ Name: 'jobs' }))).State, 'ACTIVE');
    assert.deepEqual((await scheduler.send(new ListScheduleGroupsCommand({}))).ScheduleGroups?.map((g) => g.Name), ['default', 'jobs']);
    const q = await queue('sched-group-q');
    await scheduler.send(new CreateScheduleCommand({ Name: 'in-group', GroupName: 'jobs', ScheduleExpression: 'rate(5 minutes)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: q.arn, RoleArn: ROLE_ARN } }));
    await scheduler.send(new DeleteScheduleGroupCommand({ Name: 'jobs' }));
    const gone = await failS(scheduler.send(new GetScheduleCommand({ Name: 'in-group', GroupName: 'jobs' })));
    assert.deepEqual([gone.name, gone.$metadata.httpStatusCode], ['ResourceNotFoundException', 404]);
  });

  it('Scheduler: a rate(1 minute) schedule runs a function every minute; read back, listed, updated', async () => {
    const ran = await queue('sched-fn-ran');
    await createFunction(t.lambda, 'sched-every-minute', 'events-confirm', { Environment: { Variables: { CONFIRMATIONS_QUEUE_URL: ran.url } } });
    const target = { Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:sched-every-minute`, RoleArn: ROLE_ARN, Input: '{"job":"cleanup","at":"<aws.scheduler.scheduled-time>"}' };
    const { ScheduleArn } = await scheduler.send(new CreateScheduleCommand({ Name: 'cleanup', ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target }));
    assert.equal(ScheduleArn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/cleanup`);
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'cleanup' }));
    assert.deepEqual([got.ScheduleExpression, got.ScheduleExpressionTimezone, got.State, got.FlexibleTimeWindow?.Mode, got.Target?.Input], ['rate(1 minute)', 'UTC', 'ENABLED', 'OFF', target.Input]);
    assert.ok(got.CreationDate instanceof Date);
    for (let i = 0; i < 3; i++) clock.advance(MINUTE);
    const runs = (await receive(ran.url, 3)).map((m) => JSON.parse(m.Body!) as { job: string; at: string });
    assert.deepEqual(runs.map((r) => r.job), ['cleanup', 'cleanup', 'cleanup']);
    assert.equal(new Set(runs.map((r) => r.at)).size, 3, 'one run per occurrence');
    assert.ok(runs.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.at)));
    const listed = await scheduler.send(new ListSchedulesCommand({ NamePrefix: 'clean' }));
    assert.deepEqual(listed.Schedules?.map((x) => [x.Name, x.GroupName, x.Target?.Arn]), [['cleanup', 'default', target.Arn]]);

    await scheduler.send(new UpdateScheduleCommand({ Name: 'cleanup', ScheduleExpression: 'rate(1 minute)', State: 'DISABLED', FlexibleTimeWindow: { Mode: 'OFF' }, Target: target }));
    clock.advance(MINUTE);
    clock.advance(MINUTE);
    const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl: ran.url, WaitTimeSeconds: 2 }));
    assert.equal(after.Messages, undefined, 'a disabled schedule does not run');
  });

  it('Scheduler: a one-time at() schedule in a time zone sends its templated input to a queue once, then deletes itself', async () => {
    const q = await queue('sched-once');
    // Two minutes ahead of the schedule clock, written in Tokyo's wall time (UTC+9, no daylight saving).
    const due = clock.now() + 2 * MINUTE;
    const tokyo = new Date(due + 9 * 3_600_000).toISOString().slice(0, 19);
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'once',
        ScheduleExpression: `at(${tokyo})`,
        ScheduleExpressionTimezone: 'Asia/Tokyo',
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: q.arn, RoleArn: ROLE_ARN, Input: '{"schedule":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>"}' },
      }),
    );
    clock.advance(MINUTE);
    clock.advance(MINUTE);
    const [m] = await receive(q.url, 1);
    assert.deepEqual(JSON.parse(m!.Body!), { schedule: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/once`, at: new Date(due).toISOString().replace('.000Z', 'Z') });
    const deadline = Date.now() + 30_000;
    let gone: SchedulerServiceException | undefined;
    while (!gone && Date.now() < deadline) {
      gone = await scheduler.send(new GetScheduleCommand({ Name: 'once' })).then(() => undefined, (e: SchedulerServiceException) => e);
      if (!gone) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(gone?.name, 'ResourceNotFoundException');
  });

  it("Scheduler: a target that cannot be delivered to sends the payload to the schedule's dead-letter queue", async () => {
    const dlq = await queue('sched-dlq');
    const gone = await queue('sched-gone');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'undeliverable',
        ScheduleExpression: 'rate(1 minute)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: gone.arn, RoleArn: ROLE_ARN, Input: '{"job":"report"}', DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 0 } },
      }),
    );
    clock.advance(MINUTE);
    const [m] = await receiveAll(dlq.url, 1);
    assert.equal(m!.Body, '{"job":"report"}');
    assert.equal(m!.MessageAttributes?.['SCHEDULE_ARN']?.StringValue, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/undeliverable`);
    assert.equal(m!.MessageAttributes?.['TARGET_ARN']?.StringValue, gone.arn);
    assert.equal(m!.MessageAttributes?.['ERROR_CODE']?.StringValue, 'RESOURCE_NOT_FOUND');
    await scheduler.send(new UpdateScheduleCommand({ Name: 'undeliverable', ScheduleExpression: 'rate(1 minute)', State: 'DISABLED', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: gone.arn, RoleArn: ROLE_ARN } }));
  });

  it('Scheduler: what it refuses', async () => {
    const q = await queue('sched-refused');
    const base = { FlexibleTimeWindow: { Mode: 'OFF' as const }, Target: { Arn: q.arn, RoleArn: ROLE_ARN } };
    for (const ScheduleExpression of ['rate(0 minutes)', 'cron(0 9 * * * *)', 'at(2026-13-01T00:00:00)', 'every day']) {
      const e = await failS(scheduler.send(new CreateScheduleCommand({ Name: 'bad', ScheduleExpression, ...base })));
      assert.deepEqual([e.name, e.$metadata.httpStatusCode], ['ValidationException', 400], ScheduleExpression);
    }
    const zone = await failS(scheduler.send(new CreateScheduleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'Mars/Olympus', ...base })));
    assert.equal(zone.name, 'ValidationException');
    const flex = await failS(scheduler.send(new CreateScheduleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE' }, Target: base.Target })));
    assert.equal(flex.name, 'ValidationException');
    const noGroup = await failS(scheduler.send(new CreateScheduleCommand({ Name: 'bad', GroupName: 'nope', ScheduleExpression: 'rate(1 hour)', ...base })));
    assert.equal(noGroup.name, 'ResourceNotFoundException');
    await scheduler.send(new CreateScheduleCommand({ Name: 'twice', ScheduleExpression: 'rate(1 hour)', ...base }));
    assert.equal((await failS(scheduler.send(new CreateScheduleCommand({ Name: 'twice', ScheduleExpression: 'rate(1 hour)', ...base })))).name, 'ConflictException');
  });

  it('Scheduler through boto3: a cron() schedule with a flexible window in a zone, read back', async () => {
    const q = await queue('sched-boto3');
    const script = `
import boto3, json, sys
s = boto3.client('scheduler', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
arn = s.create_schedule(Name='py-nightly', ScheduleExpression='cron(30 2 * * ? *)', ScheduleExpressionTimezone='America/New_York',
    FlexibleTimeWindow={'Mode': 'FLEXIBLE', 'MaximumWindowInMinutes': 15}, Target={'Arn': sys.argv[2], 'RoleArn': '${ROLE_ARN}', 'Input': '{}'})['ScheduleArn']
got = s.get_schedule(Name='py-nightly')
print(json.dumps({'arn': arn, 'zone': got['ScheduleExpressionTimezone'], 'flex': got['FlexibleTimeWindow'], 'names': [x['Name'] for x in s.list_schedules(NamePrefix='py-')['Schedules']]}))
`;
    const res = await run('python3', ['-c', script, t.platform.url, q.arn]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), {
      arn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/py-nightly`,
      zone: 'America/New_York',
      flex: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      names: ['py-nightly'],
    });
  });

  it('selfless schedules and selfless events: next fire times, last results, match and delivery counts', async () => {
    const schedules = await run(process.execPath, [SELFLESS_BIN, 'schedules', '--endpoint', t.platform.url]);
    assert.equal(schedules.code, 0, schedules.stderr);
    const lines = schedules.stdout.split('\n');
    const rule = lines.findIndex((l) => l.includes('rule     default/every-minute  rate(1 minute) (UTC)  next 20'));
    assert.ok(rule >= 0, schedules.stdout);
    // The rule kept firing while the later tests moved the clock: at least the three seen above.
    const fired = /sent to 2 target\(s\)  \(fired (\d+), skipped 0\)/.exec(lines[rule + 1]!);
    assert.ok(fired && Number(fired[1]) >= 3, lines[rule + 1]);
    const cleanup = lines.findIndex((l) => l.startsWith('DISABLED schedule default/cleanup  rate(1 minute) (UTC)  next none'));
    assert.ok(cleanup >= 0, schedules.stdout);
    assert.match(lines[cleanup + 1]!, /sent to arn:aws:lambda:us-east-1:000000000000:function:sched-every-minute  \(fired 3, skipped 0\)/);

    const events = await run(process.execPath, [SELFLESS_BIN, 'events', '--endpoint', t.platform.url]);
    assert.equal(events.code, 0, events.stderr);
    const counts = /ENABLED  default\/every-minute  2 target\(s\)  matched (\d+), delivered (\d+), failed 0/.exec(events.stdout);
    assert.ok(counts, events.stdout);
    assert.equal(Number(counts[1]), Number(fired[1]), 'each firing is one match');
    assert.ok(Number(counts[2]) >= 6 && Number(counts[2]) <= 2 * Number(counts[1]));
  });
});
