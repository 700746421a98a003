import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

const ROLE = 'arn:aws:iam::123456789012:role/deployer';

describe('STS over the query protocol', () => {
  let t: TestPlatform;
  const clients: STSClient[] = [];
  const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = CREDENTIALS) => {
    const client = new STSClient({ endpoint: t.platform.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    clients.push(client);
    return client;
  };
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await t.stop();
  });

  it('GetCallerIdentity: the server account, a user named after the access key', async () => {
    const who = await sts({ accessKeyId: 'AKIAEXAMPLEUSER', secretAccessKey: 's' }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, '000000000000');
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/AKIAEXAMPLEUSER');
    assert.match(who.UserId!, /^AIDA[A-Z2-7]{17}$/);
    const again = await sts({ accessKeyId: 'AKIAEXAMPLEUSER', secretAccessKey: 'other' }).send(new GetCallerIdentityCommand({}));
    assert.equal(again.UserId, who.UserId, 'the same key is the same user');
  });

  it('AssumeRole: temporary credentials that act as the role session', async () => {
    const res = await sts().send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'ci-run', DurationSeconds: 900, SourceIdentity: 'alice' }));
    const c = res.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(c.SecretAccessKey!.length >= 40);
    assert.ok(c.SessionToken!.length > 100);
    const ttl = c.Expiration!.getTime() - Date.now();
    assert.ok(ttl > 880_000 && ttl <= 900_000, `expires in ${ttl} ms`);
    assert.equal(res.AssumedRoleUser?.Arn, 'arn:aws:sts::123456789012:assumed-role/deployer/ci-run');
    assert.match(res.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:ci-run$/);
    assert.equal(res.SourceIdentity, 'alice');

    const asRole = await sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([asRole.Account, asRole.Arn, asRole.UserId], ['123456789012', res.AssumedRoleUser!.Arn, res.AssumedRoleUser!.AssumedRoleId]);
  });

  it('GetSessionToken: temporary credentials that act as the caller', async () => {
    const res = await sts({ accessKeyId: 'AKIAEXAMPLEUSER', secretAccessKey: 's' }).send(new GetSessionTokenCommand({}));
    const c = res.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA/);
    const ttl = c.Expiration!.getTime() - Date.now();
    assert.ok(ttl > 12 * 3600_000 - 60_000, "STS's default of 12 hours");
    const who = await sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/AKIAEXAMPLEUSER');
  });

  it("errors in the query protocol's shape, with STS's codes", async () => {
    const fail = (input: ConstructorParameters<typeof AssumeRoleCommand>[0]) =>
      sts().send(new AssumeRoleCommand(input)).then(
        () => assert.fail('expected an error'),
        (e: STSServiceException) => e,
      );
    const policy = await fail({ RoleArn: ROLE, RoleSessionName: 'ss', Policy: '{not json' });
    assert.equal(policy.name, 'MalformedPolicyDocumentException');
    assert.equal(policy.$metadata.httpStatusCode, 400);
    const short = await fail({ RoleArn: ROLE, RoleSessionName: 'ss', DurationSeconds: 60 });
    assert.equal(short.name, 'ValidationError');
    assert.match(short.message, /Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900/);
    const notRole = await fail({ RoleArn: 'arn:aws:iam::123456789012:user/bob', RoleSessionName: 'ss' });
    assert.equal(notRole.name, 'ValidationError');
  });

  it('boto3: get_caller_identity and assume_role, then the role session', async () => {
    const script = `
import boto3, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1')
c = boto3.client('sts', aws_access_key_id='AKIABOTO', aws_secret_access_key='s', **kw)
me = c.get_caller_identity()
creds = c.assume_role(RoleArn='${ROLE}', RoleSessionName='py')['Credentials']
role = boto3.client('sts', aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'], **kw)
try:
    c.assume_role(RoleArn='${ROLE}', RoleSessionName='py', Policy='[')
except c.exceptions.MalformedPolicyDocumentException as e:
    code = e.response['Error']['Code']
print(json.dumps({'me': me['Arn'], 'role': role.get_caller_identity()['Arn'], 'expiration': creds['Expiration'].isoformat(), 'code': code}))
`;
    const res = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { me: string; role: string; expiration: string; code: string };
    assert.equal(out.me, 'arn:aws:iam::000000000000:user/AKIABOTO');
    assert.equal(out.role, 'arn:aws:sts::123456789012:assumed-role/deployer/py');
    assert.match(out.expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    assert.equal(out.code, 'MalformedPolicyDocument');
  });

  it('aws sts get-caller-identity (the CLI v1)', async () => {
    const res = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'sts', 'get-caller-identity']);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), {
      UserId: (await sts().send(new GetCallerIdentityCommand({}))).UserId,
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:user/test',
    });
  });
});
