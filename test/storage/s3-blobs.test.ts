import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { describe, it } from 'node:test';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const MB = 1024 * 1024;
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + (i >> 10)) % 251));
const read = async (r: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

describe(`S3 blobs (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('writes a stream through transforms, reads it whole and by ranges across chunk boundaries, removes it', async () => {
    const blobs = t().store.s3Blobs;
    const data = bytes(2 * MB + 12345);
    const seen = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _e, done) {
        seen.update(chunk);
        done(null, chunk);
      },
    });
    const { id, size } = await blobs.write(Readable.from([data.subarray(0, 700_000), data.subarray(700_000)]), [tap]);
    assert.equal(size, data.length);
    assert.equal(seen.digest('hex'), createHash('sha256').update(data).digest('hex'));
    assert.ok((await read(blobs.read(id))).equals(data));
    for (const [start, end] of [[0, 0], [MB - 2, MB + 1], [5, 2 * MB + 12344], [2 * MB, 2 * MB + 99]] as const) {
      assert.ok((await read(blobs.read(id, start, end))).equals(data.subarray(start, end + 1)), `range ${start}-${end}`);
    }
    const empty = await blobs.write(Readable.from([]), []);
    assert.equal(empty.size, 0);
    assert.equal((await read(blobs.read(empty.id))).length, 0);
    await blobs.remove(id);
    await blobs.remove(id); // already gone: not an error
    await assert.rejects(read(blobs.read(id)));
  });

  it('a source that fails keeps nothing', async () => {
    const blobs = t().store.s3Blobs;
    async function* failing() {
      yield bytes(MB + 10);
      throw new Error('client went away');
    }
    await assert.rejects(blobs.write(Readable.from(failing()), []), /client went away/);
  });
});
