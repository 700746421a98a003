import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BucketRecord, ObjectRecord, PartRecord, UploadRecord } from '../../src/services/s3/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const bucket = (name: string, region = 'us-east-1'): BucketRecord => ({ name, region, createdAt: 1_000, notifications: [] });
const object = (key: string, etag = `"${key}"`, b = 'b1'): ObjectRecord => ({
  bucket: b,
  key,
  etag,
  size: 3,
  lastModified: 2_000,
  headers: { contentType: 'text/plain' },
  metadata: { m: 'v' },
  blobs: [{ id: `blob-${key}-${etag}`, size: 3 }],
  checksum: { algorithm: 'CRC32', value: 'AAAAAA==' },
});
const upload = (uploadId: string, key: string, initiated: number): UploadRecord => ({ uploadId, bucket: 'b1', key, initiated, headers: {}, metadata: {} });
const part = (uploadId: string, partNumber: number, etag: string): PartRecord => ({
  uploadId,
  partNumber,
  etag,
  size: 5,
  lastModified: 3_000,
  blob: { id: `part-${uploadId}-${partNumber}-${etag}`, size: 5 },
});

describe(`S3 metadata (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('buckets: create once, get, list by name, delete only when empty', async () => {
    const { s3 } = t().store;
    assert.equal(await s3.createBucket(bucket('zeta')), true);
    assert.equal(await s3.createBucket(bucket('b1', 'eu-west-1')), true);
    assert.equal(await s3.createBucket(bucket('b1')), false);
    assert.deepEqual(await s3.getBucket('b1'), bucket('b1', 'eu-west-1'));
    assert.equal(await s3.getBucket('none'), undefined);
    const notified: BucketRecord = { ...bucket('zeta'), notifications: [{ id: 'n', kind: 'queue', arn: 'arn:aws:sqs:us-east-1:000000000000:q', events: ['s3:ObjectCreated:*'], suffix: '.jpg' }] };
    assert.equal(await s3.updateBucket(notified), true);
    assert.deepEqual(await s3.getBucket('zeta'), notified);
    assert.equal(await s3.updateBucket(bucket('none')), false);
    assert.deepEqual((await s3.listBuckets()).map((b) => b.name), ['b1', 'zeta']);
    await s3.putObject(object('k'));
    assert.equal(await s3.deleteBucket('b1'), 'not-empty');
    await s3.deleteObject('b1', 'k');
    await s3.createUpload(upload('u1', 'k', 1));
    assert.equal(await s3.deleteBucket('b1'), 'not-empty');
    await s3.deleteUpload('u1');
    assert.equal(await s3.deleteBucket('b1'), 'deleted');
    assert.equal(await s3.deleteBucket('b1'), 'missing');
  });

  it('objects: put replaces and returns what it replaced; conditions on absence and ETag; delete returns the record', async () => {
    const { s3 } = t().store;
    await s3.createBucket(bucket('b1'));
    assert.deepEqual(await s3.putObject(object('k', '"1"'), { kind: 'absent' }), { written: true, replaced: undefined });
    assert.deepEqual(await s3.putObject(object('k', '"2"'), { kind: 'absent' }), { written: false, replaced: undefined });
    assert.deepEqual(await s3.putObject(object('k', '"2"'), { kind: 'etag', etag: '"9"' }), { written: false, replaced: undefined });
    assert.deepEqual(await s3.putObject(object('k', '"2"'), { kind: 'etag', etag: '"1"' }), { written: true, replaced: object('k', '"1"') });
    assert.deepEqual(await s3.putObject(object('k', '"3"')), { written: true, replaced: object('k', '"2"') });
    assert.deepEqual(await s3.getObject('b1', 'k'), object('k', '"3"'));
    const tagged = { ...object('k', '"3"'), tags: { t: '1' } };
    assert.deepEqual(await s3.setVersionTags('b1', 'k', 'null', { t: '1' }), tagged);
    assert.equal(await s3.setVersionTags('b1', 'absent', 'null', { t: '2' }), undefined);
    assert.deepEqual(await s3.getObject('b1', 'k'), tagged);
    assert.deepEqual((await s3.getVersion('b1', 'k', 'null'))?.object, tagged);
    assert.deepEqual(await s3.setVersionTags('b1', 'k', 'null', undefined), object('k', '"3"'));
    assert.deepEqual(await s3.getObject('b1', 'k'), object('k', '"3"'));
    await s3.putObject(object('k', '"3"'));
    assert.equal(await s3.deleteObject('b1', 'k', '"2"'), undefined);
    assert.deepEqual(await s3.deleteObject('b1', 'k', '"3"'), object('k', '"3"'));
    await s3.putObject(object('k', '"3"'));
    assert.deepEqual(await s3.deleteObject('b1', 'k'), object('k', '"3"'));
    assert.equal(await s3.deleteObject('b1', 'k'), undefined);
    assert.equal(await s3.getObject('b1', 'k'), undefined);
  });

  it('objects: listed in UTF-8 byte order by prefix, after a key, up to a limit, one bucket only', async () => {
    const { s3 } = t().store;
    const keys = ['a', 'a/b', 'a/c', 'B', 'a0', 'é', 'z', 'a/\u{1F600}'];
    for (const k of keys) await s3.putObject(object(k));
    await s3.putObject(object('a/other-bucket', '"x"', 'b2'));
    const list = async (prefix: string, after: string, limit = 100) => (await s3.listObjects('b1', prefix, after, limit)).map((o) => o.key);
    assert.deepEqual(await list('', ''), ['B', 'a', 'a/b', 'a/c', 'a/\u{1F600}', 'a0', 'z', 'é']);
    assert.deepEqual(await list('a/', ''), ['a/b', 'a/c', 'a/\u{1F600}']);
    assert.deepEqual(await list('a/', 'a/b'), ['a/c', 'a/\u{1F600}']);
    assert.deepEqual(await list('', 'a/c', 2), ['a/\u{1F600}', 'a0']);
    assert.deepEqual(await list('a/', 'a/\u{10FFFF}'), []);
    assert.deepEqual(await list('q', ''), []);
  });

  it('versions: each put adds one, a delete marker hides the key, deleting the newest brings the previous back', async () => {
    const { s3 } = t().store;
    await s3.createBucket(bucket('b1'));
    const v = (key: string, versionId: string, etag = `"${versionId}"`): ObjectRecord => ({ ...object(key, etag), versionId });
    const marker = (key: string, versionId?: string): ObjectRecord => ({
      bucket: 'b1', key, etag: '', size: 0, lastModified: 2_000, headers: {}, metadata: {}, blobs: [], deleteMarker: true, ...(versionId ? { versionId } : {}),
    });
    // An unversioned object is the `null` version; enabling versioning keeps it as an older version.
    await s3.putObject(object('k', '"n"'));
    assert.deepEqual(await s3.putObject(v('k', 'v1')), { written: true, replaced: undefined });
    assert.deepEqual(await s3.putObject(v('k', 'v2')), { written: true, replaced: undefined });
    assert.deepEqual(await s3.getObject('b1', 'k'), v('k', 'v2'));
    assert.deepEqual((await s3.getVersion('b1', 'k', 'null'))?.object, object('k', '"n"'));
    assert.equal((await s3.getVersion('b1', 'k', 'null'))?.latest, false);
    assert.equal((await s3.getVersion('b1', 'k', 'v2'))?.latest, true);
    assert.equal(await s3.getVersion('b1', 'k', 'v9'), undefined);
    // A delete marker: no current object, the marker is the newest version.
    await s3.putObject(marker('k', 'm1'));
    assert.equal(await s3.getObject('b1', 'k'), undefined);
    assert.deepEqual(await s3.getVersion('b1', 'k'), { object: marker('k', 'm1'), seq: (await s3.getVersion('b1', 'k', 'm1'))!.seq, latest: true });
    assert.deepEqual((await s3.listObjects('b1', '', '', 10)).map((o) => o.key), []);
    // Deleting the marker brings v2 back; deleting v2 (current) brings v1.
    assert.deepEqual(await s3.deleteVersion('b1', 'k', 'm1'), marker('k', 'm1'));
    assert.deepEqual(await s3.getObject('b1', 'k'), v('k', 'v2'));
    assert.deepEqual(await s3.deleteVersion('b1', 'k', 'v2'), v('k', 'v2'));
    assert.deepEqual(await s3.getObject('b1', 'k'), v('k', 'v1'));
    assert.equal(await s3.deleteVersion('b1', 'k', 'v2'), undefined);
    // A `null` write (versioning suspended) replaces the `null` version, wherever it sits, and returns it.
    assert.deepEqual(await s3.putObject(object('k', '"n2"')), { written: true, replaced: object('k', '"n"') });
    assert.deepEqual(await s3.getObject('b1', 'k'), object('k', '"n2"'));
    assert.deepEqual(await s3.putObject(marker('k')), { written: true, replaced: object('k', '"n2"') });
    assert.equal(await s3.getObject('b1', 'k'), undefined);
    // Each version keeps its own tags; the current object follows its version's.
    await s3.putObject(v('k', 'v3'));
    assert.deepEqual(await s3.setVersionTags('b1', 'k', 'v1', { t: 'old' }), { ...v('k', 'v1'), tags: { t: 'old' } });
    assert.equal((await s3.getObject('b1', 'k'))?.tags, undefined);
    assert.deepEqual(await s3.setVersionTags('b1', 'k', 'v3', { t: '1' }), { ...v('k', 'v3'), tags: { t: '1' } });
    assert.deepEqual((await s3.getVersion('b1', 'k', 'v3'))?.object.tags, { t: '1' });
    assert.deepEqual((await s3.getObject('b1', 'k'))?.tags, { t: '1' });
    assert.deepEqual((await s3.getVersion('b1', 'k', 'v1'))?.object.tags, { t: 'old' });
    assert.equal(await s3.setVersionTags('b1', 'k', 'v9', { t: '1' }), undefined);
    // A bucket holding only old versions or markers is not empty.
    await s3.deleteVersion('b1', 'k', 'v3');
    assert.equal(await s3.getObject('b1', 'k'), undefined);
    assert.equal(await s3.deleteBucket('b1'), 'not-empty');
  });

  it('versions: listed by key then newest first, after a key and a version, by prefix', async () => {
    const { s3 } = t().store;
    await s3.createBucket(bucket('b1'));
    for (const [key, id] of [['a', 'a1'], ['b/x', 'bx1'], ['a', 'a2'], ['c', 'c1'], ['b/x', 'bx2'], ['a', 'a3']] as const) await s3.putObject({ ...object(key), versionId: id });
    await s3.putObject({ ...object('a/other', '"x"', 'b2'), versionId: 'o' });
    const list = async (prefix: string, after: { key: string; seq?: number }, limit = 100) =>
      (await s3.listVersions('b1', prefix, after, limit)).map((e) => `${e.object.versionId}${e.latest ? '*' : ''}`);
    assert.deepEqual(await list('', { key: '' }), ['a3*', 'a2', 'a1', 'bx2*', 'bx1', 'c1*']);
    assert.deepEqual(await list('b/', { key: '' }), ['bx2*', 'bx1']);
    assert.deepEqual(await list('', { key: 'a' }), ['bx2*', 'bx1', 'c1*']);
    const a2 = (await s3.getVersion('b1', 'a', 'a2'))!.seq;
    assert.deepEqual(await list('', { key: 'a', seq: a2 }, 3), ['a1', 'bx2*', 'bx1']);
  });

  it('uploads and parts: parts replaced by number and listed in order; deleting an upload returns its parts', async () => {
    const { s3 } = t().store;
    await s3.createUpload(upload('u2', 'k2', 5));
    await s3.createUpload(upload('u1', 'k1', 9));
    await s3.createUpload(upload('u3', 'k1', 7));
    assert.deepEqual(await s3.getUpload('u1'), upload('u1', 'k1', 9));
    assert.equal(await s3.getUpload('none'), undefined);
    assert.deepEqual((await s3.listUploads('b1')).map((u) => u.uploadId), ['u3', 'u1', 'u2']);
    assert.equal(await s3.putPart(part('u1', 2, '"a"')), undefined);
    assert.equal(await s3.putPart(part('u1', 1, '"b"')), undefined);
    assert.deepEqual(await s3.putPart(part('u1', 2, '"c"')), part('u1', 2, '"a"'));
    await s3.putPart(part('u2', 1, '"d"'));
    assert.deepEqual(await s3.listParts('u1'), [part('u1', 1, '"b"'), part('u1', 2, '"c"')]);
    assert.deepEqual(await s3.deleteUpload('u1'), [part('u1', 1, '"b"'), part('u1', 2, '"c"')]);
    assert.equal(await s3.deleteUpload('u1'), undefined);
    assert.deepEqual(await s3.listParts('u1'), []);
    assert.deepEqual(await s3.listParts('u2'), [part('u2', 1, '"d"')]);
  });
});
