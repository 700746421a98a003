/** What a runtime is: how to start its bootstrap in an environment, and whether this machine can. */
export interface LaunchContext {
  memoryMb: number;
  /** The function's code folder (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  handler: string;
}

export interface RuntimeLaunch {
  file: string;
  args: string[];
  /** Variables this runtime adds to Lambda's standard set (e.g. NODE_PATH, PYTHONPATH). */
  env: Record<string, string>;
  /** LAMBDA_RUNTIME_DIR: where the runtime's own files are. */
  runtimeDir: string;
}

export interface RuntimeSpec {
  id: string;
  family: 'nodejs' | 'python' | 'provided';
  /** Why this runtime cannot run on this machine (e.g. its interpreter is missing), or undefined. */
  unavailable(): string | undefined;
  launch(ctx: LaunchContext): RuntimeLaunch;
}
