/**
 * Starting an environment's process. The plain launcher runs it as a child in its own process
 * group, so that stopping it stops everything it started; a sandboxed launcher implements the same.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface LaunchSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface LaunchedProcess {
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves once the process has exited, with Lambda's wording of how. */
  readonly exited: Promise<string>;
  /** Kills the whole process group at once. */
  kill(): void;
}

export interface ProcessLauncher {
  launch(spec: LaunchSpec): LaunchedProcess;
}

export class PlainProcessLauncher implements ProcessLauncher {
  launch(spec: LaunchSpec): LaunchedProcess {
    const child = spawn(spec.file, spec.args, {
      env: spec.env,
      cwd: spec.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code ?? 0}`));
      child.once('error', (err) => resolve(`error: ${err.message}`));
    });
    const pid = child.pid ?? -1;
    return {
      pid,
      stdout: child.stdout!,
      stderr: child.stderr!,
      exited,
      kill: () => {
        try {
          if (pid > 0) process.kill(-pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      },
    };
  }
}
