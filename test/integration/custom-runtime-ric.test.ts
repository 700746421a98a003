/**
 * AWS's own Node.js runtime interface client (aws-lambda-ric@3, unmodified) as the `bootstrap` of a
 * provided.al2023 function: its native libcurl client must find Selfless's Runtime API as it finds Lambda's.
 * The fixture's dependencies are installed (and the native client built) on first run: 75 to 95 s here.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ensureFixtureInstalled } from '../helpers/fixture-install.js';
import { createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const LONG = { timeout: 10 * 60_000 };
/** Built by the package's postinstall (it is not in the npm tarball): proof that the native part compiled. */
const NATIVE_CLIENT = 'node_modules/aws-lambda-ric/dist/rapid-client.node';
const TIMEOUT_S = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Echo {
  event: unknown;
  functionName: string;
  awsRequestId: string;
  invokedFunctionArn: string;
  remainingMs: number;
  pid: number;
  invocations: number;
}

/** Whether a log line containing `text` reaches the group; polled, as the server stores lines as it reads them. */
async function logged(t: TestPlatform, logGroupName: string, text: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const page = await t.logs.send(new FilterLogEventsCommand({ logGroupName, filterPattern: `"${text.split('\t')[0]}"` }));
    if ((page.events ?? []).some((e) => e.message?.includes(text))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('aws-lambda-ric as the bootstrap of a provided.al2023 function', LONG, () => {
  let t: TestPlatform;
  before(async () => {
    const install = await ensureFixtureInstalled('ric', {
      requiredFiles: [NATIVE_CLIENT],
      // The RIC's postinstall means to delete its curl and aws-lambda-cpp build trees, but its glob misfires
      // under dash and keeps ~150 MB of them: unused at run time, and they would swell the function package.
      prune: ['node_modules/aws-lambda-ric/deps'],
    });
    if (install.installed) console.log(`installed the ric fixture (native build included) in ${(install.ms / 1000).toFixed(1)} s`);
    const head = (await readFile(join(install.dir, NATIVE_CLIENT))).subarray(0, 4);
    assert.deepEqual([...head], [0x7f, 0x45, 0x4c, 0x46], 'rapid-client.node is a built ELF shared object');
    t = await startTestPlatform();
  }, LONG);
  after(() => t?.stop());

  it('answers, keeps its process warm and reports handler errors as Unhandled', LONG, async () => {
    const name = 'ric-al2023';
    await createFunction(t.lambda, name, 'ric', { Runtime: 'provided.al2023', Handler: 'app.handler', Timeout: TIMEOUT_S });

    const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":42}'), LogType: 'Tail' }));
    assert.equal(res.StatusCode, 200);
    assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
    const first = decode(res.Payload) as Echo;
    assert.deepEqual(first.event, { n: 42 });
    assert.equal(first.functionName, name);
    assert.match(first.awsRequestId, UUID);
    assert.match(first.invokedFunctionArn, new RegExp(`:function:${name}$`));
    assert.ok(first.remainingMs > 0 && first.remainingMs <= TIMEOUT_S * 1000, `remaining time ${first.remainingMs} ms`);
    assert.equal(first.invocations, 1);
    const tail = Buffer.from(res.LogResult ?? '', 'base64').toString();
    assert.match(tail, new RegExp(`^START RequestId: ${first.awsRequestId} Version: \\$LATEST$`, 'm'));
    assert.match(tail, new RegExp(`^REPORT RequestId: ${first.awsRequestId}\\t`, 'm'));
    // The RIC's console patch prefixes each line with the time, the request id and the level. The line is
    // looked for in CloudWatch Logs, not in the tail: the RIC writes it to stdout and then posts the response
    // on another socket, and the tail can close before the server has read the pipe.
    assert.ok(await logged(t, `/aws/lambda/${name}`, `${first.awsRequestId}\tINFO\thandling an event in the RIC`), 'the handler logged through the RIC');

    const again = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":43}') }));
    assert.equal(again.FunctionError, undefined, Buffer.from(again.Payload ?? []).toString());
    const second = decode(again.Payload) as Echo;
    assert.deepEqual(second.event, { n: 43 });
    assert.equal(second.pid, first.pid, 'the warm invoke reuses the running RIC');
    assert.equal(second.invocations, 2);
    assert.notEqual(second.awsRequestId, first.awsRequestId);
    assert.match(second.awsRequestId, UUID);

    const failing = 'ric-al2023-fail';
    await createFunction(t.lambda, failing, 'ric', { Runtime: 'provided.al2023', Handler: 'app.fail', Timeout: TIMEOUT_S });
    const failed = await t.lambda.send(new InvokeCommand({ FunctionName: failing, Payload: Buffer.from('{}') }));
    assert.equal(failed.StatusCode, 200);
    assert.equal(failed.FunctionError, 'Unhandled');
    const error = decode(failed.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(error.errorType, 'RicFixtureError');
    assert.equal(error.errorMessage, 'the handler failed on purpose');
    assert.ok(Array.isArray(error.trace) && error.trace[0] === 'RicFixtureError: the handler failed on purpose', JSON.stringify(error.trace));
  });
});
