import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStreamCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateEventSourceMappingCommand, CreateFunctionUrlConfigCommand, GetEventSourceMappingCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { dynamoClients } from '../helpers/dynamodb.js';
import { doorFetch } from '../helpers/front-door-http.js';
import { kinesisClient, streamArn } from '../helpers/kinesis.js';
import { CREDENTIALS, createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

type Rec = Record<string, any>;
const ACCOUNT = '000000000000';

/**
 * The seeds' order flow end to end: an HTTP-facing function writes orders to a table; the table's
 * stream triggers a function that puts an event on EventBridge, whose rule sends it to a queue; a
 * Kinesis producer function and a consumer mapping with a tumbling window.
 */
describe("the seeds' order flow", () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  let k: KinesisClient;
  let ddb: ReturnType<typeof dynamoClients>;
  let eb: EventBridgeClient;
  before(async () => {
    t = await startTestPlatform();
    sqs = sqsClient(t.platform.url);
    k = kinesisClient(t.platform.url);
    ddb = dynamoClients(t.platform.url);
    eb = new EventBridgeClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    sqs.destroy();
    k.destroy();
    ddb.destroy();
    eb.destroy();
    await t.stop();
  });

  /** The next `n` message bodies of a queue, parsed (bounded wait). */
  async function receive(QueueUrl: string, n: number): Promise<Rec[]> {
    const got: Rec[] = [];
    const deadline = Date.now() + 60_000;
    while (got.length < n && Date.now() < deadline) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of r.Messages ?? []) {
        got.push(JSON.parse(m.Body!) as Rec);
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    assert.equal(got.length, n, `expected ${n} messages, got ${got.length}`);
    return got;
  }

  async function mapping(FunctionName: string, EventSourceArn: string, extra: Record<string, unknown> = {}): Promise<void> {
    const m = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName, EventSourceArn, StartingPosition: 'TRIM_HORIZON', ...extra }));
    await waitFor(async () => (await t.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State === 'Enabled', 'mapping enabled');
  }

  it('orders posted over HTTP land in the table, and its stream turns each into an OrderPlaced event on a queue', async () => {
    const created = await ddb.ddb.send(
      new CreateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const events = (await sqs.send(new CreateQueueCommand({ QueueName: 'order-events' }))).QueueUrl!;
    await eb.send(new CreateEventBusCommand({ Name: 'orders' }));
    await eb.send(new PutRuleCommand({ Name: 'placed', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['shop.orders'], 'detail-type': ['OrderPlaced'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'placed', EventBusName: 'orders', Targets: [{ Id: 'queue', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:order-events` }] }));

    await createFunction(t.lambda, 'orders-api', 'order-flow', { Environment: { Variables: { ROLE: 'api', ORDERS_TABLE: 'Orders' } } });
    const url = (await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'orders-api', AuthType: 'NONE' }))).FunctionUrl!;
    await createFunction(t.lambda, 'orders-notify', 'order-flow', { Environment: { Variables: { ROLE: 'notify', ORDERS_BUS: 'orders' } } });
    await mapping('orders-notify', created.TableDescription!.LatestStreamArn!);

    const orders = [
      { id: 'o-1', total: 12.5 },
      { id: 'o-2', total: 40 },
      { id: 'o-3', total: 7 },
    ];
    for (const order of orders) {
      const res = await doorFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) });
      assert.equal(res.status, 201, await res.clone().text());
      assert.deepEqual(await res.json(), { id: order.id });
    }
    const stored = await ddb.ddb.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'o-2' } } }));
    assert.deepEqual(stored.Item, { id: { S: 'o-2' }, total: { N: '40' } });
    // A repeated order is refused by the function's condition and leaves no second event.
    const again = await doorFetch(url, { method: 'POST', body: JSON.stringify(orders[0]) });
    assert.equal(again.status, 502);

    const placed = await receive(events, orders.length);
    assert.deepEqual(
      placed.map((e) => [e['source'], e['detail-type'], e['detail']]).sort((a, b) => String(a[2].id).localeCompare(b[2].id)),
      orders.map((o) => ['shop.orders', 'OrderPlaced', o]),
    );
    const more = await sqs.send(new ReceiveMessageCommand({ QueueUrl: events, WaitTimeSeconds: 2 }));
    assert.deepEqual(more.Messages ?? [], [], 'one event per order');
  });

  it('a Kinesis producer function feeds a consumer mapping whose tumbling window counts every click', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 1 }));
    const results = (await sqs.send(new CreateQueueCommand({ QueueName: 'click-windows.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
    await createFunction(t.lambda, 'clicks-producer', 'order-flow', { Environment: { Variables: { ROLE: 'produce', CLICKS_STREAM: 'clicks' } } });
    await createFunction(t.lambda, 'clicks-window', 'stream-record', { Environment: { Variables: { RESULTS_QUEUE: 'click-windows.fifo', MODE: 'window' } } });
    const produced = await t.lambda.send(new InvokeCommand({ FunctionName: 'clicks-producer', Payload: Buffer.from(JSON.stringify({ count: 7 })) }));
    assert.equal(produced.FunctionError, undefined, Buffer.from(produced.Payload ?? []).toString());
    assert.deepEqual(JSON.parse(Buffer.from(produced.Payload!).toString()), { failed: 0 });
    await mapping('clicks-window', streamArn('clicks'), { TumblingWindowInSeconds: 1, BatchSize: 3 });

    // Invocations until a window's final one; its state counts what the window's batches held.
    const calls: Rec[] = [];
    while (!calls.some((c) => c['final'] === true)) calls.push(...(await receive(results, 1)));
    const batches = calls.filter((c) => c['final'] === false);
    const clicks = batches.flatMap((c) => (c['records'] as Rec[]).map((r) => Buffer.from(r['kinesis']['data'], 'base64').toString()));
    assert.deepEqual(clicks, Array.from({ length: 7 }, (_, i) => `click-${i}`), 'every click, in order');
    assert.ok(batches.every((c) => (c['records'] as Rec[]).length <= 3));
    assert.deepEqual(calls.at(-1)!['state'], { count: 7 });
  });
});
