import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../src/lib/clock.js';
import { createFunction, CREDENTIALS, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

const DAY = 24 * 3600 * 1000;

describe('Secrets Manager', () => {
  let t: TestPlatform;
  let sm: SecretsManagerClient;
  let kms: KMSClient;
  const clock = new ManualClock();
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => assert.fail('expected an error'),
      (e: SecretsManagerServiceException) => e,
    );
  const current = async (id: string) => (await sm.send(new GetSecretValueCommand({ SecretId: id }))).SecretString;

  before(async () => {
    t = await startTestPlatform({}, undefined, { vaultClock: clock });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    sm = new SecretsManagerClient(config);
    kms = new KMSClient(config);
  });
  after(async () => {
    sm.destroy();
    kms.destroy();
    await t.stop();
  });

  it('creates a secret and reads it by name, ARN and partial ARN; a retried create with the same token is idempotent', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"app","password":"p1"}', ClientRequestToken: 'token-0000000000000000000000000001' }));
    assert.match(created.ARN!, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/db-[A-Za-z0-9]{6}$/);
    assert.equal(created.VersionId, 'token-0000000000000000000000000001');
    const again = await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"app","password":"p1"}', ClientRequestToken: 'token-0000000000000000000000000001' }));
    assert.equal(again.ARN, created.ARN);
    assert.equal((await fail(sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'other' })))).name, 'ResourceExistsException');
    for (const id of ['app/db', created.ARN!, 'arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db']) {
      const got = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      assert.equal(got.SecretString, '{"user":"app","password":"p1"}', id);
      assert.deepEqual(got.VersionStages, ['AWSCURRENT']);
    }
    const missing = await fail(sm.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, "Secrets Manager can't find the specified secret.");
    const accessed = (await sm.send(new DescribeSecretCommand({ SecretId: 'app/db' }))).LastAccessedDate!;
    assert.equal(accessed.getTime(), Math.floor(clock.now() / DAY) * DAY, 'LastAccessedDate is the day of the last read');
    const binary = await sm.send(new CreateSecretCommand({ Name: 'app/cert', SecretBinary: Buffer.from([0, 1, 2, 255]) }));
    assert.deepEqual([...(await sm.send(new GetSecretValueCommand({ SecretId: binary.ARN }))).SecretBinary!], [0, 1, 2, 255]);
    // A secret given no key is encrypted under the AWS managed key aws/secretsmanager, made on first use.
    const managed = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' }))).KeyMetadata!;
    assert.deepEqual([managed.KeyManager, managed.KeyState, managed.Enabled], ['AWS', 'Enabled', true]);
  });

  it('versions: AWSCURRENT moves to each new value and leaves AWSPREVIOUS; custom labels and UpdateSecretVersionStage', async () => {
    const { ARN: arn, VersionId: v1 } = await sm.send(new CreateSecretCommand({ Name: 'versions', SecretString: 'one' }));
    const { VersionId: v2 } = await sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'two' }));
    assert.equal(await current(arn!), 'two');
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }))).SecretString, 'one');
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionId: v1 }))).SecretString, 'one');
    const { VersionId: v3 } = await sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'three', VersionStages: ['canary'] }));
    assert.equal(await current(arn!), 'two', 'a custom label does not move AWSCURRENT');
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'canary' }))).SecretString, 'three');
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages, { [v1!]: ['AWSPREVIOUS'], [v2!]: ['AWSCURRENT'], [v3!]: ['canary'] });

    const refused = await fail(sm.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: v3 })));
    assert.equal(refused.name, 'InvalidParameterException');
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSCURRENT', MoveToVersionId: v3, RemoveFromVersionId: v2 }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages, { [v2!]: ['AWSPREVIOUS'], [v3!]: ['canary', 'AWSCURRENT'] });

    // A retried PutSecretValue: same token and value change nothing; another value under the token is refused.
    await sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'four', ClientRequestToken: 'put-token-00000000000000000000000004' }));
    await sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'four', ClientRequestToken: 'put-token-00000000000000000000000004' }));
    const conflict = await fail(sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'five', ClientRequestToken: 'put-token-00000000000000000000000004' })));
    assert.equal(conflict.name, 'ResourceExistsException');
    const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: arn }));
    assert.equal(listed.Versions!.length, 2, 'versions left without a label are deprecated and not listed');
    assert.equal((await sm.send(new ListSecretVersionIdsCommand({ SecretId: arn, IncludeDeprecated: true }))).Versions!.length, 4);
    await sm.send(new UpdateSecretCommand({ SecretId: arn, Description: 'counted', SecretString: 'six' }));
    assert.equal(await current(arn!), 'six');
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).Description, 'counted');
  });

  it('lists with filters and pages; tags and untags', async () => {
    for (const n of ['list/a', 'list/b', 'list/c']) await sm.send(new CreateSecretCommand({ Name: n, SecretString: n, Tags: [{ Key: 'env', Value: n === 'list/b' ? 'prod' : 'dev' }] }));
    const names: string[] = [];
    for await (const page of paginateListSecrets({ client: sm, pageSize: 2 }, { Filters: [{ Key: 'name', Values: ['list/'] }] })) {
      assert.ok(page.SecretList!.length <= 2);
      names.push(...page.SecretList!.map((s) => s.Name!));
    }
    assert.deepEqual(names, ['list/a', 'list/b', 'list/c']);
    const prod = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-value', Values: ['prod'] }] }));
    assert.deepEqual(prod.SecretList!.map((s) => s.Name), ['list/b']);
    const notDev = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }, { Key: 'tag-value', Values: ['!dev'] }] }));
    assert.deepEqual(notDev.SecretList!.map((s) => s.Name), ['list/b']);
    await sm.send(new TagResourceCommand({ SecretId: 'list/a', Tags: [{ Key: 'owner', Value: 'me' }] }));
    await sm.send(new UntagResourceCommand({ SecretId: 'list/a', TagKeys: ['env'] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: 'list/a' }))).Tags, [{ Key: 'owner', Value: 'me' }]);
    const batch = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['list/a', 'list/c', 'list/none'] }));
    assert.deepEqual(batch.SecretValues!.map((v) => v.SecretString), ['list/a', 'list/c']);
    assert.deepEqual(batch.Errors!.map((e) => [e.SecretId, e.ErrorCode]), [['list/none', 'ResourceNotFoundException']]);
    const byFilter = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'tag-value', Values: ['prod'] }] }));
    assert.deepEqual(byFilter.SecretValues!.map((v) => v.Name), ['list/b']);
  });

  it('deletes with a recovery window (reads refused, restore possible), purges when it passes, or at once when forced', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'x' }));
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
    assert.equal(deleted.DeletionDate!.getTime(), clock.now() + 7 * DAY);
    const refused = await fail(sm.send(new GetSecretValueCommand({ SecretId: 'doomed' })));
    assert.equal(refused.name, 'InvalidRequestException');
    assert.equal(refused.message, "You can't perform this operation on the secret because it was marked for deletion.");
    assert.ok(!(await sm.send(new ListSecretsCommand({}))).SecretList!.some((s) => s.Name === 'doomed'));
    assert.ok((await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList!.some((s) => s.Name === 'doomed'));
    await sm.send(new RestoreSecretCommand({ SecretId: 'doomed' }));
    assert.equal(await current('doomed'), 'x');

    await sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
    clock.advance(7 * DAY);
    assert.equal((await fail(sm.send(new DescribeSecretCommand({ SecretId: 'doomed' })))).name, 'ResourceNotFoundException');
    await sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'reborn' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'doomed', ForceDeleteWithoutRecovery: true }));
    assert.equal((await fail(sm.send(new GetSecretValueCommand({ SecretId: 'doomed' })))).name, 'ResourceNotFoundException');
  });

  it("a secret under a customer key cannot be read while the key is disabled", async () => {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await sm.send(new CreateSecretCommand({ Name: 'keyed', SecretString: 'under my key', KmsKeyId: keyId }));
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: 'keyed' }))).KmsKeyId, keyId);
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    assert.equal((await fail(sm.send(new GetSecretValueCommand({ SecretId: 'keyed' })))).name, 'DecryptionFailure');
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    assert.equal(await current('keyed'), 'under my key');
  });

  it('GetRandomPassword honours its options', async () => {
    const { RandomPassword: p } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 40, ExcludePunctuation: true, ExcludeCharacters: 'aA0' }));
    assert.equal(p!.length, 40);
    assert.match(p!, /^[b-zB-Z1-9]+$/);
    assert.match(p!, /[b-z]/);
    assert.match(p!, /[B-Z]/);
    assert.match(p!, /[1-9]/);
  });

  it('rotates with a real rotation function through its four steps, on demand and then on schedule', async () => {
    await createFunction(t.lambda, 'rotator', 'rotation', { Timeout: 30 });
    const { ARN: arn } = await sm.send(new CreateSecretCommand({ Name: 'rotated', SecretString: JSON.stringify({ user: 'app', password: 'initial' }) }));
    const rotated = await sm.send(
      new RotateSecretCommand({ SecretId: arn, RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:rotator', RotationRules: { AutomaticallyAfterDays: 2 } }),
    );
    const after1 = JSON.parse((await current(arn!))!) as { password: string; rotations: number };
    assert.equal(after1.rotations, 1);
    assert.notEqual(after1.password, 'initial');
    const meta = await sm.send(new DescribeSecretCommand({ SecretId: arn }));
    assert.equal(meta.RotationEnabled, true);
    assert.equal(meta.VersionIdsToStages![rotated.VersionId!]!.join(), 'AWSCURRENT', 'AWSPENDING is taken off once finished');
    assert.equal(JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }))).SecretString!).password, 'initial');
    assert.equal(meta.LastRotatedDate!.getTime(), clock.now());
    assert.equal(meta.NextRotationDate!.getTime(), clock.now() + 2 * DAY);

    // Two days on the clock: the scheduler rotates again, with no call.
    clock.advance(2 * DAY);
    await waitFor(async () => (JSON.parse((await current(arn!))!) as { rotations: number }).rotations === 2, 'the scheduled rotation');
    // Logs reach the store in batches: wait for them rather than for a time.
    const steps = async () =>
      ((await t.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/rotator', filterPattern: 'rotation step' }))).events ?? []).map((e) => /rotation step (\w+)/.exec(e.message!)![1]);
    await waitFor(async () => (await steps()).length >= 8, 'the logs of both rotations');
    assert.deepEqual(await steps(), ['createSecret', 'setSecret', 'testSecret', 'finishSecret', 'createSecret', 'setSecret', 'testSecret', 'finishSecret']);
  });

  it('a rotation whose function fails leaves AWSPENDING in place and refuses another rotation until retried', async () => {
    const { ARN: arn } = await sm.send(new CreateSecretCommand({ Name: 'unrotatable', SecretString: '{"password":"kept"}' }));
    const token = 'rotation-token-000000000000000000000001';
    const failed = await fail(
      sm.send(new RotateSecretCommand({ SecretId: arn, ClientRequestToken: token, RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:no-such-rotator' })),
    );
    assert.equal(failed.name, 'InvalidRequestException');
    assert.match(failed.message, /failed at its createSecret step: .*no-such-rotator/);
    const stages = (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages!;
    assert.deepEqual(stages[token], ['AWSPENDING']);
    assert.equal(await current(arn!), '{"password":"kept"}');
    const again = await fail(sm.send(new RotateSecretCommand({ SecretId: arn, ClientRequestToken: 'rotation-token-000000000000000000000002' })));
    assert.equal(again.message, "A previous rotation isn't complete. That rotation will be reattempted.");
  });

  it('boto3 and the aws CLI read and write secrets', async () => {
    const script = `
import boto3, json, sys
sm = boto3.client('secretsmanager', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
sm.create_secret(Name='py/secret', SecretString='from python')
sm.put_secret_value(SecretId='py/secret', SecretString='second')
try:
    sm.get_secret_value(SecretId='py/none')
except sm.exceptions.ResourceNotFoundException as e:
    code = e.response['Error']['Code']
print(json.dumps({'value': sm.get_secret_value(SecretId='py/secret')['SecretString'], 'previous': sm.get_secret_value(SecretId='py/secret', VersionStage='AWSPREVIOUS')['SecretString'], 'code': code}))
`;
    const py = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(py.code, 0, py.stderr);
    assert.deepEqual(JSON.parse(py.stdout), { value: 'second', previous: 'from python', code: 'ResourceNotFoundException' });
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'secretsmanager', 'get-secret-value', '--secret-id', 'py/secret']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { SecretString: string }).SecretString, 'second');
  });
});
