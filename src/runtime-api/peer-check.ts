/**
 * Who is on the other end of a Runtime API connection. Environments share the host's network (so
 * functions reach this server), which makes every environment's Runtime API port reachable from
 * every other; so each connection is accepted only if a process of the environment's own tree owns
 * its client socket: the socket's inode (from /proc/net/tcp) must be among that tree's open files.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** The inode of the TCP socket bound to 127.0.0.1:`localPort` and connected to `remotePort`. */
async function socketInode(localPort: number, remotePort: number): Promise<string | undefined> {
  const table = await readFile('/proc/net/tcp', 'latin1');
  const local = `:${localPort.toString(16).toUpperCase().padStart(4, '0')}`;
  const remote = `:${remotePort.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of table.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[1]?.endsWith(local) && cols[2]?.endsWith(remote)) return cols[9];
  }
  return undefined;
}

async function treePids(root: number): Promise<number[]> {
  const pids: number[] = [];
  const pending = [root];
  while (pending.length > 0 && pids.length < 1024) {
    const pid = pending.pop()!;
    pids.push(pid);
    try {
      const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'latin1');
      for (const c of children.trim().split(/\s+/)) if (c) pending.push(Number(c));
    } catch {
      // gone
    }
  }
  return pids;
}

/** True when a process of the tree rooted at `rootPid` holds the client end of this connection. */
export async function connectionBelongsTo(rootPid: number, clientPort: number, serverPort: number): Promise<boolean> {
  const inode = await socketInode(clientPort, serverPort);
  if (!inode || inode === '0') return false;
  const target = `socket:[${inode}]`;
  for (const pid of await treePids(rootPid)) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if ((await readlink(`/proc/${pid}/fd/${fd}`)) === target) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
}
