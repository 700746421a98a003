import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketLifecycleCommand,
  GetObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('S3 lifecycle rules, on a clock the test moves', () => {
  let t: TestPlatform;
  let s3: S3Client;
  const clock = new ManualClock();

  before(async () => {
    t = await startTestPlatform({}, undefined, { s3Clock: clock });
    s3 = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
  });
  after(async () => {
    s3.destroy();
    await t.stop();
  });

  /**
   * Waits a little and moves the clock an hour on: a sweep still running when the clock jumped (a slow
   * store under load) schedules its successor on the clock's new time, so the wait must keep it moving.
   */
  const nextSweep = async () => {
    await new Promise((r) => setTimeout(r, 100));
    clock.advance(HOUR);
  };
  const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: 'aging' }))).Contents ?? []).map((o) => o.Key);

  it('expires objects under a prefix and aborts stale uploads once their days have passed; refuses what it cannot apply', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'aging' }));
    for (const Key of ['logs/a', 'logs/b', 'keep/c']) await s3.send(new PutObjectCommand({ Bucket: 'aging', Key, Body: Key }));
    await s3.send(new CreateMultipartUploadCommand({ Bucket: 'aging', Key: 'logs/upload' }));
    const Rules = [
      { ID: 'logs', Status: 'Enabled' as const, Filter: { Prefix: 'logs/' }, Expiration: { Days: 1 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      { ID: 'off', Status: 'Disabled' as const, Filter: { Prefix: 'keep/' }, Expiration: { Days: 1 } },
    ];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'aging', LifecycleConfiguration: { Rules } }));
    assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'aging' }))).Rules, Rules);

    clock.advance(2 * 3600_000); // two sweeps, before any expiry is due
    assert.deepEqual(await keys(), ['keep/c', 'logs/a', 'logs/b']);
    clock.advance(2 * DAY);
    for (let i = 0; i < 300 && (await keys()).length > 1; i++) await nextSweep();
    assert.deepEqual(await keys(), ['keep/c']);
    assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'aging' }))).Uploads, undefined);

    const transition = await s3
      .send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'aging', LifecycleConfiguration: { Rules: [{ ID: 't', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: 30, StorageClass: 'GLACIER' }] }] } }))
      .then(
        () => assert.fail('expected an error'),
        (e: S3ServiceException) => e,
      );
    assert.equal(transition.$metadata.httpStatusCode, 501);
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: 'aging' }));
    const none = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'aging' })).then(
      () => assert.fail('expected an error'),
      (e: S3ServiceException) => e,
    );
    assert.equal(none.name, 'NoSuchLifecycleConfiguration');
  });

  it('NoncurrentVersionExpiration: old versions go their days after being replaced; current ones and other prefixes stay', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'versions-aging' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versions-aging', VersioningConfiguration: { Status: 'Enabled' } }));
    for (const [Key, Body] of [['tmp/a', '1'], ['tmp/a', '2'], ['tmp/a', '3'], ['keep/b', '1'], ['keep/b', '2']]) await s3.send(new PutObjectCommand({ Bucket: 'versions-aging', Key, Body }));
    const Rules = [{ ID: 'old', Status: 'Enabled' as const, Filter: { Prefix: 'tmp/' }, NoncurrentVersionExpiration: { NoncurrentDays: 3 } }];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'versions-aging', LifecycleConfiguration: { Rules } }));
    assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'versions-aging' }))).Rules, Rules);
    const versions = async () => ((await s3.send(new ListObjectVersionsCommand({ Bucket: 'versions-aging' }))).Versions ?? []).map((v) => `${v.Key}${v.IsLatest ? '*' : ''}`);
    clock.advance(DAY + 3600_000);
    assert.deepEqual(await versions(), ['keep/b*', 'keep/b', 'tmp/a*', 'tmp/a', 'tmp/a']);
    clock.advance(4 * DAY);
    for (let i = 0; i < 300 && (await versions()).length > 3; i++) await nextSweep();
    assert.deepEqual(await versions(), ['keep/b*', 'keep/b', 'tmp/a*']);
  });

  it('NewerNoncurrentVersions: the newest noncurrent versions of each key stay whatever their age; older ones go once their days pass', async () => {
    const Bucket = 'keep-two';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    for (const Body of ['1', '2', '3', '4', '5']) await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body }));
    for (const Body of ['1', '2']) await s3.send(new PutObjectCommand({ Bucket, Key: 'other', Body }));
    const Rules = [{ ID: 'two', Status: 'Enabled' as const, Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 2 } }];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
    assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules, Rules);
    const bodies = async () => {
      const versions = (await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions ?? [];
      const out: string[] = [];
      for (const v of versions) out.push(`${v.Key}:${await (await s3.send(new GetObjectCommand({ Bucket, Key: v.Key, VersionId: v.VersionId }))).Body!.transformToString()}${v.IsLatest ? '*' : ''}`);
      return out;
    };
    assert.deepEqual(await bodies(), ['doc:5*', 'doc:4', 'doc:3', 'doc:2', 'doc:1', 'other:2*', 'other:1']);
    clock.advance(3 * DAY);
    const count = async () => ((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions ?? []).length;
    for (let i = 0; i < 300 && (await count()) > 5; i++) await nextSweep();
    assert.deepEqual(await bodies(), ['doc:5*', 'doc:4', 'doc:3', 'other:2*', 'other:1']);

    for (const NoncurrentVersionExpiration of [{ NoncurrentDays: 1, NewerNoncurrentVersions: 0 }, { NoncurrentDays: 1, NewerNoncurrentVersions: 101 }, { NewerNoncurrentVersions: 3 }]) {
      const refused = await s3
        .send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: 'bad', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration }] } }))
        .then(
          () => assert.fail('expected an error'),
          (e: S3ServiceException) => e,
        );
      assert.deepEqual([refused.name, refused.$metadata.httpStatusCode], ['InvalidArgument', 400], JSON.stringify(NoncurrentVersionExpiration));
    }
  });
});
