import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FilterLogEventsCommand, GetLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
  paginateListFunctions,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { newGate } from '../helpers/gate.js';
import { createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('the function lifecycle through the Lambda API', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ concurrencyLimit: 200, unreservedMinimum: 100 });
  });
  after(() => t.stop());

  it('lists functions page by page with Marker and MaxItems', async () => {
    for (const n of ['list-c', 'list-a', 'list-b']) await createFunction(t.lambda, n, 'echo');
    const first = await t.lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    assert.deepEqual(first.Functions?.map((f) => f.FunctionName), ['list-a', 'list-b']);
    assert.ok(first.NextMarker);
    const second = await t.lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker! }));
    assert.deepEqual(second.Functions?.map((f) => f.FunctionName), ['list-c']);
    assert.equal(second.NextMarker, undefined);
    const all: string[] = [];
    for await (const page of paginateListFunctions({ client: t.lambda, pageSize: 1 }, {})) all.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
    assert.deepEqual(all, ['list-a', 'list-b', 'list-c']);
  });

  it('updates configuration with a new RevisionId and LastModified, as the waiter expects', async () => {
    const before = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'list-a' }));
    const updated = await t.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'list-a', Description: 'changed', MemorySize: 256, Timeout: 30, Handler: 'index.handler' }),
    );
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    assert.notEqual(updated.RevisionId, before.RevisionId);
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'list-a' });
    const after = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'list-a' }));
    assert.equal(after.LastUpdateStatus, 'Successful');
    assert.equal(after.Description, 'changed');
    assert.equal(after.MemorySize, 256);
    assert.equal(after.Timeout, 30);
    const stale = await t.lambda
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'list-a', Description: 'x', RevisionId: before.RevisionId! }))
      .catch((e: Error) => e);
    assert.equal((stale as Error).name, 'PreconditionFailedException');
  });

  it('deletes a function', async () => {
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'list-c' }));
    const err = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'list-c' })).catch((e: Error) => e);
    assert.equal((err as Error).name, 'ResourceNotFoundException');
  });

  it('puts, gets and deletes reserved concurrency, reflected in account settings', async () => {
    const before = await t.lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(before.AccountLimit?.ConcurrentExecutions, 200);
    assert.equal(before.AccountLimit?.UnreservedConcurrentExecutions, 200);
    assert.ok((before.AccountUsage?.FunctionCount ?? 0) >= 2);
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'list-a', ReservedConcurrentExecutions: 50 }));
    assert.equal((await t.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'list-a' }))).ReservedConcurrentExecutions, 50);
    assert.equal((await t.lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions, 150);
    const tooMuch = await t.lambda
      .send(new PutFunctionConcurrencyCommand({ FunctionName: 'list-b', ReservedConcurrentExecutions: 60 }))
      .catch((e: Error) => e);
    assert.equal((tooMuch as Error).name, 'InvalidParameterValueException');
    await t.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'list-a' }));
    assert.equal((await t.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'list-a' }))).ReservedConcurrentExecutions, undefined);
  });

  it('keeps logs per invocation, queryable by function and by request id', async () => {
    await createFunction(t.lambda, 'logger', 'actions');
    const ids: string[] = [];
    for (const word of ['alpha', 'beta']) {
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'logger', Payload: json({ action: 'print', lines: [word] }) }));
      ids.push(res.$metadata.requestId ?? '');
    }
    const all = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/logger' }));
    const messages = (all.events ?? []).map((e) => e.message!.trimEnd());
    assert.equal(messages.filter((m) => m.startsWith('START RequestId:')).length, 2);
    assert.equal(messages.filter((m) => m.startsWith('END RequestId:')).length, 2);
    assert.equal(messages.filter((m) => m.startsWith('REPORT RequestId:')).length, 2);
    const requestId = /START RequestId: (\S+)/.exec(messages.find((m) => m.startsWith('START'))!)![1]!;
    const one = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/logger', filterPattern: `"${requestId}"` }));
    const lines = (one.events ?? []).map((e) => e.message!.trimEnd());
    assert.equal(lines[0], `START RequestId: ${requestId} Version: $LATEST`);
    assert.ok(lines.some((l) => l.endsWith('\tINFO\talpha')));
    assert.ok(lines.includes('raw line without prefix'), 'lines without the id still belong to the invocation');
    assert.ok(!lines.some((l) => l.endsWith('beta')));
    assert.ok(lines[lines.length - 1]!.startsWith(`REPORT RequestId: ${requestId}`));

    const streams = await t.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/logger' }));
    assert.equal(streams.logStreams?.length, 1);
    const stream = await t.logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/lambda/logger', logStreamName: streams.logStreams![0]!.logStreamName!, startFromHead: true }),
    );
    assert.equal(stream.events?.length, messages.length);
  });

  it('throttles above the account-wide limit with ConcurrentInvocationLimitExceeded', async () => {
    const small = await startTestPlatform({ concurrencyLimit: 1, unreservedMinimum: 0 });
    try {
      await createFunction(small.lambda, 'one', 'actions');
      const gate = await newGate();
      const running = small.lambda.send(new InvokeCommand({ FunctionName: 'one', Payload: json({ action: 'gate', gate: gate.url }) }));
      await gate.entered(1);
      const err = (await small.lambda.send(new InvokeCommand({ FunctionName: 'one' })).catch((e: Error) => e)) as Error & { Reason?: string };
      assert.equal(err.name, 'TooManyRequestsException');
      assert.equal(err.Reason, 'ConcurrentInvocationLimitExceeded');
      gate.open();
      assert.equal((await running).FunctionError, undefined);
      assert.equal((await small.lambda.send(new InvokeCommand({ FunctionName: 'one' }))).StatusCode, 200);
    } finally {
      await small.stop();
    }
  });
});

describe('restart persistence', () => {
  it('keeps functions, configuration, code and logs across a restart', async () => {
    const first = await startTestPlatform();
    await createFunction(first.lambda, 'durable', 'echo', { Environment: { Variables: { MY_KEY: 'kept' } }, MemorySize: 192 });
    await first.lambda.send(new InvokeCommand({ FunctionName: 'durable' }));
    await first.stop(false);

    const second = await startTestPlatform({}, first.dataDir);
    try {
      const fn = await second.lambda.send(new GetFunctionCommand({ FunctionName: 'durable' }));
      assert.equal(fn.Configuration?.MemorySize, 192);
      assert.equal(fn.Configuration?.State, 'Active');
      const res = await second.lambda.send(new InvokeCommand({ FunctionName: 'durable', Payload: json({ again: true }) }));
      const body = decode(res.Payload) as { event: unknown; env: Record<string, string> };
      assert.deepEqual(body.event, { again: true });
      assert.equal(body.env['MY_KEY'], 'kept');
      const logs = await second.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/durable', filterPattern: 'START' }));
      assert.equal(logs.events?.length, 2, 'the first run\'s log survived too');
    } finally {
      await second.stop();
    }
  });
});
