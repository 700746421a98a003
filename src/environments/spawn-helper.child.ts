/**
 * Runs in the spawn helper, a small process of its own (see ./spawner.ts): it starts environments'
 * processes on the server's request. fork() copies the page tables of the process that calls it, so
 * a spawn from this process costs about a millisecond where one from the server (hundreds of MiB)
 * costs several, blocking its event loop. Each process's output goes to a connection to the server
 * opened for it, whose first line names the request; its pid and exit come back over IPC.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';

interface SpawnRequest {
  id: number;
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

const outputSocket = process.env['SELFLESS_SPAWN_SOCKET'];
if (!outputSocket || !process.send) process.exit(2);
const send = (message: unknown) => process.send!(message);
/** The process groups it started, or was told of, that have not exited (each environment's process is a group of its own). */
const live = new Set<number>();

/** Groups the server spawned itself (while no helper was ready), to kill with the others if it dies. */
type Watch = { type: 'watch'; pids: number[] } | { type: 'unwatch'; pid: number };
const isPid = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;

process.on('message', (m: SpawnRequest | Watch) => {
  if ('type' in m) {
    if (m.type === 'watch' && Array.isArray(m.pids)) m.pids.filter(isPid).forEach((pid) => live.add(pid));
    else if (m.type === 'unwatch' && isPid(m.pid)) live.delete(m.pid);
    return;
  }
  const out = connect(outputSocket);
  out.once('error', (err) => send({ type: 'error', id: m.id, message: `output connection: ${err.message}` }));
  out.once('connect', () => {
    // The header goes out before the process exists, so none of its output can come first.
    out.write(`${m.id}\n`, () => {
      const child = spawn(m.file, m.args, { env: m.env, cwd: m.cwd, detached: true, stdio: ['ignore', out, out] });
      out.destroy();
      child.once('error', (err) => send({ type: 'error', id: m.id, message: err.message }));
      if (child.pid === undefined) return;
      const pid = child.pid;
      live.add(pid);
      send({ type: 'spawned', id: m.id, pid });
      child.once('exit', (code, signal) => {
        live.delete(pid);
        send({ type: 'exit', id: m.id, code, signal });
      });
    });
  });
});
// The server is gone: so is this helper, and so are the environments it started. Sandboxes go by
// bwrap's --die-with-parent; plain processes are killed here, frozen ones too (SIGKILL ends a stopped
// process), else a frozen environment of a crashed server would wait forever.
process.on('disconnect', () => {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(0);
});
