import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { boundaryOf, readForm } from '../../src/services/s3/form-data.js';
import { checkPolicy, parsePolicy } from '../../src/services/s3/post-policy.js';

const B = 'XyZ--boundary';
const body = (fields: Record<string, string>, file: Buffer, trailing = '') =>
  Buffer.concat([
    Buffer.from(Object.entries(fields).map(([k, v]) => `--${B}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')),
    Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="file"; filename="a b.txt"\r\nContent-Type: text/plain\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${B}\r\n${trailing}Content-Disposition: form-data; name="after"\r\n\r\nignored\r\n--${B}--\r\n`),
  ]);

/** The body in pieces of `size` bytes, so that every delimiter is split somewhere. */
const pieces = (b: Buffer, size: number) => Readable.from((function* () {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
})());

describe('S3 POST form bodies', () => {
  it('reads the boundary from the content type, quoted or not', () => {
    assert.equal(boundaryOf(`multipart/form-data; boundary=${B}`), B);
    assert.equal(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"'), 'a b');
    assert.equal(boundaryOf('application/x-www-form-urlencoded'), undefined);
  });

  it('fields before the file, the file byte for byte, whatever the read sizes; fields after it dropped', async () => {
    // File bytes that look like the start of a delimiter must come through as they are.
    const file = Buffer.concat([Buffer.from(`\r\n--${B.slice(0, 5)}`), Buffer.alloc(3000, 7), Buffer.from('\r\n-')]);
    for (const size of [1, 2, 7, 64, 4096, 1 << 20]) {
      const form = await readForm(pieces(body({ key: 'k/${filename}', Policy: 'p' }, file), size), B);
      assert.deepEqual([...form.fields], [['key', 'k/${filename}'], ['policy', 'p']], `read size ${size}`);
      assert.deepEqual([form.file.filename, form.file.contentType], ['a b.txt', 'text/plain']);
      assert.ok((await buffer(form.file.body)).equals(file), `read size ${size}`);
    }
  });

  it('a body cut off in the file fails its stream; one without a file is refused', async () => {
    const whole = body({ key: 'k' }, Buffer.alloc(100, 1));
    const fileStart = whole.indexOf('text/plain\r\n\r\n') + 'text/plain\r\n\r\n'.length;
    const form = await readForm(pieces(whole.subarray(0, fileStart + 50), 10), B);
    await assert.rejects(buffer(form.file.body), { name: 'IncompleteBody' });
    const noFile = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n--${B}--\r\n`);
    await assert.rejects(readForm(pieces(noFile, 5), B), { name: 'InvalidArgument' });
  });

  it('policies: conditions in both forms, extra fields and expiry refused with S3 messages', () => {
    const doc = (conditions: unknown[], expiration = '2030-01-01T00:00:00Z') => Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
    const policy = parsePolicy(doc([{ bucket: 'b' }, ['starts-with', '$key', 'u/'], ['eq', '$Content-Type', 'image/png'], ['content-length-range', 0, 10]]));
    const fields = new Map([['bucket', 'b'], ['key', 'u/x'], ['content-type', 'image/png'], ['policy', 'p'], ['x-amz-signature', 's']]);
    checkPolicy(policy, fields, Date.parse('2029-01-01'));
    assert.throws(() => checkPolicy(policy, new Map(fields).set('key', 'v/x'), 0), { name: 'AccessDenied', message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "u/"]' });
    assert.throws(() => checkPolicy(policy, new Map(fields).set('acl', 'public-read'), 0), { message: 'Invalid according to Policy: Extra input fields: acl' });
    assert.throws(() => checkPolicy(policy, fields, Date.parse('2031-01-01')), { message: 'Invalid according to Policy: Policy expired.' });
    assert.throws(() => parsePolicy('not json'), { name: 'InvalidPolicyDocument' });
  });
});
