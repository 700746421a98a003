import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  UnlabelParameterVersionCommand,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import { CreateKeyCommand, DecryptCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

describe('SSM Parameter Store', () => {
  let t: TestPlatform;
  let ssm: SSMClient;
  let kms: KMSClient;
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => assert.fail('expected an error'),
      (e: SSMServiceException) => e,
    );
  const value = async (name: string, decrypt = false) => (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: decrypt }))).Parameter!;

  before(async () => {
    t = await startTestPlatform();
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    ssm = new SSMClient(config);
    kms = new KMSClient(config);
  });
  after(async () => {
    ssm.destroy();
    kms.destroy();
    await t.stop();
  });

  it('puts String and StringList parameters with versions; Overwrite is required to change one', async () => {
    assert.deepEqual(await ssm.send(new PutParameterCommand({ Name: '/app/url', Value: 'http://a', Type: 'String' })).then((r) => [r.Version, r.Tier]), [1, 'Standard']);
    const exists = await fail(ssm.send(new PutParameterCommand({ Name: '/app/url', Value: 'http://b', Type: 'String' })));
    assert.equal(exists.name, 'ParameterAlreadyExists');
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/app/url', Value: 'http://b', Overwrite: true }))).Version, 2);
    const p = await value('/app/url');
    assert.deepEqual([p.Value, p.Version, p.Type, p.ARN, p.DataType], ['http://b', 2, 'String', 'arn:aws:ssm:us-east-1:000000000000:parameter/app/url', 'text']);
    await ssm.send(new PutParameterCommand({ Name: '/app/hosts', Value: 'a,b,c', Type: 'StringList', Tier: 'Advanced' }));
    assert.equal((await value('/app/hosts')).Value, 'a,b,c');
    assert.equal((await fail(ssm.send(new GetParameterCommand({ Name: '/app/none' })))).name, 'ParameterNotFound');
    assert.equal((await fail(ssm.send(new PutParameterCommand({ Name: 'aws-reserved', Value: 'x', Type: 'String' })))).name, 'ValidationException');
    assert.equal((await fail(ssm.send(new PutParameterCommand({ Name: '/app/pin', Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' })))).name, 'ParameterPatternMismatchException');
  });

  it('SecureString: encrypted with aws/ssm or a named key, decrypted only WithDecryption', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/db-password', Value: 'hunter2-secure', Type: 'SecureString' }));
    const hidden = await value('/app/db-password');
    assert.notEqual(hidden.Value, 'hunter2-secure');
    const clear = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(hidden.Value!, 'base64'), EncryptionContext: { PARAMETER_ARN: hidden.ARN! } }));
    assert.equal(Buffer.from(clear.Plaintext!).toString(), 'hunter2-secure', 'the hidden value is a KMS ciphertext bound to the parameter');
    assert.equal((await value('/app/db-password', true)).Value, 'hunter2-secure');
    const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/db-password'] }] }));
    assert.match(described.Parameters![0]!.KeyId!, /^arn:aws:kms:us-east-1:000000000000:key\//);

    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await ssm.send(new PutParameterCommand({ Name: '/app/api-key', Value: 'k-123', Type: 'SecureString', KeyId: keyId }));
    assert.equal((await value('/app/api-key', true)).Value, 'k-123');
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    assert.equal((await fail(ssm.send(new GetParameterCommand({ Name: '/app/api-key', WithDecryption: true })))).name, 'InvalidKeyId');
    assert.equal((await fail(ssm.send(new PutParameterCommand({ Name: '/app/other', Value: 'x', Type: 'SecureString', KeyId: 'alias/none' })))).name, 'InvalidKeyId');
  });

  it('selectors name:version and name:label; labels move between versions; history', async () => {
    for (const v of ['v1', 'v2', 'v3']) await ssm.send(new PutParameterCommand({ Name: '/sel/p', Value: v, Type: 'String', Overwrite: true }));
    const labelled = await ssm.send(new LabelParameterVersionCommand({ Name: '/sel/p', ParameterVersion: 1, Labels: ['stable', 'aws-bad', '9lives'] }));
    assert.deepEqual([labelled.ParameterVersion, labelled.InvalidLabels], [1, ['aws-bad', '9lives']]);
    assert.equal((await value('/sel/p:stable')).Value, 'v1');
    assert.equal((await value('/sel/p:2')).Value, 'v2');
    assert.equal((await value('/sel/p:2')).Selector, ':2');
    await ssm.send(new LabelParameterVersionCommand({ Name: '/sel/p', Labels: ['stable'] }));
    assert.equal((await value('/sel/p:stable')).Value, 'v3', 'the label moved to the latest version');
    const missing = await fail(ssm.send(new GetParameterCommand({ Name: '/sel/p:7' })));
    assert.equal(missing.name, 'ParameterVersionNotFound');
    const many = await ssm.send(new GetParametersCommand({ Names: ['/sel/p:1', '/sel/p:stable', '/sel/none', '/sel/p:nolabel'] }));
    assert.deepEqual(many.Parameters!.map((p) => p.Value), ['v1', 'v3']);
    assert.deepEqual(many.InvalidParameters, ['/sel/none', '/sel/p:nolabel']);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/sel/p', MaxResults: 2 }));
    assert.deepEqual(history.Parameters!.map((h) => [h.Version, h.Value]), [[1, 'v1'], [2, 'v2']]);
    const rest = await ssm.send(new GetParameterHistoryCommand({ Name: '/sel/p', NextToken: history.NextToken }));
    assert.deepEqual(rest.Parameters!.map((h) => [h.Version, h.Labels]), [[3, ['stable']]]);
    const unlabelled = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/sel/p', ParameterVersion: 3, Labels: ['stable', 'never'] }));
    assert.deepEqual([unlabelled.RemovedLabels, unlabelled.InvalidLabels], [['stable'], ['never']]);
    assert.equal((await fail(ssm.send(new GetParameterCommand({ Name: '/sel/p:stable' })))).name, 'ParameterVersionNotFound');
  });

  it('GetParametersByPath: one level or recursive, filters, paging; DescribeParameters; deletes', async () => {
    const names = ['/tree/a', '/tree/b', '/tree/sub/c', '/tree/sub/deep/d', '/treetop'];
    for (const n of names) await ssm.send(new PutParameterCommand({ Name: n, Value: n, Type: n.endsWith('d') ? 'SecureString' : 'String' }));
    const oneLevel = await ssm.send(new GetParametersByPathCommand({ Path: '/tree' }));
    assert.deepEqual(oneLevel.Parameters!.map((p) => p.Name), ['/tree/a', '/tree/b']);
    const pages: string[][] = [];
    for await (const pg of paginateGetParametersByPath({ client: ssm, pageSize: 2 }, { Path: '/tree/', Recursive: true, WithDecryption: true })) pages.push(pg.Parameters!.map((p) => p.Value!));
    assert.deepEqual(pages, [['/tree/a', '/tree/b'], ['/tree/sub/c', '/tree/sub/deep/d']]);
    const secure = await ssm.send(new GetParametersByPathCommand({ Path: '/tree', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }] }));
    assert.deepEqual(secure.Parameters!.map((p) => p.Name), ['/tree/sub/deep/d']);
    assert.equal((await fail(ssm.send(new GetParametersByPathCommand({ Path: '/tree', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })))).name, 'InvalidFilterKey');
    const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/tree/sub'] }] }));
    assert.deepEqual(described.Parameters!.map((p) => [p.Name, p.Type, p.Version]), [['/tree/sub/c', 'String', 1], ['/tree/sub/deep/d', 'SecureString', 1]]);
    const begins = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/tree'] }], MaxResults: 50 }));
    assert.equal(begins.Parameters!.length, 5);

    await ssm.send(new DeleteParameterCommand({ Name: '/treetop' }));
    assert.equal((await fail(ssm.send(new DeleteParameterCommand({ Name: '/treetop' })))).name, 'ParameterNotFound');
    const deleted = await ssm.send(new DeleteParametersCommand({ Names: ['/tree/a', '/tree/b', '/tree/zzz'] }));
    assert.deepEqual([deleted.DeletedParameters, deleted.InvalidParameters], [['/tree/a', '/tree/b'], ['/tree/zzz']]);
  });

  it('boto3 and the aws CLI', async () => {
    const script = `
import boto3, json, sys
ssm = boto3.client('ssm', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
ssm.put_parameter(Name='/py/secret', Value='py-secure', Type='SecureString')
ssm.put_parameter(Name='/py/plain', Value='py-plain', Type='String')
got = ssm.get_parameters_by_path(Path='/py', WithDecryption=True)['Parameters']
try:
    ssm.get_parameter(Name='/py/none')
except ssm.exceptions.ParameterNotFound as e:
    code = e.response['Error']['Code']
print(json.dumps({'values': [p['Value'] for p in got], 'code': code}))
`;
    const py = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(py.code, 0, py.stderr);
    assert.deepEqual(JSON.parse(py.stdout), { values: ['py-plain', 'py-secure'], code: 'ParameterNotFound' });
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'ssm', 'get-parameter', '--name', '/py/secret', '--with-decryption']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { Parameter: { Value: string } }).Parameter.Value, 'py-secure');
  });
});
