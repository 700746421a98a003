/**
 * Starts environments' processes from a small helper process (./spawn-helper.child.ts) instead of
 * the server's main thread: a fork of the server copies hundreds of MiB of page tables (several ms
 * each, and more under load), a fork of the helper about a millisecond. While the helper starts, or
 * after it died, processes are spawned directly, as before; a helper that died is replaced on the
 * next spawn, and the processes it had started are killed and reported as killed, since their exits
 * can no longer be known.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** What a started process gives its launcher: as much of a ChildProcess as it uses. */
export interface SpawnedGroup {
  readonly pid: number;
  /** The process's stdout; with `mergedOutput`, its stderr too (and `stderr` ends at once). */
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves once the process has exited. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: string }>;
}

const helperFile = fileURLToPath(new URL('./spawn-helper.child.js', import.meta.url));

// Messages from the helper, checked at the boundary.
const FromHelper = z.discriminatedUnion('type', [
  z.object({ type: z.literal('spawned'), id: z.number().int(), pid: z.number().int().positive() }),
  z.object({ type: z.literal('exit'), id: z.number().int(), code: z.number().int().nullable(), signal: z.string().nullable() }),
  z.object({ type: z.literal('error'), id: z.number().int(), message: z.string() }),
]);

interface Pending {
  pid?: number;
  output?: Readable;
  resolve(g: SpawnedGroup): void;
  reject(err: Error): void;
  exited(e: { code: number | null; signal: NodeJS.Signals | null } | { error: string }): void;
  started: boolean;
  /** Exited before its output connection was seen: dropped once it is. */
  gone?: boolean;
}

export class Spawner extends EventEmitter {
  private helper: ChildProcess | undefined;
  private ready = false;
  private server: Server | undefined;
  private socketDir: string | undefined;
  private nextId = 1;
  private readonly requests = new Map<number, Pending>();
  private stopped = false;
  /** Groups spawned directly that still run: the helper is told of them, to kill them if the server dies. */
  private readonly direct = new Set<number>();

  /** Processes started through a helper, for tests and status. */
  helperSpawns = 0;

  /**
   * Starts a process in its own process group; through the helper, stdout and stderr arrive merged on
   * `stdout` (environments merge them anyway, `2>&1`). Spawns directly while no helper is ready.
   */
  async spawnGroup(file: string, args: string[], opts: { env: Record<string, string>; cwd: string }): Promise<SpawnedGroup> {
    if (!this.ready) {
      this.startHelper();
      return this.spawnDirect(file, args, opts);
    }
    try {
      return await this.throughHelper(file, args, opts);
    } catch {
      return this.spawnDirect(file, args, opts);
    }
  }

  /** A spawn from the server itself, which the helper (once there is one) kills if the server dies first. */
  private spawnDirect(file: string, args: string[], opts: { env: Record<string, string>; cwd: string }): Promise<SpawnedGroup> {
    const g = direct(file, args, opts);
    if (g.pid > 0) {
      const pid = g.pid;
      this.direct.add(pid);
      this.tellHelper({ type: 'watch', pids: [pid] });
      void g.exit.then(() => {
        this.direct.delete(pid);
        // A pid is reused once its process is gone: the helper must not kill another's group.
        this.tellHelper({ type: 'unwatch', pid });
      });
    }
    return Promise.resolve(g);
  }

  private tellHelper(message: HelperWatch): void {
    if (this.helper?.connected) this.helper.send(message, () => undefined);
  }

  private throughHelper(file: string, args: string[], opts: { env: Record<string, string>; cwd: string }): Promise<SpawnedGroup> {
    const id = this.nextId++;
    return new Promise<SpawnedGroup>((resolve, reject) => {
      let exited!: Pending['exited'];
      const exit = new Promise<Parameters<Pending['exited']>[0]>((r) => (exited = r));
      const p: Pending = {
        started: false,
        exited,
        reject,
        resolve: (g) => resolve(g),
      };
      const settle = () => {
        if (p.started || p.pid === undefined || p.output === undefined) return;
        p.started = true;
        if (p.gone) this.requests.delete(id);
        this.refChannel();
        this.helperSpawns++;
        // The exit travels over IPC, the output over its own connection: the exit waits for the output's
        // end (briefly: a descendant may hold it open), so that lines written just before it are not lost.
        const output = p.output;
        const drained = new Promise<void>((r) => output.once('close', () => r()));
        const afterOutput = exit.then((e) => Promise.race([drained, delay(OUTPUT_GRACE_MS)]).then(() => e));
        resolve({ pid: p.pid, stdout: output, stderr: Readable.from([]), exit: afterOutput });
      };
      p.resolve = () => settle();
      this.requests.set(id, p);
      this.refChannel();
      this.helper!.send({ id, file, args, env: opts.env, cwd: opts.cwd });
    });
  }

  stop(): void {
    this.stopped = true;
    this.helper?.kill('SIGKILL');
    this.server?.close();
    if (this.socketDir) rmSync(this.socketDir, { recursive: true, force: true });
  }

  /** The helper's pid while one runs. */
  get helperPid(): number | undefined {
    return this.ready ? this.helper?.pid : undefined;
  }

  private startHelper(): void {
    if (this.helper || this.stopped) return;
    if (!this.server) {
      // A folder only this server's user can enter: no function can open the socket and claim to be another's output.
      this.socketDir = mkdtempSync(join(tmpdir(), 'selfless-spawn-'));
      this.server = createServer((socket) => this.onOutput(socket));
      this.server.listen(join(this.socketDir, 'output.sock'));
      this.server.unref();
    }
    const helper = spawn(process.execPath, [helperFile], {
      env: { SELFLESS_SPAWN_SOCKET: join(this.socketDir!, 'output.sock') },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'json',
    });
    this.helper = helper;
    if (this.direct.size > 0) this.tellHelper({ type: 'watch', pids: [...this.direct] });
    helper.on('message', (m: unknown) => this.onMessage(m));
    helper.once('exit', () => this.onHelperExit(helper));
    helper.on('error', () => this.onHelperExit(helper));
    helper.once('spawn', () => {
      if (this.helper === helper && !this.stopped) this.ready = true;
    });
    // The helper keeps the server's event loop alive only while a process it started runs.
    helper.unref();
    this.refChannel();
  }

  private refChannel(): void {
    const channel = (this.helper as unknown as { channel?: { ref(): void; unref(): void } } | undefined)?.channel;
    if (this.requests.size > 0) channel?.ref();
    else channel?.unref();
  }

  private onMessage(raw: unknown): void {
    const parsed = FromHelper.safeParse(raw);
    if (!parsed.success) return;
    const m = parsed.data;
    const p = this.requests.get(m.id);
    if (!p) return;
    if (m.type === 'spawned') {
      p.pid = m.pid;
      p.resolve(undefined as never);
    } else if (m.type === 'exit') {
      if (p.started) this.requests.delete(m.id);
      else p.gone = true;
      p.exited({ code: m.code, signal: m.signal as NodeJS.Signals | null });
    } else {
      this.requests.delete(m.id);
      if (p.started) p.exited({ error: m.message });
      else p.reject(new Error(m.message));
    }
    this.refChannel();
  }

  /** A connection from the helper: its first line names the request, the rest is the process's output. */
  private onOutput(socket: Socket): void {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const nl = head.indexOf(10);
      if (nl < 0) {
        if (head.length > 32) socket.destroy();
        return;
      }
      socket.off('data', onData);
      const p = this.requests.get(Number(head.subarray(0, nl).toString('latin1')));
      if (!p || p.output) return void socket.destroy();
      const output = new PassThrough();
      if (nl + 1 < head.length) output.write(head.subarray(nl + 1));
      socket.pipe(output);
      socket.once('close', () => output.writableEnded || output.end());
      p.output = output;
      p.resolve(undefined as never);
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
  }

  private onHelperExit(helper: ChildProcess): void {
    if (this.helper !== helper) return;
    this.helper = undefined;
    this.ready = false;
    // Their exits can no longer be known: kill them, and say so.
    for (const [id, p] of this.requests) {
      this.requests.delete(id);
      if (p.pid !== undefined) killGroup(p.pid);
      if (p.started) p.exited({ code: null, signal: 'SIGKILL' });
      else p.reject(new Error('the spawn helper exited'));
    }
    this.emit('helper-exit');
  }
}

/** How long an exit waits for the rest of the process's output. */
const OUTPUT_GRACE_MS = 100;
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** What the server tells the helper of the groups it spawned itself. */
type HelperWatch = { type: 'watch'; pids: number[] } | { type: 'unwatch'; pid: number };

/** A spawn from the server itself, the fallback. */
function direct(file: string, args: string[], opts: { env: Record<string, string>; cwd: string }): SpawnedGroup {
  const child = spawn(file, args, { env: opts.env, cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: string }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => resolve({ error: err.message }));
  });
  return { pid: child.pid ?? -1, stdout: child.stdout!, stderr: child.stderr!, exit };
}
