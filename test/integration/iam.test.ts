import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { clientEnv, run } from '../helpers/run.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const POLICY = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

async function refused(p: Promise<unknown>, name: string, status: number): Promise<IAMServiceException> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof IAMServiceException, String(err));
    assert.equal(err.name, name);
    assert.equal(err.$metadata.httpStatusCode, status);
    return err;
  }
  assert.fail(`expected ${name}`);
}

describe('IAM (stored, not enforced) through SDK v3, boto3 and the CLI', () => {
  let t: TestPlatform;
  let iam: IAMClient;
  before(async () => {
    t = await startTestPlatform();
    iam = new IAMClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    iam.destroy();
    await t.stop();
  });

  it('roles: create, read back (trust policy URL-encoded as IAM answers), list, tag, update, delete', async () => {
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'app-role', Path: '/service/', AssumeRolePolicyDocument: TRUST, Description: 'd', Tags: [{ Key: 'team', Value: 'a' }] }));
    const role = created.Role!;
    assert.equal(role.Arn, 'arn:aws:iam::000000000000:role/service/app-role');
    assert.match(role.RoleId!, /^AROA[A-Z2-7]{17}$/);
    assert.equal(role.MaxSessionDuration, 3600);
    await refused(iam.send(new CreateRoleCommand({ RoleName: 'APP-ROLE', AssumeRolePolicyDocument: TRUST })), 'EntityAlreadyExistsException', 409);

    const got = (await iam.send(new GetRoleCommand({ RoleName: 'app-role' }))).Role!;
    assert.deepEqual(JSON.parse(decodeURIComponent(got.AssumeRolePolicyDocument!)), JSON.parse(TRUST));
    assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'a' }]);
    assert.ok(got.CreateDate instanceof Date);

    await iam.send(new TagRoleCommand({ RoleName: 'app-role', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'b' }] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'app-role', TagKeys: ['env'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'app-role' }))).Tags, [{ Key: 'team', Value: 'b' }]);

    const other = POLICY('sts:AssumeRole');
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'app-role', PolicyDocument: other }));
    assert.equal(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'app-role' }))).Role!.AssumeRolePolicyDocument!), other);
    await refused(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'app-role', PolicyDocument: '{not json' })), 'MalformedPolicyDocumentException', 400);

    await iam.send(new CreateRoleCommand({ RoleName: 'b-role', AssumeRolePolicyDocument: TRUST }));
    const page1 = await iam.send(new ListRolesCommand({ MaxItems: 1 }));
    assert.equal(page1.IsTruncated, true);
    const page2 = await iam.send(new ListRolesCommand({ Marker: page1.Marker! }));
    assert.deepEqual([...page1.Roles!, ...page2.Roles!].map((r) => r.RoleName), ['app-role', 'b-role']);
    assert.deepEqual((await iam.send(new ListRolesCommand({ PathPrefix: '/service/' }))).Roles!.map((r) => r.RoleName), ['app-role']);

    await iam.send(new DeleteRoleCommand({ RoleName: 'b-role' }));
    await refused(iam.send(new GetRoleCommand({ RoleName: 'b-role' })), 'NoSuchEntityException', 404);
    const gone = await refused(iam.send(new DeleteRoleCommand({ RoleName: 'b-role' })), 'NoSuchEntityException', 404);
    assert.equal(gone.message, 'The role with name b-role cannot be found.');
  });

  it('inline and managed policies: attach, version, and the conflicts IAM refuses deletes with', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'inline', PolicyDocument: POLICY('s3:*') }));
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'inline' }));
    assert.equal(decodeURIComponent(inline.PolicyDocument!), POLICY('s3:*'));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'worker' }))).PolicyNames, ['inline']);
    await refused(iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'bad', PolicyDocument: JSON.stringify({ Version: '2012-10-17' }) })), 'MalformedPolicyDocumentException', 400);

    const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'managed', PolicyDocument: POLICY('sqs:*'), Description: 'mine' }))).Policy!;
    assert.equal(policy.Arn, 'arn:aws:iam::000000000000:policy/managed');
    assert.equal(policy.DefaultVersionId, 'v1');
    await refused(iam.send(new CreatePolicyCommand({ PolicyName: 'managed', PolicyDocument: POLICY('sqs:*') })), 'EntityAlreadyExistsException', 409);
    const aws = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: policy.Arn! }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: aws }));
    await refused(iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'arn:aws:iam::000000000000:policy/none' })), 'NoSuchEntityException', 404);
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker' }))).AttachedPolicies, [
      { PolicyName: 'managed', PolicyArn: policy.Arn },
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: aws },
    ]);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: policy.Arn! }))).Policy!.AttachmentCount, 1);
    assert.deepEqual((await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }))).Policies!.map((p) => p.PolicyName), ['managed']);

    const v2 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policy.Arn!, PolicyDocument: POLICY('sns:*'), SetAsDefault: true }))).PolicyVersion!;
    assert.deepEqual([v2.VersionId, v2.IsDefaultVersion], ['v2', true]);
    const read = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn!, VersionId: 'v2' }))).PolicyVersion!;
    assert.equal(decodeURIComponent(read.Document!), POLICY('sns:*'));
    await refused(iam.send(new DeletePolicyVersionCommand({ PolicyArn: policy.Arn!, VersionId: 'v2' })), 'DeleteConflictException', 409);

    const conflict = await refused(iam.send(new DeleteRoleCommand({ RoleName: 'worker' })), 'DeleteConflictException', 409);
    assert.equal(conflict.message, 'Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'inline' }));
    await refused(iam.send(new DeleteRoleCommand({ RoleName: 'worker' })), 'DeleteConflictException', 409);
    await refused(iam.send(new DeletePolicyCommand({ PolicyArn: policy.Arn! })), 'DeleteConflictException', 409);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'worker', PolicyArn: policy.Arn! }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'worker', PolicyArn: aws }));
    await refused(iam.send(new DeletePolicyCommand({ PolicyArn: policy.Arn! })), 'DeleteConflictException', 409);
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: policy.Arn!, VersionId: 'v1' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: policy.Arn! }));
    await refused(iam.send(new GetPolicyCommand({ PolicyArn: policy.Arn! })), 'NoSuchEntityException', 404);

    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'profile', RoleName: 'worker' }));
    assert.deepEqual((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'profile' }))).InstanceProfile!.Roles!.map((r) => r.RoleName), ['worker']);
    await refused(iam.send(new DeleteRoleCommand({ RoleName: 'worker' })), 'DeleteConflictException', 409);
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'profile', RoleName: 'worker' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'profile' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'worker' }));
  });

  it('a constraint the model sets is a ValidationError', async () => {
    await refused(iam.send(new CreateRoleCommand({ RoleName: 'bad name!', AssumeRolePolicyDocument: TRUST })), 'ValidationError', 400);
  });

  it('boto3 reads documents decoded, and the CLI creates and gets a role', async () => {
    const env = { ...clientEnv(), SELFLESS_URL: t.platform.url };
    const script = `
import boto3, json, os
iam = boto3.client('iam', endpoint_url=os.environ['SELFLESS_URL'])
iam.create_role(RoleName='py-role', AssumeRolePolicyDocument=${JSON.stringify(TRUST)})
iam.put_role_policy(RoleName='py-role', PolicyName='p', PolicyDocument=${JSON.stringify(POLICY('logs:*'))})
role = iam.get_role(RoleName='py-role')['Role']
doc = iam.get_role_policy(RoleName='py-role', PolicyName='p')['PolicyDocument']
try:
    iam.delete_role(RoleName='py-role')
    code = None
except iam.exceptions.DeleteConflictException as e:
    code = e.response['Error']['Code']
print(json.dumps({'trust': role['AssumeRolePolicyDocument'], 'doc': doc, 'code': code}))
`;
    const py = await run('python3', ['-c', script], { env });
    assert.equal(py.code, 0, py.stderr);
    const out = JSON.parse(py.stdout) as { trust: unknown; doc: unknown; code: string };
    assert.deepEqual(out.trust, JSON.parse(TRUST));
    assert.deepEqual(out.doc, JSON.parse(POLICY('logs:*')));
    assert.equal(out.code, 'DeleteConflict');

    const cli = await run('aws', ['iam', 'get-role', '--role-name', 'py-role', '--endpoint-url', t.platform.url, '--output', 'json'], { env });
    assert.equal(cli.code, 0, cli.stderr);
    const role = (JSON.parse(cli.stdout) as { Role: { Arn: string; AssumeRolePolicyDocument: unknown } }).Role;
    assert.equal(role.Arn, 'arn:aws:iam::000000000000:role/py-role');
    assert.deepEqual(role.AssumeRolePolicyDocument, JSON.parse(TRUST));
  });
});
