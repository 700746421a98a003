import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecr';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { clientEnv, run } from '../helpers/run.js';

const LIFECYCLE = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } }] });
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: ['ecr:BatchGetImage'] }] });

async function refused(p: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof ECRServiceException && err.name === name && err.$metadata.httpStatusCode === 400);
}

describe('ECR repositories (stored; no images) through SDK v3, boto3 and the CLI', () => {
  let t: TestPlatform;
  let ecr: ECRClient;
  before(async () => {
    t = await startTestPlatform();
    ecr = new ECRClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    ecr.destroy();
    await t.stop();
  });

  it("what CDK's bootstrap does: a repository with immutable tags, scanning, a lifecycle and a policy", async () => {
    const repo = (
      await ecr.send(
        new CreateRepositoryCommand({
          repositoryName: 'cdk-hnb659fds-container-assets',
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          tags: [{ Key: 'team', Value: 'a' }],
        }),
      )
    ).repository!;
    assert.equal(repo.repositoryArn, 'arn:aws:ecr:us-east-1:000000000000:repository/cdk-hnb659fds-container-assets');
    assert.equal(repo.repositoryUri, '000000000000.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets');
    assert.deepEqual(repo.encryptionConfiguration, { encryptionType: 'AES256' });
    assert.ok(repo.createdAt instanceof Date);
    await refused(ecr.send(new CreateRepositoryCommand({ repositoryName: 'cdk-hnb659fds-container-assets' })), 'RepositoryAlreadyExistsException');

    const name = 'cdk-hnb659fds-container-assets';
    await refused(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name })), 'LifecyclePolicyNotFoundException');
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: LIFECYCLE }));
    assert.equal((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }))).lifecyclePolicyText, LIFECYCLE);
    await refused(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name })), 'RepositoryPolicyNotFoundException');
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: POLICY }));
    assert.equal((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name }))).policyText, POLICY);
    await refused(ecr.send(new SetRepositoryPolicyCommand({ repositoryName: name, policyText: 'nope' })), 'InvalidParameterException');

    await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: false } }));
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: name, imageTagMutability: 'MUTABLE' }));
    const [described] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories!;
    assert.deepEqual([described!.imageTagMutability, described!.imageScanningConfiguration], ['MUTABLE', { scanOnPush: false }]);

    await ecr.send(new TagResourceCommand({ resourceArn: repo.repositoryArn!, tags: [{ Key: 'env', Value: 'dev' }] }));
    await ecr.send(new UntagResourceCommand({ resourceArn: repo.repositoryArn!, tagKeys: ['team'] }));
    assert.deepEqual((await ecr.send(new ListTagsForResourceCommand({ resourceArn: repo.repositoryArn! }))).tags, [{ Key: 'env', Value: 'dev' }]);

    await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: name }));
    await ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: name }));
    await refused(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name })), 'RepositoryPolicyNotFoundException');
    await ecr.send(new DeleteRepositoryCommand({ repositoryName: name, force: true }));
    await refused(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })), 'RepositoryNotFoundException');
    await refused(ecr.send(new DeleteRepositoryCommand({ repositoryName: name })), 'RepositoryNotFoundException');
  });

  it('DescribeRepositories pages through every repository', async () => {
    for (const n of ['a-repo', 'b-repo', 'c-repo']) await ecr.send(new CreateRepositoryCommand({ repositoryName: n }));
    const first = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2 }));
    const rest = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2, nextToken: first.nextToken! }));
    assert.deepEqual([...first.repositories!, ...rest.repositories!].map((r) => r.repositoryName), ['a-repo', 'b-repo', 'c-repo']);
    assert.equal(rest.nextToken, undefined);
  });

  it('boto3 and the CLI see the same repositories', async () => {
    const env = { ...clientEnv(), SELFLESS_URL: t.platform.url };
    const script = `
import boto3, json, os
ecr = boto3.client('ecr', endpoint_url=os.environ['SELFLESS_URL'])
ecr.create_repository(repositoryName='py-repo', encryptionConfiguration={'encryptionType': 'KMS'})
try:
    ecr.get_repository_policy(repositoryName='py-repo')
    code = None
except ecr.exceptions.RepositoryPolicyNotFoundException as e:
    code = e.response['Error']['Code']
repo = ecr.describe_repositories(repositoryNames=['py-repo'])['repositories'][0]
print(json.dumps({'code': code, 'encryption': repo['encryptionConfiguration']}))
`;
    const py = await run('python3', ['-c', script], { env });
    assert.equal(py.code, 0, py.stderr);
    const out = JSON.parse(py.stdout) as { code: string; encryption: { encryptionType: string; kmsKey: string } };
    assert.equal(out.code, 'RepositoryPolicyNotFoundException');
    assert.equal(out.encryption.encryptionType, 'KMS');
    const cli = await run('aws', ['ecr', 'describe-repositories', '--repository-names', 'py-repo', '--endpoint-url', t.platform.url, '--output', 'json'], { env });
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { repositories: { repositoryName: string }[] }).repositories[0]!.repositoryName, 'py-repo');
  });
});
