/** EventBridge archives and replays, and SNS topics and other buses as rule targets, through real clients. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
  type DescribeReplayCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';
import { failure, sqsClient } from '../helpers/sqs.js';

const ACCOUNT = '000000000000';

describe('EventBridge archives, replays, SNS and bus targets', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  let sns: SNSClient;

  before(async () => {
    t = await startTestPlatform({ asyncRetryScale: 0.001 });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    eb = new EventBridgeClient(config);
    sns = new SNSClient(config);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    eb.destroy();
    sns.destroy();
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
    assert.equal(got.length, count, `expected ${count} message(s) on ${url}`);
    return got;
  }

  async function replayDone(name: string): Promise<DescribeReplayCommandOutput> {
    const end = Date.now() + 60_000;
    for (;;) {
      const r = await eb.send(new DescribeReplayCommand({ ReplayName: name }));
      if (r.State === 'COMPLETED' || r.State === 'FAILED' || r.State === 'CANCELLED' || Date.now() > end) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('archives the events matching its pattern and replays a window of them, marked, to the bus rules', async () => {
    const bus = (await eb.send(new CreateEventBusCommand({ Name: 'orders-archived' }))).EventBusArn!;
    const target = await queue('archived-orders');
    await eb.send(new PutRuleCommand({ Name: 'all-orders', EventBusName: 'orders-archived', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'all-orders', EventBusName: 'orders-archived', Targets: [{ Id: 'q', Arn: target.arn }] }));
    const created = await eb.send(
      new CreateArchiveCommand({ ArchiveName: 'orders', EventSourceArn: bus, EventPattern: JSON.stringify({ 'detail-type': ['OrderPlaced'] }), RetentionDays: 7 }),
    );
    assert.equal(created.ArchiveArn, `arn:aws:events:us-east-1:${ACCOUNT}:archive/orders`);
    assert.equal((await failure(eb.send(new CreateArchiveCommand({ ArchiveName: 'orders', EventSourceArn: bus })))).name, 'ResourceAlreadyExistsException');
    assert.equal(
      (await failure(eb.send(new CreateArchiveCommand({ ArchiveName: 'nobus', EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/none` })))).name,
      'ResourceNotFoundException',
    );
    assert.equal(
      (await failure(eb.send(new CreateArchiveCommand({ ArchiveName: 'badpattern', EventSourceArn: bus, EventPattern: '{"source": "x"}' })))).name,
      'InvalidEventPatternException',
    );

    const earlier = new Date(Date.now() - 120_000);
    const put = await eb.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'orders-archived', Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":1}', Time: earlier },
          { EventBusName: 'orders-archived', Source: 'shop', DetailType: 'OrderShipped', Detail: '{"id":1}', Time: earlier },
          { EventBusName: 'orders-archived', Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":2}', Time: earlier },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    assert.equal((await receive(target.url, 3)).length, 3);
    const described = await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }));
    assert.equal(described.EventCount, 2);
    assert.ok((described.SizeBytes ?? 0) > 0);
    assert.equal(described.RetentionDays, 7);
    assert.equal(described.EventSourceArn, bus);
    assert.deepEqual((await eb.send(new ListArchivesCommand({ EventSourceArn: bus }))).Archives?.map((a) => a.ArchiveName), ['orders']);

    const started = await eb.send(
      new StartReplayCommand({
        ReplayName: 'orders-again',
        EventSourceArn: created.ArchiveArn,
        EventStartTime: new Date(earlier.getTime() - 60_000),
        EventEndTime: new Date(),
        Destination: { Arn: bus },
      }),
    );
    assert.equal(started.ReplayArn, `arn:aws:events:us-east-1:${ACCOUNT}:replay/orders-again`);
    const done = await replayDone('orders-again');
    assert.equal(done.State, 'COMPLETED');
    assert.equal(done.EventLastReplayedTime?.getTime(), Math.floor(earlier.getTime() / 1000) * 1000);
    const replayed = (await receive(target.url, 2)).map((m) => JSON.parse(m.Body!) as Record<string, unknown>);
    assert.deepEqual(replayed.map((e) => (e['detail'] as { id: number }).id).sort(), [1, 2]);
    assert.ok(replayed.every((e) => e['replay-name'] === 'orders-again' && e['detail-type'] === 'OrderPlaced'));
    // Replayed events are not archived a second time.
    assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }))).EventCount, 2);
    assert.equal((await failure(eb.send(new CancelReplayCommand({ ReplayName: 'orders-again' })))).name, 'IllegalStatusException');
    assert.deepEqual((await eb.send(new ListReplaysCommand({ EventSourceArn: created.ArchiveArn }))).Replays?.map((r) => r.State), ['COMPLETED']);
    // A window that ends in the future is refused, as EventBridge does.
    assert.equal(
      (
        await failure(
          eb.send(new StartReplayCommand({ ReplayName: 'future', EventSourceArn: created.ArchiveArn, EventStartTime: earlier, EventEndTime: new Date(Date.now() + 3_600_000), Destination: { Arn: bus } })),
        )
      ).name,
      'ValidationException',
    );

    await eb.send(new UpdateArchiveCommand({ ArchiveName: 'orders', Description: 'placed orders' }));
    assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }))).Description, 'placed orders');
  });

  it('replays only to the rules FilterArns names', async () => {
    const bus = (await eb.send(new CreateEventBusCommand({ Name: 'filtered' }))).EventBusArn!;
    const a = await queue('filtered-a');
    const b = await queue('filtered-b');
    for (const [name, q] of [['rule-a', a], ['rule-b', b]] as const) {
      await eb.send(new PutRuleCommand({ Name: name, EventBusName: 'filtered', EventPattern: JSON.stringify({ source: ['app'] }) }));
      await eb.send(new PutTargetsCommand({ Rule: name, EventBusName: 'filtered', Targets: [{ Id: 'q', Arn: q.arn }] }));
    }
    const archive = (await eb.send(new CreateArchiveCommand({ ArchiveName: 'filtered-all', EventSourceArn: bus }))).ArchiveArn!;
    const earlier = new Date(Date.now() - 60_000);
    await eb.send(new PutEventsCommand({ Entries: [{ EventBusName: 'filtered', Source: 'app', DetailType: 'T', Detail: '{}', Time: earlier }] }));
    await receive(a.url, 1);
    await receive(b.url, 1);
    await eb.send(
      new StartReplayCommand({
        ReplayName: 'only-a',
        EventSourceArn: archive,
        EventStartTime: new Date(earlier.getTime() - 1000),
        EventEndTime: new Date(),
        Destination: { Arn: bus, FilterArns: [`arn:aws:events:us-east-1:${ACCOUNT}:rule/filtered/rule-a`] },
      }),
    );
    assert.equal((await replayDone('only-a')).State, 'COMPLETED');
    const [again] = await receive(a.url, 1);
    assert.equal((JSON.parse(again!.Body!) as Record<string, unknown>)['replay-name'], 'only-a');
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl: b.url, WaitTimeSeconds: 1 }));
    assert.equal(none.Messages, undefined);
    await eb.send(new DeleteArchiveCommand({ ArchiveName: 'filtered-all' }));
    assert.equal((await failure(eb.send(new DescribeArchiveCommand({ ArchiveName: 'filtered-all' })))).name, 'ResourceNotFoundException');
  });

  it('delivers to an SNS topic and through another event bus', async () => {
    const fanout = await queue('from-topic');
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'order-events' }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: fanout.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await eb.send(new PutRuleCommand({ Name: 'to-topic', EventPattern: JSON.stringify({ source: ['billing'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-topic', Targets: [{ Id: 'topic', Arn: topic, InputPath: '$.detail' }] }));

    const second = (await eb.send(new CreateEventBusCommand({ Name: 'downstream' }))).EventBusArn!;
    const downstream = await queue('downstream');
    await eb.send(new PutRuleCommand({ Name: 'forward', EventPattern: JSON.stringify({ source: ['billing'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'forward', Targets: [{ Id: 'bus', Arn: second }] }));
    await eb.send(new PutRuleCommand({ Name: 'arrive', EventBusName: 'downstream', EventPattern: JSON.stringify({ 'detail-type': ['Invoice'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'arrive', EventBusName: 'downstream', Targets: [{ Id: 'q', Arn: downstream.arn }] }));

    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'billing', DetailType: 'Invoice', Detail: '{"amount":42}' }] }));
    const [viaTopic] = await receive(fanout.url, 1);
    assert.deepEqual(JSON.parse(viaTopic!.Body!), { amount: 42 });
    const [viaBus] = await receive(downstream.url, 1);
    const forwarded = JSON.parse(viaBus!.Body!) as Record<string, unknown>;
    assert.equal(forwarded['id'], put.Entries![0]!.EventId);
    assert.deepEqual(forwarded['detail'], { amount: 42 });

    // An event bus target takes the event as it is: no input shaping.
    const refused = await eb.send(new PutTargetsCommand({ Rule: 'forward', Targets: [{ Id: 'shaped', Arn: second, InputPath: '$.detail' }] }));
    assert.equal(refused.FailedEntryCount, 1);
    assert.equal(refused.FailedEntries?.[0]?.ErrorCode, 'ValidationException');
  });

  it('the aws CLI describes archives', async () => {
    const bus = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
    await eb.send(new CreateArchiveCommand({ ArchiveName: 'cli-archive', EventSourceArn: bus }));
    const out = await run('aws', ['--endpoint-url', t.platform.url, 'events', 'describe-archive', '--archive-name', 'cli-archive', '--output', 'json']);
    assert.equal(out.code, 0, out.stderr);
    const parsed = JSON.parse(out.stdout) as { ArchiveName: string; EventSourceArn: string; EventCount: number };
    assert.equal(parsed.ArchiveName, 'cli-archive');
    assert.equal(parsed.EventSourceArn, bus);
    assert.equal(parsed.EventCount, 0);
  });
});
