/**
 * `selfless drain DIR --name FN --queue QUEUE`: a local edit loop. Deploys DIR as FN, makes sure a
 * mapping from QUEUE to FN exists and is enabled, then redeploys on every change to DIR so that
 * the next batch runs the new code, until Ctrl-C.
 */
import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CreateEventSourceMappingCommand, ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { Command, Option } from 'commander';
import { lambdaClient, resolveClientOptions } from '../clients.js';
import { deployFunction, parseEnvPairs } from '../deploy-function.js';
import { out } from '../output.js';
import { resolveQueue, sqsClient } from './redrive.js';

interface DrainOptions {
  name: string;
  queue: string;
  runtime: string;
  handler: string;
  role: string;
  env: string[];
  batchSize?: string;
  endpoint?: string;
  region?: string;
}

const DEBOUNCE_MS = 200;

export function registerDrain(program: Command): void {
  program
    .command('drain <dir>')
    .description("deploy a folder as a function fed by a queue, and redeploy it on every change (Ctrl-C stops)")
    .requiredOption('--name <name>', 'function name')
    .requiredOption('--queue <queue>', 'queue name, URL or ARN (created if missing)')
    .option('--runtime <runtime>', 'runtime for a new function', 'nodejs20.x')
    .option('--handler <handler>', 'handler for a new function', 'index.handler')
    .option('--role <arn>', 'execution role', 'arn:aws:iam::000000000000:role/selfless')
    .option('--env <K=V...>', 'environment variable of a new function (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--batch-size <n>', 'batch size of a new mapping')
    .addOption(new Option('--endpoint <url>', 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)'))
    .addOption(new Option('--region <region>', 'region (default $SELFLESS_REGION or us-east-1)'))
    .action(async (dir: string, o: DrainOptions) => drain(dir, o));
}

async function drain(dir: string, o: DrainOptions): Promise<void> {
  const path = resolve(dir);
  if (!(await stat(path).catch(() => undefined))?.isDirectory()) throw new Error(`${dir} is not a folder`);
  const clientOptions = resolveClientOptions(o);
  const lambda = lambdaClient(clientOptions);
  const sqs = sqsClient(clientOptions);
  const queue = await resolveQueue(sqs, o.queue, true);
  sqs.destroy();
  if (queue.created) out(`created queue ${queue.name}`);
  await deploy(lambda, path, o);
  const uuid = await ensureMapping(lambda, o, queue.arn);
  out(`mapping ${uuid}: ${queue.name} -> ${o.name}`);

  // One deploy at a time; changes during a deploy cause one more.
  let timer: NodeJS.Timeout | undefined;
  let deploying: Promise<void> | undefined;
  let again = false;
  const redeploy = (): void => {
    if (deploying) {
      again = true;
      return;
    }
    deploying = deploy(lambda, path, o)
      .catch((err: unknown) => void process.stderr.write(`selfless: redeploy failed: ${(err as Error).message}\n`))
      .finally(() => {
        deploying = undefined;
        if (again) {
          again = false;
          redeploy();
        }
      });
  };
  const watcher = watch(path, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(redeploy, DEBOUNCE_MS);
  });
  out(`watching ${path} (Ctrl-C stops)`);
  await new Promise<void>((done) => {
    const stop = () => {
      watcher.close();
      clearTimeout(timer);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await deploying;
  lambda.destroy();
  out('stopped watching; the mapping stays in place');
}

/** Creates the function or updates its code, and waits until it is ready. */
async function deploy(lambda: LambdaClient, path: string, o: DrainOptions): Promise<void> {
  const env = parseEnvPairs(o.env);
  const result = await deployFunction(lambda, path, { name: o.name, runtime: o.runtime, handler: o.handler, role: o.role, ...(env ? { env } : {}) }, false);
  out(result.created ? `created ${o.name} (${result.bytes} bytes)` : `deployed ${o.name} (${result.bytes} bytes)`);
}

async function ensureMapping(lambda: LambdaClient, o: DrainOptions, queueArn: string): Promise<string> {
  const listed = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: o.name, EventSourceArn: queueArn }));
  const existing = listed.EventSourceMappings?.[0];
  if (existing) {
    if (existing.State === 'Disabled' || existing.State === 'Disabling') {
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: existing.UUID, Enabled: true }));
    }
    return existing.UUID!;
  }
  const batchSize = o.batchSize === undefined ? undefined : Number(o.batchSize);
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10)) throw new Error('--batch-size must be a whole number from 1 to 10');
  const created = await lambda.send(
    new CreateEventSourceMappingCommand({ FunctionName: o.name, EventSourceArn: queueArn, ...(batchSize !== undefined ? { BatchSize: batchSize } : {}) }),
  );
  return created.UUID!;
}

