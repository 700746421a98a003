import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { Digester, runningChecksum } from '../../src/services/s3/checksums.js';
import { AwsChunkedDecoder } from '../../src/wire/protocols/aws-chunked.js';

const check = '123456789';
const digest = (algorithm: Parameters<typeof runningChecksum>[0], parts: string[]) => {
  const c = runningChecksum(algorithm);
  for (const p of parts) c.update(Buffer.from(p));
  return c.digest().toString('hex');
};

async function decode(wire: string[]): Promise<{ body: string; trailers: Record<string, string> }> {
  const decoder = new AwsChunkedDecoder();
  let body = '';
  await pipeline(Readable.from(wire.map((w) => Buffer.from(w))), decoder, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) body += chunk.toString();
  });
  return { body, trailers: { ...decoder.trailers } };
}

describe("S3's body checksums and aws-chunked framing", () => {
  it('checksums match the catalogued check values of "123456789", whatever the chunking', () => {
    assert.equal(digest('CRC32', [check]), 'cbf43926');
    assert.equal(digest('CRC32C', ['1234', '56789']), 'e3069283');
    assert.equal(digest('CRC64NVME', ['12345678', '9']), 'ae8b14860a799888');
    assert.equal(digest('SHA1', [check]), 'f7c3bc1d808e04732adf679965ccc34ca7ae3441');
    assert.equal(digest('SHA256', [check]), '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225');
  });

  it('the digester passes bytes through, counting them, with their MD5', async () => {
    const d = new Digester('CRC32');
    let out = '';
    await pipeline(Readable.from([Buffer.from('1234'), Buffer.from('56789')]), d, async (s: AsyncIterable<Buffer>) => {
      for await (const c of s) out += c.toString();
    });
    assert.equal(out, check);
    assert.equal(d.size, 9);
    assert.equal(d.result().md5.toString('hex'), '25f9e794323b453885f5181f1b624d0b');
    assert.equal(d.result().checksum, Buffer.from('cbf43926', 'hex').toString('base64'));
  });

  it('decodes aws-chunked bodies split anywhere, signed chunks and trailers included', async () => {
    const wire = '5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:def\r\n\r\n';
    for (const at of [1, 3, 7, 12, 20, 31, wire.length - 2]) {
      const { body, trailers } = await decode([wire.slice(0, at), wire.slice(at)]);
      assert.equal(body, 'hello world');
      assert.equal(trailers['x-amz-checksum-crc32'], 'DUoRhQ==');
    }
    assert.equal((await decode(['0;chunk-signature=x\r\n\r\n'])).body, '');
  });

  it('refuses a body cut short or framed wrongly', async () => {
    await assert.rejects(decode(['5\r\nhel']), /ended early/);
    await assert.rejects(decode(['5\r\nhelloXX0\r\n\r\n']), /missing CRLF/);
    await assert.rejects(decode(['zz\r\n']), /bad chunk size/);
  });
});
