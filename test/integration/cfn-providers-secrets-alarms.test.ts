import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, DescribeAlarmsCommand, ListTagsForResourceCommand as ListAlarmTagsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ListTagsForResourceCommand, SSMClient } from '@aws-sdk/client-ssm';
import { cloudwatchProviders } from '../../src/services/cloudformation/providers/cloudwatch.js';
import { secretsProviders } from '../../src/services/cloudformation/providers/secrets.js';
import { resourceContext } from '../helpers/cfn-context.js';
import { clientConfig } from '../helpers/cloudformation.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('CloudFormation providers: SSM, Secrets Manager, KMS and CloudWatch alarms', () => {
  let t: TestPlatform;
  let ssm: SSMClient;
  let secrets: SecretsManagerClient;
  let kms: KMSClient;
  let cw: CloudWatchClient;
  const ctx = (id: string) => resourceContext(t.platform, id, { stackName: 'conf', stackTags: { project: 'demo' } });
  before(async () => {
    t = await startTestPlatform();
    const c = clientConfig(t);
    ssm = new SSMClient(c);
    secrets = new SecretsManagerClient(c);
    kms = new KMSClient(c);
    cw = new CloudWatchClient(c);
  });
  after(async () => {
    for (const c of [ssm, secrets, kms, cw]) c.destroy();
    await t.stop();
  });

  it('AWS::SSM::Parameter: value and tags (a map) read back, updated in place, replaced by name, deleted', async () => {
    const p = secretsProviders['AWS::SSM::Parameter']!;
    const props = { Type: 'String', Value: 'v1', Description: 'd', Tags: { team: 'a' } };
    const made = await p.create(props, ctx('Param'));
    assert.deepEqual(made.attributes, { Type: 'String', Value: 'v1' });
    assert.equal((await ssm.send(new GetParameterCommand({ Name: made.physicalId }))).Parameter!.Value, 'v1');
    const tags = () => ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: made.physicalId })).then((r) => r.TagList);
    assert.deepEqual(await tags(), [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);
    const next = { Type: 'StringList', Value: 'a,b', Tags: { env: 'dev' } };
    const updated = await p.update(made.physicalId, next, props, ctx('Param'));
    assert.deepEqual(updated, { physicalId: made.physicalId, attributes: { Type: 'StringList', Value: 'a,b' } });
    const param = (await ssm.send(new GetParameterCommand({ Name: made.physicalId }))).Parameter!;
    assert.deepEqual([param.Value, param.Type, param.Version], ['a,b', 'StringList', 2]);
    assert.deepEqual(await tags(), [{ Key: 'project', Value: 'demo' }, { Key: 'env', Value: 'dev' }]);
    assert.deepEqual(p.replaceOn, ['Name']);
    await assert.rejects(p.create({ Type: 'SecureString', Value: 'x' }, ctx('S')), /cannot be SecureString/);
    await p.delete(made.physicalId, next, ctx('Param'));
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: made.physicalId })), { name: 'ParameterNotFound' });
    await p.delete(made.physicalId, next, ctx('Param'));
  });

  it('AWS::SecretsManager::Secret: Ref is the ARN; a generated value in a template; updated in place; deleted at once', async () => {
    const p = secretsProviders['AWS::SecretsManager::Secret']!;
    const props = { Name: 'db-credentials', GenerateSecretString: { SecretStringTemplate: '{"username":"app"}', GenerateStringKey: 'password', PasswordLength: '20', ExcludePunctuation: 'true' }, Tags: [{ Key: 'team', Value: 'a' }] };
    const made = await p.create(props, ctx('Db'));
    assert.match(made.physicalId, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:db-credentials-[A-Za-z0-9]{6}$/);
    assert.equal(made.ref, made.physicalId);
    assert.deepEqual(made.attributes, { Id: made.physicalId });
    const value = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: made.physicalId }))).SecretString!) as { username: string; password: string };
    assert.equal(value.username, 'app');
    assert.match(value.password, /^[A-Za-z0-9]{20}$/);
    const next = { Name: 'db-credentials', SecretString: 'plain', Description: 'now given' };
    await p.update(made.physicalId, next, props, ctx('Db'));
    assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: made.physicalId }))).SecretString, 'plain');
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: made.physicalId }));
    assert.deepEqual([described.Description, described.Tags], ['now given', [{ Key: 'project', Value: 'demo' }]]);
    assert.deepEqual(p.replaceOn, ['Name']);
    await assert.rejects(p.create({ SecretString: 'a', GenerateSecretString: {} }, ctx('Both')), /cannot both be given/);
    await p.delete(made.physicalId, next, ctx('Db'));
    await assert.rejects(secrets.send(new DescribeSecretCommand({ SecretId: made.physicalId })), { name: 'ResourceNotFoundException' });
    await p.delete(made.physicalId, next, ctx('Db'));
  });

  it('AWS::KMS::Key (Ref: the key id) and AWS::KMS::Alias: description, state and tags in place; deletion scheduled', async () => {
    const p = secretsProviders['AWS::KMS::Key']!;
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'kms:*', Resource: '*' }] };
    const props = { Description: 'data key', KeyPolicy: policy, Tags: [{ Key: 'team', Value: 'a' }] };
    const made = await p.create(props, ctx('Key'));
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: made.physicalId }))).KeyMetadata!;
    assert.deepEqual(made.attributes, { Arn: meta.Arn, KeyId: meta.KeyId });
    assert.equal(made.physicalId, meta.KeyId);
    assert.equal(meta.Description, 'data key');
    const next = { Description: 'renamed', Enabled: false, KeyPolicy: policy, Tags: [] };
    await p.update(made.physicalId, next, props, ctx('Key'));
    const after = (await kms.send(new DescribeKeyCommand({ KeyId: made.physicalId }))).KeyMetadata!;
    assert.deepEqual([after.Description, after.KeyState], ['renamed', 'Disabled']);
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: made.physicalId }))).Tags, [{ TagKey: 'project', TagValue: 'demo' }]);
    await assert.rejects(p.create({ EnableKeyRotation: true }, ctx('Rotating')), /EnableKeyRotation is not supported/);

    const ap = secretsProviders['AWS::KMS::Alias']!;
    const other = await p.create({}, ctx('Other'));
    const a = await ap.create({ AliasName: 'alias/app-data', TargetKeyId: made.physicalId }, ctx('Alias'));
    assert.equal(a.physicalId, 'alias/app-data');
    const target = async () => (await kms.send(new ListAliasesCommand({}))).Aliases!.find((x) => x.AliasName === 'alias/app-data')?.TargetKeyId;
    assert.equal(await target(), made.physicalId);
    await ap.update(a.physicalId, { AliasName: 'alias/app-data', TargetKeyId: other.physicalId }, { AliasName: 'alias/app-data', TargetKeyId: made.physicalId }, ctx('Alias'));
    assert.equal(await target(), other.physicalId);
    assert.deepEqual(ap.replaceOn, ['AliasName']);
    await ap.delete(a.physicalId, {}, ctx('Alias'));
    assert.equal(await target(), undefined);
    await ap.delete(a.physicalId, {}, ctx('Alias'));

    await p.delete(made.physicalId, { PendingWindowInDays: 7 }, ctx('Key'));
    const deleting = (await kms.send(new DescribeKeyCommand({ KeyId: made.physicalId }))).KeyMetadata!;
    assert.equal(deleting.KeyState, 'PendingDeletion');
    assert.ok(deleting.DeletionDate!.getTime() - Date.now() > 6 * 86_400_000);
    await p.delete(made.physicalId, {}, ctx('Key'));
    await p.delete(other.physicalId, {}, ctx('Other'));
  });

  it('AWS::CloudWatch::Alarm: on a function metric; updated in place; deleted', async () => {
    const p = cloudwatchProviders['AWS::CloudWatch::Alarm']!;
    const props = {
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'checkout' }], Statistic: 'Sum',
      Period: '60', EvaluationPeriods: '1', Threshold: '1', ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
      Tags: [{ Key: 'team', Value: 'a' }],
    };
    const made = await p.create(props, ctx('Errors'));
    assert.deepEqual(made.attributes, { Arn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${made.physicalId}` });
    const [alarm] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [made.physicalId] }))).MetricAlarms!;
    assert.deepEqual([alarm!.Threshold, alarm!.Period, alarm!.AlarmArn], [1, 60, made.attributes['Arn']]);
    const alarmTags = async () => (await cw.send(new ListAlarmTagsCommand({ ResourceARN: made.attributes['Arn'] as string }))).Tags;
    assert.deepEqual(await alarmTags(), [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);
    await p.update(made.physicalId, { ...props, Threshold: 5, AlarmDescription: 'five', Tags: [] }, props, ctx('Errors'));
    assert.deepEqual(await alarmTags(), [{ Key: 'project', Value: 'demo' }]);
    const [after] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [made.physicalId] }))).MetricAlarms!;
    assert.deepEqual([after!.Threshold, after!.AlarmDescription], [5, 'five']);
    assert.deepEqual(p.replaceOn, ['AlarmName']);
    await p.delete(made.physicalId, props, ctx('Errors'));
    assert.deepEqual((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [made.physicalId] }))).MetricAlarms, []);
    await p.delete(made.physicalId, props, ctx('Errors'));
  });
});
