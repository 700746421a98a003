/**
 * The TLS listener (`--tls-port`): every API over HTTPS with a certificate from a CA that Selfless
 * keeps in its data dir, and environments that trust that CA, so function code that insists on
 * HTTPS reaches the server unchanged.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { CREDENTIALS, decode, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const NODE_FETCH = `const https = require('node:https');
exports.handler = async () => new Promise((resolve, reject) => {
  https.get(process.env.TLS_URL + '/_selfless/health', (res) => { let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) })); }).on('error', (e) => reject(e));
});`;
const PYTHON_FETCH = `import json, os, urllib.request
def handler(event, context):
    with urllib.request.urlopen(os.environ["TLS_URL"] + "/_selfless/health") as r:
        return {"status": r.status, "body": json.loads(r.read())}
`;

describe('TLS listener', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ tlsPort: 0 });
  });
  after(async () => t.stop());

  it('serves the AWS APIs over HTTPS with a certificate its own CA issued', async () => {
    assert.match(t.platform.tlsUrl ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(t.platform.caFile!);
    const lambda = new LambdaClient({ endpoint: t.platform.tlsUrl!, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, requestHandler: { httpsAgent: new Agent({ ca }) } });
    try {
      assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
    } finally {
      lambda.destroy();
    }
    // A client that does not trust the CA is refused by TLS itself.
    const untrusting = new LambdaClient({ endpoint: t.platform.tlsUrl!, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await assert.rejects(untrusting.send(new ListFunctionsCommand({})), /certificate/i);
    } finally {
      untrusting.destroy();
    }
  });

  for (const [runtime, handler, file, code] of [
    ['nodejs20.x', 'index.handler', 'index.js', NODE_FETCH],
    ['python3.11', 'app.handler', 'app.py', PYTHON_FETCH],
  ] as const) {
    it(`lets ${runtime} functions reach the server over HTTPS, trusting its CA`, async () => {
      const name = `tls-${runtime.replace('.', '-')}`;
      await t.lambda.send(
        new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Role: ROLE, Handler: handler, Timeout: 30, Environment: { Variables: { TLS_URL: t.platform.tlsUrl! } }, Code: { ZipFile: await zipEntries({ [file]: code }) } }),
      );
      await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: name });
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: name }));
      assert.equal(res.FunctionError, undefined, JSON.stringify(decode(res.Payload)));
      assert.deepEqual((decode(res.Payload) as { status: number; body: { status: string } }).status, 200);
      assert.equal((decode(res.Payload) as { body: { status: string } }).body.status, 'ok');
    });
  }

  it('keeps its CA across restarts, so what trusted it still does', async () => {
    const before = readFileSync(t.platform.caFile!, 'utf8');
    await t.stop(false);
    t = await startTestPlatform({ tlsPort: 0 }, t.dataDir);
    assert.equal(readFileSync(t.platform.caFile!, 'utf8'), before);
  });
});
