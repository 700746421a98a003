/**
 * The seeds' order flow end to end: a function writes an order and puts OrderPlaced on a custom bus; a
 * rule routes it to a confirmation function and, through an SNS topic, to a queue; a schedule runs a
 * cleanup function every minute of the test clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

const ACCOUNT = '000000000000';
const MINUTE = 60_000;

describe("the seeds' order flow", () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let scheduler: SchedulerClient;
  let sns: SNSClient;
  let db: DynamoDBClient;
  let sqs: SQSClient;
  const clock = new ManualClock(Math.ceil(Date.now() / MINUTE) * MINUTE);

  before(async () => {
    t = await startTestPlatform({}, undefined, { scheduleClock: clock });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    eb = new EventBridgeClient(config);
    scheduler = new SchedulerClient(config);
    sns = new SNSClient(config);
    db = new DynamoDBClient(config);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    [eb, scheduler, sns, db, sqs].forEach((c) => c.destroy());
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
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      got.push(...(r.Messages ?? []));
    }
    assert.equal(got.length, count, `expected ${count} message(s)`);
    return got;
  }

  it('an order is written, confirmed, fanned out through SNS to a queue, and cleaned up each minute', async () => {
    const confirmations = await queue('flow-confirmations');
    const fulfilment = await queue('flow-fulfilment');
    const reports = await queue('flow-cleanup-reports');
    await db.send(new CreateTableCommand({ TableName: 'orders', AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await eb.send(new CreateEventBusCommand({ Name: 'shop' }));
    const env = (vars: Record<string, string>) => ({ Environment: { Variables: vars } });
    await createFunction(t.lambda, 'flow-place-order', 'order-place', env({ ORDERS_BUS: 'shop', ORDERS_TABLE: 'orders' }));
    await createFunction(t.lambda, 'flow-confirm', 'events-confirm', env({ CONFIRMATIONS_QUEUE_URL: confirmations.url }));
    await createFunction(t.lambda, 'flow-cleanup', 'order-cleanup', env({ ORDERS_TABLE: 'orders', REPORTS_QUEUE_URL: reports.url }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'order-events' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: fulfilment.arn }));
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'order-placed', EventBusName: 'shop', EventPattern: JSON.stringify({ source: ['shop.orders'], 'detail-type': ['OrderPlaced'] }) }));
    await t.lambda.send(new AddPermissionCommand({ FunctionName: 'flow-confirm', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'order-placed',
        EventBusName: 'shop',
        Targets: [
          { Id: 'confirm', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:flow-confirm` },
          { Id: 'fan-out', Arn: TopicArn! },
        ],
      }),
    );
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'cleanup',
        ScheduleExpression: 'rate(1 minute)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:flow-cleanup`, RoleArn: `arn:aws:iam::${ACCOUNT}:role/scheduler`, Input: '{"at":"<aws.scheduler.scheduled-time>"}' },
      }),
    );

    const placed = await t.lambda.send(new InvokeCommand({ FunctionName: 'flow-place-order', Payload: Buffer.from(JSON.stringify({ orderId: 'o-42', email: 'a@example.com' })) }));
    assert.equal(placed.FunctionError, undefined, Buffer.from(placed.Payload ?? []).toString());
    const { eventId } = JSON.parse(Buffer.from(placed.Payload!).toString()) as { eventId: string };
    assert.equal((await db.send(new GetItemCommand({ TableName: 'orders', Key: { orderId: { S: 'o-42' } } }))).Item?.['email']?.S, 'a@example.com');

    const [confirmation] = await receive(confirmations.url, 1);
    const confirmed = JSON.parse(confirmation!.Body!) as { id: string; 'detail-type': string; detail: unknown };
    assert.deepEqual([confirmed.id, confirmed['detail-type'], confirmed.detail], [eventId, 'OrderPlaced', { orderId: 'o-42', email: 'a@example.com' }]);
    const [fannedOut] = await receive(fulfilment.url, 1);
    const envelope = JSON.parse(fannedOut!.Body!) as { Type: string; TopicArn: string; Message: string };
    assert.deepEqual([envelope.Type, envelope.TopicArn, (JSON.parse(envelope.Message) as { id: string }).id], ['Notification', TopicArn, eventId]);

    const first = clock.now() + MINUTE;
    clock.advance(MINUTE);
    const [run1] = await receive(reports.url, 1);
    assert.deepEqual(JSON.parse(run1!.Body!), { ranAt: new Date(first).toISOString().replace('.000Z', 'Z'), removed: ['o-42'] });
    assert.deepEqual((await db.send(new ScanCommand({ TableName: 'orders' }))).Items, []);
    clock.advance(MINUTE);
    const [run2] = await receive(reports.url, 1);
    assert.deepEqual(JSON.parse(run2!.Body!), { ranAt: new Date(first + MINUTE).toISOString().replace('.000Z', 'Z'), removed: [] });
  });
});
