/** Layer version permissions, ListLayers' filters, and the bound on code and layers unzipped together. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  GetLayerVersionPolicyCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import yazl from 'yazl';
import { zipEntries } from '../../src/code/zip-dir.js';
import { ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { failure } from '../helpers/sqs.js';

/** A package with one file of `mb` megabytes of zeros: small zipped, large unzipped. */
async function zerosZip(path: string, mb: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.alloc(mb * 1024 * 1024), path, { mtime: new Date(0), mode: 0o100644, compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('layer permissions and limits', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(() => t.stop());

  it('adds, reads and removes layer version permissions, with revision checks', async () => {
    const zip = await zipEntries({ 'nodejs/x.js': 'module.exports = 1' });
    const v = await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: zip } }));
    assert.equal((await failure(t.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: v.Version })))).name, 'ResourceNotFoundException');
    const added = await t.lambda.send(
      new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: v.Version, StatementId: 'team', Action: 'lambda:GetLayerVersion', Principal: '111122223333' }),
    );
    assert.deepEqual(JSON.parse(added.Statement!), {
      Sid: 'team',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'lambda:GetLayerVersion',
      Resource: v.LayerVersionArn,
    });
    const conflict = await failure(
      t.lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: v.Version, StatementId: 'team', Action: 'lambda:GetLayerVersion', Principal: '*' })),
    );
    assert.equal(conflict.name, 'ResourceConflictException');
    const stale = await failure(
      t.lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: 'shared',
          VersionNumber: v.Version,
          StatementId: 'org',
          Action: 'lambda:GetLayerVersion',
          Principal: '*',
          OrganizationId: 'o-abcdefghij12',
          RevisionId: 'not-the-revision',
        }),
      ),
    );
    assert.equal(stale.name, 'PreconditionFailedException');
    const org = await t.lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared',
        VersionNumber: v.Version,
        StatementId: 'org',
        Action: 'lambda:GetLayerVersion',
        Principal: '*',
        OrganizationId: 'o-abcdefghij12',
        RevisionId: added.RevisionId,
      }),
    );
    const policy = await t.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: v.Version }));
    assert.equal(policy.RevisionId, org.RevisionId);
    const statements = (JSON.parse(policy.Policy!) as { Statement: { Sid: string; Condition?: unknown }[] }).Statement;
    assert.deepEqual(statements.map((s) => s.Sid), ['team', 'org']);
    assert.deepEqual(statements[1]!.Condition, { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij12' } });
    await t.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: v.Version, StatementId: 'team' }));
    const after = await t.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: v.Version }));
    assert.deepEqual((JSON.parse(after.Policy!) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid), ['org']);
    assert.equal(
      (await failure(t.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: v.Version, StatementId: 'team' })))).name,
      'ResourceNotFoundException',
    );
    assert.equal(
      (await failure(t.lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: v.Version, StatementId: 'x', Action: 'lambda:InvokeFunction', Principal: '*' })))).name,
      // The model's pattern allows only lambda:GetLayerVersion.
      'ValidationException',
    );
  });

  it('lists layers by their newest version matching a runtime and an architecture', async () => {
    const zip = await zipEntries({ 'python/m.py': 'x = 1' });
    await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'multi', Content: { ZipFile: zip }, CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['x86_64'] }));
    await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'multi', Content: { ZipFile: zip }, CompatibleRuntimes: ['nodejs22.x'], CompatibleArchitectures: ['arm64'] }));
    const py = await t.lambda.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12' }));
    assert.equal(py.Layers?.find((l) => l.LayerName === 'multi')?.LatestMatchingVersion?.Version, 1);
    const arm = await t.lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'arm64' }));
    assert.equal(arm.Layers?.find((l) => l.LayerName === 'multi')?.LatestMatchingVersion?.Version, 2);
    const none = await t.lambda.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12', CompatibleArchitecture: 'arm64' }));
    assert.equal(none.Layers?.find((l) => l.LayerName === 'multi'), undefined);
    const versions = await t.lambda.send(new ListLayerVersionsCommand({ LayerName: 'multi', CompatibleArchitecture: 'x86_64' }));
    assert.deepEqual(versions.LayerVersions?.map((v) => v.Version), [1]);
  });

  it('refuses code and layers that together unzip past 250 MB, at create and at update', async () => {
    const big = await t.lambda.send(new PublishLayerVersionCommand({ LayerName: 'big', Content: { ZipFile: await zerosZip('data/zeros.bin', 140) } }));
    const code = await zerosZip('zeros.bin', 120);
    const refused = await failure(
      t.lambda.send(new CreateFunctionCommand({ FunctionName: 'too-big', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code }, Layers: [big.LayerVersionArn!] })),
    );
    assert.equal(refused.name, 'InvalidParameterValueException');
    assert.match(refused.message, /Function code combined with layers exceeds the maximum allowed size of 262144000 bytes\. The actual size is 272629760 bytes\./);

    await t.lambda.send(new CreateFunctionCommand({ FunctionName: 'fits', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code } }));
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: 'fits' });
    const update = await failure(t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fits', Layers: [big.LayerVersionArn!] })));
    assert.equal(update.name, 'InvalidParameterValueException');
  });
});
