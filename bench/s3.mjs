#!/usr/bin/env node
// S3 throughput, beside s3rver 3 (an S3-compatible server from npm) started in the same run, with the
// same SDK v3 client against both (checksums only when required: s3rver stores aws-chunked bodies as sent):
// - PutObject and GetObject of 1 KB and of 1 MB objects, 16 concurrent requests, for N seconds each;
// - one multipart upload (lib-storage, 16 MB parts, 4 at a time) of 1 GB, then its download, in MB/s.
// Usage: npm run build && node bench/s3.mjs [--seconds N] [--megabytes M]   (defaults: 5 s per phase, 1024 MB)
// Installs the bench peers (s3rver among them) into bench/peers/ on first run.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { freePort, mergeResults, root, run, startChild, startSelfless, stopChild } from './lib/processes.mjs';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('--seconds', 5);
const LARGE_MB = arg('--megabytes', 1024);
const CONCURRENCY = 16;
const MB = 1024 * 1024;
const peersDir = join(root, 'bench/peers');

function client(endpoint) {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) },
  });
}

/** Requests per second with `CONCURRENCY` workers looping for the phase's length. */
async function phase(fn) {
  const until = Date.now() + SECONDS * 1000;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = 0; Date.now() < until; i++) {
        await fn(w, i);
        done++;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}

async function measure(name, endpoint) {
  const s3 = client(endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const figures = {};
  for (const [label, size] of [['1kb', 1024], ['1mb', MB]]) {
    const body = Buffer.alloc(size, 7);
    const keys = CONCURRENCY * 4;
    // Every key exists before the reads, however few writes the measured phase makes.
    for (let k = 0; k < keys; k += CONCURRENCY) {
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, j) => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `${label}/${k + j}`, Body: body }))));
    }
    figures[`put_${label}`] = await phase((w, i) => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `${label}/${(w * 131 + i) % keys}`, Body: body })));
    figures[`get_${label}`] = await phase(async (w, i) => {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `${label}/${(w * 131 + i) % keys}` }));
      await got.Body.transformToByteArray();
    });
    console.log(`${name}: PutObject ${label} ${figures[`put_${label}`].toFixed(0)}/s, GetObject ${label} ${figures[`get_${label}`].toFixed(0)}/s (c=${CONCURRENCY})`);
  }
  const large = LARGE_MB * MB;
  let sent = 0;
  const source = new Readable({
    read() {
      if (sent >= large) return void this.push(null);
      sent += MB;
      this.push(Buffer.alloc(MB, sent / MB));
    },
  });
  let t0 = Date.now();
  await new Upload({ client: s3, params: { Bucket: 'bench', Key: 'large', Body: source }, partSize: 16 * MB, queueSize: 4 }).done();
  figures.multipart_upload_mb_s = LARGE_MB / ((Date.now() - t0) / 1000);
  t0 = Date.now();
  const got = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'large' }));
  const hash = createHash('md5');
  for await (const chunk of got.Body) hash.update(chunk);
  figures.large_download_mb_s = LARGE_MB / ((Date.now() - t0) / 1000);
  console.log(`${name}: ${LARGE_MB} MB multipart upload ${figures.multipart_upload_mb_s.toFixed(0)} MB/s, download ${figures.large_download_mb_s.toFixed(0)} MB/s`);
  s3.destroy();
  return figures;
}

if (!existsSync(join(peersDir, 'node_modules/s3rver/package.json'))) {
  console.log('installing the bench peers (s3rver) into bench/peers (first run)');
  await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: peersDir });
}
const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-s3-'));
const results = {};
try {
  const selfless = await startSelfless(join(dir, 'selfless'));
  results.selfless = await measure('selfless', selfless.url);
  await stopChild(selfless);
  const port = await freePort();
  const s3rver = await startChild(
    process.execPath,
    [join(peersDir, 'node_modules/s3rver/bin/s3rver.js'), '--directory', join(dir, 's3rver'), '--port', String(port), '--address', '127.0.0.1', '--silent'],
    /(listening|S3rver)/i,
    { cwd: peersDir },
  ).catch(async () => {
    throw new Error('s3rver did not start');
  });
  results.s3rver = await measure('s3rver', `http://127.0.0.1:${port}`);
  await stopChild(s3rver);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const figures = {};
for (const [k, v] of Object.entries(results.selfless)) {
  figures[`s3_${k}`] = { selfless: Math.round(v * 10) / 10, s3rver: Math.round(results.s3rver[k] * 10) / 10, ratio: Math.round((v / results.s3rver[k]) * 100) / 100 };
}
console.table(figures);
mergeResults(figures, { s3: { seconds: SECONDS, megabytes: LARGE_MB, concurrency: CONCURRENCY, cpus: cpus().length, loadavg: loadavg() } });
process.exit(0);
