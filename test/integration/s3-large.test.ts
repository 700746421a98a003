import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CREDENTIALS } from '../helpers/platform.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const MB = 1024 * 1024;
const SIZE = 1024 * MB;
const RSS_BOUND_KB = 300 * 1024;

/** The peak resident memory of a process, from the kernel (VmHWM), in kB. */
const peakRssKb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

/** 1 GB of bytes that differ by position, made as they are read, and hashed on the way. */
function generated(hash: ReturnType<typeof createHash>): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent === SIZE) return void this.push(null);
      const chunk = Buffer.alloc(MB, sent / MB);
      chunk.writeUInt32BE(sent / MB);
      sent += MB;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}

// On the disk store only, to keep CI's time: the bound is on the server's memory, never on speed.
describe('S3: a 1 GB object through a server process whose memory stays bounded', () => {
  let server: ServerProcess;
  let dir: string;
  let s3: S3Client;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'selfless-s3-large-'));
    server = await startServerProcess(dir);
    s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
  });
  after(async () => {
    s3.destroy();
    server.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it(`uploads (multipart, lib-storage) and downloads 1 GB with the server's peak RSS under ${RSS_BOUND_KB / 1024} MB`, { timeout: 15 * 60_000 }, async (t) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'large' }));
    const sent = createHash('sha256');
    await new Upload({ client: s3, params: { Bucket: 'large', Key: 'gigabyte', Body: generated(sent) }, partSize: 16 * MB, queueSize: 4 }).done();
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'large', Key: 'gigabyte' }))).ContentLength, SIZE);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'large', Key: 'gigabyte' }));
    const received = createHash('sha256');
    let length = 0;
    for await (const chunk of got.Body as Readable) {
      received.update(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
    assert.equal(length, SIZE);
    assert.equal(received.digest('hex'), sent.digest('hex'));
    const peak = peakRssKb(server.child.pid!);
    t.diagnostic(`server peak RSS: ${Math.round(peak / 1024)} MB`);
    assert.ok(peak < RSS_BOUND_KB, `the server's peak RSS was ${Math.round(peak / 1024)} MB`);
  });
});
