import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionUrlConfigCommand, InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { systemClock, type Clock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { startPlatform } from '../../src/main.js';
import { createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { clientEnv, run, SELFLESS_BIN } from '../helpers/run.js';
import { signedCall, type Credentials } from '../helpers/sign.js';
import { doorFetch } from '../helpers/front-door-http.js';

const KEY = { accessKeyId: 'AKIASELFLESSTEST0001', secretAccessKey: 'the-right-secret', accountId: '111122223333' };
const GOOD: Credentials = { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey };
const WRONG_SECRET: Credentials = { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret' };
const UNKNOWN_KEY: Credentials = { accessKeyId: 'AKIANOBODYKNOWSME01', secretAccessKey: 'whatever' };
const SKEW_MS = 20 * 60 * 1000;

interface Refusal {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

const refusal = (p: Promise<unknown>): Promise<Refusal> =>
  p.then(
    () => assert.fail('expected the request to be refused'),
    (e: Refusal) => e,
  );

/** A wall clock the test can move forward, to let temporary credentials expire. */
class MovableClock implements Clock {
  offset = 0;
  now = () => Date.now() + this.offset;
  monotonic = () => systemClock.monotonic();
  setTimeout = (fn: () => void, ms: number) => systemClock.setTimeout(fn, ms);
}

describe('SigV4 verification with --credentials', () => {
  let t: TestPlatform;
  let dir: string;
  const clock = new MovableClock();
  const clients: { destroy(): void }[] = [];
  const client = <C extends { destroy(): void }>(c: C): C => (clients.push(c), c);
  const config = (credentials: Credentials, systemClockOffset = 0) => ({ endpoint: t.platform.url, region: 'us-east-1', credentials, maxAttempts: 1, systemClockOffset });
  const lambda = (c: Credentials, skew?: number) => client(new LambdaClient(config(c, skew)));
  const sqs = (c: Credentials, skew?: number) => client(new SQSClient(config(c, skew)));
  const sts = (c: Credentials, skew?: number) => client(new STSClient(config(c, skew)));
  const env = (c: Credentials) => ({ ...clientEnv(), AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'selfless-sigv4-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify([KEY]));
    t = await startTestPlatform({ credentials: join(dir, 'credentials.json') }, undefined, { clock });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Lambda (rest-json): valid SDK requests pass; a wrong secret, an unknown key and a skewed clock get 403s', async () => {
    assert.ok(Array.isArray((await lambda(GOOD).send(new ListFunctionsCommand({}))).Functions));
    const wrong = await refusal(lambda(WRONG_SECRET).send(new ListFunctionsCommand({})));
    assert.deepEqual([wrong.name, wrong.$metadata.httpStatusCode], ['InvalidSignatureException', 403]);
    assert.match(wrong.message, /^The request signature we calculated does not match the signature you provided/);
    const unknown = await refusal(lambda(UNKNOWN_KEY).send(new ListFunctionsCommand({})));
    assert.deepEqual([unknown.name, unknown.$metadata.httpStatusCode, unknown.message], ['UnrecognizedClientException', 403, 'The security token included in the request is invalid.']);
    const skewed = await refusal(lambda(GOOD, -SKEW_MS).send(new ListFunctionsCommand({})));
    assert.equal(skewed.name, 'InvalidSignatureException');
    assert.match(skewed.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it('Lambda (rest-json): a body changed after signing is refused', async () => {
    const call = { method: 'PUT', path: '/2017-10-31/functions/nothing/concurrency', service: 'lambda', credentials: GOOD, body: '{"ReservedConcurrentExecutions":1}' };
    const honest = await signedCall(t.platform.url, call);
    assert.equal(honest.status, 404, honest.body); // signed well: the function is what is missing
    const tampered = await signedCall(t.platform.url, { ...call, tamperedBody: '{"ReservedConcurrentExecutions":9}' });
    assert.equal(tampered.status, 403);
    assert.equal(tampered.headers['x-amzn-errortype'], 'InvalidSignatureException');
    const unknownRoute = await signedCall(t.platform.url, { ...call, path: '/2015-03-31/no-such-route', credentials: UNKNOWN_KEY });
    assert.equal(unknownRoute.headers['x-amzn-errortype'], 'UnrecognizedClientException', 'strangers learn nothing of the routes');
  });

  it('SQS (json): each refusal in the JSON shape, with its query code for query-compatible clients', async () => {
    await sqs(GOOD).send(new ListQueuesCommand({}));
    const wrong = await refusal(sqs(WRONG_SECRET).send(new ListQueuesCommand({})));
    assert.equal(wrong.$metadata.httpStatusCode, 400);
    assert.equal(wrong.name, 'SignatureDoesNotMatch', 'the SDK reads the x-amzn-query-error code');
    const unknown = await refusal(sqs(UNKNOWN_KEY).send(new ListQueuesCommand({})));
    assert.equal(unknown.name, 'InvalidClientTokenId');
    const skewed = await refusal(sqs(GOOD, SKEW_MS).send(new ListQueuesCommand({})));
    assert.match(skewed.message, /^Signature not yet current: /);

    const call = { method: 'POST', path: '/', service: 'sqs', credentials: GOOD, body: '{}', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' } };
    assert.equal((await signedCall(t.platform.url, call)).status, 200);
    const tampered = await signedCall(t.platform.url, { ...call, tamperedBody: '{"QueueNamePrefix":"x"}' });
    assert.equal(tampered.status, 400);
    assert.equal((JSON.parse(tampered.body) as { __type: string }).__type, 'com.amazonaws.sqs#InvalidSignatureException');
    const stranger = await signedCall(t.platform.url, { ...call, credentials: UNKNOWN_KEY });
    assert.equal((JSON.parse(stranger.body) as { __type: string }).__type, 'com.amazonaws.sqs#UnrecognizedClientException');
  });

  it('STS (query): valid requests act in the key\'s account; refusals are XML with the query codes', async () => {
    const me = await sts(GOOD).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:iam::111122223333:user/${KEY.accessKeyId}`);
    const wrong = await refusal(sts(WRONG_SECRET).send(new GetCallerIdentityCommand({})));
    assert.deepEqual([wrong.name, wrong.$metadata.httpStatusCode], ['SignatureDoesNotMatch', 403]);
    const unknown = await refusal(sts(UNKNOWN_KEY).send(new GetCallerIdentityCommand({})));
    assert.deepEqual([unknown.name, unknown.$metadata.httpStatusCode], ['InvalidClientTokenId', 403]);
    const skewed = await refusal(sts(GOOD, -SKEW_MS).send(new GetCallerIdentityCommand({})));
    assert.equal(skewed.name, 'SignatureDoesNotMatch');
    assert.match(skewed.message, /^Signature expired/);

    const form = 'Action=GetCallerIdentity&Version=2011-06-15';
    const call = { method: 'POST', path: '/', service: 'sts', credentials: GOOD, body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    assert.equal((await signedCall(t.platform.url, call)).status, 200);
    const tampered = await signedCall(t.platform.url, { ...call, tamperedBody: 'Action=GetSessionToken&Version=2011-06-15' });
    assert.equal(tampered.status, 403);
    assert.match(tampered.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    const unsigned = await fetch(t.platform.url, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  });

  it('presigned URLs: the query form verifies, and a changed parameter is refused', async () => {
    const call = { method: 'GET', path: '/', service: 'sts', credentials: GOOD, presign: true, query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } };
    const ok = await signedCall(t.platform.url, call);
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.body, /<Account>111122223333<\/Account>/);
    const wrong = await signedCall(t.platform.url, { ...call, credentials: WRONG_SECRET });
    assert.equal(wrong.status, 403);
    assert.match(wrong.body, /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it('temporary credentials from AssumeRole verify with their token until they expire', async () => {
    const issued = await sts(GOOD).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/ci', RoleSessionName: 'run', DurationSeconds: 900 }));
    const c = issued.Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    assert.equal((await sts(session).send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::111122223333:assumed-role/ci/run');
    assert.ok(Array.isArray((await lambda(session).send(new ListFunctionsCommand({}))).Functions));
    const noToken = await refusal(sts({ accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey }).send(new GetCallerIdentityCommand({})));
    assert.equal(noToken.name, 'InvalidClientTokenId');

    clock.offset = 901_000; // past the session's 900 seconds; the client's clock moves with the server's
    try {
      const expired = await refusal(sts(session, clock.offset).send(new GetCallerIdentityCommand({})));
      assert.deepEqual([expired.name, expired.message], ['ExpiredToken', 'The security token included in the request is expired']);
      assert.equal((await sts(GOOD, clock.offset).send(new GetCallerIdentityCommand({}))).Account, '111122223333');
    } finally {
      clock.offset = 0;
    }
  });

  it("functions call the server back with their environment's credentials", async () => {
    const admin = lambda(GOOD);
    await createFunction(admin, 'caller', 'sdk-caller');
    const res = await admin.send(new InvokeCommand({ FunctionName: 'caller' }));
    assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
    assert.ok((decode(res.Payload) as { names: string[] }).names.includes('caller'));
  });

  it('function URLs with AWS_IAM verify the signature for the lambda service', async () => {
    const admin = lambda(GOOD);
    await createFunction(admin, 'web', 'http');
    const { FunctionUrl } = await admin.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM' }));
    // Host-based (the URL handed out) and path-based: the signature covers each as the client sent it.
    const id = new URL(FunctionUrl!).hostname.split('.')[0]!;
    for (const [base, path] of [[FunctionUrl!, '/plain'], [t.platform.url, `/lambda-url/${id}/plain`]] as const) {
      const signed = await signedCall(base, { method: 'GET', path, service: 'lambda', credentials: GOOD });
      assert.equal(signed.status, 200, signed.body);
      const wrong = await signedCall(base, { method: 'GET', path, service: 'lambda', credentials: WRONG_SECRET });
      assert.equal(wrong.status, 403);
      assert.match(wrong.body, /signature we calculated does not match/);
      const otherService = await signedCall(base, { method: 'GET', path, service: 'execute-api', credentials: GOOD });
      assert.equal(otherService.status, 403);
      assert.equal((await doorFetch(new URL(path, base).href)).status, 403);
    }
  });

  it('boto3 and the aws CLI sign requests that pass; boto3 with a wrong secret is refused', async () => {
    const script = `
import boto3, botocore, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', config=botocore.config.Config(retries={'max_attempts': 1}))
good = dict(aws_access_key_id='${GOOD.accessKeyId}', aws_secret_access_key='${GOOD.secretAccessKey}')
out = {'arn': boto3.client('sts', **good, **kw).get_caller_identity()['Arn'],
       'functions': len(boto3.client('lambda', **good, **kw).list_functions()['Functions']),
       'queues': 'QueueUrls' in boto3.client('sqs', **good, **kw).list_queues() or True}
codes = []
for service, call in [('sts', 'get_caller_identity'), ('lambda', 'list_functions'), ('sqs', 'list_queues')]:
    try:
        getattr(boto3.client(service, aws_access_key_id='${GOOD.accessKeyId}', aws_secret_access_key='wrong', **kw), call)()
    except botocore.exceptions.ClientError as e:
        codes.append(e.response['Error']['Code'])
out['codes'] = codes
print(json.dumps(out))
`;
    const py = await run('python3', ['-c', script, t.platform.url], { env: env(GOOD) });
    assert.equal(py.code, 0, py.stderr);
    const out = JSON.parse(py.stdout) as { arn: string; functions: number; codes: string[] };
    assert.equal(out.arn, `arn:aws:iam::111122223333:user/${KEY.accessKeyId}`);
    assert.deepEqual(out.codes, ['SignatureDoesNotMatch', 'InvalidSignatureException', 'SignatureDoesNotMatch']);

    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'sts', 'get-caller-identity'], { env: env(GOOD) });
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { Account: string }).Account, '111122223333');
    const cliLambda = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'lambda', 'list-functions'], { env: env(GOOD) });
    assert.equal(cliLambda.code, 0, cliLambda.stderr);
    const cliWrong = await run('aws', ['--endpoint-url', t.platform.url, 'sqs', 'list-queues'], { env: env(WRONG_SECRET) });
    assert.notEqual(cliWrong.code, 0);
    assert.match(cliWrong.stderr, /SignatureDoesNotMatch|InvalidSignatureException/);
  });
});

describe('--credentials on a non-loopback address', () => {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((i) => i?.family === 'IPv4' && !i.internal)?.address;

  it('serves signed AWS requests from other machines, and keeps /_selfless/ to this one', { skip: address === undefined && 'no non-loopback interface' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfless-sigv4-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify([KEY]));
    const t = await startTestPlatform({ credentials: join(dir, 'credentials.json'), host: '0.0.0.0' });
    const outside = `http://${address}:${t.platform.port}`;
    try {
      const call = { method: 'GET', path: '/2015-03-31/functions', service: 'lambda', credentials: GOOD };
      assert.equal((await signedCall(outside, call)).status, 200);
      assert.equal((await fetch(`${outside}/2015-03-31/functions`)).status, 403);
      const admin = await fetch(`${outside}/_selfless/functions/nothing/environments`);
      assert.equal(admin.status, 403);
      assert.match(await admin.text(), /answer only on this machine/);
      assert.equal((await fetch(`http://127.0.0.1:${t.platform.port}/_selfless/functions/nothing/environments`)).status, 404);
      assert.equal((await fetch(`${outside}/metrics`)).status, 200);
    } finally {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('without --credentials', () => {
  it('the server says at start that any credentials pass', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'selfless-sigv4-'));
    const platform = await startPlatform({ port: 0, dataDir: dir, shutdownGraceMs: 1000 }, { logger: createLogger('info', (l) => lines.push(l)) });
    try {
      assert.ok(lines.some((l) => /WARN .*signatures are not verified: any credentials are accepted/.test(l)), lines.join(''));
    } finally {
      await platform.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serve --host on a non-loopback address refuses to start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfless-sigv4-'));
    try {
      const res = await run(process.execPath, [SELFLESS_BIN, 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dir]);
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, /refusing to listen on 0\.0\.0\.0 without --credentials/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a credentials file that is not a list of keys is refused with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfless-sigv4-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ accessKeyId: 'AKIASHORT', secretAccessKey: 's' }]));
    try {
      await assert.rejects(startTestPlatform({ credentials: join(dir, 'bad.json') }, dir), /credentials file .* must be a list of .*accessKeyId.*accountId/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
