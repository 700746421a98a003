/**
 * Lambda's functions and where they run: the launcher (sandboxed or not), the start gate, pre-started
 * runtimes, environment pools, and the function, version, alias, layer, provisioned-concurrency and
 * managed-instances (kept environments) services.
 */
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import type { AsyncSystem } from '../async/async-system.js';
import { CodeLinks } from '../code/code-links.js';
import { LATEST } from '../domain/function.js';
import { FileSystemMounts } from '../environments/file-systems.js';
import { PoolRegistry } from '../environments/registry.js';
import { selectLauncher } from '../environments/sandbox/select-launcher.js';
import { MachineIdle } from '../environments/machine-cpu.js';
import { defaultConcurrentStarts, defaultMaxEnvironments, SETTLE_WAIT_MS, StartGate } from '../environments/start-gate.js';
import { ZygotePool } from '../environments/zygote.js';
import { AliasService } from '../functions/alias-service.js';
import { CapacityProviderService } from '../functions/capacity-provider-service.js';
import { FunctionService } from '../functions/function-service.js';
import { LayerService } from '../functions/layer-service.js';
import { ManagedEnvironments } from '../functions/managed-environments.js';
import { ProvisionedConcurrencyService } from '../functions/provisioned-concurrency.js';
import { VersionService } from '../functions/version-service.js';
import { ConcurrencyLimiter } from '../invoke/concurrency.js';
import { setInterpreterOverrides } from '../runtimes/interpreter-overrides.js';
import type { Foundation } from './foundation.js';
import type { Late } from './late.js';
import type { Logs } from './logs.js';
import type { PlatformOverrides } from './overrides.js';

export type Lambda = Awaited<ReturnType<typeof createLambda>>;

export async function createLambda(f: Foundation, { functionLogs }: Logs, overrides: PlatformOverrides, asyncSystem: Late<AsyncSystem>) {
  const { config, store, clock, logger, account, code, vault, authority, functionSessions, parametersSecrets, addresses } = f;
  setInterpreterOverrides(config.runtimeInterpreters);
  const limiter = new ConcurrencyLimiter(config.concurrencyLimit);
  const { launcher: selected, cgroups, spawner } = selectLauncher(config.sandbox, join(config.dataDir, 'sandbox'), logger, config.cgroups);
  const launcher = overrides.launcher ?? selected;
  // In a sandbox, only an environment's own processes may use its Runtime API (see peer-check.ts).
  const admitPeers = launcher.sandboxed;
  // A bound set by configuration stays put; the default one follows the machine's room (start-gate.ts).
  const machine = new MachineIdle();
  const gate = new StartGate(
    config.concurrentStarts ?? defaultConcurrentStarts(availableParallelism()),
    config.maxEnvironments ?? defaultMaxEnvironments(totalmem()),
    config.concurrentStarts === undefined
      ? { ceiling: 2 * defaultConcurrentStarts(availableParallelism()), idleSinceLast: () => machine.sinceLast(), clock }
      : undefined,
    { ms: SETTLE_WAIT_MS, clock },
  );
  const zygotes = new ZygotePool(
    { launcher, logger, runtimeApiHost: '127.0.0.1', slotsDir: join(config.dataDir, 'slots'), freeze: config.freeze, admitPeers, gate },
    config.prestartedRuntimes,
  );
  const pools = new PoolRegistry(
    {
      zygotes,
      gate,
      launcher,
      freeze: config.freeze,
      admitPeers,
      clock,
      logger,
      logs: functionLogs,
      runtimeApiHost: '127.0.0.1',
      initTimeoutMs: config.initTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs,
      maxEnvironmentAgeMs: config.maxEnvironmentAgeMs,
      fileSystems: new FileSystemMounts(config.fileSystems, launcher.sandboxed),
    },
    {
      region: config.region,
      endpointUrl: () => addresses.listenUrl,
      credentials: (fn, role) => functionSessions.forEnvironment(fn, role),
      parametersSecrets,
      ...(authority ? { trustDir: authority.publicDir } : {}),
    },
    (sha) => code.unpacked(sha),
    (arns) => layers.optDir(arns),
    (env) => vault.resolveEnvironment(env),
  );
  const layers = new LayerService(store.layers, code, clock, account);
  const functions = new FunctionService(store.functions, code, clock, account, {
    functionChanged: (name, change) => {
      if (change !== 'created') pools.reset(name, change === 'latest' ? LATEST : undefined);
      // A deployed function finds a pre-started runtime waiting for its first invocation.
      if (change !== 'deleted') void functions.get(name).then((fn) => pools.prestartFor(fn.config), () => undefined);
      if (change === 'deleted') aliases.forget(name);
      if (change === 'deleted') void asyncSystem.get().configs.forget(name).catch((err: unknown) => logger.warn('could not delete event invoke configs', { function: name, error: String(err) }));
    },
    reservedConcurrencyChanged: (total) => limiter.setTotalReserved(total),
  }, store.signals);
  const versions = new VersionService(
    functions,
    store.versions,
    store.aliases,
    store.provisioned,
    clock,
    (name, version) => pools.reset(name, version),
    store.functionScaling,
    config.managedMinEnvironments,
    (name, version) => managed.applySoon(name, version),
  );
  const managed = new ManagedEnvironments(functions, versions, store.versions, pools, logger);
  const aliases = new AliasService(functions, versions, store.aliases, (name) => void provisioned.reconcile(name));
  const capacityProviders = new CapacityProviderService(store.capacityProviders, functions, store.versions, clock, account);
  const provisioned = new ProvisionedConcurrencyService(functions, versions, aliases, store.provisioned, pools, clock, logger);
  limiter.setTotalReserved(await functions.totalReserved());
  // Code.Location links, checkable on every node that holds the master key.
  const codeLinks = new CodeLinks(vault.derivedKey('code-links'), clock, () => addresses.url);
  return { limiter, launcher, cgroups, spawner, gate, zygotes, pools, layers, functions, versions, managed, aliases, provisioned, capacityProviders, codeLinks };
}
