import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  KMSClient,
  KMSServiceException,
  ListAliasesCommand,
  ListKeysCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

const DAY = 24 * 3600 * 1000;

describe('KMS', () => {
  let t: TestPlatform;
  let kms: KMSClient;
  const clock = new ManualClock();
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => assert.fail('expected an error'),
      (e: KMSServiceException) => e,
    );

  before(async () => {
    t = await startTestPlatform({}, undefined, { vaultClock: clock });
    kms = new KMSClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    kms.destroy();
    await t.stop();
  });

  it('creates and describes a key by id, ARN, alias and alias ARN; lists keys and aliases with paging', async () => {
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({ Description: 'app key', Tags: [{ TagKey: 'team', TagValue: 'a' }] }));
    assert.match(key!.KeyId!, /^[0-9a-f-]{36}$/);
    assert.equal(key!.Arn, `arn:aws:kms:us-east-1:000000000000:key/${key!.KeyId}`);
    assert.deepEqual([key!.KeyState, key!.Enabled, key!.KeyManager, key!.KeySpec, key!.KeyUsage], ['Enabled', true, 'CUSTOMER', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT']);
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key!.KeyId }));
    for (const ref of [key!.KeyId!, key!.Arn!, 'alias/app', 'arn:aws:kms:us-east-1:000000000000:alias/app']) {
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: ref }))).KeyMetadata!.KeyId, key!.KeyId, ref);
    }
    assert.equal((await fail(kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key!.KeyId })))).name, 'AlreadyExistsException');
    assert.equal((await fail(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: key!.KeyId })))).name, 'InvalidAliasNameException');
    const missing = await fail(kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' })));
    assert.equal(missing.name, 'NotFoundException');
    assert.match(missing.message, /alias\/none is not found/);

    const second = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: second.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata!.KeyId, second.KeyId);
    const page1 = await kms.send(new ListKeysCommand({ Limit: 1 }));
    assert.equal(page1.Keys!.length, 1);
    assert.equal(page1.Truncated, true);
    const page2 = await kms.send(new ListKeysCommand({ Limit: 10, Marker: page1.NextMarker }));
    assert.deepEqual(new Set([...page1.Keys!, ...page2.Keys!].map((k) => k.KeyId)), new Set([key!.KeyId, second.KeyId]));
    const aliases = await kms.send(new ListAliasesCommand({ KeyId: second.KeyId }));
    assert.deepEqual(aliases.Aliases!.map((a) => [a.AliasName, a.TargetKeyId]), [['alias/app', second.KeyId]]);
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
    assert.deepEqual((await kms.send(new ListAliasesCommand({}))).Aliases, []);
  });

  it('encrypts and decrypts without a KeyId: the blob names its key; the context must match', async () => {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const context = { purpose: 'test', tenant: 'a' };
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('hello kms'), EncryptionContext: context }));
    assert.ok(!Buffer.from(enc.CiphertextBlob!).includes(Buffer.from('hello kms')));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { tenant: 'a', purpose: 'test' } }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'hello kms');
    assert.equal(dec.KeyId, `arn:aws:kms:us-east-1:000000000000:key/${keyId}`);
    assert.equal((await fail(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { tenant: 'b', purpose: 'test' } })))).name, 'InvalidCiphertextException');
    assert.equal((await fail(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a blob') })))).name, 'InvalidCiphertextException');
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    assert.equal((await fail(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context, KeyId: other })))).name, 'IncorrectKeyException');

    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: other }));
    assert.equal(re.SourceKeyId, dec.KeyId);
    assert.equal(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }))).Plaintext!).toString(), 'hello kms');
  });

  it('generates data keys, with and without plaintext', async () => {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    assert.equal(dk.Plaintext!.length, 32);
    assert.deepEqual((await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }))).Plaintext, dk.Plaintext);
    const bare = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 64 }));
    assert.equal((bare as { Plaintext?: unknown }).Plaintext, undefined);
    assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: bare.CiphertextBlob }))).Plaintext!.length, 64);
  });

  it('key states: a disabled key and a key pending deletion refuse use; deletion happens when its window passes', async () => {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const blob = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }))).CiphertextBlob;
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    const disabled = await fail(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })));
    assert.equal(disabled.name, 'DisabledException');
    assert.equal((await fail(kms.send(new DecryptCommand({ CiphertextBlob: blob })))).name, 'DisabledException');
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    await kms.send(new DecryptCommand({ CiphertextBlob: blob }));

    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.equal(scheduled.DeletionDate!.getTime(), clock.now() + 7 * DAY);
    const pending = await fail(kms.send(new DecryptCommand({ CiphertextBlob: blob })));
    assert.equal(pending.name, 'KMSInvalidStateException');
    assert.match(pending.message, /is pending deletion/);
    assert.equal((await fail(kms.send(new EnableKeyCommand({ KeyId: keyId })))).name, 'KMSInvalidStateException');
    await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState, 'Disabled', 'a cancelled deletion leaves the key disabled');

    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    clock.advance(7 * DAY - 1000);
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState, 'PendingDeletion');
    clock.advance(1000);
    assert.equal((await fail(kms.send(new DescribeKeyCommand({ KeyId: keyId })))).name, 'NotFoundException');
  });

  it('boto3 and the aws CLI: encrypt, decrypt and describe the default key aws/ssm', async () => {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const script = `
import boto3, json, sys
kms = boto3.client('kms', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
blob = kms.encrypt(KeyId=sys.argv[2], Plaintext=b'from python')['CiphertextBlob']
print(json.dumps({'plain': kms.decrypt(CiphertextBlob=blob)['Plaintext'].decode(), 'default': kms.describe_key(KeyId='alias/aws/ssm')['KeyMetadata']['KeyManager']}))
`;
    const py = await run('python3', ['-c', script, t.platform.url, keyId]);
    assert.equal(py.code, 0, py.stderr);
    assert.deepEqual(JSON.parse(py.stdout), { plain: 'from python', default: 'AWS' });
    const cli = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'kms', 'describe-key', '--key-id', keyId]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { KeyMetadata: { KeyState: string } }).KeyMetadata.KeyState, 'Enabled');
  });
});
