// Lambda Managed Instances: the Node.js runtime serves up to AWS_LAMBDA_MAX_CONCURRENCY invocations
// at once, in AWS_LAMBDA_NODEJS_WORKER_COUNT worker threads (./concurrent-worker.ts), each with its
// share of them as concurrent async invocations. Runs inside every such environment: built-ins only.
import { join } from 'node:path';
import type { Worker as WorkerType } from 'node:worker_threads';

export interface Concurrency {
  /** Invocations the environment takes at once. */
  max: number;
  workers: number;
}

/** Set when the platform asks for more than one invocation at a time; undefined in Lambda's default mode. */
export function concurrencyOf(env: NodeJS.ProcessEnv): Concurrency | undefined {
  const max = Number(env['AWS_LAMBDA_MAX_CONCURRENCY']);
  if (!Number.isInteger(max) || max < 2) return undefined;
  const asked = Number(env['AWS_LAMBDA_NODEJS_WORKER_COUNT']);
  // Loaded here, not at start: every other environment keeps ~35 KB less.
  const workers = Number.isInteger(asked) && asked > 0 ? asked : (require('node:os') as typeof import('node:os')).availableParallelism();
  return { max, workers: Math.min(workers, max) };
}

/** The share of `max` concurrent invocations that worker `i` of `workers` takes. */
export const lanesOf = (c: Concurrency, i: number): number => Math.floor(c.max / c.workers) + (i < c.max % c.workers ? 1 : 0);

/**
 * Starts the workers. One that fails before it is ready (its init failed, and it reported so) ends
 * the environment; one that dies later is replaced, as Lambda keeps an environment going on its
 * healthy workers.
 */
export function runWorkers(c: Concurrency): void {
  // Loaded only by environments that serve several invocations at once.
  const { Worker } = require('node:worker_threads') as { Worker: typeof WorkerType };
  const file = join(__dirname, 'concurrent-worker.js');
  const start = (i: number): void => {
    let ready = false;
    const worker = new Worker(file, { workerData: { lanes: lanesOf(c, i) } });
    worker.on('message', (m: unknown) => {
      if (m === 'ready') ready = true;
    });
    worker.on('error', (error) => process.stderr.write(`selfless bootstrap: worker ${i} failed: ${error.stack ?? String(error)}\n`));
    worker.on('exit', (code) => {
      if (!ready) process.exit(code === 0 ? 1 : code);
      start(i);
    });
  };
  for (let i = 0; i < c.workers; i++) start(i);
}
