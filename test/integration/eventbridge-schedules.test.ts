/** Scheduled rules and Scheduler schedules, on a schedule clock the test moves: no test waits a real minute. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand, type EventBridgeServiceException } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

const ACCOUNT = '000000000000';
const MINUTE = 60_000;

describe('schedules', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  // Whole minutes, so that occurrences fall where a reader expects them.
  const clock = new ManualClock(Math.ceil(Date.now() / MINUTE) * MINUTE);

  before(async () => {
    t = await startTestPlatform({}, undefined, { scheduleClock: clock });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    eb = new EventBridgeClient(config);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    eb.destroy();
    sqs.destroy();
    await t.stop();
  });

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
  }

  async function receive(url: string, count: number, deadlineMs = 60_000): Promise<Message[]> {
    const got: Message[] = [];
    const end = Date.now() + deadlineMs;
    while (got.length < count && Date.now() < end) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
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
});
