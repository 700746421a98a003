/**
 * Function URLs answer as Lambda's do: a result that is not a full response is JSON (a string too),
 * with no charset added, and the URL's CORS configuration is applied by the URL itself (preflights are
 * answered without invoking the function).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { doorFetch } from '../helpers/front-door-http.js';

describe('function URLs over HTTP', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => t.stop());

  async function urlFor(name: string, code: string, cors?: Record<string, unknown>): Promise<string> {
    await t.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: await zipEntries({ 'index.js': code }) } }));
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: name });
    return (await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', ...(cors ? { Cors: cors } : {}) }))).FunctionUrl!;
  }

  it('sends a string or object result as application/json, with no charset added', async () => {
    const str = await urlFor('says-hello', "exports.handler = async () => 'hello';");
    const res = await doorFetch(str);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(await res.text(), 'hello');
    const obj = await urlFor('says-object', 'exports.handler = async () => ({ a: 1 });');
    const res2 = await doorFetch(obj);
    assert.equal(res2.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res2.json(), { a: 1 });
  });

  it('answers CORS preflights itself and adds the allow headers to answers for allowed origins', async () => {
    const url = await urlFor(
      'with-cors',
      'let n = 0; exports.handler = async () => ({ statusCode: 200, headers: { "x-trace": "t1" }, body: JSON.stringify({ invocations: ++n }) });',
      { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type'], ExposeHeaders: ['x-trace'], MaxAge: 600, AllowCredentials: true },
    );
    const pre = await doorFetch(url, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(pre.headers.get('access-control-allow-methods'), 'GET,POST');
    assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type');
    assert.equal(pre.headers.get('access-control-max-age'), '600');
    assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
    const stranger = await doorFetch(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);

    const get = await doorFetch(url, { headers: { origin: 'https://app.example' } });
    assert.equal(get.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(get.headers.get('access-control-expose-headers'), 'x-trace');
    // The preflights did not invoke the function: this is its first invocation.
    assert.deepEqual(await get.json(), { invocations: 1 });
  });
});
