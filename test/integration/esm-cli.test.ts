import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { SELFLESS_BIN, clientEnv, run } from '../helpers/run.js';
import { sqsClient } from '../helpers/sqs.js';

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

/** A function that reports each record's body and its own code version on the drain-results queue. */
const handlerSource = (version: string) => `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  for (const r of event.Records) {
    await sqs.send(new SendMessageCommand({
      QueueUrl: process.env.AWS_ENDPOINT_URL + '/000000000000/drain-results',
      MessageBody: JSON.stringify({ body: r.body, version: '${version}' }),
    }));
  }
  return {};
};
`;

describe('selfless redrive and selfless drain', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  let work: string;
  before(async () => {
    t = await startTestPlatform();
    sqs = sqsClient(t.platform.url);
    work = mkdtempSync(join(tmpdir(), 'selfless-drain-'));
  });
  after(async () => {
    sqs.destroy();
    rmSync(work, { recursive: true, force: true });
    await t.stop();
  });

  const visible = async (QueueUrl: string) =>
    Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages);

  it('redrive moves a DLQ’s messages back to their source queue', async () => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'jobs-dlq' }))).QueueUrl!;
    const policy = JSON.stringify({ deadLetterTargetArn: arn('jobs-dlq'), maxReceiveCount: 1 });
    const jobs = (await sqs.send(new CreateQueueCommand({ QueueName: 'jobs', Attributes: { RedrivePolicy: policy } }))).QueueUrl!;
    for (const body of ['one', 'two']) await sqs.send(new SendMessageCommand({ QueueUrl: jobs, MessageBody: body }));
    const receive = () => sqs.send(new ReceiveMessageCommand({ QueueUrl: jobs, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    assert.equal((await receive()).Messages?.length, 2);
    assert.equal((await receive()).Messages, undefined, 'the second receive moved them to the DLQ');
    assert.equal(await visible(dlq), 2);

    const res = await run(process.execPath, [SELFLESS_BIN, 'redrive', 'jobs-dlq', '--endpoint', t.platform.url]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^moved 2 messages from jobs-dlq back to their source queues$/m);
    assert.equal(await visible(dlq), 0);
    assert.equal(await visible(jobs), 2);

    const missing = await run(process.execPath, [SELFLESS_BIN, 'redrive', 'no-such-dlq', '--endpoint', t.platform.url]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /queue no-such-dlq does not exist/);
  });

  it('drain deploys a folder fed by a queue and redeploys it on change', async () => {
    const results = (await sqs.send(new CreateQueueCommand({ QueueName: 'drain-results' }))).QueueUrl!;
    const dir = join(work, 'fn');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.js'), handlerSource('v1'));

    const child = spawn(process.execPath, [SELFLESS_BIN, 'drain', dir, '--name', 'drain-fn', '--queue', 'drain-q', '--endpoint', t.platform.url], {
      env: clientEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const outputMatches = async (re: RegExp) => {
      const deadline = Date.now() + 60_000;
      while (!re.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`drain never printed ${re}:\n${output}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const nextResult = async (): Promise<{ body: string; version: string }> => {
      for (let i = 0; i < 60; i++) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: results, WaitTimeSeconds: 1 }));
        const m = r.Messages?.[0];
        if (m) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: results, ReceiptHandle: m.ReceiptHandle! }));
          return JSON.parse(m.Body!);
        }
      }
      throw new Error(`no result:\n${output}`);
    };
    try {
      await outputMatches(/watching /);
      assert.match(output, /created queue drain-q/);
      assert.match(output, /created drain-fn/);
      const mappings = await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'drain-fn' }));
      assert.equal(mappings.EventSourceMappings?.[0]?.EventSourceArn, arn('drain-q'));
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'drain-q' }))).QueueUrl!;

      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'first' }));
      assert.deepEqual(await nextResult(), { body: 'first', version: 'v1' });

      writeFileSync(join(dir, 'index.js'), handlerSource('v2'));
      await outputMatches(/deployed drain-fn/);
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'second' }));
      assert.deepEqual(await nextResult(), { body: 'second', version: 'v2' });
    } finally {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  });
});
