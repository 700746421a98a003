/** FilterLogEvents with each filter-pattern form, over the lines a real function wrote. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { failure } from '../helpers/sqs.js';

const HANDLER = `
exports.handler = async () => {
  console.log(JSON.stringify({ level: 'ERROR', latency: 900, user: { id: 7 } }));
  console.log(JSON.stringify({ level: 'INFO', latency: 20, user: { id: 8 } }));
  console.log('WARN disk at 91%');
  console.log('DEBUG cache miss');
  console.log('10.0.0.1 GET /orders 503 1200');
  console.log('10.0.0.2 GET /health 200 12');
  return 'ok';
};`;

describe('log filter patterns through FilterLogEvents', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await t.lambda.send(
      new CreateFunctionCommand({ FunctionName: 'chatty', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await zipEntries({ 'index.js': HANDLER }) } }),
    );
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'chatty' });
    await t.lambda.send(new InvokeCommand({ FunctionName: 'chatty' }));
  });
  after(() => t.stop());

  const messages = async (filterPattern: string) => {
    const out = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/chatty', filterPattern }));
    return (out.events ?? []).map((e) => e.message!.trim().split('\t').pop()!);
  };

  it('matches JSON, term and space-delimited patterns as CloudWatch Logs does', async () => {
    assert.deepEqual(await messages('{ $.level = "ERROR" && $.latency > 500 }'), ['{"level":"ERROR","latency":900,"user":{"id":7}}']);
    assert.deepEqual(await messages('{ $.user.id = 8 }'), ['{"level":"INFO","latency":20,"user":{"id":8}}']);
    assert.deepEqual(await messages('?WARN ?DEBUG'), ['WARN disk at 91%', 'DEBUG cache miss']);
    assert.deepEqual(await messages('GET -health'), ['10.0.0.1 GET /orders 503 1200']);
    assert.deepEqual(await messages('[timestamp, requestId, level, ip, method, path, status = 5*, bytes > 1000]'), ['10.0.0.1 GET /orders 503 1200']);
    // Lambda's text lines begin with the time, the request id and the level, which are fields too.
    assert.deepEqual(await messages('[..., status = 2*, bytes < 100]'), ['10.0.0.2 GET /health 200 12']);
    assert.deepEqual(await messages('"cache miss"'), ['DEBUG cache miss']);
  });

  it('refuses a malformed pattern with InvalidParameterException', async () => {
    const err = await failure(t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/chatty', filterPattern: '{ $.level = }' })));
    assert.equal(err.name, 'InvalidParameterException');
    assert.match(err.message, /Invalid filter pattern/);
  });
});
