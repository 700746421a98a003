/**
 * Admission for new environments: at most `concurrentStarts` initialise at once (sized to the CPUs,
 * so a burst of a hundred does not starve every init past its time limit) and at most
 * `maxEnvironments` live at once (bounded by memory). Starts wait in line, invocations' before
 * background work (pre-started runtimes). A start no longer needed when granted ends its permit at once.
 */

export type StartPriority = 'invoke' | 'background';

/** Held from admission to the environment's death; its start slot returns once it has initialised. */
export interface StartPermit {
  /** The environment finished initialising (or failed to): its start slot goes to the next in line. */
  initialised(): void;
  /** The environment is gone: its place among the live ones is free. Also ends the start slot. */
  ended(): void;
}

export interface StartTicket {
  readonly granted: Promise<StartPermit>;
}

interface Waiting {
  grant(permit: StartPermit): void;
}

export class StartGate {
  private starting = 0;
  private live = 0;
  /** Idle environments asked to stop to make room, not yet gone. */
  private reclaiming = 0;
  private readonly lines: Record<StartPriority, Waiting[]> = { invoke: [], background: [] };
  /** Asked to stop one idle environment when the live bound holds starts back; true if it did. */
  reclaim: () => boolean = () => false;

  constructor(
    readonly concurrentStarts: number,
    readonly maxEnvironments: number,
  ) {}

  /** Starts in progress and environments alive, for `selfless` status and tests. */
  get counts(): { starting: number; live: number; waiting: number } {
    return { starting: this.starting, live: this.live, waiting: this.lines.invoke.length + this.lines.background.length };
  }

  acquire(priority: StartPriority): StartTicket {
    let grant!: (permit: StartPermit) => void;
    const granted = new Promise<StartPermit>((resolve) => (grant = resolve));
    const waiting: Waiting = { grant };
    const line = this.lines[priority];
    line.push(waiting);
    this.pump();
    return { granted };
  }

  /** An environment went idle: if starts wait for room, it may be the one to stop. */
  idleAppeared(): void {
    this.pump();
  }

  private pump(): void {
    while (this.starting < this.concurrentStarts) {
      const line = this.lines.invoke.length > 0 ? this.lines.invoke : this.lines.background;
      if (line.length === 0) return;
      if (this.live >= this.maxEnvironments) {
        // Room comes back when a reclaimed environment has exited (its permit ends). Only
        // invocations take another function's idle environment; background work waits for room.
        if (this.reclaiming < this.lines.invoke.length && this.reclaim()) this.reclaiming++;
        return;
      }
      const next = line.shift()!;
      this.starting++;
      this.live++;
      next.grant(this.permit());
    }
  }

  private permit(): StartPermit {
    let starting = true;
    let alive = true;
    const initialised = () => {
      if (!starting) return;
      starting = false;
      this.starting--;
      this.pump();
    };
    return {
      initialised,
      ended: () => {
        if (!alive) return;
        alive = false;
        if (starting) {
          starting = false;
          this.starting--;
        }
        this.live--;
        if (this.reclaiming > 0) this.reclaiming--;
        this.pump();
      },
    };
  }
}

/** One start at a time per CPU, but never fewer than two: part of a start waits on the kernel, not the CPU. */
export const defaultConcurrentStarts = (cpus: number): number => Math.max(2, cpus);

/** One environment per 64 MiB of the machine's memory: most idle environments take far less, and limits are caps. */
export const defaultMaxEnvironments = (totalMemoryBytes: number): number => Math.max(16, Math.floor(totalMemoryBytes / (64 * 1024 * 1024)));
