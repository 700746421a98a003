import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

process.env['AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE'] = '1';
// The JS SDK v2 up to 2.1490 speaks SQS's query protocol (2.1491 moved to JSON): the devDependency is pinned there.
const { default: AWS } = await import('aws-sdk');

type V2Error = Error & { code: string; statusCode: number };

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** The text of every `<tag>` in `xml`, unescaped. */
const texts = (xml: string, tag: string): string[] =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) =>
    m[1]!.replace(/&#xD;/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
  );

describe('SQS over the query protocol', () => {
  let t: TestPlatform;
  let v2: InstanceType<typeof AWS.SQS>;
  let v3: SQSClient;
  before(async () => {
    t = await startTestPlatform();
    v2 = new AWS.SQS({ endpoint: t.platform.url, region: 'us-east-1', credentials: new AWS.Credentials('test', 'test'), maxRetries: 0 });
    v3 = sqsClient(t.platform.url);
  });
  after(async () => {
    v3.destroy();
    await t.stop();
  });

  it('the JS SDK v2: create, send with attributes, receive, delete, with the MD5s it checks', async () => {
    const { QueueUrl } = await v2.createQueue({ QueueName: 'v2-jobs', Attributes: { VisibilityTimeout: '30' }, tags: { team: 'a' } }).promise();
    assert.equal(QueueUrl, `${t.platform.url}/000000000000/v2-jobs`);
    assert.equal((await v2.getQueueUrl({ QueueName: 'v2-jobs' }).promise()).QueueUrl, QueueUrl);
    assert.deepEqual((await v2.listQueues({ QueueNamePrefix: 'v2-' }).promise()).QueueUrls, [QueueUrl]);
    assert.deepEqual((await v2.listQueueTags({ QueueUrl: QueueUrl! }).promise()).Tags, { team: 'a' });

    const body = 'line one\r\nline <two> & "three" – ünïcode';
    const MessageAttributes = {
      kind: { DataType: 'String', StringValue: 'order' },
      count: { DataType: 'Number', StringValue: '3' },
      raw: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
    };
    // The SDK checks MD5OfMessageBody and MD5OfMessageAttributes itself and fails the call on a mismatch.
    const sent = await v2.sendMessage({ QueueUrl: QueueUrl!, MessageBody: body, MessageAttributes }).promise();
    assert.equal(sent.MD5OfMessageBody, md5(body));

    const got = await v2.receiveMessage({ QueueUrl: QueueUrl!, AttributeNames: ['All'], MessageAttributeNames: ['All'], MaxNumberOfMessages: 10 }).promise();
    assert.equal(got.Messages?.length, 1);
    const m = got.Messages![0]!;
    assert.equal(m.Body, body);
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal(m.Attributes?.['ApproximateReceiveCount'], '1');
    assert.deepEqual(m.MessageAttributes?.['raw']?.BinaryValue, Buffer.from([0, 1, 2, 255]));
    assert.equal(m.MessageAttributes?.['count']?.StringValue, '3');
    await v2.changeMessageVisibility({ QueueUrl: QueueUrl!, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }).promise();
    const again = await v2.receiveMessage({ QueueUrl: QueueUrl! }).promise();
    await v2.deleteMessage({ QueueUrl: QueueUrl!, ReceiptHandle: again.Messages![0]!.ReceiptHandle! }).promise();
    const attrs = await v2.getQueueAttributes({ QueueUrl: QueueUrl!, AttributeNames: ['ApproximateNumberOfMessages', 'VisibilityTimeout'] }).promise();
    assert.deepEqual(attrs.Attributes, { ApproximateNumberOfMessages: '0', VisibilityTimeout: '30' });
  });

  it('the JS SDK v2: batches, with per-entry failures in SQS terms', async () => {
    const { QueueUrl } = await v2.createQueue({ QueueName: 'v2-batch' }).promise();
    const Entries = ['a', 'b', 'c'].map((Id) => ({ Id, MessageBody: `body ${Id}`, MessageAttributes: { id: { DataType: 'String', StringValue: Id } } }));
    const sent = await v2.sendMessageBatch({ QueueUrl: QueueUrl!, Entries }).promise();
    assert.deepEqual(sent.Successful.map((s) => s.Id).sort(), ['a', 'b', 'c']);
    assert.deepEqual(sent.Failed, []);
    const got = await v2.receiveMessage({ QueueUrl: QueueUrl!, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }).promise();
    assert.equal(got.Messages?.length, 3);
    const deleted = await v2
      .deleteMessageBatch({
        QueueUrl: QueueUrl!,
        Entries: [...got.Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })), { Id: 'bad', ReceiptHandle: 'not-a-handle' }],
      })
      .promise();
    assert.equal(deleted.Successful.length, 3);
    assert.deepEqual(
      deleted.Failed.map((f) => [f.Id, f.Code, f.SenderFault]),
      [['bad', 'ReceiptHandleIsInvalid', true]],
    );
    await v2.setQueueAttributes({ QueueUrl: QueueUrl!, Attributes: { DelaySeconds: '0', MessageRetentionPeriod: '600' } }).promise();
    await v2.purgeQueue({ QueueUrl: QueueUrl! }).promise();
    await v2.deleteQueue({ QueueUrl: QueueUrl! }).promise();
  });

  it("the JS SDK v2: errors carry SQS's legacy codes", async () => {
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => assert.fail('expected an error'),
        (e: V2Error) => e,
      );
    const missing = await fail(v2.getQueueUrl({ QueueName: 'not-there' }).promise());
    assert.equal(missing.code, 'AWS.SimpleQueueService.NonExistentQueue');
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.message, 'The specified queue does not exist.');
    const { QueueUrl } = await v2.createQueue({ QueueName: 'v2-errors' }).promise();
    const empty = await fail(v2.sendMessageBatch({ QueueUrl: QueueUrl!, Entries: [] }).promise());
    assert.equal(empty.code, 'AWS.SimpleQueueService.EmptyBatchRequest');
    const handle = await fail(v2.deleteMessage({ QueueUrl: QueueUrl!, ReceiptHandle: 'nope' }).promise());
    assert.equal(handle.code, 'ReceiptHandleIsInvalid');
  });

  it('a raw form POST, answered in XML that a JSON client agrees with', async () => {
    const form = (params: Record<string, string>) =>
      fetch(`${t.platform.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
      });
    const created = await form({ Action: 'CreateQueue', QueueName: 'raw', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '0' });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get('content-type'), 'text/xml');
    const xml = await created.text();
    assert.match(xml, /^<CreateQueueResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><CreateQueueResult><QueueUrl>/);
    assert.match(xml, /<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/CreateQueueResponse>$/);
    const QueueUrl = texts(xml, 'QueueUrl')[0]!;

    const body = 'a\rb <c> & d';
    const sent = await (
      await form({
        Action: 'SendMessage',
        QueueUrl,
        MessageBody: body,
        'MessageAttribute.1.Name': 'tags',
        'MessageAttribute.1.Value.DataType': 'String',
        'MessageAttribute.1.Value.StringValue': 'x',
      })
    ).text();
    assert.deepEqual(texts(sent, 'MD5OfMessageBody'), [md5(body)]);

    const received = await v3.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }));
    const m = received.Messages![0]!;
    assert.equal(m.Body, body);
    assert.equal(m.MD5OfMessageAttributes, texts(sent, 'MD5OfMessageAttributes')[0]);

    const listed = await (await form({ Action: 'ReceiveMessage', QueueUrl, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All' })).text();
    assert.deepEqual(texts(listed, 'Body'), [body]);
    assert.deepEqual(texts(listed, 'Name').slice(0, 4), ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp']);
    assert.match(listed, /<MessageAttribute><Name>tags<\/Name><Value><StringValue>x<\/StringValue><DataType>String<\/DataType><\/Value><\/MessageAttribute>/);
  });
});
