/**
 * Pre-started runtimes ("zygotes", as in SOCK/OpenLambda): a runtime process already running in
 * its sandbox with an empty /var/task, waiting to be told which function it is. A cold start then
 * costs linking the code into its slot and loading the handler, not starting a process.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { linkTree } from '../code/link-tree.js';
import { newHexId } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { answers, type ApiAnswer } from '../runtime-api/rendering.js';
import type { RuntimeApiHandler } from '../runtime-api/routes.js';
import { connectionBelongsTo } from '../runtime-api/peer-check.js';
import { RUNTIME_TOKEN_ENV } from '../runtime-api/runtime-token.js';
import { startRuntimeApi, type RuntimeApiEndpoint } from '../runtime-api/server.js';
import type { LaunchedProcess, LaunchSpec, ProcessLauncher } from './launcher.js';
import { splitLines } from './line-splitter.js';
import type { StartGate } from './start-gate.js';

export interface ZygoteRecipe {
  /** Zygotes are interchangeable within a key: same runtime, memory and /tmp size. */
  key: string;
  /** The process to pre-start, given its id, empty code slot (host path) and Runtime API address. */
  launchSpec(id: string, slotDir: string, runtimeApi: string): LaunchSpec;
}

export interface ZygoteDeps {
  launcher: ProcessLauncher;
  logger: Logger;
  runtimeApiHost: string;
  slotsDir: string;
  freeze: boolean;
  admitPeers: boolean;
  /** Pre-starting waits behind the environments that invocations wait for. */
  gate: StartGate;
}

export class Zygote implements RuntimeApiHandler {
  readonly id = newHexId();
  process!: LaunchedProcess;
  api!: RuntimeApiEndpoint;
  readonly slotDir: string;
  /** Where output goes: the server's debug log until an environment takes the process over. */
  output: (line: string) => void;
  private waiting: ((headers: string, body: Buffer) => boolean) | undefined;
  private resolveReady!: (ok: boolean) => void;
  /** True once the runtime waits for its assignment; false if it died first. */
  readonly ready = new Promise<boolean>((resolve) => (this.resolveReady = resolve));
  adopted = false;

  private constructor(private readonly deps: ZygoteDeps) {
    this.slotDir = join(deps.slotsDir, this.id);
    this.output = (line) => deps.logger.debug('zygote output', { zygote: this.id, line });
  }

  static async start(recipe: ZygoteRecipe, deps: ZygoteDeps): Promise<Zygote> {
    const z = new Zygote(deps);
    await mkdir(z.slotDir, { recursive: true });
    // A connection may come before the launcher has told the pid (the process starts meanwhile): it waits for it.
    let launching: Promise<LaunchedProcess> | undefined;
    const belongs = (c: number, s: number) => (launching ? launching.then((p) => connectionBelongsTo(p.pid, c, s), () => false) : Promise.resolve(false));
    z.api = await startRuntimeApi(deps.runtimeApiHost, z, deps.admitPeers ? belongs : undefined);
    try {
      const spec = recipe.launchSpec(z.id, z.slotDir, z.api.address);
      launching = deps.launcher.launch(spec.runtimeToken ? { ...spec, env: { ...spec.env, [RUNTIME_TOKEN_ENV]: z.api.token } } : spec);
      z.process = await launching;
    } catch (err) {
      z.api.close();
      void rm(z.slotDir, { recursive: true, force: true });
      throw err;
    }
    splitLines(z.process.stdout, (l) => z.output(l));
    splitLines(z.process.stderr, (l) => z.output(l));
    void z.process.exited.then(() => {
      z.resolveReady(false);
      if (!z.adopted) z.api.close();
      void rm(z.slotDir, { recursive: true, force: true });
    });
    return z;
  }

  assignment(deliver: (headers: string, body: Buffer) => boolean): ApiAnswer | undefined {
    this.waiting = deliver;
    if (this.deps.freeze) this.process.freeze();
    this.resolveReady(true);
    return undefined;
  }

  /** Links the function's code into the slot, sets its memory limit and sends its environment. */
  async assign(codeDir: string, env: Record<string, string>, memoryBytes: number): Promise<boolean> {
    const send = this.waiting;
    if (!send) return false;
    this.waiting = undefined;
    this.adopted = true;
    await linkTree(codeDir, this.slotDir);
    this.process.setMemoryLimit(memoryBytes);
    if (this.deps.freeze) this.process.thaw();
    return send('Content-Type: application/json\r\n', Buffer.from(JSON.stringify({ env })));
  }

  stop(): void {
    this.process.kill();
    if (!this.adopted) this.api.close();
  }

  // A zygote is not a function's environment yet: every Lambda route is refused.
  next(): ApiAnswer {
    return answers.invalidStateTransition('This runtime has not been assigned a function yet');
  }
  response(): ApiAnswer {
    return answers.invalidStateTransition('This runtime has not been assigned a function yet');
  }
  error(): ApiAnswer {
    return answers.invalidStateTransition('This runtime has not been assigned a function yet');
  }
  initError(): ApiAnswer {
    return answers.invalidStateTransition('This runtime has not been assigned a function yet');
  }
  responseStream(): ApiAnswer {
    return answers.invalidStateTransition('This runtime has not been assigned a function yet');
  }
  responseStreamEnd(): ApiAnswer {
    return answers.invalidStateTransition('This runtime has not been assigned a function yet');
  }
}

/** Keeps a few zygotes ready per key, started in the background after each one is taken. */
export class ZygotePool {
  private readonly ready = new Map<string, Zygote[]>();
  private readonly starting = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly deps: ZygoteDeps,
    private readonly perKey: number,
  ) {}

  /** Pre-started runtimes waiting for an assignment, over every key. */
  get readyCount(): number {
    let n = 0;
    for (const list of this.ready.values()) n += list.length;
    return n;
  }

  /** A zygote waiting for its assignment, if one is ready; starts replacements either way. */
  take(recipe: ZygoteRecipe): Zygote | undefined {
    const list = this.ready.get(recipe.key) ?? [];
    const z = list.shift();
    this.replenish(recipe);
    return z;
  }

  /** Starts zygotes of this kind now, up to the number kept, so the next cold start finds one. */
  ensure(recipe: ZygoteRecipe): void {
    this.replenish(recipe);
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    const all = [...this.ready.values()].flat();
    this.ready.clear();
    for (const z of all) z.stop();
    await Promise.all(all.map((z) => z.process.exited));
  }

  /** Starts one under a start permit, held until the runtime waits for its assignment (or died). */
  private async startOne(recipe: ZygoteRecipe): Promise<Zygote | undefined> {
    const permit = await this.deps.gate.acquire('background').granted;
    if (this.stopped) {
      permit.ended();
      return undefined;
    }
    try {
      const z = await Zygote.start(recipe, this.deps);
      // Once waiting, a pre-started runtime is cheap and few: it no longer counts against the gate.
      void z.ready.then(() => permit.ended());
      return z;
    } catch (err) {
      permit.ended();
      throw err;
    }
  }

  private replenish(recipe: ZygoteRecipe): void {
    if (this.perKey === 0 || this.stopped) return;
    const have = (this.ready.get(recipe.key)?.length ?? 0) + (this.starting.get(recipe.key) ?? 0);
    for (let i = have; i < this.perKey; i++) {
      this.starting.set(recipe.key, (this.starting.get(recipe.key) ?? 0) + 1);
      void this.startOne(recipe)
        .then(async (z) => {
          if (z && (await z.ready)) {
            if (this.stopped) return z.stop();
            const list = this.ready.get(recipe.key) ?? [];
            list.push(z);
            this.ready.set(recipe.key, list);
            void z.process.exited.then(() => this.ready.set(recipe.key, (this.ready.get(recipe.key) ?? []).filter((x) => x !== z)));
          }
        })
        .catch((err: unknown) => this.deps.logger.warn('could not pre-start a runtime', { error: (err as Error).message }))
        .finally(() => this.starting.set(recipe.key, (this.starting.get(recipe.key) ?? 1) - 1));
    }
  }
}
