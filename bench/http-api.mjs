#!/usr/bin/env node
// HTTP API throughput and latency (p50/p99) at c=1 and c=16, beside a bare node:http server returning
// the same body, the Invoke API and a function URL on the same function, measured in the same run: what
// API Gateway's front door (stage, route, event, result mapping) costs over a plain invoke and over the
// machine's limit.
// Usage: node bench/http-api.mjs [--duration 5]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startBare } from './lib/baselines.mjs';
import { mergeResults, startSelfless, stopChild } from './lib/processes.mjs';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const durationArg = process.argv.indexOf('--duration');
const DURATION = durationArg > 0 ? Number(process.argv[durationArg + 1]) : 5;
const BODY = '{"ok":true}';

async function load(target, connections) {
  const { url, method = 'GET' } = typeof target === 'string' ? { url: target } : target;
  const opts = { url, method, connections, duration: DURATION, pipelining: 1, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) };
  await autocannon({ ...opts, duration: 1 }); // warm-up: environments started, caches filled
  const r = await autocannon(opts);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99 };
}

const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-http-api-'));
mkdirSync(join(dir, 'fn'));
writeFileSync(join(dir, 'fn', 'index.js'), `exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(BODY)} });\n`);
spawnSync('zip', ['-q', '-j', join(dir, 'fn.zip'), join(dir, 'fn', 'index.js')]);

const bare = await startBare();
const server = await startSelfless(join(dir, 'data'));
const client = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1 };
const lambda = new LambdaClient(client);
const apigw = new ApiGatewayV2Client(client);
try {
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'web', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/b', Code: { ZipFile: readFileSync(join(dir, 'fn.zip')) } }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'web' });
  const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
  const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'bench', ProtocolType: 'HTTP', Target: 'arn:aws:lambda:us-east-1:000000000000:function:web' }));
  // Path-based addresses: the load generator connects to 127.0.0.1 as the bare server's does.
  const urlId = new URL(FunctionUrl).hostname.split('.')[0];
  // The Invoke API on the same function: what the invoke path costs without a front door.
  const targets = { bare: bare.url, Invoke: { url: `${server.url}/2015-03-31/functions/web/invocations`, method: 'POST' }, 'function URL': `${server.url}/lambda-url/${urlId}/items`, 'HTTP API': `${server.url}/_aws/execute-api/${ApiId}/items` };
  const figures = {};
  for (const c of [1, 16]) {
    for (const [name, url] of Object.entries(targets)) figures[`${name} c=${c}`] = await load(url, c);
    for (const name of ['Invoke', 'function URL', 'HTTP API']) figures[`${name} c=${c}`].ofBare = Number((figures[`${name} c=${c}`].rps / figures[`bare c=${c}`].rps).toFixed(2));
  }
  console.table(figures);
  mergeResults(Object.fromEntries(Object.entries(figures).filter(([k]) => !k.startsWith('bare')).map(([k, v]) => [`http front door: ${k}`, v])));
} finally {
  lambda.destroy();
  apigw.destroy();
  await stopChild(server);
  await stopChild(bare);
}
