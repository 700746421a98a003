import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  DeleteBucketCorsCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectTaggingCommand,
  GetBucketCorsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetObjectTaggingCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectTaggingCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const MB = 1024 * 1024;
const md5 = (b: Buffer | string) => `"${createHash('md5').update(b).digest('hex')}"`;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => assert.fail('expected an error'),
    (e: S3ServiceException) => e,
  );

describe('S3: buckets and objects through the SDK v3', () => {
  let t: TestPlatform;
  let s3: S3Client;

  before(async () => {
    t = await startTestPlatform();
    // 127.0.0.1, not localhost: the SDK would address `bucket.localhost`, which Node cannot resolve (FACTS.md).
    s3 = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
  });
  after(async () => {
    s3.destroy();
    await t.stop();
  });

  it('creates, heads, lists, locates and deletes buckets, with S3 errors', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'beta-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const owned = await failure(s3.send(new CreateBucketCommand({ Bucket: 'alpha' })));
    assert.equal(owned.name, 'BucketAlreadyOwnedByYou');
    assert.equal(owned.$metadata.httpStatusCode, 409);
    const badName = await failure(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' })));
    assert.equal(badName.name, 'InvalidBucketName');
    const listed = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(listed.Buckets?.map((b) => b.Name), ['alpha', 'beta-eu']);
    assert.ok(listed.Buckets?.[0]?.CreationDate instanceof Date);
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha' }))).LocationConstraint, undefined);
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'beta-eu' }))).LocationConstraint, 'eu-west-1');
    assert.equal((await s3.send(new HeadBucketCommand({ Bucket: 'beta-eu' }))).BucketRegion, 'eu-west-1');
    const missing = await failure(s3.send(new HeadBucketCommand({ Bucket: 'nope' })));
    assert.equal(missing.$metadata.httpStatusCode, 404);
    await s3.send(new PutObjectCommand({ Bucket: 'beta-eu', Key: 'k', Body: 'x' }));
    const notEmpty = await failure(s3.send(new DeleteBucketCommand({ Bucket: 'beta-eu' })));
    assert.equal(notEmpty.name, 'BucketNotEmpty');
    await s3.send(new DeleteObjectCommand({ Bucket: 'beta-eu', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'beta-eu' }));
    const gone = await failure(s3.send(new GetObjectCommand({ Bucket: 'beta-eu', Key: 'k' })));
    assert.equal(gone.name, 'NoSuchBucket');
  });

  it('puts and gets objects with content headers, user metadata, ranges and checksums', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
    const body = 'hello, selfless s3';
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'dir/hello world+ü.txt',
        Body: body,
        ContentType: 'text/plain',
        CacheControl: 'max-age=60',
        ContentDisposition: 'inline',
        Metadata: { Colour: 'blue', 'x-trace': 'abc' },
      }),
    );
    assert.equal(put.ETag, md5(body));
    assert.ok(put.ChecksumCRC32, 'the SDK sent a CRC32 and S3 echoes it');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello world+ü.txt' }));
    assert.equal(await got.Body?.transformToString(), body);
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.CacheControl, 'max-age=60');
    assert.equal(got.ContentDisposition, 'inline');
    assert.equal(got.ContentLength, body.length);
    assert.deepEqual(got.Metadata, { colour: 'blue', 'x-trace': 'abc' });
    assert.equal(got.ETag, md5(body));
    assert.ok(got.LastModified instanceof Date);

    const range = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello world+ü.txt', Range: 'bytes=7-13' }));
    assert.equal(await range.Body?.transformToString(), 'selfles');
    assert.equal(range.ContentRange, `bytes 7-13/${body.length}`);
    assert.equal(range.$metadata.httpStatusCode, 206);
    const suffix = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello world+ü.txt', Range: 'bytes=-2' }));
    assert.equal(await suffix.Body?.transformToString(), 's3');
    const invalid = await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello world+ü.txt', Range: 'bytes=500-' })));
    assert.equal(invalid.name, 'InvalidRange');
    assert.equal(invalid.$metadata.httpStatusCode, 416);

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dir/hello world+ü.txt' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, md5(body));
    const noKey = await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'missing' })));
    assert.equal(noKey.name, 'NoSuchKey');
    assert.equal(noKey.$metadata.httpStatusCode, 404);

    const empty = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'empty', Body: '' }));
    assert.equal(empty.ETag, md5(''));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'empty' }))).Body?.transformToString(), '');
  });

  it('streams a body of unknown length as aws-chunked with a trailing checksum', async () => {
    const chunks = [Buffer.alloc(70_000, 'a'), Buffer.alloc(30_000, 'b')];
    const whole = Buffer.concat(chunks);
    await s3.send(new CreateBucketCommand({ Bucket: 'streamed' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'streamed', Key: 's', Body: Readable.from(chunks), ContentLength: whole.length }));
    assert.equal(put.ETag, md5(whole));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'streamed', Key: 's' }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(whole));
  });

  it('refuses a body whose checksum or Content-MD5 does not match, and stores nothing', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'digests' }));
    const wrongCrc = await failure(s3.send(new PutObjectCommand({ Bucket: 'digests', Key: 'k', Body: 'data', ChecksumCRC32: 'AAAAAA==' })));
    assert.equal(wrongCrc.name, 'BadDigest');
    const wrongMd5 = await failure(s3.send(new PutObjectCommand({ Bucket: 'digests', Key: 'k', Body: 'data', ContentMD5: createHash('md5').update('other').digest('base64') })));
    assert.equal(wrongMd5.name, 'BadDigest');
    const sha = createHash('sha256').update('data').digest('base64');
    const ok = await s3.send(new PutObjectCommand({ Bucket: 'digests', Key: 'sha', Body: 'data', ChecksumSHA256: sha }));
    assert.equal(ok.ChecksumSHA256, sha);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'digests' }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['sha']);
    const tooLong = await failure(s3.send(new PutObjectCommand({ Bucket: 'digests', Key: 'k'.repeat(1025), Body: 'x' })));
    assert.equal(tooLong.name, 'KeyTooLongError');
  });

  it('conditional reads and writes: If-Match, If-None-Match, If-Modified-Since', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'conditions' }));
    const first = await s3.send(new PutObjectCommand({ Bucket: 'conditions', Key: 'k', Body: 'one', IfNoneMatch: '*' }));
    const taken = await failure(s3.send(new PutObjectCommand({ Bucket: 'conditions', Key: 'k', Body: 'two', IfNoneMatch: '*' })));
    assert.equal(taken.name, 'PreconditionFailed');
    assert.equal(taken.$metadata.httpStatusCode, 412);
    const stale = await failure(s3.send(new PutObjectCommand({ Bucket: 'conditions', Key: 'k', Body: 'two', IfMatch: md5('nope') })));
    assert.equal(stale.name, 'PreconditionFailed');
    await s3.send(new PutObjectCommand({ Bucket: 'conditions', Key: 'k', Body: 'two', IfMatch: first.ETag }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'conditions', Key: 'k' }))).Body?.transformToString(), 'two');

    const mismatch = await failure(s3.send(new GetObjectCommand({ Bucket: 'conditions', Key: 'k', IfMatch: first.ETag })));
    assert.equal(mismatch.$metadata.httpStatusCode, 412);
    const same = await failure(s3.send(new GetObjectCommand({ Bucket: 'conditions', Key: 'k', IfNoneMatch: md5('two') })));
    assert.equal(same.$metadata.httpStatusCode, 304);
    const future = new Date(Date.now() + 3600_000);
    const notModified = await failure(s3.send(new HeadObjectCommand({ Bucket: 'conditions', Key: 'k', IfModifiedSince: future })));
    assert.equal(notModified.$metadata.httpStatusCode, 304);
    const past = new Date(Date.now() - 3600_000);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'conditions', Key: 'k', IfModifiedSince: past }))).ETag, md5('two'));
  });

  it('lists with prefix, delimiter, start-after and continuation tokens (V2) and markers (V1)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const keys = ['a/1', 'a/2', 'a/b/3', 'b/1', 'c', 'd', 'e/x'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key, Body: Key }));
    const all: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: 'listing' })) all.push(...(page.Contents ?? []).map((o) => o.Key!));
    assert.deepEqual(all, keys);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'b/', 'e/']);
    assert.deepEqual(top.Contents?.map((o) => o.Key), ['c', 'd']);
    assert.equal(top.KeyCount, 5);
    const underA = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a/', Delimiter: '/' }));
    assert.deepEqual(underA.Contents?.map((o) => o.Key), ['a/1', 'a/2']);
    assert.deepEqual(underA.CommonPrefixes?.map((p) => p.Prefix), ['a/b/']);
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }));
      paged.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);
    assert.deepEqual(paged.sort(), ['a/', 'b/', 'c', 'd', 'e/']);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'b/1' }));
    assert.deepEqual(after.Contents?.map((o) => o.Key), ['c', 'd', 'e/x']);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Marker: 'a/b/3', MaxKeys: 2 }));
    assert.deepEqual(v1.Contents?.map((o) => o.Key), ['b/1', 'c']);
    assert.equal(v1.IsTruncated, true);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'listing', Prefix: 'a/' }));
    assert.deepEqual(versions.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]), [['a/1', 'null', true], ['a/2', 'null', true], ['a/b/3', 'null', true]]);
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'listing' }))).Status, undefined);
    const bogus = await failure(s3.send(new PutBucketVersioningCommand({ Bucket: 'listing', VersioningConfiguration: {} })));
    assert.equal(bogus.name, 'MalformedXML');
    const noBucket = await failure(s3.send(new ListObjectsV2Command({ Bucket: 'absent' })));
    assert.equal(noBucket.name, 'NoSuchBucket');
  });

  it('copies objects, keeping or replacing metadata, and deletes many at once', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'copies' }));
    await s3.send(new PutObjectCommand({ Bucket: 'copies', Key: 'src key', Body: 'copy me', ContentType: 'text/x-src', Metadata: { a: '1' } }));
    const kept = await s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'kept', CopySource: 'copies/src%20key' }));
    assert.equal(kept.CopyObjectResult?.ETag, md5('copy me'));
    const keptHead = await s3.send(new HeadObjectCommand({ Bucket: 'copies', Key: 'kept' }));
    assert.equal(keptHead.ContentType, 'text/x-src');
    assert.deepEqual(keptHead.Metadata, { a: '1' });
    await s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'replaced', CopySource: '/copies/src%20key', MetadataDirective: 'REPLACE', ContentType: 'text/x-new', Metadata: { b: '2' } }));
    const replaced = await s3.send(new GetObjectCommand({ Bucket: 'copies', Key: 'replaced' }));
    assert.equal(await replaced.Body?.transformToString(), 'copy me');
    assert.equal(replaced.ContentType, 'text/x-new');
    assert.deepEqual(replaced.Metadata, { b: '2' });
    const toSelf = await failure(s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'kept', CopySource: 'copies/kept' })));
    assert.equal(toSelf.name, 'InvalidRequest');
    const noSource = await failure(s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'x', CopySource: 'copies/none' })));
    assert.equal(noSource.name, 'NoSuchKey');

    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: 'copies', Delete: { Objects: [{ Key: 'kept' }, { Key: 'replaced' }, { Key: 'never-was' }] } }));
    assert.deepEqual(deleted.Deleted?.map((d) => d.Key).sort(), ['kept', 'never-was', 'replaced']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'copies' }));
    assert.deepEqual(left.Contents?.map((o) => o.Key), ['src key']);
  });

  it('multipart: parts (one copied), list, complete with the multipart ETag; errors for small parts, bad parts and unknown uploads', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'multi' }));
    const partA = Buffer.alloc(5 * MB, 1);
    const tail = Buffer.from('the end');
    await s3.send(new PutObjectCommand({ Bucket: 'multi', Key: 'source', Body: Buffer.alloc(6 * MB, 2) }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'big', ContentType: 'application/x-big', Metadata: { m: 'v' } }));
    assert.ok(UploadId);
    const p1 = await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'big', UploadId, PartNumber: 1, Body: partA }));
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: 'multi', Key: 'big', UploadId, PartNumber: 2, CopySource: 'multi/source', CopySourceRange: `bytes=0-${5 * MB - 1}` }));
    const p3 = await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'big', UploadId, PartNumber: 3, Body: tail }));
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'multi' }));
    assert.deepEqual(uploads.Uploads?.map((u) => [u.Key, u.UploadId]), [['big', UploadId]]);
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'big', UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size]), [[1, 5 * MB], [2, 5 * MB], [3, tail.length]]);

    const badPart = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: md5('wrong') }] } })),
    );
    assert.equal(badPart.name, 'InvalidPart');
    const order = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: p2.CopyPartResult!.ETag }, { PartNumber: 1, ETag: p1.ETag }] } })),
    );
    assert.equal(order.name, 'InvalidPartOrder');
    const small = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'big', UploadId, MultipartUpload: { Parts: [{ PartNumber: 3, ETag: p3.ETag }, { PartNumber: 4, ETag: p3.ETag }] } })),
    );
    assert.equal(small.name, 'InvalidPart');

    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'multi',
        Key: 'big',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.CopyPartResult!.ETag }, { PartNumber: 3, ETag: p3.ETag }] },
      }),
    );
    const md5s = Buffer.concat([partA, Buffer.alloc(5 * MB, 2), tail].map((b) => createHash('md5').update(b).digest()));
    assert.equal(done.ETag, `"${createHash('md5').update(md5s).digest('hex')}-3"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'big' }));
    assert.equal(head.ContentLength, 10 * MB + tail.length);
    assert.equal(head.ContentType, 'application/x-big');
    assert.deepEqual(head.Metadata, { m: 'v' });
    // A range across the boundary of parts 1 and 2.
    const across = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'big', Range: `bytes=${5 * MB - 2}-${5 * MB + 1}` }));
    assert.deepEqual([...(await across.Body!.transformToByteArray())], [1, 1, 2, 2]);
    const theEnd = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: 'big', Range: 'bytes=-7' }));
    assert.equal(await theEnd.Body?.transformToString(), 'the end');
    assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'multi' }))).Uploads, undefined);

    const unknown = await failure(s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'big', UploadId: 'nope', PartNumber: 1, Body: 'x' })));
    assert.equal(unknown.name, 'NoSuchUpload');
    const second = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multi', Key: 'small' }));
    const s1 = await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: second.UploadId, PartNumber: 1, Body: 'tiny' }));
    const s2 = await s3.send(new UploadPartCommand({ Bucket: 'multi', Key: 'small', UploadId: second.UploadId, PartNumber: 2, Body: 'tail' }));
    const tooSmall = await failure(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId: second.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: s1.ETag }, { PartNumber: 2, ETag: s2.ETag }] } })),
    );
    assert.equal(tooSmall.name, 'EntityTooSmall');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'multi', Key: 'small', UploadId: second.UploadId }));
    const aborted = await failure(s3.send(new ListPartsCommand({ Bucket: 'multi', Key: 'small', UploadId: second.UploadId })));
    assert.equal(aborted.name, 'NoSuchUpload');
    const nothing = await failure(s3.send(new HeadObjectCommand({ Bucket: 'multi', Key: 'small' })));
    assert.equal(nothing.$metadata.httpStatusCode, 404);
  });

  it('a multipart upload created with x-amz-tagging completes into an object with those tags', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mp-tags' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mp-tags', Key: 'k', Tagging: 'team=data&stage=raw' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'mp-tags', Key: 'k', UploadId, PartNumber: 1, Body: 'only part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mp-tags', Key: 'k', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag! }] } }));
    const tags = (await s3.send(new GetObjectTaggingCommand({ Bucket: 'mp-tags', Key: 'k' }))).TagSet ?? [];
    assert.deepEqual(Object.fromEntries(tags.map((x) => [x.Key, x.Value])), { team: 'data', stage: 'raw' });
    const tooMany = await failure(s3.send(new CreateMultipartUploadCommand({ Bucket: 'mp-tags', Key: 'k2', Tagging: Array.from({ length: 11 }, (_, i) => `t${i}=v`).join('&') })));
    assert.equal(tooMany.name, 'InvalidTag');
  });

  it('bucket tags, CORS rules and policy are kept and given back; object tags by header and by API, kept by copies', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'configured' }));
    assert.equal((await failure(s3.send(new GetBucketTaggingCommand({ Bucket: 'configured' })))).name, 'NoSuchTagSet');
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'configured', Tagging: { TagSet: [{ Key: 'team', Value: 'core' }, { Key: 'env', Value: 'dev' }] } }));
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket: 'configured' }))).TagSet, [{ Key: 'team', Value: 'core' }, { Key: 'env', Value: 'dev' }]);
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'configured' }));
    assert.equal((await failure(s3.send(new GetBucketTaggingCommand({ Bucket: 'configured' })))).name, 'NoSuchTagSet');

    const rule = { AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://example.com'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 300 };
    await s3.send(new PutBucketCorsCommand({ Bucket: 'configured', CORSConfiguration: { CORSRules: [rule] } }));
    assert.deepEqual((await s3.send(new GetBucketCorsCommand({ Bucket: 'configured' }))).CORSRules, [rule]);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: 'configured' }));
    assert.equal((await failure(s3.send(new GetBucketCorsCommand({ Bucket: 'configured' })))).name, 'NoSuchCORSConfiguration');

    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::configured/*' }] });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'configured', Policy: policy }));
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: 'configured' }))).Policy, policy);
    assert.equal((await failure(s3.send(new PutBucketPolicyCommand({ Bucket: 'configured', Policy: 'nope' })))).name, 'MalformedPolicy');
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'configured' }));
    assert.equal((await failure(s3.send(new GetBucketPolicyCommand({ Bucket: 'configured' })))).name, 'NoSuchBucketPolicy');

    await s3.send(new PutObjectCommand({ Bucket: 'configured', Key: 'tagged', Body: 'x', Tagging: 'a=1&b=two%20words' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: 'configured', Key: 'tagged' }))).TagSet, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two words' }]);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'configured', Key: 'tagged' }))).TagCount, 2);
    await s3.send(new CopyObjectCommand({ Bucket: 'configured', Key: 'copy', CopySource: 'configured/tagged' }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'configured', Key: 'copy' }))).TagCount, 2);
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'configured', Key: 'tagged', Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] } }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: 'configured', Key: 'tagged' }))).TagSet, [{ Key: 'only', Value: 'one' }]);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'configured', Key: 'tagged' }))).Body?.transformToString(), 'x');
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: 'configured', Key: 'tagged' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: 'configured', Key: 'tagged' }))).TagSet, []);
    const tooMany = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    assert.equal((await failure(s3.send(new PutObjectCommand({ Bucket: 'configured', Key: 'many', Body: 'x', Tagging: tooMany })))).name, 'InvalidTag');
  });
});
