/**
 * One environment pool per function version and configuration. A change of code or configuration,
 * a deletion or a reset retires the old pool: its environments finish what they run, then stop.
 */
import { createHash } from 'node:crypto';
import { functionLogGroup, type FunctionConfig, type RunnableVersion } from '../domain/function.js';
import { groupKey } from '../services/logs/group-names.js';
import { findRuntime } from '../runtimes/catalog.js';
import type { RuntimeSpec } from '../runtimes/spec.js';
import type { ZygoteRecipe } from './zygote.js';
import { Errors } from '../wire/errors.js';
import { buildEnvironment, trustEnvironment } from './env-vars.js';
import { TASK_ROOT } from './sandbox/bwrap-launcher.js';
import { jsonLines, TEXT_LINES } from './invocation-log.js';
import type { ConnectionCheck, Environment, EnvironmentSpec, LaunchPlan } from './environment.js';
import { EnvironmentPool, type PoolDeps } from './pool.js';
import type { FunctionCredentials } from '../security/authentication.js';
import type { LaunchSpec } from './launcher.js';
import type { FileSystemMounts } from './file-systems.js';
import { isParametersAndSecretsLayer } from '../functions/provided-layers.js';
import { maskedValues } from '../telemetry/log-masking.js';
import type { ResolvedEnvironment } from '../security/dynamic-references.js';

export interface PlatformIdentity {
  region: string;
  endpointUrl(): string;
  /** The credentials one environment of a function gets: a new session of its role. */
  credentials(functionName: string, roleArn: string): Promise<FunctionCredentials>;
  /** Host folder holding the server's CA certificate (`ca.pem`) and bundle (`ca-bundle.pem`), when TLS is on. */
  trustDir?: string;
  /** The Parameters and Secrets extension's endpoint, for functions that list its layer. */
  parametersSecrets?: ProvidedExtension;
}

/** An extension the platform provides in place of a layer's binary. */
export interface ProvidedExtension {
  /** Ready to serve the function whose variables these are. */
  ensureStarted(functionEnv: Readonly<Record<string, string>>): Promise<void>;
  /** An environment is launching: the variables it gets. From now until it ends, its credentials are its identity. */
  attach(environment: ExtensionCaller): Record<string, string>;
  /** The environment's init phase is over (its first invocation is delivered). */
  invoking(envId: string, owns: ConnectionCheck | undefined): void;
  /** The environment is gone: its credentials are no longer recognised. */
  detach(envId: string): void;
}

/** An environment of a function, as an extension sees it. */
export interface ExtensionCaller {
  envId: string;
  functionName: string;
  /** The function's own variables (the extension's settings are among them), unresolved. */
  functionEnv: Readonly<Record<string, string>>;
  credentials: FunctionCredentials;
}

export class PoolRegistry {
  private readonly pools = new Map<string, EnvironmentPool>();
  private readonly retiring = new Set<EnvironmentPool>();

  constructor(
    private readonly deps: PoolDeps & { fileSystems?: FileSystemMounts },
    private readonly identity: PlatformIdentity,
    private readonly codeDir: (sha256: string) => Promise<string>,
    /** The merged folder of a function's layers (its /opt), if it has any. */
    private readonly optDir: (layerArns: string[]) => Promise<string | undefined>,
    /**
     * Resolves `{{resolve:...}}` references in the function's variables, once per environment: the process
     * sees values, the configuration keeps references, and the secret values among them are masked in its logs.
     */
    private readonly resolveReferences: (env: Readonly<Record<string, string>>) => Promise<ResolvedEnvironment> = async (env) => ({ env: { ...env }, secrets: [] }),
  ) {
    deps.gate.reclaim = () => this.reclaimIdle();
  }

  /** The pool of a version's environments; each tenant of a tenant-isolated function has its own. */
  pool(run: RunnableVersion, tenantId?: string): EnvironmentPool {
    const slot = slotOf(run.functionName, run.version, tenantId);
    const key = fingerprint(run);
    const current = this.pools.get(slot);
    if (current?.key === key) return current;
    if (current) this.retire(current);
    const pool = new EnvironmentPool(key, () => this.specFor(run), this.deps, (p) => this.retiring.delete(p));
    this.pools.set(slot, pool);
    return pool;
  }

  /**
   * Recycles the environments of one version of a function, or of all its versions: the next
   * invocation starts fresh. Returns how many environments were recycled.
   */
  reset(name: string, version?: string): number {
    let n = 0;
    for (const [slot, pool] of [...this.pools]) {
      if (version === undefined ? !slot.startsWith(`${name}:`) : slot !== slotOf(name, version) && !slot.startsWith(`${slotOf(name, version)}${TENANT_SEPARATOR}`)) continue;
      n += pool.size;
      this.pools.delete(slot);
      this.retire(pool);
    }
    return n;
  }

  /**
   * Pre-starts runtimes for a function's configuration (when deployed), so that even its first
   * invocation finds one waiting.
   */
  prestartFor(config: FunctionConfig): void {
    const runtime = findRuntime(config.runtime);
    if (!runtime || runtime.unavailable() !== undefined || !canPreStart(runtime, config.layers.length > 0 || config.fileSystems.length > 0)) return;
    this.deps.zygotes?.ensure(this.zygoteRecipe(runtime, config.memoryMb, config.ephemeralStorageMb));
  }

  /** Every live environment of a function, including those of retired configurations still finishing. */
  environments(name: string): Environment[] {
    return [...this.pools.values(), ...this.retiring].flatMap((p) => p.environments.filter((e) => e.spec.functionName === name));
  }

  environmentCount(name?: string): number {
    if (name !== undefined) return this.environments(name).length;
    let n = 0;
    for (const p of this.pools.values()) n += p.size;
    for (const p of this.retiring) n += p.size;
    return n;
  }

  /** Whether a version (not tenant-isolated) has an environment on this node that can take an invocation now. */
  hasIdle(name: string, version: string): boolean {
    return this.pools.get(slotOf(name, version))?.canTakeNow === true;
  }

  /** Whether any environment is idle: a start at the environment limit could take its place. */
  anyIdle(): boolean {
    for (const p of this.pools.values()) if (p.longestIdle() !== undefined) return true;
    return false;
  }

  /** Up to `limit` versions with an idle environment here, as `name:version` (what a fleet node publishes). */
  warmVersions(limit: number): string[] {
    const warm: string[] = [];
    for (const [slot, p] of this.pools) {
      if (warm.length >= limit) break;
      if (p.canTakeNow && !slot.includes(TENANT_SEPARATOR)) warm.push(slot);
    }
    return warm;
  }

  /** Ready provisioned environments of a version on this node. */
  readyProvisioned(name: string, version: string): number {
    return this.pools.get(slotOf(name, version))?.readyProvisioned() ?? 0;
  }

  /** Ready provisioned environments here by `name:version` (what a fleet node publishes). */
  provisionedVersions(): Record<string, number> {
    const ready: Record<string, number> = {};
    for (const [slot, p] of this.pools) {
      if (slot.includes(TENANT_SEPARATOR)) continue;
      const n = p.readyProvisioned();
      if (n > 0) ready[slot] = n;
    }
    return ready;
  }

  async stopAll(reason?: string): Promise<void> {
    const pools = [...this.pools.values(), ...this.retiring];
    this.pools.clear();
    this.retiring.clear();
    await Promise.all(pools.map((p) => p.stopAll(reason)));
  }

  /** Stops the on-demand environment idle the longest, over every function, to make room for a start. */
  private reclaimIdle(): boolean {
    let oldest: { env: Environment; since: number } | undefined;
    for (const pool of this.pools.values()) {
      const candidate = pool.longestIdle();
      if (candidate && (!oldest || candidate.since < oldest.since)) oldest = candidate;
    }
    oldest?.env.stop();
    return oldest !== undefined;
  }

  /** The server's CA files as the environment sees them (read-only at /etc/selfless/tls in a sandbox). */
  private trust(expose: (host: string, target: string) => string): { caFile: string; bundleFile: string } | undefined {
    if (this.identity.trustDir === undefined) return undefined;
    const dir = expose(this.identity.trustDir, '/etc/selfless/tls');
    return { caFile: `${dir}/ca.pem`, bundleFile: `${dir}/ca-bundle.pem` };
  }

  private retire(pool: EnvironmentPool): void {
    this.retiring.add(pool);
    pool.retire();
  }

  /**
   * A generic runtime of the given kind, started before any function is known: the runtime's own
   * variables only, an empty code slot at /var/task, and the function's variables sent later.
   */
  private zygoteRecipe(runtime: RuntimeSpec, memoryMb: number, tmpMb: number): ZygoteRecipe {
    const sandboxed = this.deps.launcher.sandboxed;
    return {
      key: `${runtime.id}:${memoryMb}:${tmpMb}`,
      launchSpec: (id, slotDir, runtimeApi) => {
        const mounts: { host: string; target: string }[] = [];
        const expose = (host: string, target: string) => {
          mounts.push({ host, target });
          return sandboxed ? target : host;
        };
        const launch = runtime.launch({ memoryMb, taskRoot: sandboxed ? TASK_ROOT : slotDir, handler: '', expose, opt: '/opt' });
        const trust = this.trust(expose);
        return {
          envId: id,
          file: launch.file,
          args: launch.args,
          codeDir: slotDir,
          mounts,
          memoryMb,
          tmpMb,
          runtimeToken: launch.sendsRuntimeToken === true,
          env: {
            ...launch.env,
            ...(trust ? trustEnvironment(trust) : {}),
            PATH: '/usr/local/bin:/usr/bin:/bin',
            TZ: ':UTC',
            LANG: 'en_US.UTF-8',
            AWS_LAMBDA_RUNTIME_API: runtimeApi,
            SELFLESS_ZYGOTE: '1',
          },
        };
      },
    };
  }

  private async specFor(run: RunnableVersion): Promise<EnvironmentSpec> {
    const fn = { name: run.functionName, config: run.config, code: run.code };
    const runtime = findRuntime(fn.config.runtime);
    const missing = runtime ? runtime.unavailable() : `runtime ${fn.config.runtime} is not available`;
    if (!runtime || missing) throw Errors.invalidRuntime(missing!);
    const codeDir = await this.codeDir(fn.code.sha256);
    const sandboxed = this.deps.launcher.sandboxed;
    const taskRoot = sandboxed ? TASK_ROOT : codeDir;
    const mounts: LaunchSpec['mounts'] = [];
    const expose = (host: string, target: string) => {
      mounts.push({ host, target });
      return sandboxed ? target : host;
    };
    mounts.push(...(this.deps.fileSystems?.mountsFor(fn.config.fileSystems) ?? []));
    const layersDir = await this.optDir(fn.config.layers.map((l) => l.arn));
    const opt = layersDir ? expose(layersDir, '/opt') : '/opt';
    const launch = runtime.launch({ memoryMb: fn.config.memoryMb, taskRoot, handler: fn.config.handler, expose, opt });
    const trust = this.trust(expose);
    const extension = fn.config.layers.some((l) => isParametersAndSecretsLayer(l.arn)) ? this.identity.parametersSecrets : undefined;
    await extension?.ensureStarted(fn.config.environment);
    const logGroup = functionLogGroup(fn.name, fn.config.logging);
    const managed = fn.config.managedInstances;
    // Lambda Managed Instances log only in JSON, so that concurrent invocations' lines carry their request ids.
    const logging = managed ? { ...fn.config.logging, format: 'JSON' as const } : fn.config.logging;
    // Each environment resolves its references and gets its own session as it is launched: a new one
    // sees a rotated value, and its credentials are its own. A failure fails the invocation that needed it.
    const prepareLaunch = async (): Promise<LaunchPlan> => {
      const [resolved, credentials] = await Promise.all([this.resolveReferences(fn.config.environment), this.identity.credentials(fn.name, fn.config.role)]);
      return {
        mask: maskedValues(resolved.secrets),
        launchSpec: (envId, runtimeApi, logStream, provisioned) => ({
          envId,
          file: launch.file,
          args: launch.args,
          codeDir,
          mounts,
          memoryMb: fn.config.memoryMb,
          tmpMb: fn.config.ephemeralStorageMb,
          runtimeToken: launch.sendsRuntimeToken === true,
          env: {
            ...buildEnvironment({
              functionName: fn.name,
              version: run.version,
              memoryMb: fn.config.memoryMb,
              runtime: fn.config.runtime,
              handler: fn.config.handler,
              region: this.identity.region,
              taskRoot,
              runtimeDir: launch.runtimeDir,
              runtimeEnv: launch.env,
              logGroup,
              logStream,
              runtimeApi,
              initializationType: managed ? 'lambda-managed-instances' : provisioned ? 'provisioned-concurrency' : 'on-demand',
              endpointUrl: this.identity.endpointUrl(),
              credentials,
              user: resolved.env,
              logging,
              ...(trust ? { trust } : {}),
              ...(managed ? { managedInstances: { maxConcurrency: managed.perEnvironmentMaxConcurrency, vcpus: vcpusOf(fn.config.memoryMb, managed.memoryGiBPerVCpu) } } : {}),
            }),
            ...extension?.attach({ envId, functionName: fn.name, functionEnv: fn.config.environment, credentials }),
          },
        }),
        ...(extension ? { invoking: (envId, owns) => extension.invoking(envId, owns), ended: (envId) => extension.detach(envId) } : {}),
      };
    };
    return {
      ...(canPreStart(runtime, layersDir !== undefined || fn.config.fileSystems.length > 0) ? { zygote: this.zygoteRecipe(runtime, fn.config.memoryMb, fn.config.ephemeralStorageMb) } : {}),
      functionName: fn.name,
      version: run.version,
      logs: { groupKey: groupKey(logGroup), streamPrefix: fn.config.logging.group === undefined ? '' : fn.name },
      memoryMb: fn.config.memoryMb,
      timeoutSeconds: fn.config.timeoutSeconds,
      ...(managed ? { maxConcurrency: managed.perEnvironmentMaxConcurrency, vcpus: vcpusOf(fn.config.memoryMb, managed.memoryGiBPerVCpu) } : {}),
      platformLines: logging.format === 'JSON' ? jsonLines(logging.systemLevel ?? 'INFO') : TEXT_LINES,
      prepareLaunch,
    };
  }
}

/** Runtimes whose bootstrap can start before knowing its function (a custom bootstrap cannot). */
const PRE_STARTED_FAMILIES: ReadonlySet<RuntimeSpec['family']> = new Set(['nodejs', 'python']);
/** Whether a function can take over a pre-started runtime: one has no /opt and no /mnt, so not with layers or file systems. */
const canPreStart = (runtime: RuntimeSpec, hasMounts: boolean): boolean => PRE_STARTED_FAMILIES.has(runtime.family) && !hasMounts;
/** An environment's vCPUs under Lambda Managed Instances: its memory over the memory per vCPU, at least one. */
const vcpusOf = (memoryMb: number, memoryGiBPerVCpu: number): number => Math.max(1, Math.floor(memoryMb / 1024 / memoryGiBPerVCpu));
/** Not in a function name, a version or a tenant id (whose pattern excludes control characters). */
const TENANT_SEPARATOR = '\u0000';
const slotOf = (name: string, version: string, tenantId?: string) => `${name}:${version}${tenantId === undefined ? '' : `${TENANT_SEPARATOR}${tenantId}`}`;

/**
 * Records are immutable and cached upstream, so a config object seen before with the same code
 * has the same fingerprint: the invoke path does not hash on every call.
 */
const fingerprints = new WeakMap<object, Map<string, string>>();

function fingerprint(run: RunnableVersion): string {
  let byCode = fingerprints.get(run.config);
  if (!byCode) fingerprints.set(run.config, (byCode = new Map()));
  let f = byCode.get(run.code.sha256);
  if (f === undefined) {
    f = createHash('sha256').update(JSON.stringify([run.code.sha256, run.config])).digest('hex');
    byCode.set(run.code.sha256, f);
  }
  return f;
}
