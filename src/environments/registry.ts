/**
 * One environment pool per function and configuration. A change of code or configuration, a
 * deletion or a reset retires the old pool: its environments finish what they run, then stop.
 */
import { createHash } from 'node:crypto';
import type { FunctionRecord } from '../domain/function.js';
import { findRuntime } from '../runtimes/catalog.js';
import { Errors } from '../wire/errors.js';
import { buildEnvironment } from './env-vars.js';
import { TASK_ROOT } from './sandbox/bwrap-launcher.js';
import type { Environment, EnvironmentSpec } from './environment.js';
import { EnvironmentPool, type PoolDeps } from './pool.js';

export interface PlatformIdentity {
  region: string;
  endpointUrl(): string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export class PoolRegistry {
  private readonly pools = new Map<string, EnvironmentPool>();
  private readonly retiring = new Set<EnvironmentPool>();

  constructor(
    private readonly deps: PoolDeps,
    private readonly identity: PlatformIdentity,
    private readonly codeDir: (sha256: string) => Promise<string>,
  ) {}

  pool(fn: FunctionRecord): EnvironmentPool {
    const key = fingerprint(fn);
    const current = this.pools.get(fn.name);
    if (current?.key === key) return current;
    if (current) this.retire(current);
    const pool = new EnvironmentPool(key, () => this.specFor(fn), this.deps, (p) => this.retiring.delete(p));
    this.pools.set(fn.name, pool);
    return pool;
  }

  /** Recycles every environment of a function: the next invocation starts fresh. */
  reset(name: string): number {
    const pool = this.pools.get(name);
    if (!pool) return 0;
    const n = pool.size;
    this.pools.delete(name);
    this.retire(pool);
    return n;
  }

  /** Every live environment of a function, including those of retired configurations still finishing. */
  environments(name: string): Environment[] {
    const current = this.pools.get(name);
    const retiring = [...this.retiring].filter((p) => p.environments.some((e) => e.spec.functionName === name));
    return [...(current ? [current] : []), ...retiring].flatMap((p) => p.environments);
  }

  environmentCount(name?: string): number {
    if (name !== undefined) return this.pools.get(name)?.size ?? 0;
    let n = 0;
    for (const p of this.pools.values()) n += p.size;
    for (const p of this.retiring) n += p.size;
    return n;
  }

  async stopAll(reason?: string): Promise<void> {
    const pools = [...this.pools.values(), ...this.retiring];
    this.pools.clear();
    this.retiring.clear();
    await Promise.all(pools.map((p) => p.stopAll(reason)));
  }

  private retire(pool: EnvironmentPool): void {
    this.retiring.add(pool);
    pool.retire();
  }

  private async specFor(fn: FunctionRecord): Promise<EnvironmentSpec> {
    const runtime = findRuntime(fn.config.runtime);
    const missing = runtime ? runtime.unavailable() : `runtime ${fn.config.runtime} is not available`;
    if (!runtime || missing) throw Errors.invalidRuntime(missing!);
    const codeDir = await this.codeDir(fn.code.sha256);
    const sandboxed = this.deps.launcher.sandboxed;
    const taskRoot = sandboxed ? TASK_ROOT : codeDir;
    const mounts: { host: string; target: string }[] = [];
    const expose = (host: string, target: string) => {
      mounts.push({ host, target });
      return sandboxed ? target : host;
    };
    const launch = runtime.launch({ memoryMb: fn.config.memoryMb, taskRoot, handler: fn.config.handler, expose });
    return {
      functionName: fn.name,
      version: '$LATEST',
      memoryMb: fn.config.memoryMb,
      timeoutSeconds: fn.config.timeoutSeconds,
      launchSpec: (envId, runtimeApi, logStream) => ({
        envId,
        file: launch.file,
        args: launch.args,
        codeDir,
        mounts,
        memoryMb: fn.config.memoryMb,
        tmpMb: fn.config.ephemeralStorageMb,
        env: buildEnvironment({
          functionName: fn.name,
          version: '$LATEST',
          memoryMb: fn.config.memoryMb,
          runtime: fn.config.runtime,
          handler: fn.config.handler,
          region: this.identity.region,
          taskRoot,
          runtimeDir: launch.runtimeDir,
          runtimeEnv: launch.env,
          logGroup: `/aws/lambda/${fn.name}`,
          logStream,
          runtimeApi,
          endpointUrl: this.identity.endpointUrl(),
          credentials: this.identity.credentials,
          user: fn.config.environment,
        }),
      }),
    };
  }
}

function fingerprint(fn: FunctionRecord): string {
  return createHash('sha256').update(JSON.stringify([fn.code.sha256, fn.config])).digest('hex');
}
