// Where a phase's CPU went: named groups of processes (found again at the end, since PostgreSQL backends and
// function environments come and go), this script itself, and the whole machine (/proc/stat), so a figure can
// say whether PostgreSQL, the nodes, the client or the machine's cores bound it.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cpuMicros } from './processes.mjs';

/** Pids whose command name (/proc/<pid>/comm) is `name`, e.g. every `postgres` process. */
export function pidsNamed(name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** Local ports of the TCP connections the processes hold to `remotePort` (their sockets, matched in /proc/net/tcp). */
function portsTo(pids, remotePort) {
  const inodes = new Set();
  for (const pid of pids) {
    let fds = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {}
    }
  }
  const ports = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines = [];
    try { lines = readFileSync(file, 'utf8').split('\n').slice(1); } catch { continue; }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && parseInt(f[2].split(':')[1], 16) === remotePort && inodes.has(f[9])) ports.add(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports;
}

/**
 * The PostgreSQL processes that work for `pids` (found again on each call): the backends serving their
 * connections (a backend's title names its client's port) and the server's own background processes (WAL
 * writer, checkpointer...), which they share with any other user of the server. Backends of other clients
 * of the same server are left out.
 */
export function postgresServing(pids, port = 5432) {
  const ports = portsTo(pids, port);
  return pidsNamed('postgres').filter((pid) => {
    let title = '';
    try { title = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { return false; }
    const client = /\((\d+)\)/.exec(title);
    return client ? ports.has(Number(client[1])) : true;
  });
}

/** Busy and total CPU time of the machine so far, in µs (all cores; idle and iowait are not busy). */
function machineMicros() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: ((total - ticks[3] - ticks[4]) * 1e6) / 100, total: (total * 1e6) / 100 };
}

const perPid = (pids) => new Map(pids.map((p) => [p, cpuMicros([p])]));

/**
 * Starts watching `groups` ({ name: () => pids }); `stop(units)` gives each group's CPU µs per unit of work
 * (a message, an invoke), this script's as `client`, and how many of the machine's cores were busy.
 */
export function watchCpu(groups) {
  const start = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, perPid(pids())]));
  const client0 = process.cpuUsage();
  const machine0 = machineMicros();
  return (units) => {
    const out = {};
    for (const [name, pids] of Object.entries(groups)) {
      let used = 0;
      for (const [pid, us] of perPid(pids())) used += us - (start[name].get(pid) ?? 0);
      out[name] = Math.round(used / units);
    }
    const c = process.cpuUsage(client0);
    out.client = Math.round((c.user + c.system) / units);
    const m = machineMicros();
    const dt = m.total - machine0.total;
    out.machineBusyCores = dt > 0 ? +(((m.busy - machine0.busy) / dt) * cpuCount()).toFixed(2) : 0;
    return out;
  };
}

const cpuCount = () => readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
