import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DeleteFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { newGate, type Gate } from '../helpers/gate.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, SELFLESS_BIN } from '../helpers/run.js';
import { spawnServe, sqsClient, type ServeProcess } from '../helpers/sqs.js';
import { createQueue, json, receiveNow, receiveOne, recordOf } from './async-helpers.js';

describe('durable asynchronous invocation', () => {
  const platforms: TestPlatform[] = [];
  const servers: ServeProcess[] = [];
  const clients: { destroy(): void }[] = [];
  const gates: Gate[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const c of clients) c.destroy();
    for (const g of gates) g.close();
    for (const s of servers) await s.kill();
    for (const p of platforms) await p.stop(false);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const start = async (dataDir?: string) => {
    const t = await startTestPlatform({ asyncRetryScale: 0.01 }, dataDir);
    platforms.push(t);
    if (!dataDir) dirs.push(t.dataDir);
    const sqs = sqsClient(t.platform.url);
    clients.push(sqs);
    return { t, sqs };
  };

  it('keeps a throttled event across a restart and runs it once concurrency is back (throttles are not attempts)', async () => {
    const first = await start();
    const success = await createQueue(first.sqs, 'restart-success');
    await createFunction(first.t.lambda, 'restart-fn', 'actions');
    await first.t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'restart-fn', DestinationConfig: { OnSuccess: { Destination: success.arn } } }));
    await first.t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'restart-fn', ReservedConcurrentExecutions: 0 }));
    const res = await first.t.lambda.send(new InvokeCommand({ FunctionName: 'restart-fn', InvocationType: 'Event', Payload: json({ survives: 'restart' }) }));
    assert.equal(res.StatusCode, 202);
    const requestId = res.$metadata.requestId!;
    assert.deepEqual(await receiveNow(first.sqs, success.url), [], 'a throttled event does not run');
    await first.t.stop(false);

    const second = await start(first.t.dataDir);
    await second.t.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'restart-fn' }));
    const record = recordOf(await receiveOne(second.sqs, success.url));
    assert.equal(record.requestContext.requestId, requestId);
    assert.equal(record.requestContext.condition, 'Success');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.deepEqual(record.requestPayload, { survives: 'restart' });
  });

  it('runs again an event that was running when the server was killed (kill -9)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'selfless-async-crash-'));
    dirs.push(dataDir);
    const gate = await newGate();
    gates.push(gate);
    const server = await spawnServe(dataDir);
    servers.push(server);
    const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    const sqs: SQSClient = sqsClient(server.url);
    clients.push(lambda, sqs);
    const success = await createQueue(sqs, 'crash-success');
    await createFunction(lambda, 'crash-fn', 'actions');
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'crash-fn', DestinationConfig: { OnSuccess: { Destination: success.arn } } }));
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'crash-fn', InvocationType: 'Event', Payload: json({ action: 'gate', gate: gate.url }) }));
    const requestId = res.$metadata.requestId!;
    await gate.entered(1); // the event is running
    await server.kill();

    gate.open();
    const after = await start(dataDir);
    const record = recordOf(await receiveOne(after.sqs, success.url));
    assert.equal(record.requestContext.requestId, requestId);
    assert.equal(record.requestContext.condition, 'Success');
  });

  it('keeps failed events and replays them with `selfless replay`', async () => {
    const { t, sqs } = await start();
    const success = await createQueue(sqs, 'replay-success');
    const failure = await createQueue(sqs, 'replay-failure');
    await createFunction(t.lambda, 'replay-fn', 'async-flaky', { Environment: { Variables: { FAIL: '1' } } });
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'replay-fn',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnSuccess: { Destination: success.arn }, OnFailure: { Destination: failure.arn } },
      }),
    );
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'replay-fn', InvocationType: 'Event', Payload: json({ n }) }));
      ids.push(res.$metadata.requestId!);
    }
    const failed = new Set([recordOf(await receiveOne(sqs, failure.url)).requestContext.requestId, recordOf(await receiveOne(sqs, failure.url)).requestContext.requestId]);
    assert.deepEqual(failed, new Set(ids));

    const cli = (...args: string[]) => run(process.execPath, [SELFLESS_BIN, 'replay', 'replay-fn', ...args, '--endpoint', t.platform.url]);
    const listed = await cli();
    assert.equal(listed.code, 0, listed.stderr);
    for (const id of ids) assert.match(listed.stdout, new RegExp(`^${id}  RetriesExhausted  attempts=1 .*Error`, 'm'));

    // Fix the function, then replay one event, then the rest.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'replay-fn', Environment: { Variables: { FAIL: '0' } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'replay-fn' });
    const one = await cli('--request-id', ids[0]!);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, new RegExp(`replaying ${ids[0]}\\nqueued 1 event\\(s\\) of replay-fn again`));
    const first = recordOf(await receiveOne(sqs, success.url));
    assert.equal(first.requestContext.requestId, ids[0]);
    assert.deepEqual(first.requestPayload, { n: 1 });

    const all = await cli('--all');
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /queued 1 event\(s\) of replay-fn again/);
    const second = recordOf(await receiveOne(sqs, success.url));
    assert.equal(second.requestContext.requestId, ids[1]);

    const none = await cli();
    assert.match(none.stdout, /no failed asynchronous events for replay-fn/);
    const unknown = await cli('--request-id', 'not-a-failed-event');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No failed asynchronous event not-a-failed-event of function replay-fn/);
  });
});
