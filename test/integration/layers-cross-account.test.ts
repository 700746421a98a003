/** Layers used from another account: only versions whose policy grants that account (or everyone). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  GetLayerVersionByArnCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
} from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { failure } from '../helpers/sqs.js';

const OWNER = { accessKeyId: 'AKIASELFLESSOWNER001', secretAccessKey: 'owner-secret', accountId: '000000000000' };
const OTHER = { accessKeyId: 'AKIASELFLESSOTHER001', secretAccessKey: 'other-secret', accountId: '111122223333' };

describe('layers across accounts', () => {
  let t: TestPlatform;
  let dir: string;
  let owner: LambdaClient;
  let other: LambdaClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'selfless-layers-'));
    // OWNER signs as the server's account (whose layers these are); OTHER is a second account.
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify([OWNER, OTHER]));
    t = await startTestPlatform({ credentials: join(dir, 'credentials.json') });
    owner = new LambdaClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: OWNER, maxAttempts: 1 });
    other = new LambdaClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: OTHER, maxAttempts: 1 });
  });
  after(async () => {
    owner.destroy();
    other.destroy();
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets another account get and use a layer version only once its policy grants that account', async () => {
    const layer = await owner.send(new PublishLayerVersionCommand({ LayerName: 'shared-lib', Content: { ZipFile: await zipEntries({ 'nodejs/node_modules/lib/index.js': 'module.exports = 1' }) } }));
    const arn = layer.LayerVersionArn!;
    const code = await zipEntries({ 'index.js': 'exports.handler = async () => 1;' });
    const create = (client: LambdaClient, FunctionName: string) =>
      client.send(new CreateFunctionCommand({ FunctionName, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code }, Layers: [arn] }));

    // The owner uses its own layer without any policy.
    await create(owner, 'owner-fn');
    const denied = await failure(other.send(new GetLayerVersionByArnCommand({ Arn: arn })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.equal(denied.$metadata?.httpStatusCode, 403);
    assert.equal(
      denied.message,
      `User: arn:aws:iam::111122223333:root is not authorized to perform: lambda:GetLayerVersion on resource: ${arn} because no resource-based policy allows the lambda:GetLayerVersion action`,
    );
    assert.equal((await failure(create(other, 'other-fn'))).name, 'AccessDeniedException');

    const grant = (StatementId: string, Principal: string, OrganizationId?: string) =>
      owner.send(
        new AddLayerVersionPermissionCommand({ LayerName: 'shared-lib', VersionNumber: layer.Version, StatementId, Action: 'lambda:GetLayerVersion', Principal, ...(OrganizationId ? { OrganizationId } : {}) }),
      );
    // A grant to an organization does not reach a caller that belongs to none.
    await grant('org', '*', 'o-abcdefghij12');
    assert.equal((await failure(other.send(new GetLayerVersionByArnCommand({ Arn: arn })))).name, 'AccessDeniedException');

    await grant('other-account', '111122223333');
    assert.equal((await other.send(new GetLayerVersionByArnCommand({ Arn: arn }))).LayerVersionArn, arn);
    await create(other, 'other-fn');

    await owner.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'shared-lib', VersionNumber: layer.Version, StatementId: 'other-account' }));
    assert.equal((await failure(other.send(new GetLayerVersionByArnCommand({ Arn: arn })))).name, 'AccessDeniedException');
    await grant('everyone', '*');
    assert.equal((await other.send(new GetLayerVersionByArnCommand({ Arn: arn }))).Version, layer.Version);
  });
});
