import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaServiceException, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { join } from 'node:path';
import { createFunction, CREDENTIALS, decode, FIXTURES, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, SELFLESS_BIN } from '../helpers/run.js';

const REFERENCES = {
  DB_PASSWORD: '{{resolve:secretsmanager:app/db:SecretString:password}}',
  DB_WHOLE: '{{resolve:secretsmanager:app/db}}',
  DB_PREVIOUS: '{{resolve:secretsmanager:app/db:SecretString:password:AWSPREVIOUS}}',
  URL_V1: 'url=' + '{{resolve:ssm:/app/url:1}}',
  URL_LATEST: '{{resolve:ssm:/app/url}}',
  TOKEN: '{{resolve:ssm-secure:/app/token}}',
  PLAIN: 'not a reference',
};

describe('{{resolve:...}} references in environment variables', () => {
  let t: TestPlatform;
  let sm: SecretsManagerClient;
  let ssm: SSMClient;
  const invoke = async (name: string) => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ names: Object.keys(REFERENCES) })) }));
    assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
    return (decode(res.Payload) as { env: Record<string, string> }).env;
  };

  before(async () => {
    t = await startTestPlatform();
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    sm = new SecretsManagerClient(config);
    ssm = new SSMClient(config);
    await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: JSON.stringify({ user: 'app', password: 'first-password' }) }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'app/db', SecretString: JSON.stringify({ user: 'app', password: 'second-password' }) }));
    await ssm.send(new PutParameterCommand({ Name: '/app/url', Value: 'https://one', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/url', Value: 'https://two', Type: 'String', Overwrite: true }));
    await ssm.send(new PutParameterCommand({ Name: '/app/token', Value: 'secure-token', Type: 'SecureString' }));
  });
  after(async () => {
    sm.destroy();
    ssm.destroy();
    await t.stop();
  });

  it('the function sees resolved values; GetFunctionConfiguration shows the references', async () => {
    await createFunction(t.lambda, 'resolved', 'env-reader', { Environment: { Variables: REFERENCES } });
    assert.deepEqual(await invoke('resolved'), {
      DB_PASSWORD: 'second-password',
      DB_WHOLE: JSON.stringify({ user: 'app', password: 'second-password' }),
      DB_PREVIOUS: 'first-password',
      URL_V1: 'url=https://one',
      URL_LATEST: 'https://two',
      TOKEN: 'secure-token',
      PLAIN: 'not a reference',
    });
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'resolved' }));
    assert.deepEqual(config.Environment?.Variables, REFERENCES);
  });

  it('secret values the function prints are masked in its stored logs; plain parameters are not', async () => {
    await createFunction(t.lambda, 'careless', 'env-logger', { Environment: { Variables: REFERENCES } });
    const names = ['DB_PASSWORD', 'DB_WHOLE', 'TOKEN', 'URL_LATEST'];
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'careless', Payload: Buffer.from(JSON.stringify({ names, extra: 'the password alone: second-password' })) }));
    assert.equal(res.FunctionError, undefined);
    const deadline = Date.now() + 30_000;
    let text = '';
    while (!text.includes('the password alone') && Date.now() < deadline) {
      const events = await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/careless' }));
      text = (events.events ?? []).map((e) => e.message).join('');
      if (!text.includes('the password alone')) await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(text, /DB_PASSWORD is \*\*\*\*/);
    assert.match(text, /TOKEN is \*\*\*\*/);
    assert.match(text, /the password alone: \*\*\*\*/, 'a member of a JSON secret printed on its own');
    assert.match(text, /URL_LATEST is https:\/\/two/, 'an SSM String parameter is no secret');
    for (const secret of ['second-password', 'secure-token', '"password"']) assert.ok(!text.includes(secret), `${secret} leaked into the logs: ${text}`);
  });

  it('a reference that cannot be resolved fails the invocation with an error naming it', async () => {
    await createFunction(t.lambda, 'unresolved', 'env-reader', { Environment: { Variables: { MISSING: '{{resolve:secretsmanager:app/none:SecretString:password}}' } } });
    const err = await t.lambda.send(new InvokeCommand({ FunctionName: 'unresolved' })).then(
      () => assert.fail('expected an error'),
      (e: LambdaServiceException) => e,
    );
    assert.equal(err.name, 'KMSNotFoundException');
    assert.equal(err.$metadata.httpStatusCode, 502);
    assert.match(err.message, /MISSING refers to \{\{resolve:secretsmanager:app\/none:SecretString:password\}\}.*can't find the specified secret/);

    // ssm on a SecureString must be ssm-secure, as CloudFormation says.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'unresolved', Environment: { Variables: { WRONG: '{{resolve:ssm:/app/token}}' } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'unresolved' });
    const wrong = await t.lambda.send(new InvokeCommand({ FunctionName: 'unresolved' })).then(
      () => assert.fail('expected an error'),
      (e: LambdaServiceException) => e,
    );
    assert.match(wrong.message, /WRONG refers to \{\{resolve:ssm:\/app\/token\}\}.*use ssm-secure/);
  });

  it('through the selfless and aws CLIs: output shows the reference, the log tail is masked, `selfless reset` picks up a rotation now', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'cli/pw', SecretString: 'cli-secret-one' }));
    const reference = '{{resolve:secretsmanager:cli/pw}}';
    const selfless = (...args: string[]) => run(process.execPath, [SELFLESS_BIN, ...args, '--endpoint', t.platform.url]);
    const deployed = await selfless('deploy', join(FIXTURES, 'env-logger'), '--name', 'cli-printer', '--env', `PW=${reference}`);
    assert.equal(deployed.code, 0, deployed.stderr);
    const invoked = await selfless('invoke', 'cli-printer', '--payload', '{"names":["PW"]}', '--log');
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.match(invoked.stderr, /PW is \*\*\*\*/, 'the log tail is masked as the stored lines are');
    const config = await run('aws', ['--endpoint-url', t.platform.url, 'lambda', 'get-function-configuration', '--function-name', 'cli-printer']);
    assert.equal(config.code, 0, config.stderr);
    assert.equal(JSON.parse(config.stdout).Environment.Variables.PW, reference);
    for (const r of [deployed, invoked, config]) assert.ok(!(r.stdout + r.stderr).includes('cli-secret-one'), `leaked: ${r.stdout}${r.stderr}`);

    await createFunction(t.lambda, 'cli-reader', 'env-reader', { Environment: { Variables: { PW: reference } } });
    const read = async () => {
      const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'cli-reader', Payload: Buffer.from('{"names":["PW"]}') }));
      assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
      return (decode(res.Payload) as { env: { PW: string } }).env.PW;
    };
    assert.equal(await read(), 'cli-secret-one');
    await sm.send(new PutSecretValueCommand({ SecretId: 'cli/pw', SecretString: 'cli-secret-two' }));
    assert.equal(await read(), 'cli-secret-one', 'a warm environment keeps the value it started with');
    const reset = await selfless('reset', 'cli-reader');
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /^recycled 1 environment\(s\) of cli-reader/);
    assert.equal(await read(), 'cli-secret-two');
  });

  it('a new environment sees a rotated value; a warm one keeps what it started with, as on Lambda', async () => {
    // A server whose idle environments stop at once: the next invocation starts a new one in the same pool.
    const quick = await startTestPlatform({ idleTimeoutMs: 200, prestartedRuntimes: 0 });
    const qsm = new SecretsManagerClient({ endpoint: quick.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await qsm.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'before-rotation' }));
      await createFunction(quick.lambda, 'rotating-reader', 'env-reader', { Environment: { Variables: { VALUE: '{{resolve:secretsmanager:rotating}}' } } });
      const read = async () => {
        const res = await quick.lambda.send(new InvokeCommand({ FunctionName: 'rotating-reader', Payload: Buffer.from(JSON.stringify({ names: ['VALUE'] })) }));
        assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
        return (decode(res.Payload) as { env: { VALUE: string } }).env.VALUE;
      };
      assert.equal(await read(), 'before-rotation');
      await qsm.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'after-rotation' }));
      const deadline = Date.now() + 60_000;
      while (quick.platform.environmentCount() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(quick.platform.environmentCount(), 0, 'the idle environment stopped');
      assert.equal(await read(), 'after-rotation');
    } finally {
      qsm.destroy();
      await quick.stop();
    }
  });
});
