import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, fixtureZip, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { SELFLESS_BIN, run } from '../helpers/run.js';

describe('the aws CLI, boto3 and the selfless CLI against a real server', () => {
  let t: TestPlatform;
  let work: string;
  before(async () => {
    t = await startTestPlatform();
    work = mkdtempSync(join(tmpdir(), 'selfless-cli-'));
  });
  after(() => t.stop());

  it('aws lambda create-function and invoke work as in the README', async () => {
    const zip = join(work, 'fn.zip');
    writeFileSync(zip, await fixtureZip('echo'));
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', t.platform.url, 'lambda', ...args]);
    const created = await aws('create-function', '--function-name', 'hello', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
      '--role', 'arn:aws:iam::000000000000:role/any', '--zip-file', `fileb://${zip}`);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:hello');
    await aws('wait', 'function-active-v2', '--function-name', 'hello');
    const out = join(work, 'out.json');
    const invoked = await aws('invoke', '--function-name', 'hello', '--payload', '{"a":1}', out);
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.equal(JSON.parse(invoked.stdout).StatusCode, 200);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).event, { a: 1 });
    const missing = await aws('get-function', '--function-name', 'nope');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ResourceNotFoundException/);
  });

  it('boto3 creates, waits for and invokes a function', async () => {
    const script = `
import boto3, json, sys
c = boto3.client('lambda', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
c.create_function(FunctionName='py-client', Runtime='nodejs20.x', Handler='index.handler', Role='arn:aws:iam::000000000000:role/x', Code={'ZipFile': open(sys.argv[2], 'rb').read()})
c.get_waiter('function_active_v2').wait(FunctionName='py-client', WaiterConfig={'Delay': 1})
r = c.invoke(FunctionName='py-client', Payload=json.dumps({'from': 'boto3'}))
print(json.dumps({'status': r['StatusCode'], 'body': json.loads(r['Payload'].read())}))
try:
    c.get_function(FunctionName='nope')
except c.exceptions.ResourceNotFoundException as e:
    print(json.dumps({'error': e.response['Error']['Code']}))
`;
    const zip = join(work, 'py.zip');
    writeFileSync(zip, await fixtureZip('echo'));
    const res = await run('python3', ['-c', script, t.platform.url, zip]);
    assert.equal(res.code, 0, res.stderr);
    const [first, second] = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.event, { from: 'boto3' });
    assert.equal(second.error, 'ResourceNotFoundException');
  });

  it('selfless deploy, invoke, ls, logs and reset', async () => {
    const cli = (...args: string[]) => run(process.execPath, [SELFLESS_BIN, ...args, '--endpoint', t.platform.url]);
    const deployed = await cli('deploy', join(FIXTURES, 'actions'), '--name', 'cli-fn', '--memory', '256', '--env', 'STAGE=test');
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /^created arn:aws:lambda:us-east-1:000000000000:function:cli-fn/);

    const invoked = await cli('invoke', 'cli-fn', '--payload', '{"action":"print","lines":["from the cli"]}', '--log');
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.deepEqual(JSON.parse(invoked.stdout), { printed: 1 });
    assert.match(invoked.stderr, /START RequestId: ([0-9a-f-]{36})/);
    assert.match(invoked.stderr, /from the cli/);
    const requestId = /START RequestId: ([0-9a-f-]{36})/.exec(invoked.stderr)![1]!;

    const failed = await cli('invoke', 'cli-fn', '--payload', '{"action":"throw","message":"cli boom"}');
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /cli boom/);

    const updated = await cli('deploy', join(FIXTURES, 'echo'), '--name', 'cli-fn', '--timeout', '9');
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /^updated cli-fn/);

    const listed = await cli('ls');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^NAME\s+RUNTIME/);
    assert.match(listed.stdout, /\ncli-fn\s+nodejs20\.x\s+256 MB\s+9 s\s+Active/);

    const logs = await cli('logs', 'cli-fn', '--request-id', requestId);
    assert.equal(logs.code, 0, logs.stderr);
    const lines = logs.stdout.trim().split('\n');
    assert.equal(lines[0], `START RequestId: ${requestId} Version: $LATEST`);
    assert.ok(lines.some((l) => l.endsWith('from the cli')));
    assert.match(lines[lines.length - 1]!, new RegExp(`^REPORT RequestId: ${requestId}`));

    const reset = await cli('reset', 'cli-fn');
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /^recycled \d+ environment\(s\) of cli-fn/);

    const missing = await cli('invoke', 'does-not-exist');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^selfless: Function not found: arn:aws:lambda:us-east-1:000000000000:function:does-not-exist/);

    const usage = await run(process.execPath, [SELFLESS_BIN, 'deploy', FIXTURES]);
    assert.notEqual(usage.code, 0);
    assert.match(usage.stderr, /required option '--name <name>' not specified/);
    const help = await run(process.execPath, [SELFLESS_BIN, '--help']);
    assert.equal(help.code, 0);
    for (const cmd of ['serve', 'deploy', 'invoke', 'ls', 'logs', 'reset']) assert.match(help.stdout, new RegExp(`\\n  ${cmd}\\b`));
  });
});
