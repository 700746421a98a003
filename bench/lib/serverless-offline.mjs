// serverless-offline (serverless 3) as a bench peer: installed into bench/peers on first run, started on free
// ports in a one-function service folder, stopped with the script.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, root, run, startChild } from './processes.mjs';

const peersDir = join(root, 'bench/peers');

/** Installs bench/peers when any of `wanted` is missing; resolves with their versions. */
export async function ensurePeers(wanted = ['serverless', 'serverless-offline']) {
  if (wanted.some((p) => !existsSync(join(peersDir, 'node_modules', p, 'package.json')))) {
    console.log(`installing ${wanted.join(', ')} into bench/peers (first run, ~45 s)`);
    await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: peersDir });
  }
  const version = (p) => JSON.parse(readFileSync(join(peersDir, 'node_modules', p, 'package.json'), 'utf8')).version;
  return Object.fromEntries(wanted.map((p) => [p, version(p)]));
}

/**
 * `serverless offline start` for a service `peers` (stage dev) with one function `fn` whose handler module is
 * `handlerSource`, under `dir`, with `events` as its serverless.yml event lines (already indented YAML).
 * Resolves with the child and the base URLs of its HTTP (API Gateway) and Lambda (invoke) listeners.
 */
export async function startServerlessOffline({ dir, handlerSource, events = [], inProcess = false }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'handler.js'), handlerSource);
  writeFileSync(join(dir, 'serverless.yml'), [
    'service: peers',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  region: us-east-1',
    '  stage: dev',
    'functions:',
    '  fn:',
    '    handler: handler.handler',
    ...(events.length > 0 ? ['    events:', ...events] : []),
    'plugins:',
    '  - serverless-offline',
    '',
  ].join('\n'));
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(peersDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const [lambdaPort, httpPort, wsPort, albPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DEPRECATION_DISABLE: '*',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const ready = events.length > 0 ? /(?<!ALB )Server ready: (http:\/\/\S+)/ : /\[http for lambda\] listening on (http:\/\/\S+)/;
  const child = await startChild(process.execPath, [
    join(peersDir, 'node_modules/serverless/bin/serverless.js'), 'offline', 'start', '--noSponsor',
    '--host', '127.0.0.1', '--lambdaPort', String(lambdaPort), '--httpPort', String(httpPort), '--websocketPort', String(wsPort), '--albPort', String(albPort),
    ...(inProcess ? ['--useInProcess'] : []),
  ], ready, { cwd: dir, env });
  return { ...child, httpUrl: `http://127.0.0.1:${httpPort}`, lambdaUrl: `http://127.0.0.1:${lambdaPort}` };
}
