#!/usr/bin/env node
// Kinesis throughput, beside kinesalite 3 (a Kinesis-compatible server from npm, in memory) started in
// the same run, with the same SDK v3 client against both (over HTTP/1.1 keep-alive: kinesalite has no
// HTTP/2), each on a 4-shard stream (on demand on Selfless, so neither applies per-shard write limits):
// - PutRecord of 100-byte records, 16 concurrent requests, for N seconds;
// - PutRecords of 100 such records per call, 4 concurrent requests, for N seconds (records/s);
// - GetRecords reading every shard from TRIM_HORIZON to its end, 1,000 records per call (records/s).
// Usage: npm run build && node bench/kinesis.mjs [--seconds N]   (default: 5 s per phase)
// Installs kinesalite into bench/peers-kinesis/ on first run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { freePort, mergeResults, root, run, sleep, startChild, startSelfless, stopChild } from './lib/processes.mjs';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const i = process.argv.indexOf('--seconds');
const SECONDS = i > 0 ? Number(process.argv[i + 1]) : 5;
const SHARDS = 4;
const peersDir = join(root, 'bench/peers-kinesis');
const data = Buffer.alloc(100, 7);

const client = (endpoint) =>
  new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
  });

/** Calls per second with `workers` loops for the phase's length; `fn` returns how many records it moved. */
async function phase(workers, fn) {
  const until = Date.now() + SECONDS * 1000;
  const started = Date.now();
  let records = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let n = 0; Date.now() < until; n++) {
        const moved = await fn(w, n); // not `records += await ...`: that reads records before the wait
        records += moved;
      }
    }),
  );
  return records / ((Date.now() - started) / 1000);
}

async function measure(name, endpoint, create) {
  const k = client(endpoint);
  await k.send(new CreateStreamCommand({ StreamName: 'bench', ...create }));
  let shards = [];
  for (let tries = 0; tries < 100; tries++) {
    const d = (await k.send(new DescribeStreamCommand({ StreamName: 'bench' }))).StreamDescription;
    if (d.StreamStatus === 'ACTIVE') {
      shards = d.Shards.map((s) => s.ShardId);
      break;
    }
    await sleep(100);
  }
  const figures = {};
  figures.put_record_per_s = await phase(16, async (w, n) => {
    await k.send(new PutRecordCommand({ StreamName: 'bench', PartitionKey: `k${w}-${n}`, Data: data }));
    return 1;
  });
  figures.put_records_per_s = await phase(4, async (w, n) => {
    const out = await k.send(new PutRecordsCommand({ StreamName: 'bench', Records: Array.from({ length: 100 }, (_, j) => ({ PartitionKey: `b${w}-${n}-${j}`, Data: data })) }));
    return 100 - out.FailedRecordCount;
  });
  const t0 = Date.now();
  let read = 0;
  for (const ShardId of shards) {
    let it = (await k.send(new GetShardIteratorCommand({ StreamName: 'bench', ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (;;) {
      const got = await k.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
      read += got.Records.length;
      // To the shard's end (an empty read), not MillisBehindLatest: kinesalite always answers 0.
      if (got.Records.length === 0 || !got.NextShardIterator) break;
      it = got.NextShardIterator;
    }
  }
  figures.get_records_per_s = read / ((Date.now() - t0) / 1000);
  console.log(`${name}: PutRecord ${figures.put_record_per_s.toFixed(0)}/s (c=16), PutRecords ${figures.put_records_per_s.toFixed(0)} records/s (100 per call, c=4), GetRecords ${figures.get_records_per_s.toFixed(0)} records/s (${read} read)`);
  k.destroy();
  return figures;
}

if (!existsSync(join(peersDir, 'node_modules/kinesalite/package.json'))) {
  console.log('installing kinesalite into bench/peers-kinesis (first run)');
  await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: peersDir });
}
const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-kinesis-'));
const results = {};
try {
  const selfless = await startSelfless(join(dir, 'selfless'));
  // On demand: no per-shard write limits, as kinesalite applies none (4 shards, as asked of kinesalite).
  results.selfless = await measure('selfless', selfless.url, { StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
  await stopChild(selfless);
  const port = await freePort();
  const kinesalite = await startChild(
    process.execPath,
    [join(peersDir, 'node_modules/kinesalite/cli.js'), '--port', String(port), '--createStreamMs', '0', '--shardLimit', '100'],
    /(Listening)/,
    { cwd: peersDir },
  );
  results.kinesalite = await measure('kinesalite', `http://127.0.0.1:${port}`, { ShardCount: SHARDS });
  await stopChild(kinesalite);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const figures = {};
for (const [k, v] of Object.entries(results.selfless)) {
  figures[`kinesis_${k}`] = { selfless: Math.round(v), kinesalite: Math.round(results.kinesalite[k]), ratio: Math.round((v / results.kinesalite[k]) * 100) / 100 };
}
console.table(figures);
mergeResults(figures, { kinesis: { seconds: SECONDS, shards: SHARDS, cpus: cpus().length, loadavg: loadavg() } });
process.exit(0);
