import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { CREDENTIALS, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { testStoreKind } from '../helpers/test-store.js';
import { run } from '../helpers/run.js';

const MB = 1024 * 1024;
const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

// These count blob files in the data dir: on PostgreSQL the bytes are chunks in the database (see test/storage/s3-blobs.test.ts).
const onDisk = testStoreKind() === 'sqlite' ? {} : { skip: 'object bytes are in PostgreSQL, not on disk' };

describe('S3 through boto3, the aws CLI, curl and lib-storage', () => {
  let t: TestPlatform;
  let s3: S3Client;
  let work: string;
  const blobsOnDisk = () => readdirSync(join(t.dataDir, 's3', 'blobs')).length;

  before(async () => {
    t = await startTestPlatform();
    s3 = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    work = mkdtempSync(join(tmpdir(), 'selfless-s3-'));
  });
  after(async () => {
    s3.destroy();
    await t.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("boto3: upload_file and download_file over the transfer manager's multipart threshold", async () => {
    const script = `
import boto3, sys, os, json, hashlib
from boto3.s3.transfer import TransferConfig
c = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
c.create_bucket(Bucket='boto')
src, dst = os.path.join(sys.argv[2], 'big.bin'), os.path.join(sys.argv[2], 'back.bin')
with open(src, 'wb') as f:
    f.write(os.urandom(12 * 1024 * 1024 + 5))
cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=4)
c.upload_file(src, 'boto', 'dir/big.bin', Config=cfg)
c.download_file('boto', 'dir/big.bin', dst, Config=cfg)
c.put_object(Bucket='boto', Key='small', Body=b'hello', Metadata={'k': 'v'})
digest = lambda p: hashlib.sha256(open(p, 'rb').read()).hexdigest()
head = c.head_object(Bucket='boto', Key='dir/big.bin')
try:
    c.get_object(Bucket='boto', Key='nope')
except c.exceptions.NoSuchKey as e:
    code = e.response['Error']['Code']
print(json.dumps({'same': digest(src) == digest(dst), 'etag': head['ETag'], 'length': head['ContentLength'], 'code': code,
  'small': c.get_object(Bucket='boto', Key='small')['Body'].read().decode(), 'meta': c.head_object(Bucket='boto', Key='small')['Metadata']}))
`;
    const res = await run('python3', ['-c', script, t.platform.url, work]);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { same: boolean; etag: string; length: number; code: string; small: string; meta: Record<string, string> };
    assert.equal(out.same, true);
    assert.match(out.etag, /^"[0-9a-f]{32}-3"$/);
    assert.equal(out.length, 12 * MB + 5);
    assert.equal(out.code, 'NoSuchKey');
    assert.equal(out.small, 'hello');
    assert.deepEqual(out.meta, { k: 'v' });
  });

  it('aws s3 sync of a folder (one file over the multipart threshold), s3 ls and s3api head-object', async () => {
    const dir = join(work, 'site');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), 'A');
    writeFileSync(join(dir, 'sub', 'b.json'), '{"b":1}');
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(9 * MB, 7));
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', t.platform.url, ...args]);
    assert.equal((await aws('s3', 'mb', 's3://cli-bucket')).code, 0);
    const sync = await aws('s3', 'sync', '--no-progress', dir, 's3://cli-bucket/site');
    assert.equal(sync.code, 0, sync.stderr);
    const ls = await aws('s3', 'ls', '--recursive', 's3://cli-bucket');
    assert.equal(ls.code, 0, ls.stderr);
    assert.deepEqual(
      ls.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(2)),
      [['1', 'site/a.txt'], [String(9 * MB), 'site/big.bin'], ['7', 'site/sub/b.json']],
    );
    const head = await run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 's3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'site/sub/b.json']);
    assert.equal(head.code, 0, head.stderr);
    const parsed = JSON.parse(head.stdout) as { ContentLength: number; ContentType: string };
    assert.equal(parsed.ContentLength, 7);
    assert.equal(parsed.ContentType, 'application/json');
  });

  it('presigned GET and PUT URLs through curl; virtual-hosted-style addressing', async () => {
    // As S3 users are told: without this the presigner signs a checksum of an empty body into PUT URLs.
    const presigner = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
    await s3.send(new CreateBucketCommand({ Bucket: 'presigned' }));
    const putUrl = await getSignedUrl(presigner, new PutObjectCommand({ Bucket: 'presigned', Key: 'up load.txt', ContentType: 'text/plain' }), { expiresIn: 300 });
    assert.ok(putUrl.startsWith(`${t.platform.url}/presigned/up%20load.txt?`) && putUrl.includes('X-Amz-Signature='));
    const put = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'PUT', '-H', 'Content-Type: text/plain', '--data-binary', 'via curl', putUrl]);
    assert.equal(put.stdout, '200', put.stderr);
    const getUrl = await getSignedUrl(presigner, new GetObjectCommand({ Bucket: 'presigned', Key: 'up load.txt' }), { expiresIn: 300 });
    const get = await run('curl', ['-sS', getUrl]);
    assert.equal(get.stdout, 'via curl');
    presigner.destroy();
    // curl maps *.localhost to the loopback address, as browsers do (Node does not: FACTS.md).
    const port = new URL(t.platform.url).port;
    const vhost = await run('curl', ['-sS', '-H', 'Authorization: AWS4-HMAC-SHA256 Credential=test/20261205/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0', `http://presigned.s3.localhost:${port}/up%20load.txt`]);
    assert.equal(vhost.stdout, 'via curl');
    const list = await run('curl', ['-sS', `http://presigned.s3.localhost:${port}/?list-type=2`]);
    assert.match(list.stdout, /<ListObjectsV2Result xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">.*<Key>up load\.txt<\/Key>/);
    const missing = await run('curl', ['-sS', `http://presigned.s3.localhost:${port}/nope`]);
    assert.match(missing.stdout, /<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist\.<\/Message><Key>nope<\/Key><RequestId>/);
  });

  it("lib-storage's Upload: a stream of unknown length in 5 MB parts", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lib-storage' }));
    const chunks = Array.from({ length: 12 }, (_, i) => Buffer.alloc(MB, i));
    const upload = new Upload({ client: s3, params: { Bucket: 'lib-storage', Key: 'streamed', Body: Readable.from(chunks) }, partSize: 5 * MB, queueSize: 2 });
    const done = await upload.done();
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-3"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'lib-storage', Key: 'streamed' }));
    assert.equal(sha(await got.Body!.transformToByteArray()), sha(Buffer.concat(chunks)));
  });

  it('reclaims the disk space of overwritten and deleted objects', onDisk, async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'reclaim' }));
    const before = blobsOnDisk();
    await s3.send(new PutObjectCommand({ Bucket: 'reclaim', Key: 'k', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: 'reclaim', Key: 'k', Body: 'two' }));
    assert.equal(blobsOnDisk(), before + 1);
    await s3.send(new DeleteObjectCommand({ Bucket: 'reclaim', Key: 'k' }));
    assert.equal(blobsOnDisk(), before);
  });

  it('an upload cut off mid-body leaves no object and no bytes behind', onDisk, async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'interrupted' }));
    const before = blobsOnDisk();
    const { port } = new URL(t.platform.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      'PUT /interrupted/partial HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n' +
        'Authorization: AWS4-HMAC-SHA256 Credential=test/20261205/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0\r\n\r\n' +
        'x'.repeat(1000),
    );
    // The server has begun writing the body once a file appears among its incoming writes.
    await waitFor(() => readdirSync(join(t.dataDir, 's3', 'incoming')).length > 0, 'the upload to begin');
    socket.destroy();
    await waitFor(() => readdirSync(join(t.dataDir, 's3', 'incoming')).length === 0, 'the partial write to be removed');
    assert.equal(blobsOnDisk(), before);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'interrupted' }));
    assert.equal(listed.KeyCount, 0);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'interrupted', Key: 'partial' })));
  });

  it('an aws-chunked body whose trailing checksum is wrong is refused with BadDigest, and nothing is stored', onDisk, async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'trailers' }));
    const before = blobsOnDisk();
    const body = 'hello world';
    const framed = `${body.length.toString(16)}\r\n${body}\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`;
    const res = await fetch(`${t.platform.url}/trailers/k`, {
      method: 'PUT',
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20261205/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': String(body.length),
        'x-amz-sdk-checksum-algorithm': 'CRC32',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      body: framed,
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /<Code>BadDigest<\/Code>/);
    assert.equal(blobsOnDisk(), before);
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: 'trailers' }))).KeyCount, 0);
  });
});
