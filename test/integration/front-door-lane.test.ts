// Function URLs and API Gateway APIs on the API port's lean HTTP/1.1 lane (src/api/http1-lane.ts), from
// a raw socket: pipelined keep-alive requests answered in order, the headers a function sets written as
// node:http writes them (its framing headers left out, a name HTTP cannot carry refused with Lambda's
// 502), the head's names as sent in a REST event, and the hand-over to node:http mid-connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { zipEntries } from '../../src/code/zip-dir.js';
import { apiGatewayClient, deploy, proxyApi } from '../helpers/execute-api.js';
import { CREDENTIALS, ROLE, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { RawConnection } from '../helpers/raw-http.js';

const URL_HANDLER = `exports.handler = async (event) => {
  switch (event.rawPath) {
    case '/bad-header': return { statusCode: 200, headers: { 'bad name': 'x' }, body: 'never sent' };
    case '/framing': return { statusCode: 200, headers: { date: 'Tue, 01 Jan 2030 00:00:00 GMT', connection: 'close', 'transfer-encoding': 'chunked' }, body: 'framed here' };
    default: return { statusCode: 201, headers: { 'x-one': '1' }, cookies: ['a=1', 'b=2'], body: JSON.stringify({ path: event.rawPath, body: event.body ?? null, mixed: event.headers['x-mixed-case'] ?? null }) };
  }
};`;

const request = (method: string, path: string, body = '', extra = '') =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${body === '' ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`}${extra}\r\n${body}`;

describe('front doors on the lean HTTP/1.1 lane', () => {
  let t: TestPlatform;
  let port: number;
  let urlId: string;
  let httpApiId: string;
  let restApiId: string;

  before(async () => {
    t = await startTestPlatform();
    port = Number(new URL(t.platform.url).port);
    await t.lambda.send(new CreateFunctionCommand({ FunctionName: 'url-fn', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: await zipEntries({ 'index.js': URL_HANDLER }) } }));
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: 'url-fn' });
    const url = (await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-fn', AuthType: 'NONE' }))).FunctionUrl!;
    urlId = new URL(url).hostname.split('.')[0]!;
    await createFunction(t.lambda, 'echo-api', 'apigw-echo');
    const v2 = new ApiGatewayV2Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    httpApiId = (await v2.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: 'arn:aws:lambda:us-east-1:000000000000:function:echo-api' }))).ApiId!;
    v2.destroy();
    await createFunction(t.lambda, 'proxy', 'apigw-proxy');
    const v1 = apiGatewayClient(t.platform.url);
    restApiId = (await proxyApi(v1, 'proxy')).id;
    await deploy(v1, restApiId, 'prod');
    v1.destroy();
  });
  after(() => t.stop(true));

  it('answers pipelined function URL requests in order, across a hand-over to node:http at a chunked body', async () => {
    const c = await RawConnection.open(port);
    try {
      const base = `/lambda-url/${urlId}`;
      c.socket.write(
        request('POST', `${base}/first`, 'one', 'X-Mixed-Case: v\r\n') +
          request('GET', `${base}/bad-header`) +
          request('GET', `${base}/framing`) +
          request('POST', `${base}/chunked`, '', 'Transfer-Encoding: chunked\r\n') +
          '3\r\ntwo\r\n0\r\n\r\n' +
          request('POST', `${base}/last`, 'three'),
      );
      const first = await c.answer();
      assert.equal(first.status, 201);
      assert.deepEqual(JSON.parse(first.body), { path: '/first', body: 'one', mixed: 'v' });
      assert.equal(first.headers['set-cookie'], 'a=1, b=2');
      assert.equal(first.headers['x-one'], '1');
      assert.match(first.headers['x-amzn-requestid']!, /^[0-9a-f-]{36}$/);
      assert.equal(first.headers.connection, 'keep-alive');
      // A header name HTTP cannot carry: Lambda's 502, and the connection goes on.
      const bad = await c.answer();
      assert.equal(bad.status, 502);
      assert.deepEqual(JSON.parse(bad.body), { Message: 'Internal Server Error' });
      // The function's Date stands; its Connection and Transfer-Encoding are not the answer's framing.
      const framing = await c.answer();
      assert.equal(framing.status, 200);
      assert.equal(framing.body, 'framed here');
      assert.equal(framing.headers.date, 'Tue, 01 Jan 2030 00:00:00 GMT');
      assert.equal(framing.headers.connection, 'keep-alive');
      assert.equal(framing.headers['transfer-encoding'], undefined);
      assert.equal(framing.headers['content-length'], String('framed here'.length));
      const chunked = await c.answer();
      assert.equal(chunked.status, 201);
      assert.deepEqual(JSON.parse(chunked.body), { path: '/chunked', body: 'two', mixed: null });
      const last = await c.answer();
      assert.equal(last.status, 201);
      assert.deepEqual(JSON.parse(last.body), { path: '/last', body: 'three', mixed: null });
      assert.equal(c.closed, false);
    } finally {
      c.close();
    }
  });

  it("serves an HTTP API's routes and an unknown API's 404 on one keep-alive connection", async () => {
    const c = await RawConnection.open(port);
    try {
      c.socket.write(request('GET', `/_aws/execute-api/${httpApiId}/items/7?q=1`, '', 'Cookie: s=1\r\nX-Mixed-Case: v\r\n') + request('GET', '/_aws/execute-api/nosuchapi1/x') + request('POST', `/_aws/execute-api/${httpApiId}/items`, '{"n":2}'));
      const first = await c.answer();
      assert.equal(first.status, 200);
      assert.equal(first.headers['set-cookie'], 'session=1; Path=/');
      assert.equal(first.headers['x-route'], '$default');
      assert.ok(first.headers['apigw-requestid']);
      const { event } = JSON.parse(first.body);
      assert.equal(event.rawPath, '/items/7');
      assert.equal(event.rawQueryString, 'q=1');
      assert.deepEqual(event.cookies, ['s=1']);
      assert.equal(event.headers['x-mixed-case'], 'v');
      assert.equal(event.requestContext.http.protocol, 'HTTP/1.1');
      const missing = await c.answer();
      assert.equal(missing.status, 404);
      assert.deepEqual(JSON.parse(missing.body), { message: 'Not Found' });
      const posted = await c.answer();
      assert.equal(posted.status, 200);
      assert.equal(JSON.parse(posted.body).event.body, '{"n":2}');
      assert.equal(c.closed, false);
    } finally {
      c.close();
    }
  });

  it("gives a REST API's proxy event the header names as sent, and the forwarding headers of this connection", async () => {
    const c = await RawConnection.open(port);
    try {
      c.socket.write(request('GET', `/_aws/execute-api/${restApiId}/prod/pets/1`, '', 'X-Mixed-Case: v\r\n'));
      const answer = await c.answer();
      assert.equal(answer.status, 201);
      const event = JSON.parse(answer.body);
      assert.deepEqual(event.multiValueHeaders['X-Mixed-Case'], ['v']);
      assert.equal(event.headers['Host'], '127.0.0.1');
      assert.equal(event.headers['X-Forwarded-Proto'], 'http');
      assert.equal(event.headers['X-Forwarded-Port'], String(port));
      assert.equal(event.headers['X-Forwarded-For'], '127.0.0.1');
      assert.equal(event.requestContext.protocol, 'HTTP/1.1');
      assert.equal(answer.headers['set-cookie'], 'a=1, b=2');
    } finally {
      c.close();
    }
  });
});
