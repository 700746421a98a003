/** What an execution environment is started from: its function's spec, one launch's plan, and the platform's parts. */
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { LogSink } from '../telemetry/log-sink.js';
import type { PlatformLines } from './invocation-log.js';
import type { LaunchSpec, ProcessLauncher } from './launcher.js';
import type { ZygoteRecipe } from './zygote.js';

export interface EnvironmentSpec {
  /** How to pre-start interchangeable runtimes for this spec, when its runtime supports it. */
  zygote?: ZygoteRecipe;
  functionName: string;
  version: string;
  /**
   * Where its logs go: the group's key in the log store, and what comes before `[version]` in its
   * streams' names (a custom group names the function there, as several functions may share it).
   */
  logs: { groupKey: string; streamPrefix: string };
  memoryMb: number;
  timeoutSeconds: number;
  /** Invocations one environment serves at once (Lambda Managed Instances); one when absent. */
  maxConcurrency?: number;
  /** Lambda Managed Instances: the vCPUs an environment is entitled to, what its CPU use is measured against. */
  vcpus?: number;
  /** The platform's START/END/REPORT lines, in the function's log format. */
  platformLines: PlatformLines;
  /** Prepares one environment's launch: what it alone is given (its credentials, its resolved secrets). */
  prepareLaunch(): Promise<LaunchPlan>;
}

/** Whether a process of the environment holds the client end of a loopback connection (client port, server port). */
export type ConnectionCheck = (clientPort: number, serverPort: number) => Promise<boolean>;

/** One environment's launch, prepared just before it. */
export interface LaunchPlan {
  /** Values replaced by a mask in its stored log lines. */
  mask: readonly string[];
  /** Builds the process to start, given this environment's id, Runtime API address, log stream and kind. */
  launchSpec(envId: string, runtimeApi: string, logStream: string, provisioned: boolean): LaunchSpec;
  /** Its first invocation is delivered: the init phase is over. `owns` tells its connections apart when it can. */
  invoking?(envId: string, owns: ConnectionCheck | undefined): void;
  /** It is gone. */
  ended?(envId: string): void;
}

/** What an environment is given by the pool that holds it (`Env`: the environment, told back to the pool). */
export interface EnvironmentDeps<Env> {
  launcher: ProcessLauncher;
  clock: Clock;
  logger: Logger;
  logs: LogSink;
  runtimeApiHost: string;
  initTimeoutMs: number;
  /** Stop the environment's processes while it waits for an invocation, as Lambda does. */
  freeze: boolean;
  /** Accept Runtime API connections only from the environment's own processes. */
  admitPeers: boolean;
  onIdle(env: Env): void;
  onDead(env: Env): void;
}
