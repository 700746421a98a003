import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
  PublishVersionCommand,
  type LambdaServiceException,
} from '@aws-sdk/client-lambda';
import { newGate } from '../helpers/gate.js';
import { createFunction, decode, environmentsOf, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';
const invocations = (name: string, query = '') => `/2015-03-31/functions/${name}/invocations${query}`;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Names and values in the order they came, request id, date and log tail masked. */
  rawHeaders: string[];
  body: string;
}

/** Keep-alive, as SDK clients connect. */
const agent = new Agent({ keepAlive: true });

/** One request with node:http, to see the response as it was sent. */
function rawRequest(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const masked = res.rawHeaders.map((v, i) => {
          const name = res.rawHeaders[i - 1]?.toLowerCase();
          return i % 2 === 1 && (name === 'x-amzn-requestid' || name === 'date' || name === 'x-amz-log-result') ? '*' : v;
        });
        resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: masked, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes `head` (and `body`) on a raw socket and collects everything until the server closes it. */
async function rawExchange(port: number, head: string, body: (socket: Socket) => void = () => {}): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {}); // the server may close while we still write: that is the point
  await once(socket, 'connect');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.write(head);
  body(socket);
  await new Promise((resolve) => socket.on('close', resolve));
  return text;
}

async function awsError(fn: () => Promise<unknown>): Promise<LambdaServiceException> {
  try {
    await fn();
  } catch (err) {
    return err as LambdaServiceException;
  }
  assert.fail('expected an AWS error');
}

describe('Invoke through the router, on the lean HTTP/1.1 lane', () => {
  let t: TestPlatform;
  let port: number;
  before(async () => {
    t = await startTestPlatform();
    port = t.platform.port;
    await createFunction(t.lambda, 'echo', 'echo');
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'echo' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'echo', Name: 'live', FunctionVersion: '1' }));
    await createFunction(t.lambda, 'gated', 'actions');
  });
  after(async () => {
    agent.destroy();
    await t.stop();
  });

  const invoke = async (FunctionName: string, Qualifier?: string) => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName, Qualifier, Payload: Buffer.from('{"hello":1}') }));
    const out = decode(res.Payload) as { event: unknown; context: { functionVersion: string; invokedFunctionArn: string } };
    return { version: res.ExecutedVersion, event: out.event, context: out.context };
  };

  it('takes a function ARN, a partial ARN or a name with its qualifier, percent-encoded in the path', async () => {
    const full = await invoke(ARN);
    assert.deepEqual(full.event, { hello: 1 });
    assert.equal(full.version, '$LATEST');
    assert.equal(full.context.invokedFunctionArn, ARN);
    const aliased = await invoke(`${ARN}:live`);
    assert.equal(aliased.version, '1');
    assert.equal(aliased.context.invokedFunctionArn, `${ARN}:live`);
    assert.equal((await invoke('000000000000:function:echo')).version, '$LATEST');
    assert.equal((await invoke('echo:1')).version, '1');
    // By hand, to be sure of the encoding: `:` as %3A and %3a, and `/` as %2F (not a path separator).
    const encoded = await rawRequest(port, 'POST', invocations(encodeURIComponent(`${ARN}:live`).replace('%3Alive', '%3alive')), {}, '{}');
    assert.equal(encoded.status, 200);
    assert.equal(encoded.headers['x-amz-executed-version'], '1');
    const slash = await rawRequest(port, 'POST', invocations('ec%2Fho'), {}, '{}');
    assert.equal(slash.status, 400);
    assert.match(JSON.parse(slash.body).Message, /Value 'ec\/ho' at 'functionName'/);
  });

  it('takes the full ARN of a 64-character function name, for Invoke and every other route', async () => {
    const name = 'n'.repeat(64);
    await createFunction(t.lambda, name, 'echo');
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
    const invoked = await invoke(`${arn}:$LATEST`);
    assert.equal(invoked.context.invokedFunctionArn, `${arn}:$LATEST`);
    const got = await t.lambda.send(new GetFunctionCommand({ FunctionName: arn }));
    assert.equal(got.Configuration?.FunctionName, name);
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: arn }));
  });

  it('takes the Qualifier from the query: a version, an alias or $LATEST', async () => {
    const v1 = await invoke('echo', '1');
    assert.equal(v1.version, '1');
    assert.equal(v1.context.functionVersion, '1');
    assert.equal((await invoke('echo', 'live')).version, '1');
    assert.equal((await invoke('echo', '$LATEST')).version, '$LATEST');
    const missing = await awsError(() => invoke('echo', 'nope'));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, `Function not found: ${ARN}:nope`);
    const clash = await awsError(() => invoke(`${ARN}:live`, '1'));
    assert.equal(clash.name, 'InvalidParameterValueException');
    // Repeated, `+` as a space, and other parameters around it.
    const spaced = await rawRequest(port, 'POST', invocations('echo', '?x=1&Qualifier=li+ve'), {}, '{}');
    assert.equal(spaced.status, 400);
    assert.match(JSON.parse(spaced.body).Message, /Value 'li ve' at 'qualifier'/);
  });

  it('refuses a payload over 6 MB with 413 RequestEntityTooLargeException', async () => {
    const payload = Buffer.from(JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }));
    const err = await awsError(() => t.lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: payload })));
    assert.equal(err.name, 'RequestEntityTooLargeException');
    assert.equal(err.$metadata.httpStatusCode, 413);
    assert.equal(err.message, 'Request must be smaller than 6291456 bytes for the InvokeFunction operation');
  });

  it('answers a body over the 80 MB request limit with 413 and closes the connection', async () => {
    const tooLarge = /^HTTP\/1\.1 413 Payload Too Large\r\nconnection: close\r\nx-amzn-errortype: RequestEntityTooLargeException\r\n/;
    const message = '{"Type":"User","Message":"Request must be smaller than 83886080 bytes for the this operation"}';
    // Announced: answered before any of the body is read.
    const announced = await rawExchange(port, `POST ${invocations('echo')} HTTP/1.1\r\nhost: x\r\ncontent-length: ${81 * 1024 * 1024}\r\n\r\n{"a":`);
    assert.match(announced, tooLarge);
    assert.ok(announced.endsWith(`\r\n\r\n${message}`), announced);
    // Streamed: reading stops at the limit, and the half-read connection is not reused.
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const streamed = await rawExchange(port, `POST ${invocations('echo')} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n`, (socket) => {
      let sent = 0;
      const pump = () => {
        while (sent < 90 && !socket.destroyed) {
          sent++;
          socket.write(`${chunk.length.toString(16)}\r\n`);
          socket.write(chunk);
          if (!socket.write('\r\n')) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    assert.match(streamed, tooLarge);
    assert.ok(streamed.endsWith(`\r\n\r\n${message}`));
    assert.equal((await invoke('echo')).version, '$LATEST', 'the server still serves');
  });

  it('answers malformed requests with 400 InvalidRequestContentException', async () => {
    const badJson = await rawRequest(port, 'POST', invocations('echo'), { 'content-type': 'application/json' }, '{nope');
    assert.equal(badJson.status, 400);
    assert.equal(badJson.headers['x-amzn-errortype'], 'InvalidRequestContentException');
    assert.match(JSON.parse(badJson.body).message, /^Could not parse request body into json: Could not parse payload into json: /);
    // The payload is a blob: its content type is the client's business.
    const oddType = await rawRequest(port, 'POST', invocations('echo'), { 'content-type': 'not a media type' }, '{}');
    assert.equal(oddType.status, 200);
    const badEscape = await rawRequest(port, 'POST', invocations('ec%ZZho'), {}, '{}');
    assert.equal(badEscape.status, 400);
    assert.deepEqual(JSON.parse(badEscape.body), { Type: 'User', message: 'Malformed request.' });
    // Sent less than announced, then gone: nothing to answer, and the server carries on.
    await rawExchange(port, `POST ${invocations('echo')} HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{"a":`, (s) => setTimeout(() => s.destroy(), 50));
    assert.equal((await invoke('echo')).version, '$LATEST');
  });

  it("answers an unknown function with ResourceNotFoundException in GetFunction's shape", async () => {
    const invoked = await rawRequest(port, 'POST', invocations('nope'), {}, '{}');
    const got = await rawRequest(port, 'GET', '/2015-03-31/functions/nope');
    assert.equal(invoked.status, 404);
    assert.deepEqual(invoked.rawHeaders, got.rawHeaders);
    assert.equal(invoked.body, got.body);
    assert.deepEqual(JSON.parse(invoked.body), { Type: 'User', Message: `Function not found: ${ARN.replace('echo', 'nope')}` });
    assert.equal(invoked.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.equal(invoked.headers['content-type'], 'application/json; charset=utf-8');
    assert.match(String(invoked.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  });

  it('sends the same headers, in the same order, on every answer', async () => {
    const b64 = Buffer.from('{"custom":{"k":"v"}}').toString('base64');
    const tail = ['Date', 'Connection', 'Keep-Alive'];
    const error = ['x-amzn-errortype', 'content-type', 'x-amzn-requestid', 'content-length', ...tail];
    const cases: [string, Record<string, string>, string, number, string[]][] = [
      ['echo', { 'content-type': 'application/json', 'x-amz-client-context': b64 }, '{"x":1}', 200, ['x-amz-executed-version', 'content-type', 'x-amzn-requestid', 'content-length', ...tail]],
      ['echo', { 'x-amz-invocation-type': 'Event' }, '{}', 202, ['x-amzn-requestid', 'content-type', 'content-length', ...tail]],
      ['echo', { 'x-amz-invocation-type': 'DryRun' }, '{}', 204, ['x-amzn-requestid', ...tail]],
      ['echo', { 'x-amz-log-type': 'Tail' }, '', 200, ['x-amz-log-result', 'x-amz-executed-version', 'content-type', 'x-amzn-requestid', 'content-length', ...tail]],
      ['gated', {}, '{"action":"throw","message":"no"}', 200, ['x-amz-function-error', 'x-amz-executed-version', 'content-type', 'x-amzn-requestid', 'content-length', ...tail]],
      ['nope', {}, '{}', 404, error],
      ['echo', { 'x-amz-invocation-type': 'Sometimes' }, '{}', 400, error],
    ];
    for (const [name, headers, body, status, names] of cases) {
      const res = await rawRequest(port, 'POST', invocations(name), headers, body);
      const label = `${name} ${JSON.stringify(headers)}`;
      assert.equal(res.status, status, label);
      assert.equal(res.headers['content-length'] ?? '0', String(Buffer.byteLength(res.body)), label);
      assert.deepEqual(res.rawHeaders.filter((_, i) => i % 2 === 0), names, label);
    }
    const ok = await rawRequest(port, 'POST', invocations('echo'), {}, '{}');
    assert.equal(ok.headers['content-type'], 'application/json');
    assert.equal(ok.headers['keep-alive'], 'timeout=72', "fastify's keep-alive timeout, which the API has always had");
    // Only the literal path is a route: an escape in a fixed segment is not.
    const escaped = await rawRequest(port, 'POST', '/2015-03-31/function%73/echo/invocations', {}, '{}');
    assert.equal(escaped.status, 404);
    assert.equal(escaped.headers['x-amzn-errortype'], 'UnknownOperationException');
  });

  it('carries on when a client goes away while its function runs', async () => {
    const gate = await newGate();
    try {
      const body = JSON.stringify({ action: 'gate', gate: gate.url });
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      await once(socket, 'connect');
      socket.write(`POST ${invocations('gated')} HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      await gate.entered(1);
      socket.destroy();
      gate.open();
      await waitFor(async () => (await environmentsOf(t.platform.url, 'gated')).every((e) => e.State === 'idle'), 'the invocation to end');
      const after = await t.lambda.send(new InvokeCommand({ FunctionName: 'gated', Payload: Buffer.from('{"action":"sleep","ms":1}') }));
      assert.deepEqual((decode(after.Payload) as { slept: number }).slept, 1);
    } finally {
      gate.close();
    }
  });

  it('serves every other route through the same router, and the admin routes beside it', async () => {
    const fn = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    assert.equal(fn.Configuration?.FunctionArn, ARN);
    const list = await t.lambda.send(new ListFunctionsCommand({}));
    assert.deepEqual(list.Functions?.map((f) => f.FunctionName).sort(), ['echo', 'gated']);
    const envs = await environmentsOf(t.platform.url, 'echo');
    assert.ok(envs.length > 0 && envs.every((e) => e.Pid > 0));
    const unknown = await rawRequest(port, 'GET', invocations('echo'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers['x-amzn-errortype'], 'UnknownOperationException');
  });
});

describe('Invoke while the server closes', () => {
  it('answers 503 and closes a connection that was busy when closing began', async () => {
    const t = await startTestPlatform();
    await createFunction(t.lambda, 'echo', 'echo');
    const port = t.platform.port;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    // A request under way keeps its connection from being closed as idle.
    socket.write(`POST ${invocations('echo')} HTTP/1.1\r\nhost: x\r\n`);
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const stopping = t.stop();
    const refused = () =>
      new Promise<boolean>((resolve) => {
        const probe = connect(port, '127.0.0.1');
        probe.on('connect', () => (probe.destroy(), resolve(false)));
        probe.on('error', () => resolve(true));
      });
    await waitFor(refused, 'the server to stop accepting connections');
    socket.write('content-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
    await closed;
    await stopping;
    assert.match(text, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.match(text, /\r\nConnection: close\r\n/i);
    assert.match(text, /\r\nx-amzn-errortype: ServiceUnavailable\r\n/);
    assert.ok(text.endsWith('{"Type":"Service","Message":"The server is shutting down."}'), text);
  });
});
