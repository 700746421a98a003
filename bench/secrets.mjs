#!/usr/bin/env node
// Secret reads at 16 concurrent requests, in one run, each beside the bare Node.js HTTP server (the
// machine's limit for one HTTP exchange):
// - GetSecretValue through the SDK v3 client against Selfless (decrypted from the store on each call);
// - the Parameters and Secrets extension endpoint (what a function with the extension's layer calls),
//   with its cache warm, read with the session token a function's environment holds. The load comes
//   from this script on the host, which the endpoint serves only when environments are plain processes
//   (in a sandbox it serves each environment's own connections only): this phase runs with --sandbox none;
// - autocannon on the same endpoint, the same way as the bare server.
// Usage: npm run build && node bench/secrets.mjs [--seconds N]   (default: 5 s per phase)
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { zipDirectory } from '../dist/src/code/zip-dir.js';
import { startBare } from './lib/baselines.mjs';
import { mergeResults, root, startSelfless, stopChild } from './lib/processes.mjs';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const i = process.argv.indexOf('--seconds');
const SECONDS = i > 0 ? Number(process.argv[i + 1]) : 5;
const CONCURRENCY = 16;
const LAYER = 'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:11';

/** Requests per second with `CONCURRENCY` workers looping for the phase's length. */
async function loop(fn) {
  const until = Date.now() + SECONDS * 1000;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        await fn();
        done++;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}

const cannon = async (url, headers = {}) => {
  const opts = { url, connections: CONCURRENCY, duration: SECONDS, headers };
  await autocannon({ ...opts, duration: 1 }); // warm-up
  const r = await autocannon(opts);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return r.requests.average;
};

const dir = mkdtempSync(join(tmpdir(), 'selfless-bench-secrets-'));
const figures = {};
try {
  const bare = await startBare();
  const bareRps = await cannon(bare.url);
  await stopChild(bare);

  const selfless = await startSelfless(join(dir, 'data'), ['--sandbox', 'none']);
  const config = {
    endpoint: selfless.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) },
  };
  const secrets = new SecretsManagerClient(config);
  await secrets.send(new CreateSecretCommand({ Name: 'bench-secret', SecretString: JSON.stringify({ password: 'x'.repeat(32) }) }));
  const sdkRps = await loop(() => secrets.send(new GetSecretValueCommand({ SecretId: 'bench-secret' })));

  // A function with the extension's layer tells the bench its endpoint's port and its session token.
  const lambda = new LambdaClient(config);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'extension-reader',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/bench',
      Layers: [LAYER],
      Code: { ZipFile: await zipDirectory(join(root, 'test/fixtures/functions/env-reader')) },
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: 'extension-reader' });
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'extension-reader', Payload: JSON.stringify({ names: ['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', 'AWS_SESSION_TOKEN'] }) }));
  const env = JSON.parse(Buffer.from(out.Payload).toString()).env;
  const extensionUrl = `http://127.0.0.1:${env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT}/secretsmanager/get?secretId=bench-secret`;
  const extensionRps = await cannon(extensionUrl, { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN });

  secrets.destroy();
  lambda.destroy();
  await stopChild(selfless);
  const round = (x) => Math.round(x);
  figures.secrets_get_secret_value_sdk_c16 = { selfless: round(sdkRps), bare: round(bareRps), ratio: Math.round((sdkRps / bareRps) * 100) / 100 };
  figures.secrets_extension_cached_c16 = { selfless: round(extensionRps), bare: round(bareRps), ratio: Math.round((extensionRps / bareRps) * 100) / 100 };
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(figures);
mergeResults(figures, { secrets: { seconds: SECONDS, concurrency: CONCURRENCY, cpus: cpus().length, loadavg: loadavg() } });
process.exit(0);
