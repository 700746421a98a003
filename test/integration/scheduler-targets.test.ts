/**
 * Scheduler's event bus target (EventBridgeParameters) and universal targets (aws-sdk:service:apiAction
 * with the request as Input), on a schedule clock the test moves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient, type SchedulerServiceException } from '@aws-sdk/client-scheduler';
import { PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

const ACCOUNT = '000000000000';
const MINUTE = 60_000;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/scheduler`;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('Scheduler targets', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let scheduler: SchedulerClient;
  let sns: SNSClient;
  let sqs: SQSClient;
  const clock = new ManualClock(Math.ceil(Date.now() / MINUTE) * MINUTE);

  before(async () => {
    // Retry backoff scaled down, so a target's retries run out in milliseconds.
    t = await startTestPlatform({ asyncRetryScale: 0.001 }, undefined, { scheduleClock: clock });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    eb = new EventBridgeClient(config);
    scheduler = new SchedulerClient(config);
    sns = new SNSClient(config);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    [eb, scheduler, sns, sqs].forEach((c) => c.destroy());
    await t.stop();
  });

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
  }

  /** Long-polls until `count` messages arrived, running the schedule timers that have come due first. */
  async function receive(url: string, count: number): Promise<Message[]> {
    const got: Message[] = [];
    const end = Date.now() + 60_000;
    while (got.length < count && Date.now() < end) {
      clock.advance(0);
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      got.push(...(r.Messages ?? []));
    }
    assert.equal(got.length, count, `expected ${count} message(s)`);
    return got;
  }

  const at = (ms: number) => `at(${new Date(ms).toISOString().slice(0, 19)})`;
  const fail = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: SchedulerServiceException) => e);

  it('an event bus target puts an event with its detail-type and source, the Input as detail, for the bus rules', async () => {
    const routed = await queue('sched-bus-routed');
    const { EventBusArn } = await eb.send(new CreateEventBusCommand({ Name: 'sched-bus' }));
    await eb.send(new PutRuleCommand({ Name: 'reports', EventBusName: 'sched-bus', EventPattern: JSON.stringify({ source: ['my.scheduler'], 'detail-type': ['Nightly Report'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'reports', EventBusName: 'sched-bus', Targets: [{ Id: 'q', Arn: routed.arn }] }));
    const due = clock.now() + MINUTE;
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'to-bus',
        ScheduleExpression: at(due),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: EventBusArn!, RoleArn: ROLE_ARN, Input: '{"run":"<aws.scheduler.scheduled-time>"}', EventBridgeParameters: { DetailType: 'Nightly Report', Source: 'my.scheduler' } },
      }),
    );
    const read = await scheduler.send(new GetScheduleCommand({ Name: 'to-bus' }));
    assert.deepEqual(read.Target?.EventBridgeParameters, { DetailType: 'Nightly Report', Source: 'my.scheduler' });
    clock.advance(MINUTE);
    const [m] = await receive(routed.url, 1);
    const event = JSON.parse(m!.Body!) as Record<string, unknown>;
    assert.deepEqual(
      [event['source'], event['detail-type'], event['detail'], event['resources']],
      ['my.scheduler', 'Nightly Report', { run: iso(due) }, [`arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/to-bus`]],
    );
    const missing = await fail(scheduler.send(new CreateScheduleCommand({ Name: 'bus-bare', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: EventBusArn!, RoleArn: ROLE_ARN } })));
    assert.equal(missing.name, 'ValidationException');
  });

  it('universal targets: sqs:sendMessage and sns:publish run with the Input as their request; a failing one goes to the dead-letter queue', async () => {
    const direct = await queue('sched-universal-sqs');
    const viaTopic = await queue('sched-universal-sns');
    const dlq = await queue('sched-universal-dlq');
    const gone = await queue('sched-universal-gone');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sched-universal' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: viaTopic.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const due = clock.now() + MINUTE;
    const schedule = (Name: string, Arn: string, Input: string, extra = {}) =>
      scheduler.send(new CreateScheduleCommand({ Name, ScheduleExpression: at(due), FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn, RoleArn: ROLE_ARN, Input, ...extra } }));
    await schedule('send', 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', JSON.stringify({ QueueUrl: direct.url, MessageBody: 'tick <aws.scheduler.scheduled-time>' }));
    await schedule('publish', 'arn:aws:scheduler:::aws-sdk:sns:publish', JSON.stringify({ TopicArn, Message: 'published by <aws.scheduler.schedule-arn>' }));
    await schedule('lost', 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', JSON.stringify({ QueueUrl: gone.url, MessageBody: 'nowhere' }), {
      DeadLetterConfig: { Arn: dlq.arn },
      RetryPolicy: { MaximumRetryAttempts: 0 },
    });
    clock.advance(MINUTE);
    assert.equal((await receive(direct.url, 1))[0]!.Body, `tick ${iso(due)}`);
    assert.equal((await receive(viaTopic.url, 1))[0]!.Body, `published by arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/publish`);
    const [letter] = await receive(dlq.url, 1);
    assert.equal(JSON.parse(letter!.Body!).MessageBody, 'nowhere');
    assert.equal(letter!.MessageAttributes?.['TARGET_ARN']?.StringValue, 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage');
    assert.match(letter!.MessageAttributes?.['ERROR_MESSAGE']?.StringValue ?? '', /SendMessage/);

    const readOnly = await fail(schedule('peek', 'arn:aws:scheduler:::aws-sdk:sqs:receiveMessage', JSON.stringify({ QueueUrl: direct.url })));
    assert.deepEqual([readOnly.name, readOnly.$metadata.httpStatusCode], ['ValidationException', 400]);
  });

  it('a target that keeps failing with a retryable error is retried per its RetryPolicy, then goes to the dead-letter queue', async () => {
    const dlq = await queue('sched-retried-dlq');
    // No concurrency at all: every synchronous invoke is throttled, which a target retries.
    await createFunction(t.lambda, 'sched-throttled', 'echo');
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'sched-throttled', ReservedConcurrentExecutions: 0 }));
    const due = clock.now() + MINUTE;
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'throttled',
        ScheduleExpression: at(due),
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: 'arn:aws:scheduler:::aws-sdk:lambda:invoke',
          RoleArn: ROLE_ARN,
          Input: JSON.stringify({ FunctionName: 'sched-throttled', Payload: '{}' }),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: dlq.arn },
        },
      }),
    );
    clock.advance(MINUTE);
    const [letter] = await receive(dlq.url, 1);
    const attrs = Object.fromEntries(Object.entries(letter!.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));
    assert.deepEqual([attrs['ERROR_CODE'], attrs['RETRY_ATTEMPTS'], attrs['EXHAUSTED_RETRY_CONDITION']], ['THROTTLING', '2', 'MaximumRetryAttempts']);
    assert.equal(JSON.parse(letter!.Body!).FunctionName, 'sched-throttled');
  });
});
