import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, ListTagsForResourceCommand, ListTagsLogGroupCommand, TagResourceCommand } from '@aws-sdk/client-cloudwatch-logs';
import { logsProviders } from '../../src/services/cloudformation/providers/logs.js';
import { resourceContext } from '../helpers/cfn-context.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('CloudWatch Logs groups: CreateLogGroup, DeleteLogGroup and AWS::Logs::LogGroup', () => {
  let t: TestPlatform;
  const ctx = (id: string) => resourceContext(t.platform, id, { stackName: 'logs', stackTags: { project: 'demo' } });
  const described = async (prefix: string) => (await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix }))).logGroups ?? [];
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => {
    await t.stop();
  });

  it("a function's group made before it logs is listed, refused twice, and deleted; any other group is made too", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/early' }));
    assert.deepEqual((await described('/aws/lambda/early')).map((g) => g.logGroupName), ['/aws/lambda/early']);
    await assert.rejects(t.logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/early' })), { name: 'ResourceAlreadyExistsException' });
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: 'app/audit' }));
    assert.deepEqual((await described('app/')).map((g) => g.logGroupName), ['app/audit']);
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/tagged', tags: { a: 'b' } }));
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/tagged';
    await t.logs.send(new TagResourceCommand({ resourceArn: arn, tags: { c: 'd' } }));
    assert.deepEqual((await t.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { a: 'b', c: 'd' });
    assert.deepEqual((await t.logs.send(new ListTagsLogGroupCommand({ logGroupName: '/aws/lambda/tagged' }))).tags, { a: 'b', c: 'd' });
    await assert.rejects(t.logs.send(new ListTagsForResourceCommand({ resourceArn: `${arn}-none` })), { name: 'ResourceNotFoundException' });
    await assert.rejects(t.logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/k', kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/x' })), { name: 'InvalidParameterException' });
    await t.logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/early' }));
    assert.deepEqual(await described('/aws/lambda/early'), []);
    await assert.rejects(t.logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/early' })), { name: 'ResourceNotFoundException' });
  });

  it('AWS::Logs::LogGroup: retention and tags set and changed in place, the group deleted', async () => {
    const p = logsProviders['AWS::Logs::LogGroup']!;
    const made = await p.create({ LogGroupName: '/aws/lambda/worker', RetentionInDays: '14' }, ctx('WorkerLogs'));
    assert.deepEqual(made, { physicalId: '/aws/lambda/worker', attributes: { Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/worker:*' } });
    assert.equal((await described('/aws/lambda/worker'))[0]?.retentionInDays, 14);
    await p.update(made.physicalId, { LogGroupName: '/aws/lambda/worker', RetentionInDays: 30 }, { LogGroupName: '/aws/lambda/worker', RetentionInDays: '14' }, ctx('WorkerLogs'));
    assert.equal((await described('/aws/lambda/worker'))[0]?.retentionInDays, 30);
    await p.update(made.physicalId, { LogGroupName: '/aws/lambda/worker' }, { LogGroupName: '/aws/lambda/worker', RetentionInDays: 30 }, ctx('WorkerLogs'));
    assert.equal((await described('/aws/lambda/worker'))[0]?.retentionInDays, undefined);
    assert.deepEqual(p.replaceOn, ['LogGroupName', 'LogGroupClass', 'KmsKeyId']);
    const tags = async (name: string) => (await t.logs.send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:logs:us-east-1:000000000000:log-group:${name}` }))).tags;
    const tagged = await p.create({ LogGroupName: '/aws/lambda/x', Tags: [{ Key: 'a', Value: 'b' }] }, ctx('X'));
    assert.deepEqual(await tags('/aws/lambda/x'), { project: 'demo', a: 'b' });
    await p.update(tagged.physicalId, { LogGroupName: '/aws/lambda/x', Tags: [{ Key: 'c', Value: 'd' }] }, { LogGroupName: '/aws/lambda/x', Tags: [{ Key: 'a', Value: 'b' }] }, ctx('X'));
    assert.deepEqual(await tags('/aws/lambda/x'), { project: 'demo', c: 'd' });
    await p.delete(tagged.physicalId, {}, ctx('X'));
    await assert.rejects(p.create({ LogGroupName: '/aws/lambda/y', DataProtectionPolicy: {} }, ctx('Y')), /property DataProtectionPolicy is not supported/);
    const nameless = await p.create({}, ctx('Nameless'));
    assert.deepEqual((await described(nameless.physicalId)).map((g) => g.logGroupName), [nameless.physicalId], 'a group without a name gets a generated one');
    await p.delete(made.physicalId, {}, ctx('WorkerLogs'));
    assert.deepEqual(await described('/aws/lambda/worker'), []);
    await p.delete(made.physicalId, {}, ctx('WorkerLogs'));
  });
});
