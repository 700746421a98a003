/**
 * Response streaming as Lambda's Node.js runtime offers it: `awslambda.streamifyResponse` handlers
 * write to a stream that the runtime posts to the Runtime API as it is written. A plain Invoke gets the
 * whole response, buffered, as on Lambda; an error raised mid-stream is the invocation's error.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, InvokeCommand, InvokeWithResponseStreamCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, type InvokeWithResponseStreamResponseEvent, type Runtime } from '@aws-sdk/client-lambda';
import { newGate } from '../helpers/gate.js';
import { doorRequestOptions } from '../helpers/front-door-http.js';
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

  async function events(name: string, payload: unknown = {}, tail = false): Promise<InvokeWithResponseStreamResponseEvent[]> {
    const res = await t.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...(tail ? { LogType: 'Tail' } : {}) }));
    assert.equal(res.StatusCode, 200);
    const seen: InvokeWithResponseStreamResponseEvent[] = [];
    for await (const e of res.EventStream!) seen.push(e);
    return seen;
  }
  const text = (seen: InvokeWithResponseStreamResponseEvent[]) => seen.map((e) => Buffer.from(e.PayloadChunk?.Payload ?? []).toString()).join('');

  it('streams the first bytes through InvokeWithResponseStream while the function is still running', async () => {
    const gate = await newGate();
    try {
      await deploy(
        'gated-stream',
        `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
          responseStream.write('first ');
          await fetch(event.gate + '/enter');
          await fetch(event.gate + '/wait');
          responseStream.write('then the rest');
          responseStream.end();
        });`,
      );
      const res = await t.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'gated-stream', Payload: Buffer.from(JSON.stringify({ gate: gate.url })) }));
      const chunks: string[] = [];
      let complete: InvokeWithResponseStreamResponseEvent['InvokeComplete'];
      for await (const e of res.EventStream!) {
        if (e.PayloadChunk) {
          chunks.push(Buffer.from(e.PayloadChunk.Payload ?? []).toString());
          // The first chunk is here while the handler waits at the gate: it was streamed, not buffered.
          if (chunks.length === 1) {
            assert.equal(chunks[0], 'first ');
            await gate.entered(1);
            gate.open();
          }
        }
        if (e.InvokeComplete) complete = e.InvokeComplete;
      }
      assert.equal(chunks.join(''), 'first then the rest');
      assert.deepEqual(complete, {});
    } finally {
      gate.open();
      gate.close();
    }
  });

  it('sends a function that does not stream as one chunk, and the log tail in InvokeComplete', async () => {
    await deploy('plain', 'exports.handler = async (e) => ({ echoed: e });');
    const seen = await events('plain', { a: 1 }, true);
    assert.deepEqual(JSON.parse(text(seen)), { echoed: { a: 1 } });
    const complete = seen.at(-1)!.InvokeComplete!;
    assert.equal(complete.ErrorCode, undefined);
    assert.match(Buffer.from(complete.LogResult!, 'base64').toString(), /START RequestId: .*\nEND RequestId: .*\nREPORT RequestId: /);
  });

  it('ends the stream with the error a function raises mid-stream', async () => {
    const seen = await events('stream-nodejs20-x', { fail: true });
    assert.equal(text(seen), 'streamed in pieces');
    const complete = seen.at(-1)!.InvokeComplete!;
    assert.equal(complete.ErrorCode, 'TypeError');
    assert.match(complete.ErrorDetails ?? '', /failed mid-stream/);
  });

  it('sends a RESPONSE_STREAM function URL\'s first bytes before the handler returns, with the status and headers of its prelude', async () => {
    const gate = await newGate();
    try {
      await deploy(
        'web-stream',
        `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
          const http = awslambda.HttpResponseStream.from(responseStream, { statusCode: 203, headers: { 'content-type': 'text/html', 'x-streamed': 'yes' } });
          http.write('<p>first</p>');
          await fetch(process.env.GATE + '/enter');
          await fetch(process.env.GATE + '/wait');
          http.write('<p>last</p>');
          http.end();
        });`,
      );
      await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'web-stream', Environment: { Variables: { GATE: gate.url } } }));
      await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: 'web-stream' });
      const { FunctionUrl } = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web-stream', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }));
      const body = await new Promise<{ status: number; headers: Record<string, unknown>; chunks: string[] }>((resolve, reject) => {
        get(doorRequestOptions(FunctionUrl!), (res) => {
          const chunks: string[] = [];
          res.on('data', (c: Buffer) => {
            chunks.push(c.toString());
            // The first bytes are here while the handler waits at the gate.
            if (chunks.length === 1) void gate.entered(1).then(() => gate.open());
          });
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, chunks }));
        }).on('error', reject);
      });
      assert.equal(body.status, 203);
      assert.equal(body.headers['content-type'], 'text/html');
      assert.equal(body.headers['x-streamed'], 'yes');
      assert.equal(body.chunks[0], '<p>first</p>');
      assert.equal(body.chunks.join(''), '<p>first</p><p>last</p>');
    } finally {
      gate.open();
      gate.close();
    }
  });
});
