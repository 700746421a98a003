/**
 * Response streaming as Lambda's Node.js runtime offers it: `awslambda.streamifyResponse` handlers
 * write to a stream that the runtime posts to the Runtime API as it is written. A plain Invoke gets the
 * whole response, buffered, as on Lambda; an error raised mid-stream is the invocation's error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type Runtime } from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { decode, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const STREAMING = `const pause = (ms) => new Promise((r) => setTimeout(r, ms));
exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  responseStream.setContentType('text/plain');
  for (const word of ['streamed', ' ', 'in', ' ', 'pieces']) {
    responseStream.write(word);
    await pause(5);
  }
  if (event.fail) throw new TypeError('failed mid-stream for ' + context.awsRequestId);
  responseStream.end();
});`;
const HTTP_STREAM = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const http = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-made-by': 'selfless' } });
  http.write('<p>hello</p>');
  http.end();
});`;

describe('response streaming', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => t.stop());

  async function deploy(name: string, code: string, runtime = 'nodejs20.x') {
    await t.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as Runtime, Role: ROLE, Handler: 'index.handler', Code: { ZipFile: await zipEntries({ 'index.js': code }) } }));
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: name });
  }

  for (const runtime of ['nodejs20.x', 'nodejs22.x', 'nodejs24.x']) {
    it(`gives a plain Invoke the whole streamed response (${runtime})`, async () => {
      const name = `stream-${runtime.replace('.', '-')}`;
      await deploy(name, STREAMING, runtime);
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
      assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
      assert.equal(Buffer.from(res.Payload ?? []).toString(), 'streamed in pieces');
      // The environment is reused: a second invocation streams again.
      assert.equal(Buffer.from((await t.lambda.send(new InvokeCommand({ FunctionName: name }))).Payload ?? []).toString(), 'streamed in pieces');
    });
  }

  it('answers an error raised mid-stream as the invocation\'s error', async () => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'stream-nodejs20-x', Payload: Buffer.from('{"fail":true}') }));
    assert.equal(res.FunctionError, 'Unhandled');
    const body = decode(res.Payload) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'TypeError');
    assert.match(body.errorMessage, /^failed mid-stream for [0-9a-f-]{36}$/);
  });

  it('writes HttpResponseStream\'s prelude (status and headers, then eight NUL bytes) before the body', async () => {
    await deploy('http-stream', HTTP_STREAM);
    const bytes = Buffer.from((await t.lambda.send(new InvokeCommand({ FunctionName: 'http-stream' }))).Payload ?? []);
    const end = bytes.indexOf(Buffer.alloc(8));
    assert.deepEqual(JSON.parse(bytes.subarray(0, end).toString()), { statusCode: 201, headers: { 'x-made-by': 'selfless' } });
    assert.equal(bytes.subarray(end + 8).toString(), '<p>hello</p>');
  });
});
