/** How much of the machine's CPU went unused, from /proc/stat: the start gate's measure of room. */
import { readFileSync } from 'node:fs';

export class MachineIdle {
  private last: { idle: number; total: number } | undefined = read();

  /** The idle share of all CPUs since the last call (0 to 1); undefined without /proc/stat or before time has passed. */
  sinceLast(): number | undefined {
    const now = read();
    const before = this.last;
    this.last = now;
    if (now === undefined || before === undefined || now.total <= before.total) return undefined;
    return (now.idle - before.idle) / (now.total - before.total);
  }
}

function read(): { idle: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'latin1');
    const fields = line.slice(0, line.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is within user): idle and iowait are room.
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), total };
  } catch {
    return undefined;
  }
}
