/**
 * Traces across hops, as on Lambda: a caller's X-Amzn-Trace-Id reaches the function, and the SDK
 * inside the function carries it on (its recursion-detection middleware sends _X_AMZN_TRACE_ID) through
 * a queue and an event source mapping and through an asynchronous invoke, so one Root id follows the chain.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionRecursionConfigCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionRecursionConfigCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { zipEntries } from '../../src/code/zip-dir.js';
import { newGate } from '../helpers/gate.js';
import { createManagedFunction } from '../helpers/managed-instances.js';
import { CREDENTIALS, decode, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const ROOT = '1-67891233-abcdef012345678912345678';
const UPSTREAM = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`;

const SHOW_TRACE = 'exports.handler = async () => process.env._X_AMZN_TRACE_ID;';
// Passes work on through a queue and an asynchronous invoke, with no tracing code of its own.
const RELAY = `const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const sqs = new SQSClient({}); const lambda = new LambdaClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: event.work, MessageBody: 'from the queue' }));
  await lambda.send(new InvokeCommand({ FunctionName: 'sink', InvocationType: 'Event', Payload: JSON.stringify({ via: 'async', out: event.out }) }));
  return 'relayed';
};`;
// Reports the trace it ran in, and how it was reached, on the output queue.
const SINK = `const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const via = event.Records ? 'queue' : event.via;
  const out = event.Records ? process.env.OUT : event.out;
  const messageTrace = event.Records ? event.Records[0].attributes.AWSTraceHeader : undefined;
  await sqs.send(new SendMessageCommand({ QueueUrl: out, MessageBody: JSON.stringify({ via, trace: process.env._X_AMZN_TRACE_ID, messageTrace }) }));
};`;

/** Sends every Lambda call of this client with the given X-Amzn-Trace-Id, as an instrumented caller does. */
function withTraceHeader(lambda: LambdaClient, header: string): void {
  lambda.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id'] = header;
      return next(args);
    },
    { step: 'build', name: 'traceHeader' },
  );
}

describe('tracing across hops', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  before(async () => {
    t = await startTestPlatform();
    // Every Lambda call of this test's client carries the upstream trace, as an instrumented caller's does.
    withTraceHeader(t.lambda, UPSTREAM);
    sqs = new SQSClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS });
  });
  after(async () => {
    sqs.destroy();
    await t.stop();
  });

  async function deploy(name: string, code: string, extra: { TracingConfig?: { Mode: 'Active' | 'PassThrough' }; Environment?: { Variables: Record<string, string> } } = {}) {
    await t.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 30, Code: { ZipFile: await zipEntries({ 'index.js': code }) }, ...extra }));
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: name });
  }

  it("continues the caller's trace, with its sampling decision, a new parent and the function in the lineage", async () => {
    await deploy('show', SHOW_TRACE);
    const header = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'show' }))).Payload) as string;
    assert.match(header, new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1;Lineage=[0-9a-f]{8}:1$`));
    assert.ok(!header.includes('53995c3f42cd8ad8'), 'the invocation is a new segment under the caller');
  });

  it("gives each invocation's trace id to process.env and to the child processes it starts", async () => {
    await deploy(
      'child-trace',
      `const { execFileSync } = require('node:child_process');
exports.handler = async () => ({
  env: process.env._X_AMZN_TRACE_ID,
  listed: Object.keys(process.env).includes('_X_AMZN_TRACE_ID'),
  child: execFileSync('/bin/sh', ['-c', 'printf %s "$_X_AMZN_TRACE_ID"'], { encoding: 'utf8' }),
});`,
    );
    const seen = [];
    for (let i = 0; i < 2; i++) {
      const out = decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'child-trace' }))).Payload) as { env: string; listed: boolean; child: string };
      assert.match(out.env, new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};`));
      assert.equal(out.child, out.env);
      assert.equal(out.listed, true);
      seen.push(out.env);
    }
    assert.notEqual(seen[0], seen[1], 'a new segment, so a new value, for each invocation');
  });

  it('samples as TracingConfig says when no decision arrives: Active samples the first request, PassThrough never', async () => {
    const p = await startTestPlatform();
    try {
      await p.lambda.send(new CreateFunctionCommand({ FunctionName: 'active', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', TracingConfig: { Mode: 'Active' }, Code: { ZipFile: await zipEntries({ 'index.js': SHOW_TRACE }) } }));
      await p.lambda.send(new CreateFunctionCommand({ FunctionName: 'passive', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: await zipEntries({ 'index.js': SHOW_TRACE }) } }));
      await waitUntilFunctionActiveV2({ client: p.lambda, maxWaitTime: 60 }, { FunctionName: 'active' });
      await waitUntilFunctionActiveV2({ client: p.lambda, maxWaitTime: 60 }, { FunctionName: 'passive' });
      assert.deepEqual((await p.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'active' }))).TracingConfig, { Mode: 'Active' });
      const active = decode((await p.lambda.send(new InvokeCommand({ FunctionName: 'active' }))).Payload) as string;
      const passive = decode((await p.lambda.send(new InvokeCommand({ FunctionName: 'passive' }))).Payload) as string;
      assert.match(active, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1;/);
      assert.match(passive, /;Sampled=0;/);
    } finally {
      await p.stop();
    }
  });

  it('follows one Root id from an invoke through a queue, a mapping and an asynchronous invoke', async () => {
    const work = (await sqs.send(new CreateQueueCommand({ QueueName: 'trace-work' }))).QueueUrl!;
    const out = (await sqs.send(new CreateQueueCommand({ QueueName: 'trace-out' }))).QueueUrl!;
    const workArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: work, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    await deploy('relay', RELAY);
    await deploy('sink', SINK, { Environment: { Variables: { OUT: out } } });
    await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'sink', EventSourceArn: workArn, BatchSize: 1 }));
    assert.equal(decode((await t.lambda.send(new InvokeCommand({ FunctionName: 'relay', Payload: Buffer.from(JSON.stringify({ work, out })) }))).Payload), 'relayed');

    const seen: { via: string; trace: string; messageTrace?: string }[] = [];
    const deadline = Date.now() + 120_000;
    while (seen.length < 2 && Date.now() < deadline) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: out, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }));
      for (const m of got.Messages ?? []) seen.push(JSON.parse(m.Body!) as (typeof seen)[number]);
    }
    assert.deepEqual(seen.map((s) => s.via).sort(), ['async', 'queue']);
    for (const s of seen) assert.ok(s.trace.startsWith(`Root=${ROOT};`), `${s.via}: ${s.trace}`);
    const viaQueue = seen.find((s) => s.via === 'queue')!;
    assert.ok(viaQueue.messageTrace?.startsWith(`Root=${ROOT};`), `the message's AWSTraceHeader: ${viaQueue.messageTrace}`);
  });
});

describe('recursive loop detection', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  before(async () => {
    t = await startTestPlatform();
    sqs = new SQSClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS });
  });
  after(async () => {
    sqs.destroy();
    await t.stop();
  });

  // Each message makes the function send the next one to its own queue: a loop, unless something stops it.
  const LOOPER = `const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const n = JSON.parse(event.Records[0].body).n;
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.COUNT, MessageBody: String(n) }));
  if (n < 25) await sqs.send(new SendMessageCommand({ QueueUrl: process.env.LOOP, MessageBody: JSON.stringify({ n: n + 1 }) }));
};`;

  async function drain(url: string, until: (n: number) => boolean): Promise<string[]> {
    const bodies: string[] = [];
    const deadline = Date.now() + 180_000;
    while (!until(bodies.length) && Date.now() < deadline) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }));
      for (const m of got.Messages ?? []) bodies.push(m.Body!);
    }
    return bodies;
  }

  it('stops a function that a queue loops back to it after 16 invocations, and sends the message to the dead-letter queue', async () => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'loop-dlq' }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    const loop = (await sqs.send(new CreateQueueCommand({ QueueName: 'loop', Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) } }))).QueueUrl!;
    const count = (await sqs.send(new CreateQueueCommand({ QueueName: 'loop-count' }))).QueueUrl!;
    const loopArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: loop, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    await t.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'looper', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 30, Environment: { Variables: { LOOP: loop, COUNT: count } }, Code: { ZipFile: await zipEntries({ 'index.js': LOOPER }) } }),
    );
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: 'looper' });
    assert.equal((await t.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'looper' }))).RecursiveLoop, 'Terminate');
    await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'looper', EventSourceArn: loopArn, BatchSize: 1 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: loop, MessageBody: JSON.stringify({ n: 0 }) }));

    // The stopped message reaches the dead-letter queue only after every invocation before it sent its count.
    const stopped = await drain(dlq, (n) => n >= 1);
    assert.deepEqual(stopped.map((b) => JSON.parse(b) as { n: number }), [{ n: 16 }]);
    const counted = await drain(count, (n) => n >= 16);
    assert.deepEqual(counted.map(Number).sort((a, b) => a - b), Array.from({ length: 16 }, (_, i) => i));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: count, WaitTimeSeconds: 1 }))).Messages, undefined);
  });

  it('lets the loop run with PutFunctionRecursionConfig Allow', async () => {
    const put = await t.lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'looper', RecursiveLoop: 'Allow' }));
    assert.equal(put.RecursiveLoop, 'Allow');
    assert.equal((await t.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'looper' }))).RecursiveLoop, 'Allow');
    const loop = (await sqs.send(new CreateQueueCommand({ QueueName: 'loop' }))).QueueUrl!;
    const count = (await sqs.send(new CreateQueueCommand({ QueueName: 'loop-count' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: loop, MessageBody: JSON.stringify({ n: 0 }) }));
    const counted = await drain(count, (n) => n >= 26);
    assert.deepEqual(counted.map(Number).sort((a, b) => a - b), Array.from({ length: 26 }, (_, i) => i));
  });

  it("gives each of a managed-instances environment's concurrent invocations its own trace, through the runtime's InvokeStore", async () => {
    const out = (await sqs.send(new CreateQueueCommand({ QueueName: 'trace-concurrent' }))).QueueUrl!;
    const version = await createManagedFunction(t.lambda, 'mi-trace', 'managed-trace', { perEnvironmentMaxConcurrency: 8 }, { Timeout: 60 });
    const gate = await newGate();
    try {
      const roots = ['1-67891233-000000000000000000000001', '1-67891233-000000000000000000000002', '1-67891233-000000000000000000000003'];
      const runs = roots.map(async (root, n) => {
        // Each call with its own trace, as instrumented callers send them.
        const lambda = new LambdaClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS });
        withTraceHeader(lambda, `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1`);
        try {
          const res = await lambda.send(new InvokeCommand({ FunctionName: 'mi-trace', Qualifier: version, Payload: Buffer.from(JSON.stringify({ n, gate: gate.url, out })) }));
          return { root, res, body: decode(res.Payload) as { n: number; storeTrace: string; storeRequestId: string; envTrace: string | null } };
        } finally {
          lambda.destroy();
        }
      });
      await gate.entered(roots.length);
      gate.open();
      const answers = await Promise.all(runs);
      const messages: { n: number; trace: string }[] = [];
      const deadline = Date.now() + 60_000;
      while (messages.length < roots.length && Date.now() < deadline) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: out, WaitTimeSeconds: 2, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['AWSTraceHeader'] }));
        for (const m of got.Messages ?? []) messages.push({ n: Number(m.Body), trace: m.Attributes?.['AWSTraceHeader'] ?? '' });
      }
      assert.equal(messages.length, roots.length);
      for (const { root, res, body } of answers) {
        assert.equal(res.FunctionError, undefined, JSON.stringify(body));
        assert.equal(body.storeRequestId, res.$metadata.requestId, 'the store names the invocation it runs in');
        assert.match(body.storeTrace, new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1`));
        // Several invocations at once: no one process-wide variable can hold each one's trace.
        assert.equal(body.envTrace, null);
        const sent = messages.find((m) => m.n === body.n)!;
        assert.equal(sent.trace.split(';')[0], body.storeTrace.split(';')[0], `invocation ${body.n}: the SDK sent its own invocation's trace`);
      }
      assert.equal(new Set(answers.map((a) => a.body.storeTrace.split(';')[0])).size, roots.length, 'each invocation has a trace of its own');
    } finally {
      gate.close();
    }
  });
});
