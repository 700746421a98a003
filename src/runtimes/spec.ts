/** What a runtime is: how to start its bootstrap in an environment, and whether this machine can. */
export interface LaunchContext {
  memoryMb: number;
  /** The function's code folder (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  handler: string;
  /**
   * Makes a host folder the runtime needs (interpreter, bootstrap, SDK) visible to the environment,
   * read-only, and returns the path the environment sees it at: `lambdaPath` in a sandbox (Lambda's
   * layout, e.g. /var/runtime), the host path otherwise.
   */
  expose(hostPath: string, lambdaPath: string): string;
  /** Where the environment sees the function's layers (/opt in a sandbox). */
  opt: string;
}

export interface RuntimeLaunch {
  file: string;
  args: string[];
  /** Variables this runtime adds to Lambda's standard set (e.g. NODE_PATH, PYTHONPATH). */
  env: Record<string, string>;
  /** LAMBDA_RUNTIME_DIR: where the runtime's own files are, as the environment sees it. */
  runtimeDir: string;
  /** The bootstrap sends its endpoint's token (src/runtime-api/runtime-token.ts), so it is given one. */
  sendsRuntimeToken?: boolean;
}

export interface RuntimeSpec {
  id: string;
  family: 'nodejs' | 'python' | 'ruby' | 'provided';
  /** Why this runtime cannot run on this machine (e.g. its interpreter is missing), or undefined. */
  unavailable(): string | undefined;
  launch(ctx: LaunchContext): RuntimeLaunch;
}
