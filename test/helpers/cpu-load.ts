/**
 * Keeps every CPU busy, as a machine shared with other work is: one spinning process per CPU,
 * stopped by the test (and killed with the test runner if it dies first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuLoad {
  stop(): Promise<void>;
}

export function loadEveryCpu(): CpuLoad {
  const children: ChildProcess[] = [];
  for (let i = 0; i < availableParallelism(); i++) {
    // The spinner exits by itself after 10 minutes and when its parent's pipe closes.
    const child = spawn(process.execPath, ['-e', 'process.stdin.on("close",()=>process.exit());const end=Date.now()+600000;(function spin(){const t=Date.now()+50;while(Date.now()<t);if(Date.now()<end)setImmediate(spin);else process.exit()})()'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(child);
  }
  return {
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
