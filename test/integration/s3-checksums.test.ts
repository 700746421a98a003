import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const MB = 1024 * 1024;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => assert.fail('expected an error'),
    (e: S3ServiceException) => e,
  );

describe('S3 checksums through the SDK v3: each algorithm, and multipart uploads', () => {
  let t: TestPlatform;
  let s3: S3Client;

  before(async () => {
    t = await startTestPlatform();
    s3 = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
  });
  after(async () => {
    s3.destroy();
    await t.stop();
  });

  it('every x-amz-checksum algorithm the SDK computes (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) is checked, kept and given back', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sums' }));
    const body = 'checksummed by the SDK, checked by the server';
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      const key = `by-${algorithm}`;
      const member = `Checksum${algorithm}` as const;
      // The SDK computes the value itself: the server must reach the same one or refuse the body.
      const put = await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: key, Body: body, ChecksumAlgorithm: algorithm }));
      assert.ok(put[member], `${algorithm} echoed`);
      const streamed = await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: `${key}-streamed`, Body: Readable.from([Buffer.from(body)]), ContentLength: body.length, ChecksumAlgorithm: algorithm }));
      assert.equal(streamed[member], put[member], `${algorithm} over an aws-chunked body, in its trailer`);
      const got = await s3.send(new GetObjectCommand({ Bucket: 'sums', Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(got[member], put[member]);
      assert.equal(await got.Body!.transformToString(), body);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'sums', Prefix: key }));
      assert.deepEqual(listed.Contents?.map((o) => o.ChecksumAlgorithm), [[algorithm], [algorithm]]);
      const wrong = await failure(s3.send(new PutObjectCommand({ Bucket: 'sums', Key: `${key}-wrong`, Body: body, [member]: put[member] === 'AAAAAA==' ? 'AAAAAQ==' : (await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'other', Body: 'other', ChecksumAlgorithm: algorithm })))[member] })));
      assert.deepEqual([wrong.name, wrong.$metadata.httpStatusCode], ['BadDigest', 400], algorithm);
    }
    const sha1 = createHash('sha1').update(body).digest('base64');
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'sums', Key: 'by-SHA1', ChecksumMode: 'ENABLED' }))).ChecksumSHA1, sha1);
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'sums' }))).Contents ?? []).map((o) => o.Key);
    assert.equal(keys.filter((k) => k!.endsWith('-wrong')).length, 0, 'nothing refused was stored');
  });

  it("multipart with checksums: each part's is checked at Complete (InvalidPart if not the stored one); the object gets S3's COMPOSITE checksum", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mp-sums' }));
    const parts = [Buffer.alloc(5 * MB, 'a'), Buffer.from('the last part')];
    const crc32 = (b: Buffer) => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE((zlib as unknown as { crc32(d: Buffer): number }).crc32(b) >>> 0);
      return out;
    };
    const upload = async (Key: string) => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mp-sums', Key, ChecksumAlgorithm: 'CRC32' }));
      const done = [];
      for (const [i, Body] of parts.entries()) {
        const r = await s3.send(new UploadPartCommand({ Bucket: 'mp-sums', Key, UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'CRC32' }));
        assert.equal(r.ChecksumCRC32, crc32(Body).toString('base64'));
        done.push({ PartNumber: i + 1, ETag: r.ETag!, ChecksumCRC32: r.ChecksumCRC32! });
      }
      return { UploadId: UploadId!, done };
    };
    const { UploadId, done } = await upload('whole');
    const expected = `${crc32(Buffer.concat(parts.map(crc32))).toString('base64')}-2`;
    const completed = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mp-sums', Key: 'whole', UploadId, MultipartUpload: { Parts: done } }));
    assert.deepEqual([completed.ChecksumCRC32, completed.ChecksumType], [expected, 'COMPOSITE']);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mp-sums', Key: 'whole', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumCRC32, expected);
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts)));

    const second = await upload('mismatch');
    const wrongPart = [second.done[0]!, { ...second.done[1]!, ChecksumCRC32: crc32(Buffer.from('something else')).toString('base64') }];
    const refused = await failure(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mp-sums', Key: 'mismatch', UploadId: second.UploadId, MultipartUpload: { Parts: wrongPart } })));
    assert.deepEqual([refused.name, refused.$metadata.httpStatusCode], ['InvalidPart', 400]);
    const absent = await failure(s3.send(new HeadObjectCommand({ Bucket: 'mp-sums', Key: 'mismatch' })));
    assert.equal(absent.$metadata.httpStatusCode, 404);
    // The upload is still there to complete rightly.
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mp-sums', Key: 'mismatch', UploadId: second.UploadId, MultipartUpload: { Parts: second.done } }));
  });
});
