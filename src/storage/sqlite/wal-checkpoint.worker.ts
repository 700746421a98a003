/**
 * Runs in a worker thread (wal-checkpoints.ts starts it): copies the WAL's committed frames into the
 * database file on a connection of its own, so that the fsyncs a checkpoint makes never stall the
 * main thread. PASSIVE neither waits for nor blocks the main thread's readers and writers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file, { fileMustExist: true });
// The same durability as the main connection: a checkpoint syncs the WAL, then the database file.
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (the main connection's backstop checkpointing): the next turn catches up.
  }
};
// A timer of its own: no clock reaches into a worker thread, and nothing here depends on time's value.
const timer = setInterval(checkpoint, intervalMs);
parentPort!.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
