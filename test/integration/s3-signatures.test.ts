import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand, GetBucketTaggingCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { clientEnv, run } from '../helpers/run.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../src/security/sigv4.js';
import { send, signedCall, type Credentials } from '../helpers/sign.js';

const KEY = { accessKeyId: 'AKIASELFLESSS3SIG001', secretAccessKey: 'the-right-secret', accountId: '111122223333' };
const GOOD: Credentials = { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey };
const WRONG_SECRET: Credentials = { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret' };
const MB = 1024 * 1024;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

interface Refusal {
  name: string;
  $metadata: { httpStatusCode?: number };
}
const refusal = (p: Promise<unknown>): Promise<Refusal> =>
  p.then(
    () => assert.fail('expected the request to be refused'),
    (e: Refusal) => e,
  );

describe('S3 with --credentials: every client signs, the server verifies', () => {
  let t: TestPlatform;
  let dir: string;
  const clients: S3Client[] = [];
  const s3 = (credentials: Credentials) => {
    const c = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'selfless-s3sig-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify([KEY]));
    t = await startTestPlatform({ credentials: join(dir, 'credentials.json') });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SDK v3: bucket and object operations pass with the right keys, and a wrong secret gets SignatureDoesNotMatch', async () => {
    const good = s3(GOOD);
    await good.send(new CreateBucketCommand({ Bucket: 'signed' }));
    await good.send(new PutObjectCommand({ Bucket: 'signed', Key: 'dir/small.txt', Body: 'hello' }));
    // A stream goes out aws-chunked, its checksum in a trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
    await good.send(new PutObjectCommand({ Bucket: 'signed', Key: 'streamed', Body: Readable.from([Buffer.from('str'), Buffer.from('eamed')]), ContentLength: 8 }));
    assert.equal(await (await good.send(new GetObjectCommand({ Bucket: 'signed', Key: 'streamed' }))).Body?.transformToString(), 'streamed');
    await good.send(new DeleteObjectCommand({ Bucket: 'signed', Key: 'streamed' }));
    const big = Buffer.alloc(6 * MB, 3);
    await new Upload({ client: good, params: { Bucket: 'signed', Key: 'big.bin', Body: big }, partSize: 5 * MB }).done();
    assert.equal(await (await good.send(new GetObjectCommand({ Bucket: 'signed', Key: 'dir/small.txt' }))).Body?.transformToString(), 'hello');
    const back = await (await good.send(new GetObjectCommand({ Bucket: 'signed', Key: 'big.bin' }))).Body!.transformToByteArray();
    assert.ok(Buffer.from(back).equals(big), 'the multipart upload reads back whole');
    const listed = await good.send(new ListObjectsV2Command({ Bucket: 'signed' }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['big.bin', 'dir/small.txt']);
    await good.send(new DeleteObjectCommand({ Bucket: 'signed', Key: 'big.bin' }));

    const wrong = s3(WRONG_SECRET);
    for (const attempt of [
      () => wrong.send(new CreateBucketCommand({ Bucket: 'not-made' })),
      () => wrong.send(new PutObjectCommand({ Bucket: 'signed', Key: 'nope', Body: 'x' })),
      () => wrong.send(new GetObjectCommand({ Bucket: 'signed', Key: 'dir/small.txt' })),
      () => wrong.send(new ListObjectsV2Command({ Bucket: 'signed' })),
    ]) {
      const e = await refusal(attempt());
      assert.deepEqual([e.name, e.$metadata.httpStatusCode], ['SignatureDoesNotMatch', 403]);
    }
    const after = await good.send(new ListObjectsV2Command({ Bucket: 'signed' }));
    assert.deepEqual(after.Contents?.map((o) => o.Key), ['dir/small.txt'], 'nothing a wrong signature sent was stored');
  });

  it('presigned GET and PUT URLs pass with the right keys and are refused once tampered with', async () => {
    const good = s3(GOOD);
    await good.send(new CreateBucketCommand({ Bucket: 'presigned' }));
    const put = await getSignedUrl(good, new PutObjectCommand({ Bucket: 'presigned', Key: 'up.txt' }), { expiresIn: 300 });
    assert.equal((await fetch(put, { method: 'PUT', body: 'via url' })).status, 200);
    const get = await getSignedUrl(good, new GetObjectCommand({ Bucket: 'presigned', Key: 'up.txt' }), { expiresIn: 300 });
    const read = await fetch(get);
    assert.equal(read.status, 200);
    assert.equal(await read.text(), 'via url');

    const otherKey = await fetch(get.replace('/up.txt?', '/other.txt?'));
    assert.equal(otherKey.status, 403);
    assert.match(await otherKey.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    const longer = await fetch(get.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=600'));
    assert.equal(longer.status, 403);
    await longer.body?.cancel();
    const tamperedPut = await fetch(put.replace('/up.txt?', '/planted.txt?'), { method: 'PUT', body: 'planted' });
    assert.equal(tamperedPut.status, 403);
    await tamperedPut.body?.cancel();
    const absent = await refusal(good.send(new GetObjectCommand({ Bucket: 'presigned', Key: 'planted.txt' })));
    assert.equal(absent.name, 'NoSuchKey');
  });

  it('a streamed body that is not the one its x-amz-content-sha256 was signed for is refused, not stored', async () => {
    const good = s3(GOOD);
    await good.send(new CreateBucketCommand({ Bucket: 'hashed' }));
    const call = { method: 'PUT', path: '/hashed/obj', service: 's3', credentials: GOOD, body: 'the signed body' };
    const honest = await signedCall(t.platform.url, call);
    assert.equal(honest.status, 200, honest.body);
    const tampered = await signedCall(t.platform.url, { ...call, path: '/hashed/changed', tamperedBody: 'a changed body' });
    assert.equal(tampered.status, 400, tampered.body);
    assert.match(tampered.body, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    assert.match(tampered.body, /<ClientComputedContentSHA256>[0-9a-f]{64}<\/ClientComputedContentSHA256>/);
    const absent = await refusal(good.send(new GetObjectCommand({ Bucket: 'hashed', Key: 'changed' })));
    assert.equal(absent.name, 'NoSuchKey');
  });

  it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD: the seed and every chunk signature are verified as the body streams', async () => {
    await s3(GOOD).send(new CreateBucketCommand({ Bucket: 'chunked' }));
    const put = async (key: string, chunks: string[], tamper?: (framed: string) => string) => {
      const { hostname, port, host } = new URL(t.platform.url);
      const headers = { host, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(chunks.join('').length) };
      const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: GOOD, sha256: Sha256, uriEscapePath: false });
      const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname, port: Number(port), path: `/chunked/${key}`, query: {}, headers });
      const date = signed.headers['x-amz-date']!;
      const scope = `${date.slice(0, 8)}/us-east-1/s3/aws4_request`;
      const hmac = (k: Buffer | string, d: string) => createHmac('sha256', k).update(d).digest();
      const signingKey = hmac(hmac(hmac(hmac(`AWS4${GOOD.secretAccessKey}`, date.slice(0, 8)), 'us-east-1'), 's3'), 'aws4_request');
      let previous = /Signature=([0-9a-f]{64})/.exec(signed.headers['authorization']!)![1]!;
      let framed = '';
      for (const data of [...chunks, '']) {
        const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', date, scope, previous, sha(''), sha(data)].join('\n');
        previous = hmac(signingKey, toSign).toString('hex');
        framed += `${data.length.toString(16)};chunk-signature=${previous}\r\n${data}\r\n`;
      }
      return send(t.platform.url, 'PUT', `/chunked/${key}`, signed.headers, tamper ? tamper(framed) : framed);
    };
    const ok = await put('obj', ['hello ', 'chunked ', 'world']);
    assert.equal(ok.status, 200, ok.body);
    assert.equal(await (await s3(GOOD).send(new GetObjectCommand({ Bucket: 'chunked', Key: 'obj' }))).Body?.transformToString(), 'hello chunked world');
    const changed = await put('changed', ['hello ', 'chunked ', 'world'], (f) => f.replace('chunked ', 'CHUNKED '));
    assert.equal(changed.status, 403, changed.body);
    assert.match(changed.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    const unsigned = await put('unsigned', ['hello'], (f) => f.replace(/;chunk-signature=[0-9a-f]{64}/g, ''));
    assert.equal(unsigned.status, 403, unsigned.body);
    for (const key of ['changed', 'unsigned']) {
      const absent = await refusal(s3(GOOD).send(new GetObjectCommand({ Bucket: 'chunked', Key: key })));
      assert.equal(absent.name, 'NoSuchKey');
    }
  });

  /** A PUT whose body goes aws-chunked as `mode` frames it: chunk signatures for the signed modes, then `trailers` (signed in the -TRAILER mode). */
  const chunkedPut = async (opts: {
    bucket: string;
    key: string;
    chunks: string[];
    mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
    trailers: Record<string, string>;
    announced?: string;
    tamper?: (framed: string) => string;
    credentials?: Credentials;
  }) => {
    const { hostname, port, host } = new URL(t.platform.url);
    const headers: Record<string, string> = {
      host,
      'x-amz-content-sha256': opts.mode,
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(opts.chunks.join('').length),
      'x-amz-trailer': opts.announced ?? Object.keys(opts.trailers).join(','),
    };
    const credentials = opts.credentials ?? GOOD;
    const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials, sha256: Sha256, uriEscapePath: false });
    const signed = await signer.sign({ method: 'PUT', protocol: 'http:', hostname, port: Number(port), path: `/${opts.bucket}/${opts.key}`, query: {}, headers });
    const date = signed.headers['x-amz-date']!;
    const scope = `${date.slice(0, 8)}/us-east-1/s3/aws4_request`;
    const hmac = (k: Buffer | string, d: string) => createHmac('sha256', k).update(d).digest();
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date.slice(0, 8)), 'us-east-1'), 's3'), 'aws4_request');
    const signing = opts.mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
    let previous = /Signature=([0-9a-f]{64})/.exec(signed.headers['authorization']!)![1]!;
    let framed = '';
    for (const data of [...opts.chunks, '']) {
      if (signing) {
        previous = hmac(signingKey, ['AWS4-HMAC-SHA256-PAYLOAD', date, scope, previous, sha(''), sha(data)].join('\n')).toString('hex');
        framed += `${data.length.toString(16)};chunk-signature=${previous}\r\n`;
      } else framed += `${data.length.toString(16)}\r\n`;
      if (data !== '') framed += `${data}\r\n`;
    }
    const names = Object.keys(opts.trailers).sort();
    for (const name of names) framed += `${name}:${opts.trailers[name]}\r\n`;
    if (signing) {
      const canonical = names.map((n) => `${n}:${opts.trailers[n]}\n`).join('');
      framed += `x-amz-trailer-signature:${hmac(signingKey, ['AWS4-HMAC-SHA256-TRAILER', date, scope, previous, sha(canonical)].join('\n')).toString('hex')}\r\n`;
    }
    framed += '\r\n';
    return send(t.platform.url, 'PUT', `/${opts.bucket}/${opts.key}`, signed.headers, opts.tamper ? opts.tamper(framed) : framed);
  };
  const sha256b64 = (s: string) => createHash('sha256').update(s).digest('base64');
  const read = async (bucket: string, key: string) => {
    const got = await s3(GOOD).send(new GetObjectCommand({ Bucket: bucket, Key: key })).then(
      async (o) => o.Body!.transformToString(),
      (e: Refusal) => e.name,
    );
    return got;
  };

  it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: every chunk and the trailers are verified (x-amz-trailer-signature), the trailing checksum checked', async () => {
    await s3(GOOD).send(new CreateBucketCommand({ Bucket: 'trailed' }));
    const body = ['signed ', 'with a ', 'trailer'];
    const trailers = { 'x-amz-checksum-sha256': sha256b64(body.join('')) };
    const mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' as const;
    const ok = await chunkedPut({ bucket: 'trailed', key: 'ok', chunks: body, mode, trailers });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.headers['x-amz-checksum-sha256'], trailers['x-amz-checksum-sha256']);
    assert.equal(await read('trailed', 'ok'), 'signed with a trailer');

    // The trailer changed after signing (a checksum that would match other bytes): its signature no longer holds.
    const swapped = await chunkedPut({ bucket: 'trailed', key: 'swapped', chunks: body, mode, trailers, tamper: (f) => f.replace(trailers['x-amz-checksum-sha256'], sha256b64('other')) });
    assert.equal(swapped.status, 403, swapped.body);
    assert.match(swapped.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    const unsignedTrailer = await chunkedPut({ bucket: 'trailed', key: 'no-trailer-signature', chunks: body, mode, trailers, tamper: (f) => f.replace(/x-amz-trailer-signature:[0-9a-f]{64}\r\n/, '') });
    assert.equal(unsignedTrailer.status, 403, unsignedTrailer.body);
    const chunk = await chunkedPut({ bucket: 'trailed', key: 'chunk', chunks: body, mode, trailers, tamper: (f) => f.replace('with a ', 'WITH A ') });
    assert.equal(chunk.status, 403, chunk.body);
    // Signed as sent, but the checksum is not the bytes'.
    const wrongSum = await chunkedPut({ bucket: 'trailed', key: 'wrong-sum', chunks: body, mode, trailers: { 'x-amz-checksum-sha256': sha256b64('other') } });
    assert.equal(wrongSum.status, 400, wrongSum.body);
    assert.match(wrongSum.body, /<Code>BadDigest<\/Code>/);
    for (const key of ['swapped', 'no-trailer-signature', 'chunk', 'wrong-sum']) assert.equal(await read('trailed', key), 'NoSuchKey', key);
  });

  it('STREAMING-UNSIGNED-PAYLOAD-TRAILER: the seed signature is verified, the trailer must be the one announced and match the bytes', async () => {
    await s3(GOOD).send(new CreateBucketCommand({ Bucket: 'unsigned-trailer' }));
    const body = ['no chunk ', 'signatures'];
    const mode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' as const;
    const trailers = { 'x-amz-checksum-sha256': sha256b64(body.join('')) };
    const ok = await chunkedPut({ bucket: 'unsigned-trailer', key: 'ok', chunks: body, mode, trailers });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(await read('unsigned-trailer', 'ok'), 'no chunk signatures');
    const wrongSum = await chunkedPut({ bucket: 'unsigned-trailer', key: 'wrong-sum', chunks: body, mode, trailers: { 'x-amz-checksum-sha256': sha256b64('other') } });
    assert.equal(wrongSum.status, 400, wrongSum.body);
    assert.match(wrongSum.body, /<Code>BadDigest<\/Code>/);
    const missing = await chunkedPut({ bucket: 'unsigned-trailer', key: 'missing', chunks: body, mode, trailers: {}, announced: 'x-amz-checksum-sha256' });
    assert.equal(missing.status, 400, missing.body);
    assert.match(missing.body, /<Code>MalformedTrailerError<\/Code>/);
    const other = await chunkedPut({ bucket: 'unsigned-trailer', key: 'other', chunks: body, mode, trailers: { 'x-amz-checksum-crc32': 'AAAAAA==' }, announced: 'x-amz-checksum-sha256' });
    assert.equal(other.status, 400, other.body);
    assert.match(other.body, /<Code>MalformedTrailerError<\/Code>/);
    // No chunk is signed, but the request is: signed with a wrong secret, it is refused.
    const forged = await chunkedPut({ bucket: 'unsigned-trailer', key: 'forged', chunks: body, mode, trailers, credentials: WRONG_SECRET });
    assert.equal(forged.status, 403, forged.body);
    assert.match(forged.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    for (const key of ['wrong-sum', 'missing', 'other', 'forged']) assert.equal(await read('unsigned-trailer', key), 'NoSuchKey', key);
  });

  it("a whole body that is not the one its x-amz-content-sha256 names gets 400 XAmzContentSHA256Mismatch, and changes nothing", async () => {
    const good = s3(GOOD);
    await good.send(new CreateBucketCommand({ Bucket: 'whole' }));
    const tagging = (value: string) => `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k</Key><Value>${value}</Value></Tag></TagSet></Tagging>`;
    const call = { method: 'PUT', path: '/whole', query: { tagging: '' }, service: 's3', credentials: GOOD, body: tagging('signed') };
    const honest = await signedCall(t.platform.url, call);
    assert.equal(honest.status, 200, honest.body);
    const tampered = await signedCall(t.platform.url, { ...call, tamperedBody: tagging('changed') });
    assert.equal(tampered.status, 400, tampered.body);
    assert.match(tampered.body, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    assert.match(tampered.body, new RegExp(`<ClientComputedContentSHA256>${sha(tagging('signed'))}</ClientComputedContentSHA256>`));
    assert.match(tampered.body, new RegExp(`<S3ComputedContentSHA256>${sha(tagging('changed'))}</S3ComputedContentSHA256>`));
    assert.deepEqual((await good.send(new GetBucketTaggingCommand({ Bucket: 'whole' }))).TagSet, [{ Key: 'k', Value: 'signed' }]);
    const notAHash = await signedCall(t.platform.url, { ...call, headers: { 'x-amz-content-sha256': 'not-a-hash' } });
    assert.equal(notAHash.status, 400, notAHash.body);
    assert.match(notAHash.body, /<Code>InvalidArgument<\/Code>/);
  });

  it('virtual-hosted requests verify over the path as sent (the bucket in the Host header)', async () => {
    await s3(GOOD).send(new CreateBucketCommand({ Bucket: 'hosted' }));
    const base = t.platform.url.replace('127.0.0.1', 'hosted.localhost');
    const put = await signedCall(base, { method: 'PUT', path: '/in/host.txt', service: 's3', credentials: GOOD, body: 'virtual' });
    assert.equal(put.status, 200, put.body);
    const get = await signedCall(base, { method: 'GET', path: '/in/host.txt', service: 's3', credentials: GOOD });
    assert.deepEqual([get.status, get.body], [200, 'virtual']);
    const wrong = await signedCall(base, { method: 'GET', path: '/in/host.txt', service: 's3', credentials: WRONG_SECRET });
    assert.equal(wrong.status, 403);
    assert.match(wrong.body, /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it('boto3 and the aws CLI v1 (s3 cp, s3api put-object) pass with the right keys', async () => {
    const env = { ...clientEnv(), AWS_ACCESS_KEY_ID: GOOD.accessKeyId, AWS_SECRET_ACCESS_KEY: GOOD.secretAccessKey };
    const script = `
import boto3, sys, json
c = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1')
c.create_bucket(Bucket='boto-signed')
c.put_object(Bucket='boto-signed', Key='a b/c.txt', Body=b'from boto3')
print(json.dumps({'body': c.get_object(Bucket='boto-signed', Key='a b/c.txt')['Body'].read().decode(),
  'keys': [o['Key'] for o in c.list_objects_v2(Bucket='boto-signed')['Contents']]}))
`;
    const boto = await run('python3', ['-c', script, t.platform.url], { env });
    assert.equal(boto.code, 0, boto.stderr);
    assert.deepEqual(JSON.parse(boto.stdout), { body: 'from boto3', keys: ['a b/c.txt'] });

    const file = join(dir, 'cli.txt');
    writeFileSync(file, 'from the cli');
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', t.platform.url, ...args], { env });
    const cp = await aws('s3', 'cp', '--no-progress', file, 's3://boto-signed/cp.txt');
    assert.equal(cp.code, 0, cp.stderr);
    const put = await aws('s3api', 'put-object', '--bucket', 'boto-signed', '--key', 'api.txt', '--body', file);
    assert.equal(put.code, 0, put.stderr);
    const down = join(dir, 'down.txt');
    const get = await aws('s3', 'cp', '--no-progress', 's3://boto-signed/api.txt', down);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(readFileSync(down, 'utf8'), 'from the cli');

    const wrong = await run('aws', ['--endpoint-url', t.platform.url, 's3api', 'put-object', '--bucket', 'boto-signed', '--key', 'no.txt', '--body', file], { env: { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' } });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /SignatureDoesNotMatch/);
  });
});
