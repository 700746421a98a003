import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand, GetRepositoryPolicyCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecr';
import { ecrProviders } from '../../src/services/cloudformation/providers/ecr.js';
import { iamProviders } from '../../src/services/cloudformation/providers/iam.js';
import { resourceContext } from '../helpers/cfn-context.js';
import { clientConfig } from '../helpers/cloudformation.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const allow = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('CloudFormation providers: IAM and ECR', () => {
  let t: TestPlatform;
  let iam: IAMClient;
  let ecr: ECRClient;
  const ctx = (id: string) => resourceContext(t.platform, id, { stackName: 'iam-stack', stackTags: { project: 'demo' } });
  before(async () => {
    t = await startTestPlatform();
    const c = clientConfig(t);
    iam = new IAMClient(c);
    ecr = new ECRClient(c);
  });
  after(async () => {
    iam.destroy();
    ecr.destroy();
    await t.stop();
  });

  it('AWS::IAM::Role: a generated name, inline and managed policies, stack tags; updated in place, replaced on a new name, deleted with its policies', async () => {
    const p = iamProviders['AWS::IAM::Role']!;
    const props = { AssumeRolePolicyDocument: TRUST, Policies: [{ PolicyName: 'logs', PolicyDocument: allow('logs:*') }], ManagedPolicyArns: [BASIC], Tags: [{ Key: 'team', Value: 'a' }] };
    const made = await p.create(props, ctx('FnRole'));
    assert.match(made.physicalId, /^iam-stack-FnRole-[A-Z0-9]{12}$/);
    const role = (await iam.send(new GetRoleCommand({ RoleName: made.physicalId }))).Role!;
    assert.deepEqual(made.attributes, { Arn: role.Arn, RoleId: role.RoleId });
    assert.equal(role.Arn, `arn:aws:iam::000000000000:role/${made.physicalId}`);
    assert.deepEqual(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)), TRUST);
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: made.physicalId }))).PolicyNames, ['logs']);
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: made.physicalId }))).AttachedPolicies!.map((a) => a.PolicyArn), [BASIC]);
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: made.physicalId }))).Tags, [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);

    const next = { ...props, Description: 'updated', Policies: [{ PolicyName: 'sqs', PolicyDocument: allow('sqs:*') }], ManagedPolicyArns: [], Tags: [] };
    const updated = await p.update(made.physicalId, next, props, ctx('FnRole'));
    assert.deepEqual(updated, made, 'same role, same id');
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: made.physicalId }))).Role!.Description, 'updated');
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: made.physicalId }))).PolicyNames, ['sqs']);
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: made.physicalId }))).AttachedPolicies, []);
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: made.physicalId }))).Tags, [{ Key: 'project', Value: 'demo' }]);

    assert.ok(p.replaceOn.includes('RoleName') && p.replaceOn.includes('Path'));
    const replacement = await p.create({ ...next, RoleName: 'named-role' }, ctx('FnRole'));
    assert.equal(replacement.physicalId, 'named-role');
    await p.delete(made.physicalId, next, ctx('FnRole'));
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: made.physicalId })), { name: 'NoSuchEntityException' });
    await p.delete(made.physicalId, next, ctx('FnRole')); // already gone: still a success
    await p.delete('named-role', next, ctx('FnRole'));

    await assert.rejects(p.create({ RoleName: 'half-made', AssumeRolePolicyDocument: TRUST, Policies: [{ PolicyName: 'bad', PolicyDocument: { Version: '2012-10-17' } }] }, ctx('Bad')), {
      name: 'MalformedPolicyDocumentException',
    });
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'half-made' })), { name: 'NoSuchEntityException' }, 'a failed create leaves no role behind');
  });

  it('AWS::IAM::ManagedPolicy (Ref: its ARN; a new document is a new default version) and AWS::IAM::Policy (inline on its roles)', async () => {
    const roleP = iamProviders['AWS::IAM::Role']!;
    const a = await roleP.create({ RoleName: 'role-a', AssumeRolePolicyDocument: TRUST }, ctx('A'));
    await roleP.create({ RoleName: 'role-b', AssumeRolePolicyDocument: TRUST }, ctx('B'));

    const mp = iamProviders['AWS::IAM::ManagedPolicy']!;
    const props = { PolicyDocument: allow('s3:GetObject'), Roles: ['role-a'] };
    const made = await mp.create(props, ctx('Managed'));
    assert.match(made.physicalId, /^arn:aws:iam::000000000000:policy\/iam-stack-Managed-[A-Z0-9]{12}$/);
    assert.equal(made.attributes['PolicyArn'], made.physicalId);
    assert.equal(made.attributes['AttachmentCount'], 1);
    assert.equal(made.attributes['DefaultVersionId'], 'v1');
    for (let n = 2; n <= 7; n++) {
      const res = await mp.update(made.physicalId, { PolicyDocument: allow(`s3:Op${n}`), Roles: ['role-b'] }, { PolicyDocument: allow(`s3:Op${n - 1}`), Roles: n === 2 ? ['role-a'] : ['role-b'] }, ctx('Managed'));
      assert.equal(res.attributes['DefaultVersionId'], `v${n}`, 'versions beyond five prune the oldest');
    }
    const v7 = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: made.physicalId, VersionId: 'v7' }))).PolicyVersion!;
    assert.deepEqual(JSON.parse(decodeURIComponent(v7.Document!)), allow('s3:Op7'));
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'role-a' }))).AttachedPolicies, []);
    assert.equal((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'role-b' }))).AttachedPolicies!.length, 1);
    assert.deepEqual(mp.replaceOn, ['ManagedPolicyName', 'Path', 'Description']);
    await mp.delete(made.physicalId, { PolicyDocument: allow('x'), Roles: ['role-b'] }, ctx('Managed'));
    await assert.rejects(iam.send(new GetPolicyCommand({ PolicyArn: made.physicalId })), { name: 'NoSuchEntityException' });
    await mp.delete(made.physicalId, { Roles: ['role-b'] }, ctx('Managed'));

    const pp = iamProviders['AWS::IAM::Policy']!;
    const inline = await pp.create({ PolicyName: 'inline', PolicyDocument: allow('sns:*'), Roles: ['role-a'] }, ctx('Inline'));
    assert.equal(inline.attributes['Id'], inline.physicalId);
    assert.equal(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: 'role-a', PolicyName: 'inline' }))).PolicyDocument!), JSON.stringify(allow('sns:*')));
    await pp.update(inline.physicalId, { PolicyName: 'renamed', PolicyDocument: allow('sns:*'), Roles: ['role-b'] }, { PolicyName: 'inline', PolicyDocument: allow('sns:*'), Roles: ['role-a'] }, ctx('Inline'));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'role-a' }))).PolicyNames, []);
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'role-b' }))).PolicyNames, ['renamed']);
    await assert.rejects(pp.create({ PolicyName: 'x', PolicyDocument: allow('s3:*'), Users: ['bob'] }, ctx('Inline')), /property Users is not supported/);
    await pp.delete(inline.physicalId, { PolicyName: 'renamed', Roles: ['role-b'] }, ctx('Inline'));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'role-b' }))).PolicyNames, []);
    await pp.delete(inline.physicalId, { PolicyName: 'renamed', Roles: ['role-b'] }, ctx('Inline'));
    await roleP.delete(a.physicalId, {}, ctx('A'));
  });

  it('AWS::ECR::Repository: settings, policies and tags as CDK bootstrap sets them; updated in place, deleted', async () => {
    const p = ecrProviders['AWS::ECR::Repository']!;
    const lifecycle = { rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } }] };
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'ecr:BatchGetImage' }] };
    const props = {
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: 'true' },
      LifecyclePolicy: { LifecyclePolicyText: JSON.stringify(lifecycle) },
      RepositoryPolicyText: policy,
      Tags: [{ Key: 'team', Value: 'a' }],
    };
    const made = await p.create(props, ctx('Assets'));
    assert.match(made.physicalId, /^iam-stack-assets-[a-z0-9]{12}$/);
    assert.deepEqual(made.attributes, {
      Arn: `arn:aws:ecr:us-east-1:000000000000:repository/${made.physicalId}`,
      RepositoryUri: `000000000000.dkr.ecr.us-east-1.amazonaws.com/${made.physicalId}`,
    });
    const [repo] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [made.physicalId] }))).repositories!;
    assert.deepEqual([repo!.imageTagMutability, repo!.imageScanningConfiguration?.scanOnPush], ['IMMUTABLE', true]);
    assert.deepEqual(JSON.parse((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: made.physicalId }))).lifecyclePolicyText!), lifecycle);
    assert.deepEqual(JSON.parse((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: made.physicalId }))).policyText!), policy);
    assert.deepEqual((await ecr.send(new ListTagsForResourceCommand({ resourceArn: repo!.repositoryArn! }))).tags, [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'a' }]);

    const next = { ImageTagMutability: 'MUTABLE', Tags: [{ Key: 'team', Value: 'b' }] };
    assert.deepEqual(await p.update(made.physicalId, next, props, ctx('Assets')), made);
    const [after] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [made.physicalId] }))).repositories!;
    assert.deepEqual([after!.imageTagMutability, after!.imageScanningConfiguration?.scanOnPush], ['MUTABLE', false]);
    await assert.rejects(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: made.physicalId })), { name: 'LifecyclePolicyNotFoundException' });
    await assert.rejects(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: made.physicalId })), { name: 'RepositoryPolicyNotFoundException' });
    assert.deepEqual((await ecr.send(new ListTagsForResourceCommand({ resourceArn: repo!.repositoryArn! }))).tags, [{ Key: 'project', Value: 'demo' }, { Key: 'team', Value: 'b' }]);

    assert.deepEqual(p.replaceOn, ['RepositoryName', 'EncryptionConfiguration']);
    const replaced = await p.create({ ...next, RepositoryName: 'named-repo', EncryptionConfiguration: { EncryptionType: 'KMS' } }, ctx('Assets'));
    assert.equal(replaced.physicalId, 'named-repo');
    await p.delete(made.physicalId, next, ctx('Assets'));
    await assert.rejects(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [made.physicalId] })), { name: 'RepositoryNotFoundException' });
    await p.delete(made.physicalId, next, ctx('Assets'));
    await assert.rejects(p.create({ RepositoryName: 'x', ImageTagMutabilityExclusion: [] }, ctx('Assets')), /ImageTagMutabilityExclusion is not supported/);
  });
});
