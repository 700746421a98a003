import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishBatchCommand, PublishCommand, SubscribeCommand, type SNSClient, type SNSServiceException } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { createQueue, receive, receiveAll, snsClient, verifySnsSignature } from '../helpers/sns.js';
import { sqsClient } from '../helpers/sqs.js';
import { run } from '../helpers/run.js';

const json = (body: string | undefined) => JSON.parse(body ?? '') as Record<string, unknown>;

describe('SNS deliveries', () => {
  let t: TestPlatform;
  let sns: SNSClient;
  let sqs: SQSClient;
  const topic = async (Name: string, Attributes: Record<string, string> = {}) => (await sns.send(new CreateTopicCommand({ Name, Attributes }))).TopicArn!;
  const subscribe = async (TopicArn: string, Protocol: string, Endpoint: string, Attributes: Record<string, string> = {}) =>
    (await sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint, Attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;

  before(async () => {
    t = await startTestPlatform();
    sns = snsClient(t.platform.url);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    sns.destroy();
    sqs.destroy();
    await t.stop();
  });

  it('to SQS in the JSON envelope, signed (versions 1 and 2) with the certificate the server serves', async () => {
    const q = await createQueue(sqs, 'enveloped');
    const v1 = await topic('envelope-v1');
    const v2 = await topic('envelope-v2', { SignatureVersion: '2' });
    const sub = await subscribe(v1, 'sqs', q.arn);
    await subscribe(v2, 'sqs', q.arn);
    const published = await sns.send(
      new PublishCommand({
        TopicArn: v1,
        Subject: 'Greetings',
        Message: 'hello',
        MessageAttributes: {
          store: { DataType: 'String', StringValue: 'example_corp' },
          price: { DataType: 'Number', StringValue: '9.5' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
          tags: { DataType: 'String.Array', StringValue: '["a", "b"]' },
        },
      }),
    );
    await sns.send(new PublishCommand({ TopicArn: v2, Message: 'second' }));
    const [m1, m2] = (await receive(sqs, q.url, 2)).map((m) => json(m.Body) as Record<string, string>).sort((a, b) => a['TopicArn']!.localeCompare(b['TopicArn']!));
    assert.equal(m1!['Type'], 'Notification');
    assert.equal(m1!['MessageId'], published.MessageId);
    assert.equal(m1!['TopicArn'], v1);
    assert.equal(m1!['Subject'], 'Greetings');
    assert.equal(m1!['Message'], 'hello');
    assert.match(m1!['Timestamp']!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(m1!['SignatureVersion'], '1');
    assert.match(m1!['SigningCertURL']!, /^http:\/\/127\.0\.0\.1:\d+\/.+\.pem$/);
    assert.equal(m1!['UnsubscribeURL'], `${t.platform.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub)}`);
    assert.deepEqual(m1!['MessageAttributes'], {
      store: { Type: 'String', Value: 'example_corp' },
      price: { Type: 'Number', Value: '9.5' },
      blob: { Type: 'Binary', Value: 'AQID' },
      tags: { Type: 'String.Array', Value: '["a", "b"]' },
    });
    assert.equal(await verifySnsSignature(m1!), true);
    assert.equal(m2!['SignatureVersion'], '2');
    assert.equal(await verifySnsSignature(m2!), true);
    assert.equal(await verifySnsSignature({ ...m2!, Message: 'tampered' }), false);
  });

  it('to SQS raw: the message itself, its attributes as SQS message attributes', async () => {
    const q = await createQueue(sqs, 'raw');
    const arn = await topic('raw');
    await subscribe(arn, 'sqs', q.arn, { RawMessageDelivery: 'true' });
    await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: '{"order": 1}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' }, n: { DataType: 'Number', StringValue: '3' }, bin: { DataType: 'Binary', BinaryValue: Buffer.from('xy') } },
      }),
    );
    const [m] = await receive(sqs, q.url, 1);
    assert.equal(m!.Body, '{"order": 1}');
    assert.deepEqual(m!.MessageAttributes!['kind'], { DataType: 'String', StringValue: 'order' });
    assert.deepEqual(m!.MessageAttributes!['n'], { DataType: 'Number', StringValue: '3' });
    assert.equal(Buffer.from(m!.MessageAttributes!['bin']!.BinaryValue!).toString(), 'xy');
  });

  it('filter policies on attributes and on the body choose the subscriptions a message goes to', async () => {
    const byAttributes = await createQueue(sqs, 'filtered-attributes');
    const byBody = await createQueue(sqs, 'filtered-body');
    const arn = await topic('filtered');
    await subscribe(arn, 'sqs', byAttributes.arn, { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ store: ['example_corp'], price: [{ numeric: ['>=', 100] }] }) });
    await subscribe(arn, 'sqs', byBody.arn, {
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ customer: { interests: [{ prefix: 'rug' }] }, $or: [{ vip: [true] }, { total: [{ numeric: ['>', 500] }] }] }),
    });
    const publish = (Message: string, attributes: Record<string, [string, string]> = {}) =>
      sns.send(
        new PublishCommand({
          TopicArn: arn,
          Message,
          MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }])),
        }),
      );
    await publish('attr-match', { store: ['String', 'example_corp'], price: ['Number', '150'] });
    await publish('attr-cheap', { store: ['String', 'example_corp'], price: ['Number', '50'] });
    await publish(JSON.stringify({ n: 'body-vip', customer: { interests: ['rugby'] }, vip: true }));
    await publish(JSON.stringify({ n: 'body-big', customer: { interests: ['rugby'] }, total: 900 }));
    await publish(JSON.stringify({ n: 'body-small', customer: { interests: ['rugby'] }, total: 5 }));
    await publish(JSON.stringify({ n: 'body-other', customer: { interests: ['chess'] }, vip: true }));
    // Publish answers once SQS deliveries are stored: what is not there now was filtered out.
    assert.deepEqual((await receiveAll(sqs, byAttributes.url)).map((m) => m.Body), ['attr-match']);
    assert.deepEqual((await receiveAll(sqs, byBody.url)).map((m) => json(m.Body)['n']).sort(), ['body-big', 'body-vip']);
  });

  it('MessageStructure json: each protocol its own message; PublishBatch answers per entry', async () => {
    const q = await createQueue(sqs, 'structured');
    const arn = await topic('structured');
    await subscribe(arn, 'sqs', q.arn, { RawMessageDelivery: 'true' });
    await sns.send(new PublishCommand({ TopicArn: arn, MessageStructure: 'json', Message: JSON.stringify({ default: 'for all', sqs: 'for queues', http: 'for web' }) }));
    assert.deepEqual((await receive(sqs, q.url, 1)).map((m) => m.Body), ['for queues']);
    const noDefault = await sns.send(new PublishCommand({ TopicArn: arn, MessageStructure: 'json', Message: '{"sqs": "x"}' })).then(
      () => assert.fail('expected an error'),
      (e: SNSServiceException) => e,
    );
    assert.equal(noDefault.name, 'InvalidParameterException');
    assert.match(noDefault.message, /No default entry in JSON message body/);

    const batch = await sns.send(
      new PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'one' },
          { Id: 'b', Message: 'two', MessageAttributes: { bad: { DataType: 'Number', StringValue: 'not a number' } } },
          { Id: 'c', Message: 'three' },
        ],
      }),
    );
    assert.deepEqual(batch.Successful!.map((s) => s.Id), ['a', 'c']);
    assert.equal(batch.Failed!.length, 1);
    assert.deepEqual({ ...batch.Failed![0], Message: undefined }, { Id: 'b', Code: 'ParameterValueInvalid', SenderFault: true, Message: undefined });
    assert.deepEqual((await receive(sqs, q.url, 2)).map((m) => m.Body).sort(), ['one', 'three']);
  });

  it('a FIFO topic to a FIFO queue keeps the order of each group and drops duplicates', async () => {
    const q = await createQueue(sqs, 'ledger.fifo', { FifoQueue: 'true' });
    const arn = await topic('ledger.fifo', { FifoTopic: 'true' });
    await subscribe(arn, 'sqs', q.arn, { RawMessageDelivery: 'true' });
    const sequence: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await sns.send(new PublishCommand({ TopicArn: arn, Message: `m${i}`, MessageGroupId: 'g1', MessageDeduplicationId: `d${i}` }));
      sequence.push(r.SequenceNumber!);
    }
    const dup = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'again', MessageGroupId: 'g1', MessageDeduplicationId: 'd3' }));
    assert.equal(dup.SequenceNumber, sequence[3], 'a duplicate is accepted as the first one was');
    assert.deepEqual([...sequence].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)), sequence, 'sequence numbers grow');
    const missing = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'x', MessageDeduplicationId: 'd99' })).then(
      () => assert.fail('expected an error'),
      (e: SNSServiceException) => e,
    );
    assert.match(missing.message, /MessageGroupId/);
    const got = await receive(sqs, q.url, 12);
    assert.deepEqual(got.map((m) => m.Body), Array.from({ length: 12 }, (_, i) => `m${i}`));
    assert.equal(got[0]!.Attributes!['MessageGroupId'], 'g1');
  });

  it('to Lambda: an asynchronous invocation with the Records[0].Sns event', async () => {
    const results = await createQueue(sqs, 'lambda-results');
    await createFunction(t.lambda, 'sns-reader', 'sns-to-queue', { Environment: { Variables: { RESULT_QUEUE_URL: results.url } } });
    const arn = await topic('to-lambda');
    const sub = await subscribe(arn, 'lambda', 'arn:aws:lambda:us-east-1:000000000000:function:sns-reader');
    const published = await sns.send(
      new PublishCommand({ TopicArn: arn, Subject: 'Hi', Message: 'to the function', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }),
    );
    const [m] = await receive(sqs, results.url, 1, 5);
    const record = (json(m!.Body)['Records'] as Record<string, unknown>[])[0]!;
    assert.equal(record['EventSource'], 'aws:sns');
    assert.equal(record['EventVersion'], '1.0');
    assert.equal(record['EventSubscriptionArn'], sub);
    const event = record['Sns'] as Record<string, unknown>;
    assert.equal(event['Type'], 'Notification');
    assert.equal(event['MessageId'], published.MessageId);
    assert.equal(event['TopicArn'], arn);
    assert.equal(event['Subject'], 'Hi');
    assert.equal(event['Message'], 'to the function');
    assert.deepEqual(event['MessageAttributes'], { k: { Type: 'String', Value: 'v' } });
    const signed = { ...event, SigningCertURL: event['SigningCertUrl'] } as Record<string, string>;
    assert.equal(await verifySnsSignature(signed), true);
  });

  it('to HTTP: the endpoint confirms by GETting the SubscribeURL, then receives signed notifications', async () => {
    const received: { headers: IncomingMessage['headers']; body: Record<string, string> }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) as Record<string, string> });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const arn = await topic('to-http');
      const pending = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: endpoint }));
      assert.equal(pending.SubscriptionArn, 'pending confirmation');
      await waitFor(() => received.length === 1, 'the subscription confirmation');
      const confirmation = received[0]!;
      assert.equal(confirmation.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
      assert.equal(confirmation.body['Type'], 'SubscriptionConfirmation');
      assert.equal(confirmation.body['TopicArn'], arn);
      assert.equal(await verifySnsSignature(confirmation.body), true);

      await sns.send(new PublishCommand({ TopicArn: arn, Message: 'before confirmation' }));
      const confirmed = await fetch(confirmation.body['SubscribeURL']!);
      assert.equal(confirmed.status, 200);
      const xml = await confirmed.text();
      const subscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
      assert.match(subscriptionArn ?? '', new RegExp(`^${arn}:`));

      const published = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'after confirmation', Subject: 'S' }));
      await waitFor(() => received.length === 2, 'the notification');
      const n = received[1]!;
      assert.equal(n.headers['x-amz-sns-message-type'], 'Notification');
      assert.equal(n.headers['x-amz-sns-subscription-arn'], subscriptionArn);
      assert.equal(n.headers['x-amz-sns-topic-arn'], arn);
      assert.match(String(n.headers['content-type']), /^text\/plain/);
      assert.equal(n.body['MessageId'], published.MessageId);
      assert.equal(n.body['Message'], 'after confirmation', 'what was published before confirmation never came');
      assert.equal(await verifySnsSignature(n.body), true);

      // The UnsubscribeURL in every notification ends the subscription.
      assert.equal((await fetch(n.body['UnsubscribeURL']!)).status, 200);
      assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions, []);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('boto3 publish and publish_batch, and aws sns publish, reach a raw SQS subscription', async () => {
    const q = await createQueue(sqs, 'from-python');
    const arn = await topic('from-python');
    await subscribe(arn, 'sqs', q.arn, { RawMessageDelivery: 'true' });
    const script = `
import boto3, json, sys
c = boto3.client('sns', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
one = c.publish(TopicArn=sys.argv[2], Message='py-one', MessageAttributes={'n': {'DataType': 'Number', 'StringValue': '7'}, 'b': {'DataType': 'Binary', 'BinaryValue': b'raw'}})
batch = c.publish_batch(TopicArn=sys.argv[2], PublishBatchRequestEntries=[{'Id': 'x', 'Message': 'py-two'}, {'Id': 'y', 'Message': 'py-three'}])
try:
    c.publish(TopicArn=sys.argv[2] + '-missing', Message='x')
except c.exceptions.NotFoundException as e:
    code = e.response['Error']['Code']
print(json.dumps({'id': one['MessageId'], 'ok': sorted(s['Id'] for s in batch['Successful']), 'failed': batch['Failed'], 'code': code}))
`;
    const py = await run('python3', ['-c', script, t.platform.url, arn]);
    assert.equal(py.code, 0, py.stderr);
    const out = JSON.parse(py.stdout) as { id: string; ok: string[]; failed: unknown[]; code: string };
    assert.match(out.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual([out.ok, out.failed, out.code], [['x', 'y'], [], 'NotFound']);
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'sns', 'publish', '--topic-arn', arn, '--message', 'cli-four', '--subject', 'From the CLI']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match((JSON.parse(cli.stdout) as { MessageId: string }).MessageId, /^[0-9a-f-]{36}$/);
    const got = await receive(sqs, q.url, 4);
    assert.deepEqual(got.map((m) => m.Body).sort(), ['cli-four', 'py-one', 'py-three', 'py-two']);
    const first = got.find((m) => m.Body === 'py-one')!;
    assert.deepEqual(first.MessageAttributes!['n'], { DataType: 'Number', StringValue: '7' });
    assert.equal(Buffer.from(first.MessageAttributes!['b']!.BinaryValue!).toString(), 'raw');
  });
});
