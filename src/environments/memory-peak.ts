/** The most memory an environment's processes have used, sampled after each invocation, for REPORT lines. */
import { readFileSync } from 'node:fs';
import type { LaunchedProcess } from './launcher.js';

export class MemoryPeak {
  private maxKb = 0;

  /** Samples the peak: the launcher's (cgroup) figure, else the first process's VmHWM. */
  sample(process: LaunchedProcess): void {
    const peak = process.peakMemoryBytes();
    if (peak !== undefined) {
      this.maxKb = Math.max(this.maxKb, Math.round(peak / 1024));
      return;
    }
    try {
      const status = readFileSync(`/proc/${process.pid}/status`, 'latin1');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) this.maxKb = Math.max(this.maxKb, Number(m[1]));
    } catch {
      // the process is gone or /proc is unavailable: keep the last sample
    }
  }

  /** Max Memory Used in MB: shared pages count (as on Lambda) but the limit bounds what is charged, so never past it. */
  usedMb(limitMb: number): number {
    return Math.min(limitMb, Math.max(1, Math.round(this.maxKb / 1024)));
  }
}
