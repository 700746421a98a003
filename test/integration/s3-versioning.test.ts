import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectTaggingCommand,
  PutObjectTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';
import { testStoreKind } from '../helpers/test-store.js';

const onDisk = testStoreKind() === 'sqlite' ? {} : { skip: 'object bytes are in PostgreSQL, not on disk' };
const failure = (p: Promise<unknown>) =>
  p.then(
    () => assert.fail('expected an error'),
    (e: S3ServiceException) => e,
  );

describe('S3 versioning through the SDK v3 and boto3', () => {
  let t: TestPlatform;
  let s3: S3Client;
  let sqs: SQSClient;
  const blobsOnDisk = () => readdirSync(join(t.dataDir, 's3', 'blobs')).length;

  before(async () => {
    t = await startTestPlatform();
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sqs = new SQSClient(config);
  });
  after(async () => {
    s3.destroy();
    sqs.destroy();
    await t.stop();
  });

  const text = async (bucket: string, key: string, versionId?: string) =>
    (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }))).Body!.transformToString();
  const enable = (bucket: string, Status: 'Enabled' | 'Suspended' = 'Enabled') => s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status } }));

  it('each PUT is a version; GET and HEAD by version id; a delete marker hides the key; deleting it brings the object back', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ver' }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'ver' }))).Status, undefined);
    await s3.send(new PutObjectCommand({ Bucket: 'ver', Key: 'k', Body: 'before' }));
    await enable('ver');
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'ver' }))).Status, 'Enabled');

    const v1 = await s3.send(new PutObjectCommand({ Bucket: 'ver', Key: 'k', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: 'ver', Key: 'k', Body: 'two' }));
    assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId && v1.VersionId !== 'null');
    assert.equal(await text('ver', 'k'), 'two');
    assert.equal(await text('ver', 'k', v1.VersionId), 'one');
    assert.equal(await text('ver', 'k', 'null'), 'before');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'ver', Key: 'k', VersionId: v1.VersionId }));
    assert.equal(head.VersionId, v1.VersionId);
    assert.equal(head.ContentLength, 3);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'ver', Key: 'k' }))).VersionId, v2.VersionId);
    const missing = await failure(s3.send(new GetObjectCommand({ Bucket: 'ver', Key: 'k', VersionId: 'nope' })));
    assert.equal(missing.name, 'NoSuchVersion');
    assert.equal(missing.$metadata.httpStatusCode, 404);

    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'ver', Key: 'k' }));
    assert.equal(marker.DeleteMarker, true);
    assert.ok(marker.VersionId && marker.VersionId !== v2.VersionId);
    const gone = await failure(s3.send(new GetObjectCommand({ Bucket: 'ver', Key: 'k' })));
    assert.equal(gone.name, 'NoSuchKey');
    assert.equal(gone.$response?.headers['x-amz-delete-marker'], 'true');
    assert.equal(gone.$response?.headers['x-amz-version-id'], marker.VersionId);
    const headGone = await failure(s3.send(new HeadObjectCommand({ Bucket: 'ver', Key: 'k' })));
    assert.equal(headGone.$metadata.httpStatusCode, 404);
    assert.equal(headGone.$response?.headers['x-amz-delete-marker'], 'true');
    const markerRead = await failure(s3.send(new GetObjectCommand({ Bucket: 'ver', Key: 'k', VersionId: marker.VersionId })));
    assert.equal(markerRead.$metadata.httpStatusCode, 405);
    assert.equal(markerRead.name, 'MethodNotAllowed');
    assert.equal(markerRead.$response?.headers['x-amz-delete-marker'], 'true');
    assert.ok(!Number.isNaN(Date.parse(markerRead.$response?.headers['last-modified'] ?? '')), "the marker's Last-Modified");
    assert.equal(await text('ver', 'k', v2.VersionId), 'two');
    assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: 'ver' }))).Contents, undefined);

    const unmark = await s3.send(new DeleteObjectCommand({ Bucket: 'ver', Key: 'k', VersionId: marker.VersionId }));
    assert.equal(unmark.DeleteMarker, true);
    assert.equal(unmark.VersionId, marker.VersionId);
    assert.equal(await text('ver', 'k'), 'two');
    const dropped = await s3.send(new DeleteObjectCommand({ Bucket: 'ver', Key: 'k', VersionId: v2.VersionId }));
    assert.equal(dropped.VersionId, v2.VersionId);
    assert.equal(dropped.DeleteMarker, undefined);
    assert.equal(await text('ver', 'k'), 'one');
    assert.equal((await failure(s3.send(new DeleteBucketCommand({ Bucket: 'ver' })))).name, 'BucketNotEmpty');
  });

  it('ListObjectVersions: versions and delete markers, newest first, paged by key and version markers, with prefix and delimiter', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ver-list' }));
    await enable('ver-list');
    const ids: Record<string, string[]> = { a: [], 'd/x': [], 'd/y': [] };
    for (const key of ['a', 'd/x', 'a', 'd/y', 'a']) ids[key]!.unshift((await s3.send(new PutObjectCommand({ Bucket: 'ver-list', Key: key, Body: key }))).VersionId!);
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket: 'ver-list', Key: 'd/x' }))).VersionId!;

    const all = await s3.send(new ListObjectVersionsCommand({ Bucket: 'ver-list' }));
    assert.deepEqual(all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]), [
      ['a', ids['a']![0], true],
      ['a', ids['a']![1], false],
      ['a', ids['a']![2], false],
      ['d/x', ids['d/x']![0], false],
      ['d/y', ids['d/y']![0], true],
    ]);
    assert.deepEqual(all.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest]), [['d/x', marker, true]]);
    assert.equal(all.Versions?.[0]?.Size, 1);
    assert.equal(all.IsTruncated, false);

    // Pages of two: markers carry on inside a key's versions.
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await s3.send(new ListObjectVersionsCommand({ Bucket: 'ver-list', MaxKeys: 2, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      const entries = [...(r.Versions ?? []), ...(r.DeleteMarkers ?? [])];
      assert.ok(entries.length <= 2);
      seen.push(...entries.map((e) => e.VersionId!));
      if (!r.IsTruncated) break;
      keyMarker = r.NextKeyMarker;
      versionIdMarker = r.NextVersionIdMarker;
    }
    assert.deepEqual(seen.sort(), [...ids['a']!, ...ids['d/x']!, ...ids['d/y']!, marker].sort());

    const rolled = await s3.send(new ListObjectVersionsCommand({ Bucket: 'ver-list', Delimiter: '/' }));
    assert.deepEqual(rolled.CommonPrefixes, [{ Prefix: 'd/' }]);
    assert.deepEqual(rolled.Versions?.map((v) => v.Key), ['a', 'a', 'a']);
    const under = await s3.send(new ListObjectVersionsCommand({ Bucket: 'ver-list', Prefix: 'd/' }));
    assert.deepEqual(under.Versions?.map((v) => v.Key), ['d/x', 'd/y']);
    const noKeyMarker = await failure(s3.send(new ListObjectVersionsCommand({ Bucket: 'ver-list', VersionIdMarker: ids['a']![0] })));
    assert.equal(noKeyMarker.name, 'InvalidArgument');
  });

  it('copies from a version id; completes a multipart upload as a new version; DeleteObjects by version', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ver-copy' }));
    await enable('ver-copy');
    const old = await s3.send(new PutObjectCommand({ Bucket: 'ver-copy', Key: 'src', Body: 'old' }));
    await s3.send(new PutObjectCommand({ Bucket: 'ver-copy', Key: 'src', Body: 'new' }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket: 'ver-copy', Key: 'dst', CopySource: `ver-copy/src?versionId=${old.VersionId}` }));
    assert.equal(copy.CopySourceVersionId, old.VersionId);
    assert.ok(copy.VersionId);
    assert.equal(await text('ver-copy', 'dst'), 'old');
    // A copy of an object onto itself from an older version restores it.
    await s3.send(new CopyObjectCommand({ Bucket: 'ver-copy', Key: 'src', CopySource: `ver-copy/src?versionId=${old.VersionId}` }));
    assert.equal(await text('ver-copy', 'src'), 'old');
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'ver-copy', Key: 'gone' }));
    const fromMarker = await failure(s3.send(new CopyObjectCommand({ Bucket: 'ver-copy', Key: 'x', CopySource: `ver-copy/gone?versionId=${marker.VersionId}` })));
    assert.equal(fromMarker.name, 'InvalidRequest');

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'ver-copy', Key: 'big' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'ver-copy', Key: 'big', UploadId, PartNumber: 1, Body: 'parts' }));
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'ver-copy', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    assert.ok(done.VersionId);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'ver-copy', Key: 'big' }))).VersionId, done.VersionId);

    const batch = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'ver-copy', Delete: { Objects: [{ Key: 'dst' }, { Key: 'src', VersionId: old.VersionId }] } }),
    );
    const dst = batch.Deleted?.find((d) => d.Key === 'dst');
    assert.equal(dst?.DeleteMarker, true);
    assert.ok(dst?.DeleteMarkerVersionId);
    assert.equal(batch.Deleted?.find((d) => d.Key === 'src')?.VersionId, old.VersionId);
    assert.equal((await failure(s3.send(new GetObjectCommand({ Bucket: 'ver-copy', Key: 'src', VersionId: old.VersionId })))).name, 'NoSuchVersion');
  });

  it('suspended: writes are the `null` version, replacing it (its bytes reclaimed); older versions stay', onDisk, async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ver-susp' }));
    const before = blobsOnDisk();
    await enable('ver-susp');
    const kept = await s3.send(new PutObjectCommand({ Bucket: 'ver-susp', Key: 'k', Body: 'kept' }));
    await enable('ver-susp', 'Suspended');
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'ver-susp' }))).Status, 'Suspended');
    const n1 = await s3.send(new PutObjectCommand({ Bucket: 'ver-susp', Key: 'k', Body: 'null one' }));
    assert.equal(n1.VersionId, undefined);
    await s3.send(new PutObjectCommand({ Bucket: 'ver-susp', Key: 'k', Body: 'null two' }));
    assert.equal(blobsOnDisk(), before + 2);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'ver-susp' }));
    assert.deepEqual(listed.Versions?.map((v) => [v.VersionId, v.IsLatest]), [['null', true], [kept.VersionId, false]]);
    assert.equal(await text('ver-susp', 'k', 'null'), 'null two');
    // A delete writes a `null` marker over the `null` version, whose bytes go.
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'ver-susp', Key: 'k' }));
    assert.deepEqual([marker.DeleteMarker, marker.VersionId], [true, 'null']);
    assert.equal(blobsOnDisk(), before + 1);
    await s3.send(new DeleteObjectCommand({ Bucket: 'ver-susp', Key: 'k', VersionId: kept.VersionId }));
    assert.equal(blobsOnDisk(), before);
    await s3.send(new DeleteObjectCommand({ Bucket: 'ver-susp', Key: 'k', VersionId: 'null' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'ver-susp' }));
  });

  it('event records carry the version id; a delete makes ObjectRemoved:DeleteMarkerCreated', async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'ver-events' }))).QueueUrl!;
    await s3.send(new CreateBucketCommand({ Bucket: 'ver-events' }));
    await enable('ver-events');
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'ver-events',
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:ver-events', Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }] },
      }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: 'ver-events', Key: 'k', Body: 'x' }));
    const del = await s3.send(new DeleteObjectCommand({ Bucket: 'ver-events', Key: 'k' }));
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < 30 && records.length < 2; i++) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of r.Messages ?? []) {
        const body = JSON.parse(m.Body!) as { Records?: Record<string, unknown>[] };
        if (body.Records) records.push(body.Records[0]!);
      }
    }
    const summary = records.map((r) => [r['eventName'], ((r['s3'] as Record<string, unknown>)['object'] as Record<string, unknown>)['versionId']]);
    assert.deepEqual(summary, [
      ['ObjectCreated:Put', put.VersionId],
      ['ObjectRemoved:DeleteMarkerCreated', del.VersionId],
    ]);
  });

  it('boto3: the ListObjectVersions paginator and delete by version', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ver-boto' }));
    await enable('ver-boto');
    for (let i = 0; i < 5; i++) await s3.send(new PutObjectCommand({ Bucket: 'ver-boto', Key: `k${i % 2}`, Body: String(i) }));
    const script = `
import boto3, sys, json
c = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
seen = []
for page in c.get_paginator('list_object_versions').paginate(Bucket='ver-boto', PaginationConfig={'PageSize': 2}):
    seen += [(v['Key'], v['VersionId'], v['IsLatest']) for v in page.get('Versions', [])]
r = c.delete_object(Bucket='ver-boto', Key='k0')
print(json.dumps({'seen': seen, 'marker': r.get('DeleteMarker'), 'status': c.get_bucket_versioning(Bucket='ver-boto').get('Status')}))
`;
    const res = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { seen: [string, string, boolean][]; marker: boolean; status: string };
    assert.deepEqual(out.seen.map(([k, , latest]) => [k, latest]), [['k0', true], ['k0', false], ['k0', false], ['k1', true], ['k1', false]]);
    assert.equal(new Set(out.seen.map(([, v]) => v)).size, 5);
    assert.equal(out.marker, true);
    assert.equal(out.status, 'Enabled');
  });

  it('tags per version: Put/Get/DeleteObjectTagging with a version id touch that version only; the current one by default', async () => {
    const Bucket = 'ver-tags';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await enable(Bucket);
    const v1 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: '1', Tagging: 'first=yes' }))).VersionId!;
    const v2 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: '2' }))).VersionId!;
    const tagsOf = async (VersionId?: string) => {
      const got = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k', VersionId }));
      return { version: got.VersionId, tags: Object.fromEntries((got.TagSet ?? []).map((x) => [x.Key, x.Value])) };
    };
    assert.deepEqual(await tagsOf(v1), { version: v1, tags: { first: 'yes' } });
    assert.deepEqual(await tagsOf(), { version: v2, tags: {} });

    const put = await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', VersionId: v1, Tagging: { TagSet: [{ Key: 'old', Value: 'v1' }] } }));
    assert.equal(put.VersionId, v1);
    const current = await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'new', Value: 'v2' }] } }));
    assert.equal(current.VersionId, v2);
    assert.deepEqual(await tagsOf(v1), { version: v1, tags: { old: 'v1' } });
    assert.deepEqual(await tagsOf(v2), { version: v2, tags: { new: 'v2' } });
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: v1 }))).TagCount, 1);

    const removed = await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'k', VersionId: v1 }));
    assert.equal(removed.VersionId, v1);
    assert.deepEqual(await tagsOf(v1), { version: v1, tags: {} });
    assert.deepEqual(await tagsOf(), { version: v2, tags: { new: 'v2' } });

    const unknown = await failure(s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k', VersionId: 'no-such-version' })));
    assert.deepEqual([unknown.name, unknown.$metadata.httpStatusCode], ['NoSuchVersion', 404]);
    // Removing v2 makes v1 current again, with its own (now empty) tags; v1 tagged again shows through the current object.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v2 }));
    await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', VersionId: v1, Tagging: { TagSet: [{ Key: 'back', Value: '1' }] } }));
    assert.deepEqual(await tagsOf(), { version: v1, tags: { back: '1' } });
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }))).VersionId!;
    const hidden = await failure(s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' })));
    assert.deepEqual([hidden.name, hidden.$metadata.httpStatusCode], ['NoSuchKey', 404]);
    const onMarker = await failure(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', VersionId: marker, Tagging: { TagSet: [] } })));
    assert.equal(onMarker.$metadata.httpStatusCode, 405);
    assert.deepEqual(await tagsOf(v1), { version: v1, tags: { back: '1' } });
  });
});
