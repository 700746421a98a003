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

process.on('message', (m: SpawnRequest) => {
  const out = connect(outputSocket);
  out.once('error', (err) => send({ type: 'error', id: m.id, message: `output connection: ${err.message}` }));
  out.once('connect', () => {
    // The header goes out before the process exists, so none of its output can come first.
    out.write(`${m.id}\n`, () => {
      const child = spawn(m.file, m.args, { env: m.env, cwd: m.cwd, detached: true, stdio: ['ignore', out, out] });
      out.destroy();
      child.once('error', (err) => send({ type: 'error', id: m.id, message: err.message }));
      if (child.pid === undefined) return;
      send({ type: 'spawned', id: m.id, pid: child.pid });
      child.once('exit', (code, signal) => send({ type: 'exit', id: m.id, code, signal }));
    });
  });
});
// The server is gone: so is this helper (and, through bwrap's --die-with-parent, the sandboxes it started).
process.on('disconnect', () => process.exit(0));
