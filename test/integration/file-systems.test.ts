/** FileSystemConfigs: stored and returned as Lambda returns them, validated by the model, and mounted from an operator's folder. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { CREDENTIALS, createFunction, decode, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { failure, spawnServe } from '../helpers/sqs.js';

const MAPPED = 'arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/fsap-0123456789abcdef0';
const UNMAPPED = 'arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/fsap-fedcba98765432100';

/** Reads what the previous invocation left in the mounted folder, then leaves its own mark. */
const NOTEBOOK = `
const fs = require('node:fs');
exports.handler = async (event) => {
  const file = process.env.MOUNT + '/notebook.txt';
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  fs.writeFileSync(file, event.write);
  return { before, seeded: fs.readFileSync(process.env.MOUNT + '/seed.txt', 'utf8') };
};`;

describe('file systems (FileSystemConfigs)', () => {
  let t: TestPlatform;
  let hostDir: string;
  before(async () => {
    hostDir = mkdtempSync(join(tmpdir(), 'selfless-efs-'));
    writeFileSync(join(hostDir, 'seed.txt'), 'from the host');
    t = await startTestPlatform({ sandbox: 'bwrap', fileSystems: [{ arn: MAPPED, hostDir }] });
  });
  after(async () => {
    await t.stop();
    rmSync(hostDir, { recursive: true, force: true });
  });

  it('mounts the mapped folder read-write at LocalMountPath: a later environment sees what an earlier one wrote', async () => {
    const code = await zipEntries({ 'index.js': NOTEBOOK });
    const fileSystems = [{ Arn: MAPPED, LocalMountPath: '/mnt/shared' }];
    await t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'notebook',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: code },
        Environment: { Variables: { MOUNT: '/mnt/shared' } },
        FileSystemConfigs: fileSystems,
      }),
    );
    await createFunction(t.lambda, 'unused', 'echo');
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'notebook' }));
    assert.deepEqual(config.FileSystemConfigs, fileSystems);
    assert.deepEqual((await t.lambda.send(new GetFunctionCommand({ FunctionName: 'notebook' }))).Configuration?.FileSystemConfigs, fileSystems);
    assert.equal((await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'unused' }))).FileSystemConfigs, undefined);

    const first = await t.lambda.send(new InvokeCommand({ FunctionName: 'notebook', Payload: Buffer.from('{"write":"first"}') }));
    assert.equal(first.FunctionError, undefined, Buffer.from(first.Payload ?? []).toString());
    assert.deepEqual(decode(first.Payload), { before: null, seeded: 'from the host' });
    assert.equal(readFileSync(join(hostDir, 'notebook.txt'), 'utf8'), 'first');

    // A configuration change recycles the environment: the second invocation runs in a new one.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'notebook', Environment: { Variables: { MOUNT: '/mnt/shared', RUN: '2' } } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'notebook' });
    const second = await t.lambda.send(new InvokeCommand({ FunctionName: 'notebook', Payload: Buffer.from('{"write":"second"}') }));
    assert.equal(second.FunctionError, undefined, Buffer.from(second.Payload ?? []).toString());
    assert.deepEqual(decode(second.Payload), { before: 'first', seeded: 'from the host' });
    assert.equal(readFileSync(join(hostDir, 'notebook.txt'), 'utf8'), 'second');
  });

  it('fails invocations of a function whose access point no folder stands for, with EFSMountFailureException', async () => {
    await createFunction(t.lambda, 'unmapped', 'echo', { FileSystemConfigs: [{ Arn: UNMAPPED, LocalMountPath: '/mnt/data' }] });
    const refused = await failure(t.lambda.send(new InvokeCommand({ FunctionName: 'unmapped', Payload: Buffer.from('{}') })));
    assert.equal(refused.name, 'EFSMountFailureException');
    assert.equal(refused.$metadata?.httpStatusCode, 403);
    assert.match(refused.message, /maps no folder to that access point \(start it with --file-system arn:aws:elasticfilesystem:.*=DIR\)/);

    // Pointing the function at the mapped access point makes it invocable.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'unmapped', FileSystemConfigs: [{ Arn: MAPPED, LocalMountPath: '/mnt/data' }] }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'unmapped' });
    const ok = await t.lambda.send(new InvokeCommand({ FunctionName: 'unmapped', Payload: Buffer.from('{"n":1}') }));
    assert.equal(ok.FunctionError, undefined, Buffer.from(ok.Payload ?? []).toString());
    // An empty list removes the file system.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'unmapped', FileSystemConfigs: [] }));
    assert.equal((await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'unmapped' }))).FileSystemConfigs, undefined);
  });

  it('refuses what Lambda refuses: more than one file system, a path outside /mnt, an ARN that is not an access point', async () => {
    const code = await zipEntries({ 'index.js': NOTEBOOK });
    const create = (FileSystemConfigs: { Arn: string; LocalMountPath: string }[]) =>
      failure(t.lambda.send(new CreateFunctionCommand({ FunctionName: 'refused', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: code }, FileSystemConfigs })));
    const two = await create([
      { Arn: MAPPED, LocalMountPath: '/mnt/a' },
      { Arn: UNMAPPED, LocalMountPath: '/mnt/b' },
    ]);
    assert.equal(two.name, 'ValidationException');
    assert.match(two.message, /fileSystemConfigs.*less than or equal to 1/);
    const outside = await create([{ Arn: MAPPED, LocalMountPath: '/data' }]);
    assert.equal(outside.name, 'ValidationException');
    assert.match(outside.message, /localMountPath/);
    const nested = await create([{ Arn: MAPPED, LocalMountPath: '/mnt/a/b' }]);
    assert.equal(nested.name, 'ValidationException');
    const notAccessPoint = await create([{ Arn: 'arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-0123456789abcdef0', LocalMountPath: '/mnt/a' }]);
    assert.equal(notAccessPoint.name, 'ValidationException');
    assert.match(notAccessPoint.message, /arn.*regular expression/i);
  });
});

describe('file systems without a sandbox', () => {
  let t: TestPlatform;
  let hostDir: string;
  before(async () => {
    hostDir = mkdtempSync(join(tmpdir(), 'selfless-efs-'));
    t = await startTestPlatform({ sandbox: 'none', fileSystems: [{ arn: MAPPED, hostDir }] });
  });
  after(async () => {
    await t.stop();
    rmSync(hostDir, { recursive: true, force: true });
  });

  it('refuses to invoke when LocalMountPath is not the mapped folder on the host, saying why', async () => {
    await createFunction(t.lambda, 'plain', 'echo', { FileSystemConfigs: [{ Arn: MAPPED, LocalMountPath: '/mnt/selfless-test-not-here' }] });
    const refused = await failure(t.lambda.send(new InvokeCommand({ FunctionName: 'plain', Payload: Buffer.from('{}') })));
    assert.equal(refused.name, 'EFSMountFailureException');
    assert.match(refused.message, /without the bubblewrap sandbox, environments see host paths, and \/mnt\/selfless-test-not-here is not /);
  });
});

describe('selfless serve --file-system', () => {
  it('passes each ARN=DIR mapping to the environments of functions that name the access point', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'selfless-efs-serve-'));
    const hostDir = mkdtempSync(join(tmpdir(), 'selfless-efs-'));
    writeFileSync(join(hostDir, 'seed.txt'), 'seeded by the operator');
    const server = await spawnServe(dataDir, ['--sandbox', 'bwrap', '--file-system', `${MAPPED}=${hostDir}`]);
    const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'served-notebook',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: await zipEntries({ 'index.js': NOTEBOOK }) },
          Environment: { Variables: { MOUNT: '/mnt/efs' } },
          FileSystemConfigs: [{ Arn: MAPPED, LocalMountPath: '/mnt/efs' }],
        }),
      );
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'served-notebook' });
      const res = await lambda.send(new InvokeCommand({ FunctionName: 'served-notebook', Payload: Buffer.from('{"write":"via serve"}') }));
      assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload ?? []).toString());
      assert.deepEqual(decode(res.Payload), { before: null, seeded: 'seeded by the operator' });
      assert.equal(readFileSync(join(hostDir, 'notebook.txt'), 'utf8'), 'via serve');
    } finally {
      lambda.destroy();
      await server.kill();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(hostDir, { recursive: true, force: true });
    }
  });
});
