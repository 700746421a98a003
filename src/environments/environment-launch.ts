/**
 * How an environment gets its process: launched fresh, with a Runtime API endpoint of its own, or
 * taken over from a pre-started runtime (./zygote.ts), whose process, sandbox and endpoint become the
 * environment's and which then receives the function's environment variables and code. A provisioned
 * environment initialises ahead of any invocation and is kept warm: the idle timeout does not stop it.
 */
import { RUNTIME_TOKEN_ENV } from '../runtime-api/runtime-token.js';
import { startRuntimeApi } from '../runtime-api/server.js';
import { Environment, type EnvironmentDeps, type EnvironmentSpec, type LaunchPlan } from './environment.js';
import type { LaunchedProcess } from './launcher.js';
import { splitLines } from './line-splitter.js';
import type { Zygote } from './zygote.js';

/** Starts an environment in a process of its own. */
export async function startEnvironment(spec: EnvironmentSpec, plan: LaunchPlan, deps: EnvironmentDeps<Environment>, provisioned = false): Promise<Environment> {
  const env = new Environment(spec, plan, deps, provisioned);
  const api = await startRuntimeApi(deps.runtimeApiHost, env, env.connectionCheck);
  let process: LaunchedProcess;
  try {
    const spec = plan.launchSpec(env.id, api.address, env.logStream, provisioned);
    const launching = deps.launcher.launch(spec.runtimeToken ? { ...spec, env: { ...spec.env, [RUNTIME_TOKEN_ENV]: api.token } } : spec);
    env.attach(api, launching);
    process = await launching;
  } catch (err) {
    api.close();
    plan.ended?.(env.id);
    throw err;
  }
  splitLines(process.stdout, (l) => env.onOutput(l));
  splitLines(process.stderr, (l) => env.onOutput(l));
  env.started(process);
  return env;
}

/** Takes over a pre-started runtime; undefined if it could not take the function (it is stopped then). */
export async function adoptPreStarted(z: Zygote, spec: EnvironmentSpec, plan: LaunchPlan, deps: EnvironmentDeps<Environment>, provisioned = false): Promise<Environment | undefined> {
  const env = new Environment(spec, plan, deps, provisioned);
  env.preStarted = true;
  env.attach(z.api, Promise.resolve(z.process));
  const launch = plan.launchSpec(env.id, z.api.address, env.logStream, provisioned);
  z.api.setHandler(env);
  z.output = (l) => env.onOutput(l);
  env.started(z.process);
  if (!(await z.assign(launch.codeDir, launch.env, spec.memoryMb * 1024 * 1024))) {
    env.stop();
    return undefined;
  }
  return env;
}
