import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';

/** A POST form as a browser sends it: the policy's fields, then the file last. */
function form(fields: Record<string, string>, file: Buffer | string, filename = 'photo.jpg'): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('file', new Blob([file], { type: 'image/jpeg' }), filename);
  return f;
}

const errorCode = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
const errorMessage = (xml: string) =>
  /<Message>([^<]+)<\/Message>/.exec(xml)?.[1]?.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('S3 in the browser: CORS preflights and headers, POST uploads with a policy', () => {
  let t: TestPlatform;
  let s3: S3Client;

  before(async () => {
    t = await startTestPlatform();
    s3 = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'web' }));
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: 'web',
        CORSConfiguration: {
          CORSRules: [
            { AllowedOrigins: ['https://app.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 },
            { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
          ],
        },
      }),
    );
  });
  after(async () => {
    s3.destroy();
    await t.stop();
  });

  const preflight = (path: string, origin: string, method: string, headers?: string) =>
    fetch(`${t.platform.url}${path}`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': method, ...(headers ? { 'Access-Control-Request-Headers': headers } : {}) },
    });

  it('a preflight matching a rule gets its origin, methods, headers, max age and exposed headers', async () => {
    const r = await preflight('/web/photos/a.jpg', 'https://app.example.com', 'PUT', 'Content-Type, X-Amz-Meta-Owner');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(r.headers.get('access-control-allow-methods'), 'GET, PUT');
    assert.equal(r.headers.get('access-control-allow-headers'), 'content-type, x-amz-meta-owner');
    assert.equal(r.headers.get('access-control-max-age'), '600');
    assert.equal(r.headers.get('access-control-expose-headers'), 'ETag');
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    assert.match(r.headers.get('vary') ?? '', /Origin/);
    // The wildcard rule: any origin may GET, and is answered `*`.
    const any = await preflight('/web/photos/a.jpg', 'https://elsewhere.test', 'GET');
    assert.equal(any.status, 200);
    assert.equal(any.headers.get('access-control-allow-origin'), '*');
  });

  it('a preflight no rule allows gets 403 with S3 CORSResponse body; a bucket without CORS says so', async () => {
    for (const [origin, method, headers] of [
      ['https://elsewhere.test', 'PUT', undefined],
      ['https://app.example.com', 'DELETE', undefined],
      ['https://app.example.com', 'PUT', 'authorization-x'],
    ] as const) {
      const r = await preflight('/web/k', origin, method, headers);
      assert.equal(r.status, 403, `${origin} ${method}`);
      assert.equal(r.headers.get('access-control-allow-origin'), null);
      const body = await r.text();
      assert.equal(errorCode(body), 'AccessForbidden');
      assert.match(errorMessage(body) ?? '', /^CORSResponse: This CORS request is not allowed/);
      assert.match(body, new RegExp(`<Method>${method}</Method>`));
      assert.match(body, /<ResourceType>OBJECT<\/ResourceType>/);
    }
    await s3.send(new CreateBucketCommand({ Bucket: 'no-cors' }));
    const none = await preflight('/no-cors/k', 'https://app.example.com', 'GET');
    assert.equal(none.status, 403);
    assert.equal(errorMessage(await none.text()), 'CORSResponse: CORS is not enabled for this bucket.');
  });

  it('actual responses to requests with an Origin carry the matching rule headers (SDK-presigned GET from a page)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'web', Key: 'pub.txt', Body: 'hello' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'web', Key: 'pub.txt' }), { expiresIn: 60 });
    const r = await fetch(url, { headers: { Origin: 'https://app.example.com' } });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'hello');
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(r.headers.get('access-control-expose-headers'), 'ETag');
    // The page's preflight goes to the presigned URL itself, its signature in the query.
    const pre = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET' } });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const other = await fetch(url, { headers: { Origin: 'https://nobody.test' } });
    assert.equal(other.headers.get('access-control-allow-origin'), '*');
    await other.text();
    const plain = await fetch(url);
    assert.equal(plain.headers.get('access-control-allow-origin'), null);
    await plain.text();
  });

  it('@aws-sdk/s3-presigned-post: ${filename} keys, the form fields become object headers, success_action_status 201', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: 'uploads',
      Key: 'user-1/${filename}',
      Conditions: [['starts-with', '$key', 'user-1/'], ['content-length-range', 1, 1024], ['starts-with', '$Content-Type', 'image/'], { success_action_status: '201' }, ['starts-with', '$x-amz-meta-owner', '']],
      Fields: { 'Content-Type': 'image/jpeg', success_action_status: '201', 'x-amz-meta-owner': 'ana' },
      Expires: 300,
    });
    assert.ok(fields['X-Amz-Signature'] && fields['Policy']);
    const r = await fetch(url, { method: 'POST', body: form(fields, 'jpeg bytes', 'cat.jpg') });
    const body = await r.text();
    assert.equal(r.status, 201, body);
    assert.match(body, /<PostResponse><Location>[^<]+\/uploads\/user-1\/cat\.jpg<\/Location><Bucket>uploads<\/Bucket><Key>user-1\/cat\.jpg<\/Key><ETag>"[0-9a-f]{32}"<\/ETag><\/PostResponse>/);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'user-1/cat.jpg' }));
    assert.equal(await got.Body!.transformToString(), 'jpeg bytes');
    assert.equal(got.ContentType, 'image/jpeg');
    assert.deepEqual(got.Metadata, { owner: 'ana' });
  });

  it('a POST of several megabytes arrives byte for byte (the file streams through, its delimiter split across reads)', async () => {
    const bytes = randomBytes(6 * 1024 * 1024 + 17);
    const { url, fields } = await createPresignedPost(s3, { Bucket: 'uploads', Key: 'big.bin', Conditions: [['content-length-range', 0, 10 * 1024 * 1024]] });
    const r = await fetch(url, { method: 'POST', body: form(fields, bytes, 'big.bin') });
    assert.equal(r.status, 204, await r.text());
    const got = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'big.bin' }));
    const back = Buffer.from(await got.Body!.transformToByteArray());
    assert.equal(back.length, bytes.length);
    assert.equal(createHash('sha256').update(back).digest('hex'), createHash('sha256').update(bytes).digest('hex'));
    assert.equal(got.ETag, `"${createHash('md5').update(bytes).digest('hex')}"`);
  });

  it("a form outside its policy gets S3's AccessDenied or size errors, and stores nothing", async () => {
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: 'uploads',
      Key: 'user-2/${filename}',
      Conditions: [['starts-with', '$key', 'user-2/'], ['content-length-range', 2, 8]],
      Expires: 300,
    });
    const post = async (f: Record<string, string>, file: string) => {
      const r = await fetch(url, { method: 'POST', body: form(f, file, 'x.bin') });
      return { status: r.status, body: await r.text() };
    };
    const wrongKey = await post({ ...fields, key: 'user-3/x.bin' }, 'abc');
    assert.equal(wrongKey.status, 403);
    assert.equal(errorCode(wrongKey.body), 'AccessDenied');
    assert.equal(errorMessage(wrongKey.body), 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user-2/"]');
    const extra = await post({ ...fields, 'x-amz-meta-sneaky': '1' }, 'abc');
    assert.equal(errorMessage(extra.body), 'Invalid according to Policy: Extra input fields: x-amz-meta-sneaky');
    const big = await post(fields, 'far too many bytes');
    assert.equal(big.status, 400);
    assert.equal(errorCode(big.body), 'EntityTooLarge');
    const small = await post(fields, 'a');
    assert.equal(errorCode(small.body), 'EntityTooSmall');
    const noKey = await post(Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'key')), 'abc');
    assert.equal(errorCode(noKey.body), 'InvalidArgument');
    const missing = await s3.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'user-2/x.bin' })).catch((e: { name: string }) => e.name);
    assert.equal(missing, 'NotFound');
    const ok = await post(fields, 'abcd');
    assert.equal(ok.status, 204);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'user-2/x.bin' }))).ContentLength, 4);
  });

  it('an expired policy is refused; success_action_redirect answers 303 to the page with bucket, key and ETag; a versioned bucket gives the version', async () => {
    const expired = await createPresignedPost(s3, { Bucket: 'uploads', Key: 'late', Expires: -10 });
    const r = await fetch(expired.url, { method: 'POST', body: form(expired.fields, 'x') });
    assert.equal(r.status, 403);
    assert.equal(errorMessage(await r.text()), 'Invalid according to Policy: Policy expired.');

    await s3.send(new PutBucketVersioningCommand({ Bucket: 'uploads', VersioningConfiguration: { Status: 'Enabled' } }));
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: 'uploads',
      Key: 'redirected',
      Conditions: [{ success_action_redirect: 'https://app.example.com/done' }],
      Fields: { success_action_redirect: 'https://app.example.com/done' },
    });
    const done = await fetch(url, { method: 'POST', body: form(fields, 'x'), redirect: 'manual' });
    assert.equal(done.status, 303);
    const to = new URL(done.headers.get('location')!);
    assert.equal(to.origin + to.pathname, 'https://app.example.com/done');
    assert.deepEqual([to.searchParams.get('bucket'), to.searchParams.get('key')], ['uploads', 'redirected']);
    assert.match(to.searchParams.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
    assert.ok(done.headers.get('x-amz-version-id'));
  });

  it("boto3's generate_presigned_post, posted with urllib", async () => {
    const script = `
import boto3, sys, json, urllib.request, uuid
c = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
p = c.generate_presigned_post('uploads', 'py/\${filename}', Conditions=[['starts-with', '$key', 'py/']], ExpiresIn=300)
boundary = uuid.uuid4().hex
parts = []
for k, v in p['fields'].items():
    parts.append(f'--{boundary}\\r\\nContent-Disposition: form-data; name="{k}"\\r\\n\\r\\n{v}\\r\\n'.encode())
parts.append(f'--{boundary}\\r\\nContent-Disposition: form-data; name="file"; filename="data.txt"\\r\\nContent-Type: text/plain\\r\\n\\r\\n'.encode() + b'from python' + f'\\r\\n--{boundary}--\\r\\n'.encode())
req = urllib.request.Request(p['url'], data=b''.join(parts), method='POST', headers={'Content-Type': f'multipart/form-data; boundary={boundary}'})
with urllib.request.urlopen(req) as r:
    status = r.status
body = c.get_object(Bucket='uploads', Key='py/data.txt')['Body'].read().decode()
print(json.dumps({'status': status, 'body': body}))
`;
    const res = await run('python3', ['-c', script, t.platform.url]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), { status: 204, body: 'from python' });
  });
});

describe('S3 POST uploads where signatures are verified', () => {
  const KEY = { accessKeyId: 'AKIASELFLESSPOST0001', secretAccessKey: 'the-post-secret', accountId: '111122223333' };
  let t: TestPlatform;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'selfless-post-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify([KEY]));
    // The bucket is made before signatures are verified: signed S3 writes through the SDK are refused
    // by the verifier today (a separate problem, see the report), and this test is about the policy.
    const open = await startTestPlatform();
    const s3 = new S3Client({ endpoint: open.platform.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'signed' }));
    s3.destroy();
    await open.stop(false);
    t = await startTestPlatform({ credentials: join(dir, 'credentials.json') }, open.dataDir);
  });
  after(async () => {
    await t.stop(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a policy signed with the right secret passes; a wrong secret or no policy is refused', async () => {
    const credentials = { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey };
    const good = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    const bad = new S3Client({ endpoint: t.platform.url, region: 'us-east-1', credentials: { ...credentials, secretAccessKey: 'wrong' }, forcePathStyle: true, maxAttempts: 1 });
    try {
      const ok = await createPresignedPost(good, { Bucket: 'signed', Key: 'a' });
      assert.equal((await fetch(ok.url, { method: 'POST', body: form(ok.fields, 'x') })).status, 204);
      assert.equal((await good.send(new HeadObjectCommand({ Bucket: 'signed', Key: 'a' }))).ContentLength, 1);
      const forged = await createPresignedPost(bad, { Bucket: 'signed', Key: 'b' });
      const r = await fetch(forged.url, { method: 'POST', body: form(forged.fields, 'x') });
      assert.equal(r.status, 403);
      assert.equal(errorCode(await r.text()), 'SignatureDoesNotMatch');
      const anonymous = await fetch(ok.url, { method: 'POST', body: form({ key: 'c' }, 'x') });
      assert.equal(anonymous.status, 403);
      assert.equal(errorCode(await anonymous.text()), 'AccessDenied');
    } finally {
      good.destroy();
      bad.destroy();
    }
  });
});
