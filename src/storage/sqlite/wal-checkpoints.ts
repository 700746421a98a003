/**
 * The WAL's checkpoints on a worker thread. SQLite's automatic checkpoint runs inside the commit
 * that crosses its threshold, on the thread that commits: with the server's one connection, the
 * main thread, which then waits for two fsyncs (tens of ms on a busy disk) while every request
 * waits for it. Once the worker runs, the main connection keeps a far higher threshold, so the WAL
 * stays bounded even if the worker falls behind or is gone.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Pages the WAL may hold before the main connection checkpoints by itself (SQLite's default is 1,000). */
const BACKSTOP_PAGES = 10_000;
const INTERVAL_MS = 200;
/**
 * A worker costs about 100 ms of CPU to start: a store that lives less than this (a test's, a CLI
 * command's) keeps SQLite's own checkpoints and never pays it.
 */
const START_AFTER_MS = 1_000;

export interface WalCheckpoints {
  /** Stops the worker and closes its connection; the main connection's close then ends the WAL. */
  stop(): Promise<void>;
}

export function checkpointInBackground(db: Database.Database, file: string): WalCheckpoints {
  let worker: Worker | undefined;
  let exited: Promise<void> | undefined;
  // A timer of its own, not the platform's clock: it only decides when the worker starts.
  const starting = setTimeout(() => {
    worker = new Worker(new URL('./wal-checkpoint.worker.js', import.meta.url), { workerData: { file, intervalMs: INTERVAL_MS } });
    // A worker that fails leaves the backstop to checkpoint: nothing is lost, only the stalls return.
    worker.on('error', () => undefined);
    // A store left open does not keep the process alive.
    worker.unref();
    exited = once(worker, 'exit').then(() => undefined);
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  }, START_AFTER_MS);
  starting.unref();
  return {
    async stop() {
      clearTimeout(starting);
      if (!worker) return;
      // Held until it has closed its connection: the caller awaits that, with nothing else under way.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
