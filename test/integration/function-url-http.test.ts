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
import { run } from '../helpers/run.js';

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

  it('is reached with curl by its host name and path-based, cookies and a POST body included, and the redirect stays inside the app', async () => {
    const url = await urlFor(
      'curl-target',
      `exports.handler = async (event) => event.rawPath === '/go'
        ? { statusCode: 302, headers: { location: '/landed' } }
        : { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: ['a=1; Path=/'], body: JSON.stringify({ path: event.rawPath, method: event.requestContext.http.method, body: event.body, cookies: event.cookies }) };`,
    );
    const u = new URL(url);
    const id = u.hostname.split('.')[0]!;
    const resolve = ['--resolve', `${u.hostname}:${u.port}:127.0.0.1`];
    for (const base of [url, `${t.platform.url}/lambda-url/${id}/`]) {
      const curl = await run('curl', ['-s', '-i', ...resolve, '-X', 'POST', '-H', 'content-type: text/plain', '-b', 'session=s1', '--data', 'hi there', `${base}things/1`]);
      assert.equal(curl.code, 0, curl.stderr);
      assert.match(curl.stdout, /^HTTP\/1\.1 200/);
      assert.match(curl.stdout, /\r\nset-cookie: a=1; Path=\/\r\n/i);
      assert.match(curl.stdout, /\r\nx-amzn-requestid: /i);
      assert.deepEqual(JSON.parse(curl.stdout.slice(curl.stdout.indexOf('\r\n\r\n') + 4)), { path: '/things/1', method: 'POST', body: 'hi there', cookies: ['session=s1'] });
    }
    // curl -L follows the app's relative redirect to the app's own root, on the host-based URL.
    const followed = await run('curl', ['-s', '-L', ...resolve, '-o', '/dev/null', '-w', '%{url_effective} %{http_code}', `${url}go`]);
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, `${url}landed 200`);
  });
});
